/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench fuzzing: the readers take a path; the fuzz input becomes a
 * file without touching the disk (a memfd, named by /proc/self/fd/N), so
 * the reader's own open, fstat and read run as they do for a user's file.
 */
#ifndef RMIBENCH_FUZZ_FILE_H
#define RMIBENCH_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

/* A path whose file holds exactly @data; the same file every call. */
const char *fuzz_file(const uint8_t *data, size_t size);

/*
 * A directory of the fuzz target's own: $RMIBENCH_FUZZ_DIR, which
 * run-fuzz makes (in /dev/shm where it can, so that the writers' fsync
 * costs nothing) and removes however the target ends; else one made here
 * and removed at exit. The targets write only the files fuzz_file.c
 * names there.
 */
const char *fuzz_dir(void);

#endif /* RMIBENCH_FUZZ_FILE_H */
