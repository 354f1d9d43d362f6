/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: RMI error-injection rules, shared by the sim's host call site
 * (sim/inject) and the kernel's fail_rmi fault attribute (kernel/ patch 4). The field
 * names and meanings are the same in both, after the kernel's fault_attr:
 *
 *   command      RMI function id the rule applies to; 0 = any command
 *   status       status to return instead of running the command
 *   index        index to return with it (x0 bits [15:8])
 *   probability  percent of eligible calls that fail, 0..100
 *   interval     only every interval-th eligible call may fail (>= 1)
 *   times        failures left; -1 = no limit
 *   space        a budget, one per eligible call: calls pass while it is
 *                above 1 (space N lets N - 1 through), as should_fail()
 *                with size 1
 *
 * A call is eligible when it matches command (the sim adds filters by
 * IPA, PA and vCPU: sim/inject/inject.h). Order of the checks, as in
 * should_fail(): times, space, interval, probability. An injected failure
 * returns the status and index with every other output register zero.
 */
#ifndef RMIBENCH_RMI_INJECT_H
#define RMIBENCH_RMI_INJECT_H

struct rmi_inject_rule {
	unsigned int command;
	unsigned int status;
	unsigned int index;
	unsigned int probability;
	unsigned long interval;
	long times;
	long space;
};

#endif /* RMIBENCH_RMI_INJECT_H */
