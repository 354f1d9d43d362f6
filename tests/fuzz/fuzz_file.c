// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzzing: the fuzz input as a file (fuzz_file.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_file.h"

const char *fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("rmibench-fuzz", MFD_CLOEXEC);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0))
		abort();
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	return path;
}

static char dir[64];

static void remove_dir(void)
{
	char path[128];
	const char *const names[] = {
		"r.json", "matrix.json", "matrix.md", "heatmap.tsv", "cell.json",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

const char *fuzz_dir(void)
{
	const char *given = getenv("RMIBENCH_FUZZ_DIR");

	/* run-fuzz makes one and removes it, whatever way the target ends */
	if (!dir[0] && given && *given &&
	    (size_t)snprintf(dir, sizeof(dir), "%s", given) < sizeof(dir))
		return dir;
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/rmibench-fuzz.XXXXXX",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_dir);
	}
	return dir;
}
