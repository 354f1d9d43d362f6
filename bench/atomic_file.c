// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: replacing a file atomically (temporary file in the same
 * directory, fsync, rename), so that a reader sees the old file or the
 * new one, never a part; a report directory as a whole (staging
 * directory, rename exchange); and removing what is temporary when a
 * signal ends the command (outfile.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "outfile.h"
#include "result.h"

/* ---- what a signal removes ----------------------------------------------------- */

#define TMP_SLOTS	16

static struct {
	volatile sig_atomic_t used;	/* 0 free, 1 a file, 2 a directory */
	char path[PATH_MAX];
} tmps[TMP_SLOTS];
static volatile pid_t tmp_child_pid;
static const int out_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static bool handlers_on;

/* Empty @fd's directory (and one level of directories in it). */
static void rm_contents(int fd, int depth)
{
	char buf[4096];
	bool removed = true;
	long n;

	/* until a pass over the entries removes none */
	while (removed) {
		removed = false;
		lseek(fd, 0, SEEK_SET);
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			unsigned char type;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			type = (unsigned char)buf[off + 18];
			off += reclen;
			if (name[0] == '.' && (!name[1] ||
					       (name[1] == '.' && !name[2])))
				continue;
			if (type == DT_DIR && depth > 0) {
				int sub = openat(fd, name, O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);

				if (sub >= 0) {
					rm_contents(sub, depth - 1);
					close(sub);
				}
				if (!unlinkat(fd, name, AT_REMOVEDIR))
					removed = true;
			} else if (!unlinkat(fd, name, 0)) {
				removed = true;
			}
		}
	}
}

/*
 * Stop the child's process group: SIGTERM (gnuplot can hang in its own
 * SIGINT handler), 2 s to go, then SIGKILL.
 */
static void stop_child(pid_t child)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	kill(-child, SIGTERM);
	kill(child, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(child, NULL, WNOHANG) != 0)
			return;
		nanosleep(&ts, NULL);
	}
	kill(-child, SIGKILL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/*
 * async-signal-safe: kill, waitpid, nanosleep, open, getdents64,
 * unlinkat, rmdir
 */
void out_signal_cleanup(void)
{
	int saved = errno;
	pid_t child = tmp_child_pid;

	if (child > 0)
		stop_child(child);
	for (int i = 0; i < TMP_SLOTS; i++) {
		if (tmps[i].used == 1) {
			unlink(tmps[i].path);
		} else if (tmps[i].used == 2) {
			int fd = open(tmps[i].path, O_RDONLY | O_DIRECTORY |
				      O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0) {
				rm_contents(fd, 2);
				close(fd);
			}
			rmdir(tmps[i].path);
		}
		tmps[i].used = 0;
	}
	errno = saved;
}

static void out_on_signal(int sig)
{
	int saved = errno;

	out_signal_cleanup();
	signal(sig, SIG_DFL);
	errno = saved;
	/* ends the command by the signal once the handler returns */
	raise(sig);
}

/* once; a signal the command was started with ignored stays ignored */
static void handlers_install(void)
{
	struct sigaction sa = { .sa_handler = out_on_signal }, old;

	if (handlers_on)
		return;
	handlers_on = true;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(out_sigs) / sizeof(out_sigs[0]); i++) {
		if (sigaction(out_sigs[i], NULL, &old))
			continue;
		if (old.sa_handler == SIG_IGN)
			continue;
		sigaction(out_sigs[i], &sa, NULL);
	}
}

void out_signals_block(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(out_sigs) / sizeof(out_sigs[0]); i++)
		sigaddset(&set, out_sigs[i]);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int out_tmp_add(const char *path, bool dir)
{
	handlers_install();
	if (strlen(path) >= PATH_MAX)
		return -1;
	for (int i = 0; i < TMP_SLOTS; i++) {
		if (tmps[i].used)
			continue;
		memcpy(tmps[i].path, path, strlen(path) + 1);
		tmps[i].used = dir ? 2 : 1;
		return i;
	}
	return -1;
}

