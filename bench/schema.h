/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the result schema, defined once.
 *
 * RUN_CONFIG_FIELDS lists the settings of a run and RUN_COUNTS_FIELDS what
 * a run counts, one row each, in the order of the structs, the result
 * file (results/README.md) and the `rmibench run` command line. From these
 * rows come struct run_config and struct run_counts (below),
 * run_counts_merge(), and the field tables of bench/config.c and
 * bench/counts.c, which the result file's writer, reader and validator,
 * the report's runs.tsv and group labels, the options of `rmibench run`
 * and `rmibench matrix` and the command-line reconstruction all work
 * from. bench/README.md says how to add a field.
 *
 * Each row is X(KIND, field, ...) with the arguments of its KIND.
 *
 * Settings (struct run_config, the file's "config"; the option is
 * --OPT VALUE, OPT being the field with '-' for '_'):
 *
 *   NAME(field, type, count, to_name, from_name, opt, def, label, tsv, help)
 *	an enum @type with values 0..@count-1, written and given by name:
 *	to_name(v) names a value, from_name(s) gives it back (-1 if unknown)
 *   UINT(field, type, opt, arg, unit, lo, hi, fmax, def, label, tsv, help)
 *	a whole number (@type unsigned int or uint64_t): @lo..@hi on the
 *	command line, at most @fmax in a result file
 *   SIZE(field, opt, arg, min, align, hex, def, label, tsv, help)
 *	bytes (uint64_t), given as "1G", "512M", "0x40000000", "1G+2M": at
 *	least @min, a multiple of @align; the repeating command line writes
 *	it in hex if @hex, else with the largest exact K/M/G suffix
 *   STR(field, size, valid, want, opt, def, label, tsv, help)
 *	a name (char[@size]) that valid(s) accepts; @want says which
 *   PATH(field, size, opt, arg, label, label_empty, help)
 *	a file name (char[@size]), "" when not given
 *   BOOL(field, opt, label, label_off, help)
 *	a flag: the option takes no value and sets it
 *   RULES(field, size, opt, arg, label, label_empty, help)
 *	repeatable: each value is one rule that the command parses (the
 *	injection rules); the field keeps them as given, joined by ';'
 *
 * @arg is the value's name in --help, @unit what it counts ("" if
 * nothing), @def the default. @label formats the field's value (as the
 * command line writes it, "%s") in the report's group labels, @label_off
 * and @label_empty stand for false and "" (a NULL @label: not a group
 * setting: the strategy, which the report compares). @tsv: a runs.tsv
 * column.
 *
 * Counts (struct run_counts, the file's "counts"; @path is where in
 * "counts" the value is, "a.b" for key b of object a):
 *
 *   U64(field, path, tsv, unit, help)
 *	a uint64_t counter
 *   ARRAY(field, n, path, key_name, sparse, tsv, unit, help)
 *	uint64_t field[@n], an object keyed key_name(i); entries whose bit
 *	is set in @sparse are written only when nonzero and may be absent
 *   BY_CMD(field, path, status_path, unit, help)
 *	uint64_t field[RMI_CMD_COUNT][STATUS_BUCKETS]: calls by command and
 *	status; @path has each command's total, @status_path its statuses
 *	(commands and statuses that are zero are left out)
 *   WARNS(path, help)
 *	the list of WARN reasons, warn[] and nwarn (kept at the end of the
 *	struct), as [{"reason", "count"}]; merged by reason
 *   DERIVED(name, derive, max, tsv, unit, help)
 *	not a counter: derive(r), written to the file's "derived" object
 *	(at most @max); listed here for its place among the counts in
 *	runs.tsv
 *
 * @tsv is the runs.tsv column (for an ARRAY, the prefix of one column per
 * key that is not sparse), NULL for none.
 */
#ifndef RMIBENCH_SCHEMA_H
#define RMIBENCH_SCHEMA_H

