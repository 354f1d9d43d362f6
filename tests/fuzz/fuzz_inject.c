// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_inject: the injection rule grammar
 * (sim/inject) on arbitrary text. What must hold: no crash; an accepted
 * rule formats (inj_rule_format) to text that parses back to the same
 * rule; and the trigger keeps the rule's word over a stream of calls:
 * never more than `times` failures, none among the first space - 1
 * eligible calls, none at probability 0, and every eligible call fails
 * when nothing holds it back (probability 100, interval 1, no space, no
 * limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inject.h"
#include "rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CALLS	256

static void fail(const char *text, const char *why)
{
	fprintf(stderr, "fuzz_inject: rule '%s': %s\n", text, why);
	abort();
}

/* call @i of the stream: every command in turn, addresses that move */
static uint32_t call_of(unsigned int i, uint64_t x[8], unsigned int *vcpu)
{
	unsigned int c = i % RMI_CMD_COUNT;

	memset(x, 0, 8 * sizeof(*x));
	x[0] = (uint64_t)rmi_cmd_fid(rmi_cmd_name_at(c));
	for (int k = 1; k < 6; k++)
		x[k] = (uint64_t)(i * 0x1000) << (k & 3) * 9;
	x[4] = i & 1 ? RMI_ADDR_TYPE_SINGLE : RMI_ADDR_TYPE_LIST;
	*vcpu = i % 5 == 4 ? INJ_NO_VCPU : i % 5;
	return (uint32_t)x[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inj_rule r, r2;
	struct injector j;
	char text[600], fmt[600], err[256];
	unsigned int eligible = 0, fired = 0, first_fire = 0;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (inj_rule_parse(text, &r, err, sizeof(err))) {
		if (!err[0] || strchr(err, '\n'))
			fail(text, "refused without a one-line reason");
		return 0;
	}
	/* the rule as text, and back */
	if (inj_rule_format(&r, fmt, sizeof(fmt)) >= (int)sizeof(fmt))
		fail(text, "formats longer than the buffer");
	if (inj_rule_parse(fmt, &r2, err, sizeof(err))) {
		fprintf(stderr, "fuzz_inject: '%s' -> '%s': %s\n", text, fmt, err);
		abort();
	}
	if (memcmp(&r, &r2, sizeof(r))) {
		fprintf(stderr, "fuzz_inject: '%s' -> '%s' reads back otherwise\n",
			text, fmt);
		abort();
	}

	/* the trigger over a stream of calls */
	if (injector_init(&j, &r, 1, 42))
		return 0;		/* a rule no call can meet */
	for (unsigned int i = 0; i < CALLS; i++) {
		unsigned int vcpu;
		uint64_t x[8], x0 = 0, a;
		uint32_t fid = call_of(i, x, &vcpu);
		bool hit, elig;

		elig = (!r.r.command || r.r.command == fid) &&
		       (!(r.filters & INJ_F_VCPU) || vcpu == r.vcpu) &&
		       (!(r.filters & INJ_F_IPA) ||
			(inj_call_ipa(fid, x, &a) && a >= r.ipa_lo &&
			 a < r.ipa_hi)) &&
		       (!(r.filters & INJ_F_PA) ||
			(inj_call_pa(fid, x, &a) && a >= r.pa_lo &&
			 a < r.pa_hi));
		hit = injector_check(&j, fid, x, vcpu, &x0);
		if (hit && !elig)
			fail(text, "a call the rule does not name failed");
		if (!elig)
			continue;
		eligible++;
		if (!hit) {
			if (r.r.probability == 100 && r.r.interval == 1 &&
			    r.r.space <= 1 && r.r.times < 0)
				fail(text, "an eligible call passed");
			continue;
		}
		if (!fired++)
			first_fire = eligible;
		if (x0 != RMI_RETURN(r.r.status, r.r.index))
			fail(text, "returned another status");
	}
	if (r.r.times >= 0 && fired > (unsigned long)r.r.times)
		fail(text, "failed more calls than times=");
	if (fired && r.r.space > 1 && first_fire < (unsigned long)r.r.space)
		fail(text, "failed a call inside space=");
	if (fired && !r.r.probability)
		fail(text, "failed a call at probability=0");
	if (j.fired != fired)
		fail(text, "counted its failures wrong");
	injector_fini(&j);
	return 0;
}
