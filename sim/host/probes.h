/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench sim: where an event of the schema (include/rmi_events.h) leaves
 * the host path. host_ev_NAME(v, args...) is generated once per event and
 * does two things at one place:
 *
 *  - the USDT probe NAME of provider RMI_EV_PROVIDER ("rmibench"), guarded
 *    by its semaphore, so an unattached probe costs one predictable load
 *    and branch; libbpf's USDT attach raises the semaphore. Arguments are
 *    widened to 64 bits, as the schema says.
 *  - the vCPU's event sink (include/rmi_sink.h), if its consumer wants
 *    the event: the metrics, for the sim's own result file.
 */
#ifndef RMIBENCH_PROBES_H
#define RMIBENCH_PROBES_H

#define _SDT_HAS_SEMAPHORES 1
#define SDT_USE_VARIADIC 1
#include <sys/sdt.h>

#include "host.h"
#include "rmi_events.h"

#define RMIB_SEM_(prov, name)	prov##_##name##_semaphore
#define RMIB_SEM_X_(prov, name)	RMIB_SEM_(prov, name)
#define RMIB_SEM(name)		RMIB_SEM_X_(RMI_EV_PROVIDER, name)

#define RMIB_SEM_DECLARE_(name, fields) \
	extern volatile unsigned short RMIB_SEM(name);
RMI_EVENTS(RMIB_SEM_DECLARE_)
#undef RMIB_SEM_DECLARE_

#define RMIB_ON(name)	__builtin_expect(RMIB_SEM(name) != 0, 0)

/* STAP_PROBEV with the provider's macro expanded first */
#define RMIB_STAP_(prov, ...)	STAP_PROBEV(prov, __VA_ARGS__)

#define RMIB_EV_PARAM_(type, name)	, uint64_t name
#define RMIB_EV_ARG_(type, name)	, name
#define RMIB_EV_DEFINE_(ev, fields)					\
static inline void host_ev_##ev(struct host_vcpu *v fields(RMIB_EV_PARAM_)) \
{									\
	if (RMIB_ON(ev))						\
		RMIB_STAP_(RMI_EV_PROVIDER, ev fields(RMIB_EV_ARG_));	\
	if (v->sink.ops->ev) {						\
		v->hdr.model_ns = v->clock_ns;				\
		v->sink.ops->ev(v->sink.ctx, &v->hdr fields(RMIB_EV_ARG_)); \
	}								\
}
RMI_EVENTS(RMIB_EV_DEFINE_)
#undef RMIB_EV_DEFINE_

#endif /* RMIBENCH_PROBES_H */
