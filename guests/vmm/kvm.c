// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench VMM: the ioctl layer. A dry run prints each call, with its
 * arguments decoded, and returns what a successful call would (a made-up
 * descriptor for calls that create one), so that the whole set-up of a
 * normal VM or a realm can be read and tested on a machine without KVM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm.h"

void vmm_step(struct vmm *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->o.dry_run)
		return;
	fputs("dry-run: ", v->log);
	va_start(ap, fmt);
	vfprintf(v->log, fmt, ap);
	va_end(ap);
	fputc('\n', v->log);
}

int vmm_open_kvm(struct vmm *v)
{
	if (v->o.dry_run) {
		vmm_step(v, "open /dev/kvm O_RDWR");
		return v->kvm_fd = (int)v->next_fake_fd++;
	}
	v->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	return v->kvm_fd;
}

long vmm_ioctl(struct vmm *v, int fd, const char *fdname, unsigned long req,
	       const char *reqname, void *arg, long dry_ret, const char *fmt,
	       ...)
{
	char desc[256] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(desc, sizeof(desc), fmt, ap);
		va_end(ap);
	}
	if (v->o.dry_run) {
		vmm_step(v, "ioctl %s %s%s%s", fdname, reqname,
			 desc[0] ? " " : "", desc);
		return dry_ret;
	}
	return ioctl(fd, req, arg);
}