void out_tmp_del(int handle)
{
	if (handle >= 0 && handle < TMP_SLOTS)
		tmps[handle].used = 0;
}

void out_tmp_child(pid_t pid)
{
	handlers_install();
	tmp_child_pid = pid;
}

/* ---- one file ------------------------------------------------------------------ */

static const char *kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "Is a directory";
	if (S_ISFIFO(m))
		return "Is a FIFO";
	if (S_ISCHR(m))
		return "Is a character device";
	if (S_ISBLK(m))
		return "Is a block device";
	if (S_ISSOCK(m))
		return "Is a socket";
	if (S_ISLNK(m))
		return "Is a symbolic link";
	return "Is not a regular file";
}

int out_check_file(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(why, whylen, "%s", kind_name(st.st_mode));
	return -1;
}

/* the directory a path is in ("." for a plain name) */
static void parent_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* @base (what follows a path's last '/') names a file */
static bool is_file_name(const char *base)
{
	return *base && strcmp(base, ".") && strcmp(base, "..");
}

/* @dir (a directory) takes a new file: one is made and removed again */
static int dir_takes_file(const char *dir, char *why, size_t whylen)
{
	char probe[PATH_MAX];
	int fd, e, h;

	if ((size_t)snprintf(probe, sizeof(probe), "%s/.rmibench-probe.XXXXXX",
			     dir) >= sizeof(probe)) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	out_signals_block(true);
	fd = mkstemp(probe);
	e = errno;
	h = fd >= 0 ? out_tmp_add(probe, false) : -1;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
		out_tmp_del(h);
	}
	out_signals_block(false);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a file in '%s': %s", dir,
			 strerror(e));
		return -1;
	}
	return 0;
}

int out_check_new_file(const char *path, char *why, size_t whylen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX], kind[64];
	struct stat st;

	if (!strcmp(path, OUT_STDOUT))
		return 0;
	if (!*path) {
		snprintf(why, whylen, "an empty name");
		return -1;
	}
	if (!is_file_name(base)) {
		snprintf(why, whylen, "not a file name");
		return -1;
	}
	if (out_check_file(path, kind, sizeof(kind))) {
		snprintf(why, whylen, "%s: want a regular file, a new name, "
			 "or - for stdout", kind);
		return -1;
	}
	if (strlen(path) >= sizeof(dir)) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	parent_of(path, dir, sizeof(dir));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "directory '%s' does not exist", dir);
		return -1;
	}
	return dir_takes_file(dir, why, whylen);
}

int out_check_dir(const char *dir, bool parents, char *why, size_t whylen)
{
	char up[PATH_MAX];
	struct stat st;

	if (!*dir) {
		snprintf(why, whylen, "an empty name");
		return -1;
	}
	if (!lstat(dir, &st)) {
		if (S_ISLNK(st.st_mode)) {
			snprintf(why, whylen, "Is a symbolic link: want the "
				 "directory itself");
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(why, whylen, "%s, not a directory",
				 kind_name(st.st_mode));
			return -1;
		}
		return dir_takes_file(dir, why, whylen);
	}
	if (errno != ENOENT) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	/* a new name: its parent (with @parents, the nearest that is
	 * there) takes it */
	if ((size_t)snprintf(up, sizeof(up), "%s", dir) >= sizeof(up)) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	do {
		char next[PATH_MAX];
		size_t n = strlen(up);

		while (n > 1 && up[n - 1] == '/')	/* "d/" is "d" */
			up[--n] = 0;
		parent_of(up, next, sizeof(next));
		memcpy(up, next, sizeof(up));
	} while (parents && stat(up, &st) && errno == ENOENT &&
		 strcmp(up, ".") && strcmp(up, "/"));
	if (stat(up, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "directory '%s' %s", up,
			 parents ? "is not a directory" : "does not exist");
		return -1;
	}
	return dir_takes_file(up, why, whylen);
}

static int write_stdout(const void *data, size_t len, char *err,
			size_t errlen)
{
	if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout))
		return errmsg(err, errlen, "standard output: %s",
			      strerror(errno));
	return 0;
}

