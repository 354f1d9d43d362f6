/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the BPF tools' tests: whether BPF can run here at all.
 */
#ifndef RMIBENCH_TESTS_BPF_TEST_H
#define RMIBENCH_TESTS_BPF_TEST_H

#include <stdarg.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static int bpf_test_quiet(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* NULL if BPF programs can be loaded and probes attached here, else why
 * not, in a few words
 */
static inline const char *bpf_skip_reason(void)
{
	libbpf_set_print(bpf_test_quiet);
	if (geteuid() != 0)
		return "not root: loading BPF programs needs CAP_BPF and CAP_PERFMON";
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "no kernel BTF (/sys/kernel/btf/vmlinux)";
	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) != 1)
		return "this kernel cannot load raw tracepoint programs";
	return NULL;
}

#endif /* RMIBENCH_TESTS_BPF_TEST_H */
