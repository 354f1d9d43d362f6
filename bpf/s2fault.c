// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2fault: realm stage-2 fault latency histograms by mapping size and
 * private/shared, RMI calls and RTTs per fault, faults per vCPU and the
 * errors returned to the guest, on a CCA host (kvm_rmi trace events) or
 * on the sim (its USDT probes).
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "s2fault.h"
#include "s2fault.skel.h"
#include "tool.h"

struct s2fault {
	struct tool t;
	struct s2fault_bpf *skel;
};

static struct s2fault sf;

static const struct argp argp = TOOL_ARGP(NULL, NULL,
	"Realm stage-2 faults: latency by mapping size and private/shared, "
	"RMI calls and RTTs per fault, faults per vCPU, errors to the guest.");

static const char *const size_names[S2F_SIZES] = {
	"4K", "2M", "1G", "other"
};

struct vcpu_row {
	uint32_t vcpu;
	struct s2f_vcpu v;
};

struct err_row {
	int32_t ret;
	uint64_t n;
};

struct totals {
	struct hist lat[S2F_CLASSES];
	uint64_t errors[S2F_CLASSES];
	struct s2f_total t;
	struct hist calls;
	uint64_t faults, private, shared, guest_errors;
	struct vcpu_row *vcpus;
	size_t nvcpus;
	struct err_row errs[256];
	size_t nerrs;
};

static int cmp_vcpu(const void *a, const void *b)
{
	const struct vcpu_row *x = a, *y = b;

	return x->vcpu < y->vcpu ? -1 : x->vcpu > y->vcpu;
}

static int read_totals(struct s2fault *s, struct totals *k)
{
	struct tool *t = &s->t;
	int fd = bpf_map__fd(s->skel->maps.vcpus);
	uint32_t zero = 0, key, *prev = NULL;
	int32_t rkey, *rprev = NULL;
	const void *pc;
	size_t cap = 0;

	for (uint32_t i = 0; i < S2F_CLASSES; i++) {
		struct s2f_class c;

		pc = tool_percpu_lookup(t, s->skel->maps.classes, &i,
					sizeof(c));
		if (!pc)
			continue;
		tool_percpu_sum(t, pc, sizeof(c), &c);
		tool_percpu_hist(t, pc, sizeof(c),
				 offsetof(struct s2f_class, lat), &k->lat[i]);
		k->errors[i] = c.errors;
		k->faults += k->lat[i].count;
		if (i & 1)
			k->private += k->lat[i].count;
		else
			k->shared += k->lat[i].count;
		k->guest_errors += c.errors;
	}
	pc = tool_percpu_lookup(t, s->skel->maps.total, &zero,
				sizeof(k->t));
	if (pc) {
		tool_percpu_sum(t, pc, sizeof(k->t), &k->t);
		tool_percpu_hist(t, pc, sizeof(k->t),
				 offsetof(struct s2f_total, calls), &k->calls);
	}
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (k->nvcpus == cap) {
			struct vcpu_row *r;

			cap = cap ? 2 * cap : 64;
			r = realloc(k->vcpus, cap * sizeof(*r));
			if (!r)
				return tool_err(t, "out of memory");
			k->vcpus = r;
		}
		pc = tool_percpu_lookup(t, s->skel->maps.vcpus, &key,
					sizeof(struct s2f_vcpu));
		if (pc) {
			k->vcpus[k->nvcpus].vcpu = key;
			tool_percpu_sum(t, pc, sizeof(struct s2f_vcpu),
					&k->vcpus[k->nvcpus].v);
			k->nvcpus++;
		}
		prev = &key;
	}
	if (k->nvcpus)
		qsort(k->vcpus, k->nvcpus, sizeof(*k->vcpus), cmp_vcpu);
	fd = bpf_map__fd(s->skel->maps.errors);
	while (k->nerrs < 256 && !bpf_map_get_next_key(fd, rprev, &rkey)) {
		k->errs[k->nerrs].ret = rkey;
		k->errs[k->nerrs].n = tool_percpu_u64(t, s->skel->maps.errors,
						      &rkey);
		k->nerrs++;
		rprev = &rkey;
	}
	return 0;
}

static void class_name(uint32_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", size_names[i / 2],
		 i & 1 ? "private" : "shared");
}