/* remove the temporary file and forget it, the signals blocked */
static void tmp_drop(const char *tmp, int h)
{
	out_signals_block(true);
	unlink(tmp);
	out_tmp_del(h);
	out_signals_block(false);
}

int result_write_file_atomic(const char *path, const void *data, size_t len,
			     char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char tmp[PATH_MAX], dir[PATH_MAX], why[64];
	FILE *f;
	int fd, n, e, h;

	if (!strcmp(path, OUT_STDOUT))
		return write_stdout(data, len, err, errlen);
	if (!is_file_name(base))
		return errmsg(err, errlen, "%s: not a file name", path);
	if (out_check_file(path, why, sizeof(why)))
		return errmsg(err, errlen, "%s: %s: only a regular file is "
			      "replaced", path, why);
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", dirlen, path, base);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return errmsg(err, errlen, "%s: path too long", path);
	snprintf(dir, sizeof(dir), "%.*s", dirlen ? dirlen : 1,
		 dirlen ? path : ".");

	/* the file and its entry in the signal handler's list together */
	out_signals_block(true);
	fd = mkstemp(tmp);
	e = errno;
	h = fd >= 0 ? out_tmp_add(tmp, false) : -1;
	out_signals_block(false);
	if (fd < 0)
		return errmsg(err, errlen,
			      "%s: cannot create a temporary file in %s: %s",
			      path, dir, strerror(e));
	if (fchmod(fd, 0644)) {
		e = errno;
		close(fd);
		tmp_drop(tmp, h);
		return errmsg(err, errlen, "%s: chmod %s: %s", path, tmp,
			      strerror(e));
	}
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		tmp_drop(tmp, h);
		return errmsg(err, errlen, "%s: fdopen %s: %s", path, tmp,
			      strerror(e));
	}
	if (len && fwrite(data, 1, len, f) != len) {
		e = errno;
		fclose(f);
		tmp_drop(tmp, h);
		return errmsg(err, errlen, "%s: write %s: %s", path, tmp,
			      strerror(e));
	}
	if (fflush(f) || fsync(fd)) {
		e = errno;
		fclose(f);
		tmp_drop(tmp, h);
		return errmsg(err, errlen, "%s: flush %s: %s", path, tmp,
			      strerror(e));
	}
	if (fclose(f)) {
		e = errno;
		tmp_drop(tmp, h);
		return errmsg(err, errlen, "%s: close %s: %s", path, tmp,
			      strerror(e));
	}
	/* the name may have become something else meanwhile: look again */
	out_signals_block(true);
	if (out_check_file(path, why, sizeof(why))) {
		unlink(tmp);
		out_tmp_del(h);
		out_signals_block(false);
		return errmsg(err, errlen, "%s: %s: only a regular file is "
			      "replaced", path, why);
	}
	if (rename(tmp, path)) {
		e = errno;
		unlink(tmp);
		out_tmp_del(h);
		out_signals_block(false);
		return errmsg(err, errlen, "%s: cannot replace it with %s: %s",
			      path, tmp, strerror(e));
	}
	out_tmp_del(h);
	out_signals_block(false);
	/* make the rename itself durable; not all file systems can */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* ---- a report directory as a whole -------------------------------------------- */

/* "a/b" into @buf (PATH_MAX bytes); -1 if it does not fit */
static int join(char *buf, const char *a, const char *b)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", a, b);

	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}


/* @from into @to as a copy, with its mode: where a hard link cannot be */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	struct stat st;
	int in, out, ret = -1;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (in < 0)
		return -1;
	if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
		close(in);
		errno = EINVAL;
		return -1;
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		   st.st_mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto out;
	if (!n && !fsync(out))
		ret = 0;
out:
	close(in);
	if (close(out))
		ret = -1;
	return ret;
}

static void stage_remove(struct out_dir *d)
{
	int fd = open(d->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		      O_CLOEXEC);

	if (fd >= 0) {
		rm_contents(fd, 2);
		close(fd);
	}
	rmdir(d->stage);
}

