/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: where output goes. A file is written to a temporary file
 * beside it and renamed over it (result_write_file_atomic(), result.h); a
 * report directory is written as a whole into a staging directory beside
 * it and swapped in. Only regular files are replaced; a name that is a
 * directory, a device, a FIFO, a socket or a symbolic link is refused.
 * Temporary files and staging directories are removed when SIGINT,
 * SIGTERM or SIGHUP ends the command, which then ends by that signal
 * (a shell shows 130, 143 or 129).
 */
#ifndef RMIBENCH_OUTFILE_H
#define RMIBENCH_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define OUT_STDOUT	"-"	/* as a file name: standard output */

/*
 * 0 if @path may be written: it does not exist or is a regular file.
 * Else -1 with "Is a directory" (a FIFO, a character device, a block
 * device, a socket, a symbolic link) in @why.
 */
int out_check_file(const char *path, char *why, size_t whylen);

/*
 * Before a command does its work: 0 if @path can take an output file
 * (or is "-"): a file name, not a directory, device, FIFO, socket or
 * symbolic link, in an existing directory where a file can be made (a
 * file is made there and removed). Else -1 with one phrase in @why.
 */
int out_check_new_file(const char *path, char *why, size_t whylen);
/*
 * The same for an output directory: @dir is a directory (not a symbolic
 * link to one) that takes a new file, or a new name in one that does
 * (with @parents: in the nearest directory above it that is there, for a
 * command that makes the ones between).
 */
int out_check_dir(const char *dir, bool parents, char *why, size_t whylen);

/*
 * Temporary files and directories to remove if a signal ends the
 * command: out_tmp_add() returns a handle (-1 if all are taken: then
 * nothing is removed for it), out_tmp_del() forgets it. Call both with
 * the signals blocked (out_signals_block()), so that the file and its
 * entry come and go together.
 */
int out_tmp_add(const char *path, bool dir);
void out_tmp_del(int handle);
/* A child (its process group) to pass the signal to and wait for first. */
void out_tmp_child(pid_t pid);
void out_signals_block(bool block);

/*
 * What the signal handler does before the command ends: stop the child,
 * remove the temporary files and directories. Async-signal-safe, for
 * another signal handler that takes a signal over (the kernel backend's,
 * which puts the host's knobs back first).
 */
void out_signal_cleanup(void);

/*
 * A report directory being written: out_dir_begin() makes the staging
 * directory @d->stage beside @dir and carries into it (as hard links,
 * else copies) every file of @dir that @drop does not claim (the old
 * report's files; for a matrix with --fresh, its result files too).
 * Everything is then written into @d->stage; out_dir_commit() puts it in
 * @dir's place at once (a rename exchange; where the file system cannot,
 * file by file, said on stderr) and removes the old files;
 * out_dir_abort() removes the staging directory and leaves @dir as it
 * was. @dir must be a directory that holds regular files only, or not
 * exist (it is then made). Each returns 0, or -1 with one line in @err.
 */
struct out_dir {
	char dir[4096];		/* the report directory, as given */
	char stage[4096];	/* where to write */
	bool (*drop)(const char *name);
	bool existed;
	int handle;
};

int out_dir_begin(struct out_dir *d, const char *dir,
		  bool (*drop)(const char *name), char *err, size_t errlen);
int out_dir_commit(struct out_dir *d, char *err, size_t errlen);
void out_dir_abort(struct out_dir *d);

#endif /* RMIBENCH_OUTFILE_H */