static void print_text(struct s2fault *s, const struct totals *k)
{
	struct tool *t = &s->t;

	if (t->o.pid)
		printf("s2fault: %s, pid %d (%s), %.3f s\n",
		       tool_backend_name(t->backend), (int)t->o.pid, t->binary,
		       t->t_end - t->t0);
	else
		printf("s2fault: %s, all processes, %.3f s\n",
		       tool_backend_name(t->backend), t->t_end - t->t0);
	printf("faults %llu: private %llu, shared %llu; errors to the guest %llu\n",
	       (unsigned long long)k->faults, (unsigned long long)k->private,
	       (unsigned long long)k->shared,
	       (unsigned long long)k->guest_errors);
	for (uint32_t i = 0; i < S2F_CLASSES; i++) {
		char name[32];

		if (!k->lat[i].count)
			continue;
		class_name(i, name, sizeof(name));
		printf("\n%s: %llu faults, %llu errors, latency\n", name,
		       (unsigned long long)k->lat[i].count,
		       (unsigned long long)k->errors[i]);
		tool_print_hist(stdout, &k->lat[i], "ns");
	}
	if (k->calls.count) {
		printf("\nRMI calls per fault (mean %.2f)\n",
		       (double)k->calls.sum / (double)k->calls.count);
		tool_print_hist(stdout, &k->calls, "calls");
		printf("\nRTTs created per fault (%llu in all):",
		       (unsigned long long)k->t.rtts_sum);
		for (int i = 0; i < S2F_RTT_SLOTS; i++)
			if (k->t.rtts[i])
				printf(" %d%s: %llu", i,
				       i == S2F_RTT_SLOTS - 1 ? "+" : "",
				       (unsigned long long)k->t.rtts[i]);
		putchar('\n');
	}
	if (k->nvcpus) {
		printf("\n%6s %10s %10s %10s %8s %10s\n", "VCPU", "FAULTS",
		       "PRIVATE", "SHARED", "ERRORS", "MEAN-NS");
		for (size_t i = 0; i < k->nvcpus; i++) {
			const struct s2f_vcpu *v = &k->vcpus[i].v;

			if (k->vcpus[i].vcpu == RMI_BPF_NO_VCPU)
				printf("%6s", "-");
			else
				printf("%6u", k->vcpus[i].vcpu);
			printf(" %10llu %10llu %10llu %8llu %10.0f\n",
			       (unsigned long long)v->faults,
			       (unsigned long long)v->private,
			       (unsigned long long)(v->faults - v->private),
			       (unsigned long long)v->errors,
			       v->faults ? (double)v->lat /
					   (double)v->faults : 0.0);
		}
	}
	for (size_t i = 0; i < k->nerrs; i++)
		printf("%s%s %d: %llu faults\n", i ? "" : "\n",
		       k->errs[i].ret < 0 ?
		       "error to the guest (KVM_RUN fails)" :
		       "RMI status back to the guest (it faults again)",
		       k->errs[i].ret, (unsigned long long)k->errs[i].n);
	if (k->t.unpaired)
		printf("%llu realm_map_exit without an enter (attached mid-fault)\n",
		       (unsigned long long)k->t.unpaired);
	tool_print_events(t, stdout);
}

static void print_json(struct s2fault *s, const struct totals *k,
		       bool final)
{
	json_object *o = tool_json_report(&s->t, final), *j, *v;
	char name[32];

	json_object_object_add(o, "faults", json_object_new_uint64(k->faults));
	json_object_object_add(o, "faults_private",
			       json_object_new_uint64(k->private));
	json_object_object_add(o, "faults_shared",
			       json_object_new_uint64(k->shared));
	json_object_object_add(o, "guest_errors",
			       json_object_new_uint64(k->guest_errors));
	j = json_object_new_object();
	for (uint32_t i = 0; i < S2F_CLASSES; i++) {
		if (!k->lat[i].count)
			continue;
		class_name(i, name, sizeof(name));
		v = json_object_new_object();
		json_object_object_add(v, "faults",
				       json_object_new_uint64(k->lat[i].count));
		json_object_object_add(v, "errors",
				       json_object_new_uint64(k->errors[i]));
		json_object_object_add(v, "latency_ns",
				       tool_hist_json(&k->lat[i]));
		json_object_object_add(j, name, v);
	}
	json_object_object_add(o, "classes", j);
	json_object_object_add(o, "rmi_calls_per_fault",
			       tool_hist_json(&k->calls));
	j = json_object_new_array();
	for (int i = 0; i < S2F_RTT_SLOTS; i++)
		json_object_array_add(j, json_object_new_uint64(k->t.rtts[i]));
	json_object_object_add(o, "rtts_per_fault", j);
	json_object_object_add(o, "rtts_created",
			       json_object_new_uint64(k->t.rtts_sum));
	j = json_object_new_object();
	for (size_t i = 0; i < k->nvcpus; i++) {
		const struct s2f_vcpu *vc = &k->vcpus[i].v;

		if (k->vcpus[i].vcpu == RMI_BPF_NO_VCPU)
			snprintf(name, sizeof(name), "none");
		else
			snprintf(name, sizeof(name), "%u", k->vcpus[i].vcpu);
		v = json_object_new_object();
		json_object_object_add(v, "faults",
				       json_object_new_uint64(vc->faults));
		json_object_object_add(v, "private",
				       json_object_new_uint64(vc->private));
		json_object_object_add(v, "errors",
				       json_object_new_uint64(vc->errors));
		json_object_object_add(v, "latency_ns_sum",
				       json_object_new_uint64(vc->lat));
		json_object_object_add(j, name, v);
	}
	json_object_object_add(o, "vcpus", j);
	j = json_object_new_object();
	for (size_t i = 0; i < k->nerrs; i++) {
		snprintf(name, sizeof(name), "%d", k->errs[i].ret);
		json_object_object_add(j, name,
				       json_object_new_uint64(k->errs[i].n));
	}
	json_object_object_add(o, "errors", j);
	json_object_object_add(o, "unpaired",
			       json_object_new_uint64(k->t.unpaired));
	tool_json_print(o);
}

static int report(struct tool *t, bool final, void *ctx)
{
	struct s2fault *s = ctx;
	struct totals *k = calloc(1, sizeof(*k));
	int rc;

	(void)t;
	if (!k)
		return tool_err(&s->t, "out of memory");
	rc = read_totals(s, k);
	if (!rc && s->t.o.json)
		print_json(s, k, final);
	else if (!rc)
		print_text(s, k);
	free(k->vcpus);
	free(k);
	return rc;
}

TOOL_SKEL(s2fault);

static void opened(void *ctx, void *skel)
{
	struct s2fault *s = ctx;

	s->skel = skel;
}

int main(int argc, char **argv)
{
	static const struct tool_def def = {
		.name = "s2fault",
		.argp = &argp,
		.events = S2FAULT_EVENTS,
		.record = 0,
		.skel = &s2fault_skel,
		.opened = opened,
		.report = report,
	};

	return tool_main(&sf.t, &def, &sf, argc, argv);
}