#define RUN_CONFIG_FIELDS(X)						\
	X(NAME, kernel, enum host_version, HOST_VERSION_COUNT,		\
	  kernel_name, kernel_from_name, "kernel", HOST_V15, "%s", true, \
	  "host series: every realm path as that tree has it; "	\
	  "--strategy and --delegation override one piece")		\
	X(NAME, strategy, enum rmi_rtt_strategy, RMI_RTT_STRATEGY_COUNT,	\
	  rmi_rtt_strategy_name, strategy_from_name, "strategy",	\
	  RMI_RTT_STRATEGY_ONE_LEVEL, NULL, false,			\
	  "RTT creation on ERROR_RTT")					\
	X(NAME, delegation, enum deleg_variant, DELEG_COUNT, deleg_name, \
	  deleg_from_name, "delegation", DELEG_V15, "deleg-%s", true, \
	  "delegate failure handling")					\
	X(STR, profile, 16, profile_known, "tf-rmm or spec", "profile",	\
	  "tf-rmm", "%s", true, "RMM behaviour")			\
	X(UINT, delegate_granules, unsigned int, "delegate-granules", "N", \
	  "granules", 1, 1u << 20, UINT_MAX, 1, "dg%s", false,		\
	  "granules per GRANULE_RANGE_DELEGATE call")			\
	X(NAME, folio, enum folio_mode, FOLIO_COUNT, folio_name,	\
	  folio_from_name, "folio", FOLIO_4K, "%s", true,		\
	  "guest_memfd folio size")					\
	X(SIZE, ipa, "ipa", "BASE", 0, 1, true, 1ull << 30, "ipa %s", false, \
	  "base IPA of the memslot")					\
	X(SIZE, size, "size", "BYTES", 1, 1, false, 1ull << 30, "%s", false, \
	  "size of the memslot (the sim: at most 256G)")		\
	X(UINT, vcpus, unsigned int, "vcpus", "N", "vCPUs", 1, 512,	\
	  UINT_MAX, 1, "%sv", true, "vCPUs")				\
	X(STR, workload, 16, workload_known,				\
	  "sequential, random, strided or storm", "workload",		\
	  "sequential", "%s", true, "access pattern")			\
	X(BOOL, shared_region, "shared-region", "shared", "private",	\
	  "every vCPU over the whole memslot (else each its own slice)") \
	X(UINT, write_pct, unsigned int, "write-pct", "P", "percent", 0, 100, \
	  100, 50, "w%s%%", false, "accesses that write")		\
	X(UINT, shared_pct, unsigned int, "shared-pct", "P", "percent", 0, \
	  100, 100, 0, "s%s%%", false,					\
	  "accesses through the shared (unprotected) alias")		\
	X(UINT, ripas_pct, unsigned int, "ripas-pct", "P", "percent", 0, \
	  100, 100, 0, "r%s%%", false,					\
	  "private accesses that first set their page's RIPAS to EMPTY " \
	  "and back to RAM (RSI_IPA_STATE_SET)")			\
	X(UINT, passes, unsigned int, "passes", "N", "passes", 1, 1000000, \
	  UINT_MAX, 1, "x%s", false, "passes over the region")		\
	X(SIZE, stride, "stride", "BYTES", 1, 4096, false, 2ull << 20,	\
	  "stride %s", false, "stride of the strided workload")		\
	X(NAME, scheduler, enum sched_kind, SCHED_COUNT, sched_name,	\
	  sched_from_name, "scheduler", SCHED_DET, "%s", false,		\
	  "vCPU scheduler")						\
	X(UINT, seed, uint64_t, "seed", "N", "", 0, UINT64_MAX, UINT64_MAX, \
	  1, "seed %s", false,						\
	  "seed of the workload and the det scheduler")		\
	X(UINT, s2sz, unsigned int, "s2sz", "BITS", "bits", 32, 48,	\
	  RMI_S2SZ_MAX_LPA2, 40, "s2sz %s", false, "IPA width")		\
	X(PATH, calibration, 256, "calibration", "FILE", "calibrated",	\
	  "default costs",						\
	  "measured RMI costs (default: the assumed table)")		\
	X(RULES, inject, 512, "inject", "RULE", "inject %.24s", "no inject", \
	  "inject RMI failures at the host's call site; RULE is "	\
	  "key=value,... with the keys command (required), status, "	\
	  "index, probability, interval, times, space, ipa, pa, vcpu "	\
	  "(sim/inject/README.md; repeatable)")				\
	X(UINT, livelock_faults, uint64_t, "livelock-faults", "N", "faults", \
	  0, UINT32_MAX, UINT64_MAX, 1000, "livelock %s", false,	\
	  "declare a livelock after N no-progress re-faults of one IPA, " \
	  "0: never")							\
	X(NAME, firmware, enum rmm_firmware, RMM_FW_COUNT,		\
	  rmm_firmware_name, rmm_firmware_from_name, "firmware",	\
	  RMM_FW_BOOT, "fw %s", false,					\
	  "what firmware prepared for the RMM at boot: the boot memory " \
	  "only, or all of it, hotpluggable memory too")		\
	X(SIZE, hotplug, "hotplug", "BYTES", 0, 1ull << 30, false, 0,	\
	  "hotplug %s", false,						\
	  "memory added after boot, a multiple of 1 GiB: guest_memfd "	\
	  "takes the memslot's last BYTES from it")			\
	X(NAME, gpt, enum gpt_mode, GPT_MODE_COUNT, gpt_mode_name,	\
	  gpt_mode_from_name, "gpt", GPT_BOOT, "gpt %s", false,	\
	  "memory the RMM cannot use yet: set up at boot only, as the "	\
	  "trees, or on demand (on a delegate's ERROR_TRACKING or "	\
	  "ERROR_GPT make it FINE or create its L1 GPT, delegate again)") \
	X(STR, backend, 16, backend_known, "sim or kernel", "backend",	\
	  "sim", "%s", false,						\
	  "what makes the run: the sim, or a KVM host through the VMM "	\
	  "(guests/README.md)")						\
	X(NAME, vm, enum vm_kind, VM_COUNT, vm_name, vm_from_name, "vm", \
	  VM_REALM, "%s", false,						\
	  "the VM the workload runs in (the sim models realms only)")

