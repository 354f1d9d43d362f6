// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sim's USDT probes against the event schema (include/rmi_events.h):
 * every event is a probe of provider "rmibench" in the rmibench binary,
 * with as many arguments as the schema has fields, guarded by a semaphore;
 * and there is no probe the schema does not know. Reads the ELF notes
 * with readelf, as a BPF tool's USDT attach would find them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "rmi_events.h"

#define COUNT_(type, name) + 1
#define EV_(name, fields) { #name, 0 fields(COUNT_) },
static const struct { const char *name; int nargs; } schema[] = {
	RMI_EVENTS(EV_)
};
#define NEV	(sizeof(schema) / sizeof(schema[0]))

TEST(usdt_probes_match_the_schema)
{
	const char *bin = getenv("RMIBENCH") ? getenv("RMIBENCH") :
					       "build/rmibench";
	char cmd[512], line[1024], provider[64] = "", name[64] = "";
	int seen[NEV] = { 0 }, unknown = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "readelf -n %s", bin);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if ((p = strstr(line, "Provider: ")))
			sscanf(p + 10, "%63s", provider);
		else if ((p = strstr(line, "Name: ")) && !strstr(line, "Owner"))
			sscanf(p + 6, "%63s", name);
		else if (strstr(line, "Semaphore: ")) {
			ASSERT_EQ(NULL, strstr(line, "Semaphore: 0x0000000000000000"));
		} else if ((p = strstr(line, "Arguments: "))) {
			int n = 0;
			size_t i;

			ASSERT_STREQ("rmibench", provider);
			for (p += 11; *p && *p != '\n'; p++)
				if (*p == '@')
					n++;
			for (i = 0; i < NEV; i++)
				if (!strcmp(schema[i].name, name))
					break;
			if (i == NEV) {
				TH_LOG("probe %s is not in the schema", name);
				unknown++;
				continue;
			}
			if (n != schema[i].nargs)
				TH_LOG("probe %s has %d arguments, the schema %d",
				       name, n, schema[i].nargs);
			ASSERT_EQ(schema[i].nargs, n);
			seen[i]++;
		}
	}
	ASSERT_EQ(0, pclose(f));
	ASSERT_EQ(0, unknown);
	for (size_t i = 0; i < NEV; i++) {
		if (!seen[i])
			TH_LOG("no probe for event %s", schema[i].name);
		ASSERT_LT(0, seen[i]);
	}
}

TEST_HARNESS_MAIN
