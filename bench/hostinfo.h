/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the machine a run was made on, for the result file.
 */
#ifndef RMIBENCH_HOSTINFO_H
#define RMIBENCH_HOSTINFO_H

#include "result.h"

/*
 * Fill @m's hostname, kernel (uname release), cpu (/proc/cpuinfo, else the
 * machine type) and nproc (online CPUs), each cut to its field's size.
 */
void host_info_get(struct result_meta *m);

#endif /* RMIBENCH_HOSTINFO_H */
