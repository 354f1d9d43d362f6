// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-in for the users of the kvm_rmi events in arch/arm64/kernel/rmi.c
 * and arch/arm64/kvm/rmi.c, which need the CCA tree to build: the calls
 * below pass the argument types those files pass, so a TP_PROTO change
 * that would break them breaks this unit too.
 */
#include <linux/kvm_host.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/types.h>

#include <asm/rmi_call.h>
#include <asm/rmi_trace.h>

void standin_map(unsigned long ipa, unsigned long size, int ret);
void standin_delegate(phys_addr_t phys, unsigned long size,
		      unsigned long ret);
void standin_rtt(unsigned long ipa, int level, int ret);

void standin_map(unsigned long ipa, unsigned long size, int ret)
{
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	u32 id = vcpu ? vcpu->vcpu_id : U32_MAX;
	bool on = trace_realm_map_exit_enabled();
	unsigned int calls = 0;

	/* the counters are read on one CPU: migration is off in between */
	if (on) {
		migrate_disable();
		calls = this_cpu_read(rmi_call_count);
	}
	if (trace_realm_map_enter_enabled())
		trace_realm_map_enter(id, ipa, size, true);
	if (on) {
		trace_realm_map_exit(id, ipa, size, ret,
				     this_cpu_read(rmi_call_count) - calls, 0);
		migrate_enable();
	}
}

void standin_delegate(phys_addr_t phys, unsigned long size,
		      unsigned long ret)
{
	trace_delegate(phys, size, size / 2, ret & 0xff);
	trace_delegate_race(phys, phys, size);
}

void standin_rtt(unsigned long ipa, int level, int ret)
{
	trace_rtt_create(ipa, level, ret & 0xff);
}