#define RUN_COUNTS_FIELDS(X)						\
	X(U64, faults, "faults", "faults", "faults",			\
	  "stage-2 faults the host handled")				\
	X(U64, faults_private, "faults_private", NULL, "faults",	\
	  "of which on protected (private) IPAs")			\
	X(U64, faults_shared, "faults_shared", NULL, "faults",		\
	  "of which on unprotected (shared) IPAs")			\
	X(U64, refaults, "refaults", "refaults", "faults",		\
	  "faults on a page whose folio had already been faulted on")	\
	X(U64, rmi_calls, "rmi_calls.total", "rmi_calls", "calls",	\
	  "every RMI call of the run")					\
	X(U64, rmi_calls_setup, "rmi_calls.setup", NULL, "calls",	\
	  "of which realm creation and activation")			\
	X(U64, rmi_calls_fault, "rmi_calls.fault", "rmi_calls_fault",	\
	  "calls", "of which while the workload ran")			\
	X(DERIVED, rmi_calls_per_fault, result_calls_per_fault, HUGE_VAL, \
	  "rmi_calls_per_fault", "calls",				\
	  "rmi_calls.fault / faults (0 without faults)")		\
	X(U64, rmi_calls_teardown, "rmi_calls.teardown", NULL, "calls",	\
	  "of which destruction and the leak audit")			\
	X(BY_CMD, by_cmd, "rmi_calls.by_command", "rmi_calls.by_status", \
	  "calls", "calls by command, and by command and status")	\
	X(U64, rtts_created, "rtts_created", "rtts_created", "RTTs",	\
	  "RTT_CREATE successes")					\
	X(U64, rtts_created_teardown, "rtts_created_teardown",		\
	  "rtts_created_teardown", "RTTs",				\
	  "of which while tearing the realm down (unmap splits)")	\
	X(U64, rtts_destroyed, "rtts_destroyed", NULL, "RTTs",		\
	  "RTT_DESTROY and RTT_FOLD successes")				\
	X(U64, rtt_pages_peak, "rtt_pages_peak", "rtt_pages_peak",	\
	  "granules", "peak of live non-root RTTs")			\
	X(U64, rtt_pages_end, "rtt_pages_end", "rtt_pages_end",		\
	  "granules", "live non-root RTTs before teardown")		\
	X(DERIVED, rtt_pages_per_gib_mapped, result_rtt_pages_per_gib,	\
	  HUGE_VAL, "rtt_pages_per_gib", "granules per GiB",		\
	  "rtt_pages_end per GiB mapped (0 if nothing is)")		\
	X(ARRAY, mapped_bytes, 4, "mapped_bytes", result_level_name, 1u, \
	  "mapped_", "bytes",						\
	  "mapped by level before teardown: l1 1 GiB blocks, l2 2 MiB "	\
	  "blocks, l3 pages; l0 only if something was")			\
	X(DERIVED, block_coverage, result_block_coverage, 1.0,		\
	  "block_coverage", "fraction", "(l1 + l2) / (l1 + l2 + l3)")	\
	X(U64, delegate_races, "delegate_races", "delegate_races",	\
	  "faults", "map returned 0 after a failed delegate")		\
	X(U64, partial_delegations, "partial_delegations", NULL, "faults", \
	  "v15: faults that mapped only what was delegated")		\
	X(U64, leaked_granules, "leaked_granules", "leaked_granules",	\
	  "granules", "delegated and never undelegated (teardown audit)") \
	X(ARRAY, leaked_by_state, GRANULE_STATES, "leaked_by_state",	\
	  result_granule_state_name, 0u, NULL, "granules",		\
	  "leaked granules by granule state")				\
	X(U64, warnings, "warnings", "warnings", "warnings",		\
	  "kernel-style WARNs the host path hit")			\
	X(WARNS, "warning_reasons", "the WARNs by reason")		\
	X(U64, guest_errors, "guest_errors", "guest_errors", "errors",	\
	  "errors returned to the guest")				\
	X(U64, injected, "injected", NULL, "failures",			\
	  "RMI failures injected by --inject")				\
	X(U64, accesses, "accesses", NULL, "accesses",			\
	  "guest accesses made")					\
	X(U64, ripas_changes, "ripas_changes", NULL, "changes",	\
	  "guest RIPAS changes the host served (realm_set_ipa_state)")	\
	X(U64, mmu_lock_waits, "mmu_lock.waits", NULL, "waits",		\
	  "times a vCPU found kvm->mmu_lock taken (faults read, RIPAS " \
	  "changes write)")						\
	X(U64, mmu_lock_wait_ns, "mmu_lock.wait_ns", NULL, "ns",	\
	  "time waited for it (det: modelled, threads: wall clock)")	\
	X(U64, granules_delegated, "granules_delegated", NULL, "granules", \
	  "granules the host delegated (its own count)")		\
	X(U64, boot_rmi_calls, "boot_rmi_calls", NULL, "calls",	\
	  "RMI calls at host boot (arm64_init_rmi), before the realm's: " \
	  "not in rmi_calls")						\
	X(U64, memory_prep_calls, "memory_prep.calls", NULL, "calls",	\
	  "RMI calls on memory the RMM could not use yet: "	\
	  "delegates refused with ERROR_TRACKING or ERROR_GPT, and "	\
	  "GRANULE_TRACKING_GET/SET, GPT_L1_CREATE/DESTROY")		\
	X(U64, memory_prep_faults, "memory_prep.faults", NULL, "faults", \
	  "faults that made such calls")				\
	X(DERIVED, memory_prep_calls_per_gib, result_prep_calls_per_gib, \
	  HUGE_VAL, NULL, "calls per GiB",				\
	  "memory_prep.calls per GiB of --hotplug (0 without)")		\
	X(DERIVED, memory_prep_calls_per_fault, result_prep_calls_per_fault, \
	  HUGE_VAL, NULL, "calls per fault",				\
	  "memory_prep.calls / memory_prep.faults (0 without)")

