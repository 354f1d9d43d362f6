// SPDX-License-Identifier: GPL-2.0-only
/*
 * Print the event schema of include/rmi_events.h, one event a line:
 *
 *   system NAME
 *   name type:field type:field ...
 *
 * with the trace system first, then the events in the order of RMI_EVENTS
 * and their fields in order. The kernel check compares this with what
 * scripts/trace-schema reads from the trace header of the patch series.
 */
#include <stdio.h>

#include "rmi_events.h"

#define STR_(x)			#x
#define STR(x)			STR_(x)

#define PRINT_FIELD(type, name)	printf(" %s:%s", #type, #name);
#define PRINT_EVENT(name, fields)		\
	do {					\
		printf("%s", #name);		\
		fields(PRINT_FIELD)		\
		printf("\n");			\
	} while (0);

int main(void)
{
	printf("system %s\n", STR(RMI_EV_TRACE_SYSTEM));
	RMI_EVENTS(PRINT_EVENT)
	return ferror(stdout) ? 1 : 0;
}
