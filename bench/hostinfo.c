// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the machine a run was made on: hostname, kernel release, CPU
 * model and online CPUs.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "hostinfo.h"

static void read_cpu_model(char *buf, size_t len, const char *fallback)
{
	static const char *const keys[] = { "model name", "Model", "Hardware" };
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	snprintf(buf, len, "%s", fallback);
	if (!f)
		return;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);

		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			char *v = strchr(line, ':');

			if (strncmp(line, keys[k], kl) || !v ||
			    strspn(line + kl, " \t") != (size_t)(v - line - kl))
				continue;
			v++;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			if (*v) {
				snprintf(buf, len, "%s", v);
				fclose(f);
				return;
			}
		}
	}
	fclose(f);
}

/* copy, cutting what does not fit */
static void copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

void host_info_get(struct result_meta *m)
{
	struct utsname u;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char host[256];

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = 0;
	copy_cut(m->hostname, sizeof(m->hostname), host);
	if (uname(&u)) {
		snprintf(u.release, sizeof(u.release), "unknown");
		snprintf(u.machine, sizeof(u.machine), "unknown");
	}
	copy_cut(m->kernel, sizeof(m->kernel), u.release);
	read_cpu_model(m->cpu, sizeof(m->cpu), u.machine);
	m->nproc = n > 0 ? (unsigned int)n : 0;
}