void out_dir_abort(struct out_dir *d)
{
	if (!d->stage[0])
		return;
	out_signals_block(true);
	stage_remove(d);
	out_tmp_del(d->handle);
	out_signals_block(false);
	d->stage[0] = 0;
}

/* Carry what @d->drop does not claim from @d->dir into the stage. */
static int carry(struct out_dir *d, char *err, size_t errlen)
{
	DIR *dp = opendir(d->dir);
	struct dirent *e;
	int ret = 0;

	if (!dp)
		return errmsg(err, errlen, "%s: %s", d->dir, strerror(errno));
	while (!ret && (e = readdir(dp))) {
		char from[PATH_MAX], to[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (join(from, d->dir, e->d_name) ||
		    join(to, d->stage, e->d_name)) {
			ret = errmsg(err, errlen, "%s/%s: path too long",
				     d->dir, e->d_name);
			break;
		}
		if (lstat(from, &st)) {
			if (errno == ENOENT)
				continue;	/* gone meanwhile */
			ret = errmsg(err, errlen, "%s: %s", from,
				     strerror(errno));
			break;
		}
		if (!S_ISREG(st.st_mode)) {
			ret = errmsg(err, errlen, "%s: %s: a report directory "
				     "is replaced as a whole and holds regular "
				     "files only", from, kind_name(st.st_mode));
			break;
		}
		if (d->drop && d->drop(e->d_name))
			continue;
		if (link(from, to) && copy_file(from, to))
			ret = errmsg(err, errlen, "%s: cannot carry it into %s: %s",
				     from, d->stage, strerror(errno));
	}
	closedir(dp);
	return ret;
}

int out_dir_begin(struct out_dir *d, const char *dir,
		  bool (*drop)(const char *name), char *err, size_t errlen)
{
	char parent[PATH_MAX];
	const char *base;
	struct stat st;
	size_t n;
	int e;

	memset(d, 0, sizeof(*d));
	d->handle = -1;
	d->drop = drop;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n + 16 >= sizeof(d->dir))
		return errmsg(err, errlen, "%s: path too long", dir);
	memcpy(d->dir, dir, n);
	d->dir[n] = 0;
	base = strrchr(d->dir, '/');
	base = base ? base + 1 : d->dir;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return errmsg(err, errlen, "%s: name the directory itself "
			      "(not . or ..): it is replaced as a whole", dir);
	if (lstat(d->dir, &st)) {
		if (errno != ENOENT)
			return errmsg(err, errlen, "%s: %s", dir,
				      strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return errmsg(err, errlen, "%s: %s, not a directory", dir,
			      kind_name(st.st_mode));
	} else {
		d->existed = true;
	}
	parent_of(d->dir, parent, sizeof(parent));
	if (strlen(parent) + strlen(base) + 10 >= sizeof(d->stage))
		return errmsg(err, errlen, "%s: path too long", dir);
	snprintf(d->stage, sizeof(d->stage), "%.*s/.%.*s.XXXXXX",
		 PATH_MAX / 2, parent, PATH_MAX / 2 - 16, base);

	out_signals_block(true);
	if (!mkdtemp(d->stage)) {
		e = errno;
		out_signals_block(false);
		d->stage[0] = 0;
		return errmsg(err, errlen, "%s: cannot make a staging "
			      "directory in %s: %s", dir, parent, strerror(e));
	}
	d->handle = out_tmp_add(d->stage, true);
	out_signals_block(false);
	if (d->existed) {
		/* the new directory as the old one was */
		if (chmod(d->stage, st.st_mode & 07777) ||
		    (geteuid() == 0 && (st.st_uid || st.st_gid) &&
		     chown(d->stage, st.st_uid, st.st_gid))) {
			e = errno;
			out_dir_abort(d);
			return errmsg(err, errlen, "%s: cannot give the staging "
				      "directory its mode or owner: %s", dir,
				      strerror(e));
		}
		if (carry(d, err, errlen)) {
			out_dir_abort(d);
			return -1;
		}
	} else {
		chmod(d->stage, 0755);
	}
	return 0;
}

/*
 * After the exchange @old holds the old directory: remove what the new
 * one has (under the same name) or @drop claims; move anything else (a
 * file that arrived after the files were carried) into the new one.
 */
static void clean_old(struct out_dir *d, const char *old)
{
	DIR *dp = opendir(old);
	struct dirent *e;
	bool kept = false;

	if (!dp)
		return;
	while ((e = readdir(dp))) {
		char from[PATH_MAX], to[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (join(from, old, e->d_name) || join(to, d->dir, e->d_name)) {
			kept = true;
			continue;
		}
		if (!lstat(to, &st) || (d->drop && d->drop(e->d_name))) {
			if (unlink(from))
				kept = true;
		} else if (rename(from, to)) {
			kept = true;
		}
	}
	closedir(dp);
	if (kept || rmdir(old))
		errmsg_print("rmibench: %s: the old files are left in %s", d->dir,
			     old);
}

static bool in_list(char **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

/*
 * Where no exchange is possible: each file of the stage into @d->dir,
 * then the old files @d->drop claims that the new set does not have.
 */
static int commit_by_file(struct out_dir *d, char *err, size_t errlen)
{
	char **moved = NULL, **nv;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int ret = 0;
	DIR *dp;

	dp = opendir(d->stage);
	if (!dp)
		return errmsg(err, errlen, "%s: %s", d->stage, strerror(errno));
	while (!ret && (e = readdir(dp))) {
		char from[PATH_MAX], to[PATH_MAX];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (join(from, d->stage, e->d_name) ||
		    join(to, d->dir, e->d_name)) {
			ret = errmsg(err, errlen, "%s/%s: path too long", d->dir,
				     e->d_name);
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(moved, cap * sizeof(*moved));
			if (!nv) {
				ret = errmsg(err, errlen, "%s: out of memory",
					     d->dir);
				break;
			}
			moved = nv;
		}
		moved[n] = strdup(e->d_name);
		if (!moved[n]) {
			ret = errmsg(err, errlen, "%s: out of memory", d->dir);
			break;
		}
		n++;
		if (rename(from, to))
			ret = errmsg(err, errlen, "%s: %s", to, strerror(errno));
	}
	closedir(dp);
	dp = ret ? NULL : opendir(d->dir);
	while (dp && (e = readdir(dp))) {
		char p[PATH_MAX];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !d->drop || !d->drop(e->d_name) ||
		    in_list(moved, n, e->d_name))
			continue;
		if (!join(p, d->dir, e->d_name))
			unlink(p);
	}
	if (dp)
		closedir(dp);
	for (size_t i = 0; i < n; i++)
		free(moved[i]);
	free(moved);
	return ret;
}

int out_dir_commit(struct out_dir *d, char *err, size_t errlen)
{
	char parent[PATH_MAX];
	int e, ret = 0;

	parent_of(d->dir, parent, sizeof(parent));
	out_signals_block(true);
	if (!d->existed) {
		if (renameat2(AT_FDCWD, d->stage, AT_FDCWD, d->dir,
			      RENAME_NOREPLACE) &&
		    (errno != EINVAL || rename(d->stage, d->dir))) {
			e = errno;
			ret = errmsg(err, errlen, "%s: cannot put the new "
				     "directory in place: %s", d->dir,
				     strerror(e));
			stage_remove(d);
		}
		out_tmp_del(d->handle);
	} else if (!renameat2(AT_FDCWD, d->stage, AT_FDCWD, d->dir,
			      RENAME_EXCHANGE)) {
		/* d->stage now names the old directory: no longer ours */
		out_tmp_del(d->handle);
		clean_old(d, d->stage);
	} else {
		e = errno;
		errmsg_print("rmibench: %s: replaced file by file (the "
			     "directories cannot be exchanged: %s)", d->dir,
			     strerror(e));
		ret = commit_by_file(d, err, errlen);
		stage_remove(d);
		out_tmp_del(d->handle);
	}
	out_signals_block(false);
	d->stage[0] = 0;
	fsync_dir(parent);
	return ret;
}