/* ---- the structs' members -------------------------------------------------- */

#define RUN_CONFIG_MEMBER_(kind, ...)	RUN_CONFIG_MEMBER_##kind(__VA_ARGS__)
#define RUN_CONFIG_MEMBER_NAME(f, type, ...)	type f;
#define RUN_CONFIG_MEMBER_UINT(f, type, ...)	type f;
#define RUN_CONFIG_MEMBER_SIZE(f, ...)		uint64_t f;
#define RUN_CONFIG_MEMBER_STR(f, size, ...)	char f[size];
#define RUN_CONFIG_MEMBER_PATH(f, size, ...)	char f[size];
#define RUN_CONFIG_MEMBER_BOOL(f, ...)		bool f;
#define RUN_CONFIG_MEMBER_RULES(f, size, ...)	char f[size];

#define RUN_COUNTS_MEMBER_(kind, ...)	RUN_COUNTS_MEMBER_##kind(__VA_ARGS__)
#define RUN_COUNTS_MEMBER_U64(f, ...)		uint64_t f;
#define RUN_COUNTS_MEMBER_ARRAY(f, n, ...)	uint64_t f[n];
#define RUN_COUNTS_MEMBER_BY_CMD(f, ...) \
	uint64_t f[RMI_CMD_COUNT][STATUS_BUCKETS];
#define RUN_COUNTS_MEMBER_WARNS(...)
#define RUN_COUNTS_MEMBER_DERIVED(...)

#endif /* RMIBENCH_SCHEMA_H */
