// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: replacing a file atomically (temporary file in the same
 * directory, fsync, rename), so that a reader sees the old file or the
 * new one, never a part.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "result.h"

int result_write_file_atomic(const char *path, const void *data, size_t len,
			     char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *f;
	int fd, n, e;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return errmsg(err, errlen, "%s: not a file name", path);
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", dirlen, path, base);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return errmsg(err, errlen, "%s: path too long", path);
	snprintf(dir, sizeof(dir), "%.*s", dirlen ? dirlen : 1,
		 dirlen ? path : ".");

	fd = mkstemp(tmp);
	if (fd < 0)
		return errmsg(err, errlen,
			      "%s: cannot create a temporary file in %s: %s",
			      path, dir, strerror(errno));
	if (fchmod(fd, 0644)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return errmsg(err, errlen, "%s: chmod %s: %s", path, tmp,
			      strerror(e));
	}
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		unlink(tmp);
		return errmsg(err, errlen, "%s: fdopen %s: %s", path, tmp,
			      strerror(e));
	}
	if (len && fwrite(data, 1, len, f) != len) {
		e = errno;
		fclose(f);
		unlink(tmp);
		return errmsg(err, errlen, "%s: write %s: %s", path, tmp,
			      strerror(e));
	}
	if (fflush(f) || fsync(fd)) {
		e = errno;
		fclose(f);
		unlink(tmp);
		return errmsg(err, errlen, "%s: flush %s: %s", path, tmp,
			      strerror(e));
	}
	if (fclose(f)) {
		e = errno;
		unlink(tmp);
		return errmsg(err, errlen, "%s: close %s: %s", path, tmp,
			      strerror(e));
	}
	if (rename(tmp, path)) {
		e = errno;
		unlink(tmp);
		return errmsg(err, errlen, "%s: cannot replace it with %s: %s",
			      path, tmp, strerror(e));
	}
	/* make the rename itself durable; not all file systems can */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}
