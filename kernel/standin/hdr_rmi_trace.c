// SPDX-License-Identifier: GPL-2.0-only
/* Stand-in: asm/rmi_trace.h compiles on its own, first in a unit. */
#include <asm/rmi_trace.h>
