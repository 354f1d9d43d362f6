/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench VMM: a small KVM VMM that runs the bare-metal guest
 * (guests/bare) in a normal VM or a realm (CCA v14 UAPI) and reports, per
 * vCPU, the stage-2 faults its workload took, the time in KVM_RUN and the
 * exits by reason, as JSON lines (guests/README.md).
 */
#ifndef RMIBENCH_VMM_H
#define RMIBENCH_VMM_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_abi.h"
#include "workload.h"

enum vmm_vm_type { VMM_VM_NORMAL, VMM_VM_REALM };

struct vmm_opts {
	enum vmm_vm_type vm;
	const char *guest;		/* the bare-metal image */
	struct wl_config wl;
	const char *backing;		/* "4k" or "thp" (normal VM) */
	bool each_touch;		/* one MMIO write per access */
	bool dry_run;			/* print every step, do none */
	unsigned int ipa_bits;
	unsigned int rmi_cap;		/* KVM_CAP_ARM_RMI's number */
	unsigned int timeout_s;
	bool no_perf;			/* do not count stage-2 faults */
};

struct vmm_hist {
	uint64_t count, sum, min, max;
	uint64_t bucket[BARE_HIST_BUCKETS];
};

enum vmm_exit {
	VMM_EXIT_MMIO, VMM_EXIT_SYSTEM_EVENT, VMM_EXIT_INTR,
	VMM_EXIT_FAIL_ENTRY, VMM_EXIT_INTERNAL_ERROR, VMM_EXIT_OTHER,
	VMM_EXIT_COUNT,
};

struct vmm;

struct vmm_vcpu {
	struct vmm *vm;
	unsigned int idx;
	int fd;
	void *run;			/* struct kvm_run */
	pthread_t thread;
	bool thread_started;
	/* what the guest reported */
	bool started, done, exited;
	uint64_t stat[BARE_STAT_COUNT];
	uint64_t first_bucket[BARE_HIST_BUCKETS];
	struct vmm_hist touch;		/* BARE_F_EACH_TOUCH values */
	/* what the VMM measured */
	uint64_t runs, run_ns, exits[VMM_EXIT_COUNT];
	int pf_fd, ab_fd;		/* perf counters: region faults, all */
	uint64_t pf0, ab0;
	int64_t s2_faults, aborts;	/* -1: not counted */
	uint64_t expected_pages, expected_accesses;
	char error[160];
};

struct vmm_slot {
	uint32_t id;
	uint64_t ipa, size;
	void *host;			/* the VMM's mapping */
	size_t map_len;
	int gmem_fd;			/* -1: anonymous memory */
};

struct vmm {
	struct vmm_opts o;
	int kvm_fd, vm_fd, vgic_fd;
	size_t run_size;
	struct vmm_slot code, work;
	uint64_t mmio_base;
	struct vmm_vcpu *vcpus;
	volatile sig_atomic_t stop;
	unsigned int finished;		/* vCPU threads done (atomic) */
	int tp_id;			/* kvm:kvm_guest_fault, -1 if none */
	bool tp_filter;			/* its ipa field can be filtered on */
	char fault_source[192];
	char backing[48];
	uint64_t setup_ns, run_ns;
	unsigned int next_fake_fd;	/* dry run */
	FILE *log;			/* dry run steps: stdout */
};

/*
 * kvm.c: the ioctl layer. In a dry run each call is printed, not made,
 * and returns @dry_ret (what a successful call would: a made-up fd ...).
 */
int vmm_open_kvm(struct vmm *v);
long vmm_ioctl(struct vmm *v, int fd, const char *fdname, unsigned long req,
	       const char *reqname, void *arg, long dry_ret, const char *fmt,
	       ...) __attribute__((format(printf, 8, 9)));
void vmm_step(struct vmm *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* RMIBENCH_VMM_H */
