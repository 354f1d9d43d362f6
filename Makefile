# SPDX-License-Identifier: GPL-2.0-only
#
# rmibench: `make bench` (the main job) and `make check` (all tests).
# Targets per folder are listed by `make help`.

BUILD      ?= build
VERSION    := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
CC         ?= gcc
OPT        ?= -O2
SAN        ?=
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror \
              -Wno-missing-field-initializers -pthread $(SAN) \
              -Iinclude -Isim/rmm -Isim/inject -Isim/host -Iguests -Ibench \
              -I$(BUILD)/kselftest $(CFLAGS)
LDLIBS_ALL := -pthread $(SAN) -ljson-c -lm $(LDLIBS)

LINUX_TAR  ?= /usr/src/linux-source-6.12.tar.xz

RMM_SRCS   := $(wildcard sim/rmm/*.c)
SIM_SRCS   := $(RMM_SRCS) $(wildcard sim/inject/*.c) $(wildcard sim/host/*.c) \
              $(filter-out guests/wl_cli.c,$(wildcard guests/*.c))
BENCH_SRCS := $(wildcard bench/*.c)

SIM_OBJS   := $(SIM_SRCS:%.c=$(BUILD)/%.o)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
# the bench objects but main: unit tests link them too
BENCH_LIB_OBJS := $(filter-out $(BUILD)/bench/main.o,$(BENCH_OBJS))
LIBSIM     := $(BUILD)/libsim.a
RMIBENCH   := $(BUILD)/rmibench

UNIT_SRCS  := $(wildcard tests/unit/*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%) \
              $(BUILD)/tests/test_libsim
PERF_SRCS  := $(wildcard tests/perf/*.c)
PERF_BINS  := $(PERF_SRCS:tests/perf/%.c=$(BUILD)/perf/%)

KSFT_HDRS  := $(BUILD)/kselftest/kselftest_harness.h $(BUILD)/kselftest/kselftest.h

# BPF tools (bpf/README.md): vmlinux.h and skeletons made at build time
BPF_BUILD  := $(BUILD)/bpf
BPF_TOOLS  := rmistat s2fault rttcreate delegrace
BPF_BINS   := $(BPF_TOOLS:%=$(BPF_BUILD)/%)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPF_CLANG  ?= clang
BPFTOOL    ?= bpftool
BPF_ARCH   := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) \
              -Wall -Wextra -Wno-unused-parameter -Werror \
              -I$(BPF_BUILD) -Ibpf -Iinclude \
              $(if $(BPF_MULTIARCH),-idirafter /usr/include/$(BPF_MULTIARCH))
BPF_HDRS   := $(wildcard bpf/*.h) include/rmi_abi.h include/rmi_events.h
BPF_LIBBENCH := $(BPF_BUILD)/libbench.a
BPF_LDLIBS := $(LDLIBS_ALL) -lbpf -lelf
BPF_TEST_SRCS := $(wildcard tests/bpf/test_*.c)
BPF_TEST_BINS := $(BPF_TEST_SRCS:tests/bpf/%.c=$(BPF_BUILD)/tests/%)
# without kernel BTF, clang or bpftool the BPF tests are one skipped point
BPF_OK     := $(shell test -r $(VMLINUX_BTF) && command -v $(BPFTOOL) >/dev/null \
                && command -v $(BPF_CLANG) >/dev/null && echo 1)
BPF_CHECK  := $(if $(BPF_OK),$(BPF_TEST_BINS),tests/bpf/no-bpf)

.PHONY: FORCE all deps deps-bench deps-check build libsim check check-unit check-scenarios \
        check-kernel check-sanitize check-threads bench bench-model bench-sim bench-perf \
        bench-explore \
        bpf check-bpf bench-bpf bench-inject help clean guests \
        check-guests regress baselines fuzz fuzz-build check-fuzz fuzz-seeds

all: build

help:
	@echo "make bench          install deps, build, run the default comparison, write results/latest"
	@echo "make check          all tests (TAP), ending with 'N passed, N failed'"
	@echo "make check-fuzz     each libFuzzer target for FUZZ_S (30) seconds; fails on a crash"
	@echo "make fuzz FUZZ_S=N  longer fuzzing runs; the corpus grows in $(BUILD)/fuzz/corpus"
	@echo "make regress        the baseline runs again, compared exactly with results/baselines"
	@echo "make baselines      regenerate results/baselines (a deliberate change of behaviour)"
	@echo "make bench-model    RMM model speed and memory"
	@echo "make bench-sim      simulated faults per second; the 64 GiB run"
	@echo "make bench-sched    det scheduler: 1 GiB storm with 1 to 512 vCPUs, cost per access"
	@echo "make bench-script   rmi-script's peak memory and speed on scenarios of 1 to 28 MiB"
	@echo "make bench-inject   the default RMI error injection matrix from scratch, timed"
	@echo "make bench-explore  rmibench explore: time to find v14's leak, interleavings per second"
	@echo "make bench-perf     all benchmarks"
	@echo "make bench-bpf      cost per traced event of each BPF tool (root)"
	@echo "make bpf            build the BPF tools into $(BPF_BUILD)/"
	@echo "make check-bpf      the BPF tools' tests only (root)"
	@echo "make deps           install missing Debian packages (scripts/deps; deps-bench, deps-check: one set)"
	@echo "make build          build $(RMIBENCH)"
	@echo "make libsim         build $(LIBSIM) (sim/rmm, sim/host, guests)"
	@echo "make guests         guest programs, VMM and initramfs images (native and aarch64)"
	@echo "make check-guests   the guest tests: VMM dry runs, nested arm64 KVM end to end"

# scripts/deps SET: bench (compiler, json-c, gnuplot), check (the rest
# too); plain `make deps` installs both
deps:
	@scripts/deps

deps-bench:
	@scripts/deps bench

deps-check:
	@scripts/deps check

build: $(RMIBENCH)

libsim: $(LIBSIM)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# the version is compiled into one object, rebuilt every time
$(BUILD)/bench/version.o: bench/version.c FORCE
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DRMIBENCH_VERSION='"$(VERSION)"' -c -o $@ $<

FORCE:

$(LIBSIM): $(SIM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(RMIBENCH): $(BENCH_OBJS) $(LIBSIM)
	$(CC) -o $@ $(BENCH_OBJS) $(LIBSIM) $(LDLIBS_ALL)

# kselftest headers come from Debian's linux-source package, never the tree
$(KSFT_HDRS) &: $(LINUX_TAR)
	@mkdir -p $(BUILD)/kselftest
	tar -xJf $(LINUX_TAR) -O --wildcards '*/tools/testing/selftests/kselftest_harness.h' \
		> $(BUILD)/kselftest/kselftest_harness.h.tmp
	tar -xJf $(LINUX_TAR) -O --wildcards '*/tools/testing/selftests/kselftest.h' \
		> $(BUILD)/kselftest/kselftest.h.tmp
	mv $(BUILD)/kselftest/kselftest_harness.h.tmp $(BUILD)/kselftest/kselftest_harness.h
	mv $(BUILD)/kselftest/kselftest.h.tmp $(BUILD)/kselftest/kselftest.h

$(LINUX_TAR):
	@echo "missing $(LINUX_TAR): run 'make deps' (Debian package linux-source-6.12)" >&2; exit 1

$(BUILD)/tests/%: tests/unit/%.c tests/test_util.h $(BENCH_LIB_OBJS) $(LIBSIM) $(KSFT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -Wno-sign-compare -o $@ $< $(BENCH_LIB_OBJS) $(LIBSIM) $(LDLIBS_ALL)

# the sim alone: no bench object may be needed to link it
$(BUILD)/tests/test_libsim: tests/libsim/test_libsim.c $(LIBSIM) $(KSFT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -o $@ $< $(LIBSIM) -pthread $(SAN) -lm

$(BUILD)/perf/%: tests/perf/%.c $(BENCH_LIB_OBJS) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BENCH_LIB_OBJS) $(LIBSIM) $(LDLIBS_ALL)

INJECT_TESTS := tests/inject/test-inject-matrix
EXPLORE_TESTS := tests/explore/test-explore

# ---- BPF tools ---------------------------------------------------------------

bpf: $(BPF_BINS)

$(BPF_BUILD)/vmlinux.h:
	@test -r $(VMLINUX_BTF) || { echo "bpf: no kernel BTF at $(VMLINUX_BTF): cannot generate vmlinux.h (needs a kernel with CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp
	mv $@.tmp $@

$(BPF_TOOLS:%=$(BPF_BUILD)/%.bpf.o): $(BPF_BUILD)/%.bpf.o: bpf/%.bpf.c \
		$(BPF_HDRS) $(BPF_BUILD)/vmlinux.h
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BPF_TOOLS:%=$(BPF_BUILD)/%.skel.h): $(BPF_BUILD)/%.skel.h: $(BPF_BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp
	mv $@.tmp $@

$(BPF_TOOLS:%=$(BPF_BUILD)/%.o): $(BPF_BUILD)/%.o: bpf/%.c \
		$(BPF_BUILD)/%.skel.h $(BPF_HDRS)
	$(CC) $(CFLAGS_ALL) -I$(BPF_BUILD) -Ibpf -MMD -MP -c -o $@ $<

$(BPF_BUILD)/tool.o: bpf/tool.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(BPF_BUILD) -Ibpf -MMD -MP -c -o $@ $<

# the bench objects as an archive: a tool links only what it uses (the
# metrics and the result writer), not the sim and its USDT probes
$(BPF_LIBBENCH): $(BENCH_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BPF_BINS): $(BPF_BUILD)/%: $(BPF_BUILD)/%.o $(BPF_BUILD)/tool.o \
		$(BPF_LIBBENCH) $(LIBSIM)
	$(CC) -o $@ $< $(BPF_BUILD)/tool.o $(BPF_LIBBENCH) $(LIBSIM) $(BPF_LDLIBS)

# tests: every skeleton, the tools' objects and the sim's result reader
$(BPF_TEST_BINS): $(BPF_BUILD)/tests/%: tests/bpf/%.c tests/bpf/bpf_test.h \
		tests/test_util.h $(BPF_BINS) \
		$(BPF_TOOLS:%=$(BPF_BUILD)/%.skel.h) $(BPF_BUILD)/tool.o \
		$(BPF_LIBBENCH) $(LIBSIM) $(KSFT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(BPF_BUILD) -Ibpf -Wno-unused-parameter \
		-Wno-sign-compare -o $@ $< $(BPF_BUILD)/tool.o \
		$(BPF_LIBBENCH) $(LIBSIM) $(BPF_LDLIBS)

check-bpf: $(RMIBENCH) $(if $(BPF_OK),$(BPF_BINS) $(BPF_TEST_BINS))
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests $(BPF_CHECK)

$(BUILD)/perf/bench_bpf: tests/perf/bench_bpf.c $(BPF_BINS) \
		$(BPF_TOOLS:%=$(BPF_BUILD)/%.skel.h) $(BPF_BUILD)/tool.o \
		$(BPF_LIBBENCH) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(BPF_BUILD) -Ibpf -o $@ $< \
		$(BPF_BUILD)/tool.o $(BPF_LIBBENCH) $(LIBSIM) $(BPF_LDLIBS)

bench-bpf: $(RMIBENCH) $(BUILD)/perf/bench_bpf
	BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) $(BUILD)/perf/bench_bpf

# ---- tests -------------------------------------------------------------------

# what a signal leaves, where output is refused (tests/bench)
BENCH_TESTS := tests/bench/test-interrupt tests/bench/test-rmi-script

check: deps-check $(RMIBENCH) $(UNIT_BINS) guests \
		$(if $(BPF_OK),$(BPF_BINS) $(BPF_TEST_BINS))
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests \
		$(UNIT_BINS) $(BPF_CHECK) tests/check-tap $(BENCH_TESTS) \
		$(GUEST_TESTS) $(COMPARE_TESTS) $(INJECT_TESTS) $(EXPLORE_TESTS) \
		-- tests/rmm/scenarios \
		$(if $(SKIP_KERNEL),,-- kernel)

check-unit: $(RMIBENCH) $(UNIT_BINS)
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests $(UNIT_BINS)

check-scenarios: $(RMIBENCH)
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests -- tests/rmm/scenarios

check-kernel:
	@BUILD=$(BUILD) tests/run-tests -- -- kernel

# Every test again under ASan+UBSan, and the threaded and racing tests
# under TSan, each in its own build directory.
# (the kernel checks and the nested arm64 boot run no sanitized code: not
# twice)
check-sanitize: deps-check
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		SKIP_KERNEL=1 GUEST_TESTS="$(filter-out tests/guests/test-nested-kvm,$(GUEST_TESTS))" check
	$(MAKE) --no-print-directory BUILD=$(BUILD)/tsan OPT=-O1 \
		SAN="-fsanitize=thread" check-threads

# the threaded and racing tests alone (tests/tsan-threads), for TSan
check-threads: $(RMIBENCH) $(BUILD)/tests/test_rmm $(BUILD)/tests/test_host \
		$(BUILD)/tests/test_versions $(BUILD)/tests/test_hotplug
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests tests/tsan-threads

bench-model: $(BUILD)/perf/bench_model
	$(BUILD)/perf/bench_model

bench-sim: $(BUILD)/perf/bench_sim
	$(BUILD)/perf/bench_sim

# The default injection matrix (bench/README.md), from scratch: the time
# it takes is printed at the end
INJECT_DIR ?= $(BUILD)/inject-matrix
bench-inject: $(RMIBENCH)
	rm -rf $(INJECT_DIR)
	RMIBENCH_SCRIPTS=scripts $(RMIBENCH) inject-matrix --out-dir $(INJECT_DIR)

# rmibench explore on the partial-delegation scenario (bench/README.md,
# "Exploring interleavings"): time to find, runs per second
bench-explore: $(BUILD)/perf/bench_explore
	$(BUILD)/perf/bench_explore


# rmi-script's peak RSS and speed on generated scenarios of 1, 7 and 28 MiB
bench-script: $(RMIBENCH) $(BUILD)/perf/bench_script
	BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) $(BUILD)/perf/bench_script

# the det scheduler with 1, 64 and 512 vCPUs on the 1 GiB storm (about
# 2 min, most of it the 512)
bench-sched: $(BUILD)/perf/bench_sched
	$(BUILD)/perf/bench_sched

bench-perf: bench-model bench-sim bench-sched bench-script bench-bpf bench-inject bench-explore

# ---- fuzzing (tests/fuzz/README.md) -------------------------------------------
# libFuzzer targets, built with clang (ASan+UBSan, coverage) in their own
# build directory; neither `make build` nor `make check` builds them.
# `make check-fuzz` runs each for FUZZ_S seconds from the committed seeds
# and fails on any crash; `make fuzz FUZZ_S=N` runs longer and keeps what
# it finds in $(BUILD)/fuzz/corpus/ for the next run.
FUZZ_CC      ?= clang
FUZZ_S       ?= 30
FUZZ_TARGETS ?= rmm diff script inject result cost matrix
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_COMMON  := tests/fuzz/rmi_seq.c tests/fuzz/fuzz_file.c
FUZZ_HDRS    := tests/fuzz/rmi_seq.h tests/fuzz/fuzz_file.h

fuzz-build: deps-check
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) OPT=-O1 \
		SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		     -fsanitize-coverage-ignorelist=$(CURDIR)/tests/fuzz/no-coverage.txt" \
		$(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# (made by the sub-make above, where BUILD is $(BUILD)/fuzz)
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(FUZZ_HDRS) \
		$(BENCH_LIB_OBJS) $(LIBSIM)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -Itests/fuzz -o $@ $< \
		$(FUZZ_COMMON) $(BENCH_LIB_OBJS) $(LIBSIM) $(LDLIBS_ALL)

# Seeds (tests/fuzz/README.md, "Seeds"): the scenario tests' calls in the
# call-sequence format, and the scenario files as they are. A normal
# build: mkseed records the runner's calls with ld --wrap.
MKSEED := $(BUILD)/fuzz-seed/mkseed
$(MKSEED): tests/fuzz/mkseed.c tests/fuzz/rmi_seq.c tests/fuzz/rmi_seq.h $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/fuzz -o $@ tests/fuzz/mkseed.c \
		tests/fuzz/rmi_seq.c $(LIBSIM) -pthread $(SAN) -lm \
		-Wl,--wrap=rmm_smc,--wrap=rmm_ns_write,--wrap=rmm_rec_request_ripas

fuzz-seeds: $(MKSEED)
	rm -rf tests/fuzz/corpus/rmm tests/fuzz/corpus/script
	mkdir -p tests/fuzz/corpus/rmm tests/fuzz/corpus/script
	$(MKSEED) tests/fuzz/corpus/rmm $$(find tests/rmm/scenarios -name '*.rmi' | sort) \
		> $(BUILD)/fuzz-seed/mkseed.log
	tail -n 3 $(BUILD)/fuzz-seed/mkseed.log
	for f in $$(find tests/rmm/scenarios -name '*.rmi' | sort); do \
		n=$${f#tests/rmm/scenarios/}; cp $$f tests/fuzz/corpus/script/$$(echo $$n | tr / -); done

check-fuzz: fuzz-build
	@tests/fuzz/run-fuzz --fresh $(BUILD)/fuzz $(FUZZ_S) $(FUZZ_TARGETS)

fuzz: fuzz-build
	@tests/fuzz/run-fuzz $(BUILD)/fuzz $(FUZZ_S) $(FUZZ_TARGETS)

# The default comparison on the sim: strategies x profiles x folios x vCPUs.
# matrix replaces BENCH_DIR as a whole (--fresh: its old result files go
# too), report then adds the plots the same way: interrupted, BENCH_DIR is
# the old set or the new one. The "Reproduce" line is the matrix command,
# which its result files record. Runs whose realm died are findings, listed
# at the end; they do not fail `make bench` (BENCH_FAIL_ON=killed,... does).
BENCH_DIR  ?= results/latest
BENCH_ARGS ?= --kernels v14,v15 --strategies kernel,block --size 1G \
              --workload random --shared-region --quiet
BENCH_FAIL_ON ?=
bench: deps-bench $(RMIBENCH)
	$(RMIBENCH) matrix --out-dir $(BENCH_DIR) --fresh $(BENCH_ARGS) $(if $(BENCH_FAIL_ON),--fail-on $(BENCH_FAIL_ON))
	RMIBENCH_SCRIPTS=scripts $(RMIBENCH) report $(BENCH_DIR)
	@echo "results: $(BENCH_DIR)/summary.md and $(BENCH_DIR)/*.png"

# The regression check: the baseline's runs again into $(BUILD)/regress,
# compared with the committed baseline. Counts must be exactly the same
# (the sim is deterministic); the wall-clock latency is machine dependent
# and left out. The baseline is the tf-rmm half of the default comparison
# (16 of its 32 runs). A deliberate change of behaviour runs
# `make baselines` and commits the new files with the reason
# (results/README.md, "Baselines").
REGRESS_BASE ?= results/baselines/sim-default
REGRESS_DIR  ?= $(BUILD)/regress
REGRESS_ARGS ?= $(BENCH_ARGS) --profiles tf-rmm
REGRESS_CMP  ?= --fail-on-change --ignore distributions.fault_latency_wall_ns
COMPARE_TESTS := tests/compare/test-compare

regress: $(RMIBENCH)
	@rm -rf $(REGRESS_DIR) && mkdir -p $(REGRESS_DIR)
	$(RMIBENCH) matrix --out-dir $(REGRESS_DIR) $(REGRESS_ARGS)
	$(RMIBENCH) compare $(REGRESS_CMP) --plots $(REGRESS_DIR)/plots \
		--out $(REGRESS_DIR)/compare.txt $(REGRESS_BASE) $(REGRESS_DIR); \
		rc=$$?; cat $(REGRESS_DIR)/compare.txt 2>/dev/null; \
		[ $$rc -eq 0 ] || echo "make regress: differs from $(REGRESS_BASE) (exit $$rc): a deliberate change runs 'make baselines' and says why in the commit" >&2; \
		exit $$rc

baselines: $(RMIBENCH)
	@mkdir -p $(REGRESS_BASE)
	rm -f $(REGRESS_BASE)/*.json
	$(RMIBENCH) matrix --out-dir $(REGRESS_BASE) $(REGRESS_ARGS)
	rm -f $(REGRESS_BASE)/runs.tsv $(REGRESS_BASE)/latency.tsv

# ---- guests (guests/README.md): the Linux guest program, the bare-metal
# guest, the VMM, and their initramfs images; aarch64 cross builds under
# $(BUILD)/aarch64/, native builds (dry runs, counts) under $(BUILD)/guests/.
AARCH64_CC      ?= aarch64-linux-gnu-gcc
AARCH64_OBJCOPY ?= aarch64-linux-gnu-objcopy
A64             := $(BUILD)/aarch64/guests
NGUESTS         := $(BUILD)/guests
GUEST_CFLAGS    := -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Iguests
BARE_CFLAGS     := -std=c11 -O2 -Wall -Wextra -Werror -Iguests -ffreestanding \
                   -nostdlib -fno-pic -fno-stack-protector -mgeneral-regs-only
BARE_LOAD_ADDR  := 0x10000000
WL_DEPS         := guests/workload.c guests/workload.h
# the workload's options, for the programs with a C library
WL_CLI          := guests/wl_cli.c guests/wl_cli.h
VMM_DEPS        := $(wildcard guests/vmm/*.c guests/vmm/*.h) guests/guest_abi.h $(WL_DEPS) $(WL_CLI)
GUEST_TESTS     := tests/guests/test-vmm-dry-run tests/guests/test-kernel-backend \
                   tests/guests/test-nested-kvm

GUEST_BINS := $(A64)/guest-linux $(A64)/init $(A64)/vmm $(A64)/guest-bare.bin \
              $(A64)/initramfs-linux.cpio.gz $(A64)/initramfs-vmm.cpio.gz \
              $(NGUESTS)/guest-linux $(NGUESTS)/vmm $(NGUESTS)/wl-model

guests: $(GUEST_BINS)

$(A64)/guest-linux: guests/linux/guest.c $(WL_DEPS) $(WL_CLI)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -pthread -static -o $@ guests/linux/guest.c guests/workload.c guests/wl_cli.c

$(A64)/init: guests/linux/init.c
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -static -o $@ $<

$(A64)/vmm: $(VMM_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -pthread -static -o $@ $(wildcard guests/vmm/*.c) guests/workload.c guests/wl_cli.c

$(A64)/bare/%.o: guests/bare/%.c guests/guest_abi.h guests/workload.h
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(BARE_CFLAGS) -c -o $@ $<

$(A64)/bare/workload.o: $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(BARE_CFLAGS) -c -o $@ guests/workload.c

$(A64)/bare/start.o: guests/bare/start.S guests/guest_abi.h
	@mkdir -p $(dir $@)
	$(AARCH64_CC) -Iguests -c -o $@ $<

$(A64)/bare/guest.ld: guests/bare/guest.ld
	@mkdir -p $(dir $@)
	$(AARCH64_CC) -E -P -x c -DBARE_LOAD_ADDR=$(BARE_LOAD_ADDR) -o $@ $<

$(A64)/guest-bare.elf: $(A64)/bare/start.o $(A64)/bare/guest.o $(A64)/bare/workload.o $(A64)/bare/guest.ld
	$(AARCH64_CC) -nostdlib -static -no-pie -Wl,--build-id=none -T $(A64)/bare/guest.ld \
		-o $@ $(A64)/bare/start.o $(A64)/bare/guest.o $(A64)/bare/workload.o

$(A64)/guest-bare.bin: $(A64)/guest-bare.elf
	$(AARCH64_OBJCOPY) -O binary $< $@

$(A64)/initramfs-linux.cpio.gz: $(A64)/init $(A64)/guest-linux guests/mkinitramfs
	guests/mkinitramfs $@ $(A64)/init=init $(A64)/guest-linux=bin/guest

$(A64)/initramfs-vmm.cpio.gz: $(A64)/init $(A64)/vmm $(A64)/guest-bare.bin guests/mkinitramfs
	guests/mkinitramfs $@ $(A64)/init=init $(A64)/vmm=bin/vmm \
		$(A64)/guest-bare.bin=guest-bare.bin

$(NGUESTS)/guest-linux: guests/linux/guest.c $(WL_DEPS) $(WL_CLI)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -pthread -o $@ guests/linux/guest.c guests/workload.c guests/wl_cli.c

$(NGUESTS)/vmm: $(VMM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -pthread -o $@ $(wildcard guests/vmm/*.c) guests/workload.c guests/wl_cli.c

$(NGUESTS)/wl-model: tests/guests/wl-model.c $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -o $@ $< guests/workload.c

check-guests: $(RMIBENCH) guests
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests $(GUEST_TESTS)

clean:
	rm -rf $(BUILD)

-include $(SIM_OBJS:.o=.d) $(BENCH_OBJS:.o=.d) \
	$(BPF_TOOLS:%=$(BPF_BUILD)/%.d) $(BPF_BUILD)/tool.d
