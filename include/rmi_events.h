/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the one event schema.
 *
 * Each event is defined once here: its name and its arguments in order,
 * with a C type. The sim's USDT probes (provider "rmibench"), the kernel's
 * kvm_rmi trace events (kernel/ patches) and the BPF tools all take names
 * and argument order from this list. `make -C kernel check` checks the
 * kernel patches' trace events against it and tests/unit/test_probes the
 * sim's USDT probes.
 *
 * RMI_EVENTS(E) calls E(name, fields) once per event; fields is a macro
 * taking F and calling F(type, name) once per argument.
 *
 * Types are those of the kernel TP_STRUCT__entry; USDT arguments and BPF
 * records widen every argument to 64 bits.
 */
#ifndef RMIBENCH_RMI_EVENTS_H
#define RMIBENCH_RMI_EVENTS_H

#define RMI_EV_FIELDS_rmi_call_enter(F) \
	F(u32, fid) F(u64, x1) F(u64, x2) F(u64, x3)
#define RMI_EV_FIELDS_rmi_call_exit(F) \
	F(u32, fid) F(u32, status) F(u32, index) F(u64, x1)
#define RMI_EV_FIELDS_realm_map_enter(F) \
	F(u32, vcpu) F(u64, ipa) F(u64, size) F(bool, private)
#define RMI_EV_FIELDS_realm_map_exit(F) \
	F(u32, vcpu) F(u64, ipa) F(u64, size) F(int, ret) \
	F(u32, rmi_calls) F(u32, rtts_created)
#define RMI_EV_FIELDS_rtt_create(F) \
	F(u64, ipa) F(int, level) F(u32, status)
#define RMI_EV_FIELDS_delegate(F) \
	F(u64, phys) F(u64, size) F(u64, done) F(u32, status)
#define RMI_EV_FIELDS_delegate_race(F) \
	F(u64, ipa) F(u64, phys) F(u64, size)
#define RMI_EV_FIELDS_rmi_inject(F) \
	F(u32, fid) F(u32, status) F(u32, index)

#define RMI_EVENTS(E)					\
	E(rmi_call_enter, RMI_EV_FIELDS_rmi_call_enter)	\
	E(rmi_call_exit, RMI_EV_FIELDS_rmi_call_exit)	\
	E(realm_map_enter, RMI_EV_FIELDS_realm_map_enter) \
	E(realm_map_exit, RMI_EV_FIELDS_realm_map_exit)	\
	E(rtt_create, RMI_EV_FIELDS_rtt_create)		\
	E(delegate, RMI_EV_FIELDS_delegate)		\
	E(delegate_race, RMI_EV_FIELDS_delegate_race)	\
	E(rmi_inject, RMI_EV_FIELDS_rmi_inject)

#define RMI_EV_ENUM_(name, fields)	RMI_EV_##name,
enum rmi_event { RMI_EVENTS(RMI_EV_ENUM_) RMI_EV_COUNT };
#undef RMI_EV_ENUM_

/* USDT provider and the trace system of the kernel events */
#define RMI_EV_PROVIDER		rmibench
#define RMI_EV_TRACE_SYSTEM	kvm_rmi

#endif /* RMIBENCH_RMI_EVENTS_H */
