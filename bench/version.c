// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the version, `git describe` at build time. This file alone is
 * rebuilt on every build, so the version never lags behind the tree.
 */
#include "cli.h"

const char rmibench_version[] = RMIBENCH_VERSION;
