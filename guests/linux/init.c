// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench initramfs /init: mounts /proc, /sys, /dev (devtmpfs), tracefs
 * and debugfs, opens the console, and runs the program named by its first
 * argument (the kernel passes what follows "--" on its command line) with
 * the rest, as PID 1: `... rdinit=/init -- /bin/guest --vcpus 2`. The
 * program powers the machine off; if it returns instead, so does /init.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_mount(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL))
		dprintf(2, "init: mount %s on %s failed\n", type, dir);
}

int main(int argc, char **argv)
{
	int fd;

	try_mount("proc", "/proc", "proc");
	try_mount("sysfs", "/sys", "sysfs");
	try_mount("devtmpfs", "/dev", "devtmpfs");
	try_mount("tracefs", "/sys/kernel/tracing", "tracefs");
	try_mount("debugfs", "/sys/kernel/debug", "debugfs");
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (argc < 2) {
		dprintf(2, "init: no program given (append '-- /bin/PROG ARGS')\n");
	} else {
		execv(argv[1], argv + 1);
		dprintf(2, "init: cannot run %s\n", argv[1]);
	}
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
