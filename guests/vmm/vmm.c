// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench VMM: creates a normal VM or a realm, one memslot for the guest
 * image, its configuration and stacks, one for the workload region, a
 * thread per vCPU, runs the bare-metal guest and decodes its MMIO reports.
 * Stage-2 faults are counted per vCPU thread with a perf counter on the
 * kvm:kvm_guest_fault tracepoint, filtered to the workload's IPA range
 * (guests/README.md). Output: one JSON line per vCPU, then a summary line,
 * each starting with {"vmm": so that they can be picked out of a console.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "kvm_defs.h"
#include "vmm.h"
#include "wl_cli.h"

#define CODE_IPA	0x10000000ull		/* the code memslot */
#define CODE_SLOT_SIZE	(2ull << 20)
#define MMIO_IPA	0x0a000000ull		/* report registers */
#define GICD_IPA	0x08000000ull		/* realm: VGICv3 */
#define GICR_IPA	0x080a0000ull
#define GIC_END		0x09000000ull

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void hist_add(struct vmm_hist *h, uint64_t ns)
{
	unsigned int b = ns ? 63u - (unsigned int)__builtin_clzll(ns) : 0;

	if (b >= BARE_HIST_BUCKETS)
		b = BARE_HIST_BUCKETS - 1;
	h->bucket[b]++;
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum += ns;
}

static int fail(struct vmm *v, const char *what)
{
	fprintf(stderr, "vmm: %s: %s\n", what, strerror(errno));
	(void)v;
	return -1;
}

/* ---- stage-2 fault counting ------------------------------------------ */

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void find_tracepoint(struct vmm *v)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events/kvm/kvm_guest_fault",
		"/sys/kernel/debug/tracing/events/kvm/kvm_guest_fault",
	};
	char path[160], buf[4096], *end;
	long id;

	v->tp_id = -1;
	if (v->o.no_perf) {
		snprintf(v->fault_source, sizeof(v->fault_source),
			 "none: --no-perf");
		return;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/id", dirs[i]);
		if (read_small(path, buf, sizeof(buf)))
			continue;
		errno = 0;
		id = strtol(buf, &end, 10);
		if (errno || end == buf || id < 0 || id > INT32_MAX)
			continue;
		v->tp_id = (int)id;
		snprintf(path, sizeof(path), "%s/format", dirs[i]);
		v->tp_filter = !read_small(path, buf, sizeof(buf)) &&
			       strstr(buf, " ipa;");
		snprintf(v->fault_source, sizeof(v->fault_source),
			 "perf counter on kvm:kvm_guest_fault per vCPU thread%s",
			 v->tp_filter ? ", filtered to the workload's IPA range" :
			 " (no ipa field: every guest abort)");
		return;
	}
	snprintf(v->fault_source, sizeof(v->fault_source),
		 "none: no kvm:kvm_guest_fault tracepoint (tracefs not mounted, or not an arm64 KVM host)");
}

static int perf_open(struct vmm *v, const char *filter)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)v->tp_id;
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter)) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint64_t perf_read(int fd)
{
	uint64_t c = 0;

	if (fd < 0 || read(fd, &c, sizeof(c)) != sizeof(c))
		return 0;
	return c;
}

/* ---- the vCPU threads ------------------------------------------------- */

static void vcpu_mmio(struct vmm_vcpu *c, struct kvm_run *run)
{
	struct vmm *v = c->vm;
	uint64_t off = run->mmio.phys_addr - v->mmio_base, val = 0;

	if (!run->mmio.is_write) {
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	memcpy(&val, run->mmio.data,
	       run->mmio.len < 8 ? run->mmio.len : 8);
	if (run->mmio.phys_addr < v->mmio_base || off >= BARE_MMIO_SIZE) {
		snprintf(c->error, sizeof(c->error),
			 "MMIO write to 0x%llx, outside the report page",
			 (unsigned long long)run->mmio.phys_addr);
		c->exited = true;
		return;
	}
	if (off >= BARE_REG_HIST) {
		if ((off - BARE_REG_HIST) / 8 < BARE_HIST_BUCKETS)
			c->first_bucket[(off - BARE_REG_HIST) / 8] = val;
		return;
	}
	if (off >= BARE_REG_STAT) {
		if ((off - BARE_REG_STAT) / 8 < BARE_STAT_COUNT)
			c->stat[(off - BARE_REG_STAT) / 8] = val;
		return;
	}
	switch (off) {
	case BARE_REG_START:
		c->started = true;
		c->pf0 = perf_read(c->pf_fd);
		c->ab0 = perf_read(c->ab_fd);
		break;
	case BARE_REG_TOUCH:
		hist_add(&c->touch, val);
		break;
	case BARE_REG_DONE:
		c->done = true;
		if (c->pf_fd >= 0)
			c->s2_faults = (int64_t)(perf_read(c->pf_fd) - c->pf0);
		if (c->ab_fd >= 0)
			c->aborts = (int64_t)(perf_read(c->ab_fd) - c->ab0);
		break;
	case BARE_REG_ERROR:
		snprintf(c->error, sizeof(c->error), "guest error %llu (%s)",
			 (unsigned long long)val,
			 val == BARE_ERR_MAGIC ? "no configuration" :
			 val == BARE_ERR_CONFIG ? "workload refused" :
			 val == BARE_ERR_VCPU ? "vCPU index" : "unknown");
		break;
	case BARE_REG_EXIT:
		c->exited = true;
		break;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vmm_vcpu *c = arg;
	struct vmm *v = c->vm;
	struct kvm_run *run = c->run;
	char filter[96];

	c->pf_fd = c->ab_fd = -1;
	if (v->tp_id >= 0) {
		snprintf(filter, sizeof(filter), "ipa >= 0x%llx && ipa < 0x%llx",
			 (unsigned long long)v->work.ipa,
			 (unsigned long long)(v->work.ipa + v->work.size));
		if (v->tp_filter)
			c->pf_fd = perf_open(v, filter);
		c->ab_fd = perf_open(v, NULL);
	}
	while (!v->stop && !c->exited) {
		uint64_t t0 = now_ns();
		int r = ioctl(c->fd, KVM_RUN, 0);

		c->run_ns += now_ns() - t0;
		c->runs++;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				c->exits[VMM_EXIT_INTR]++;
				continue;
			}
			snprintf(c->error, sizeof(c->error), "KVM_RUN: %s",
				 strerror(errno));
			break;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			c->exits[VMM_EXIT_MMIO]++;
			vcpu_mmio(c, run);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			c->exits[VMM_EXIT_SYSTEM_EVENT]++;
			c->exited = true;
			break;
		case KVM_EXIT_FAIL_ENTRY:
			c->exits[VMM_EXIT_FAIL_ENTRY]++;
			snprintf(c->error, sizeof(c->error),
				 "KVM_EXIT_FAIL_ENTRY, reason 0x%llx",
				 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			c->exited = true;
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			c->exits[VMM_EXIT_INTERNAL_ERROR]++;
			snprintf(c->error, sizeof(c->error),
				 "KVM_EXIT_INTERNAL_ERROR, suberror %u",
				 run->internal.suberror);
			c->exited = true;
			break;
		default:
			c->exits[VMM_EXIT_OTHER]++;
			snprintf(c->error, sizeof(c->error),
				 "unexpected exit reason %u", run->exit_reason);
			c->exited = true;
			break;
		}
	}
	if (c->pf_fd >= 0)
		close(c->pf_fd);
	if (c->ab_fd >= 0)
		close(c->ab_fd);
	__atomic_add_fetch(&v->finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void on_kick(int sig)
{
	(void)sig;
}

/* ---- set-up ------------------------------------------------------------ */

/* A capability's value; a dry run assumes @dry (present, big enough). */
static int check_cap(struct vmm *v, int fd, const char *fdname,
		     unsigned int cap, const char *capname, long dry)
{
	long r = vmm_ioctl(v, fd, fdname, KVM_CHECK_EXTENSION,
			   "KVM_CHECK_EXTENSION", (void *)(uintptr_t)cap, dry,
			   "%s=%u", capname, cap);

	return r > 0 ? (int)r : 0;
}

static int map_slot(struct vmm *v, struct vmm_slot *s, const char *name)
{
	uint64_t align = 2ull << 20;
	char *raw;

	if (v->o.dry_run) {
		vmm_step(v, "mmap %s: %llu bytes anonymous, 2 MiB aligned", name,
			 (unsigned long long)s->size);
		return 0;
	}
	s->map_len = s->size + align;
	raw = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return fail(v, "mmap");
	s->host = (void *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	/* unmap the slack so that the region is exactly the slot */
	if (s->host != raw)
		munmap(raw, (size_t)((char *)s->host - raw));
	if ((char *)s->host + s->size < raw + s->map_len)
		munmap((char *)s->host + s->size,
		       (size_t)(raw + s->map_len - ((char *)s->host + s->size)));
	s->map_len = s->size;
	return 0;
}

static int add_slot(struct vmm *v, struct vmm_slot *s, const char *name,
		    bool gmem)
{
	if (map_slot(v, s, name))
		return -1;
	if (!gmem) {
		struct kvm_userspace_memory_region r = {
			.slot = s->id,
			.guest_phys_addr = s->ipa,
			.memory_size = s->size,
			.userspace_addr = (uintptr_t)s->host,
		};

		s->gmem_fd = -1;
		if (vmm_ioctl(v, v->vm_fd, "vm", KVM_SET_USER_MEMORY_REGION,
			      "KVM_SET_USER_MEMORY_REGION", &r, 0,
			      "slot=%u (%s) ipa=0x%llx size=0x%llx anonymous",
			      s->id, name, (unsigned long long)s->ipa,
			      (unsigned long long)s->size))
			return fail(v, "KVM_SET_USER_MEMORY_REGION");
		return 0;
	}
	{
		struct vmm_create_guest_memfd g = { .size = s->size };
		struct vmm_memory_region2 r = {
			.slot = s->id,
			.flags = VMM_MEM_GUEST_MEMFD,
			.guest_phys_addr = s->ipa,
			.memory_size = s->size,
			.userspace_addr = (uintptr_t)s->host,
		};
		struct vmm_memory_attributes a = {
			.address = s->ipa,
			.size = s->size,
			.attributes = VMM_MEMORY_ATTRIBUTE_PRIVATE,
		};
		long fd;

		fd = vmm_ioctl(v, v->vm_fd, "vm", VMM_CREATE_GUEST_MEMFD,
			       "KVM_CREATE_GUEST_MEMFD", &g,
			       (long)v->next_fake_fd++, "size=0x%llx (%s)",
			       (unsigned long long)s->size, name);
		if (fd < 0)
			return fail(v, "KVM_CREATE_GUEST_MEMFD");
		s->gmem_fd = (int)fd;
		r.guest_memfd = (uint32_t)fd;
		if (vmm_ioctl(v, v->vm_fd, "vm", VMM_SET_USER_MEMORY_REGION2,
			      "KVM_SET_USER_MEMORY_REGION2", &r, 0,
			      "slot=%u (%s) ipa=0x%llx size=0x%llx flags=GUEST_MEMFD guest_memfd=%s offset=0",
			      s->id, name, (unsigned long long)s->ipa,
			      (unsigned long long)s->size, name))
			return fail(v, "KVM_SET_USER_MEMORY_REGION2");
		if (vmm_ioctl(v, v->vm_fd, "vm", VMM_SET_MEMORY_ATTRIBUTES,
			      "KVM_SET_MEMORY_ATTRIBUTES", &a, 0,
			      "ipa=0x%llx size=0x%llx attributes=PRIVATE",
			      (unsigned long long)s->ipa,
			      (unsigned long long)s->size))
			return fail(v, "KVM_SET_MEMORY_ATTRIBUTES");
	}
	return 0;
}

/* The image and the configuration block, as the guest will see them. */
static int build_code(struct vmm *v, unsigned char *buf, size_t *used)
{
	struct bare_config bc = {
		.magic = BARE_MAGIC,
		.stack_base = CODE_IPA + BARE_STACKS_OFF,
		.stack_size = BARE_STACK_SIZE,
		.mmio_base = v->mmio_base,
		.flags = v->o.each_touch ? BARE_F_EACH_TOUCH : 0,
		.pattern = (uint64_t)v->o.wl.pattern,
		.base = v->o.wl.base,
		.size = v->o.wl.size,
		.nvcpus = v->o.wl.nvcpus,
		.shared_region = v->o.wl.shared_region,
		.stride = v->o.wl.stride,
		.write_pct = v->o.wl.write_pct,
		.passes = v->o.wl.passes,
		.seed = v->o.wl.seed,
	};
	int fd = open(v->o.guest, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "vmm: --guest %s: %s\n", v->o.guest,
			strerror(errno));
		return -1;
	}
	n = read(fd, buf, BARE_IMAGE_MAX + 1);
	close(fd);
	if (n <= 0 || n > (ssize_t)BARE_IMAGE_MAX) {
		fprintf(stderr, "vmm: --guest %s: %s\n", v->o.guest,
			n <= 0 ? "empty or unreadable" :
			"larger than 32 KiB: not a bare-metal guest image");
		return -1;
	}
	memcpy(buf + BARE_CONFIG_OFF, &bc, sizeof(bc));
	*used = BARE_CONFIG_OFF + 4096;
	vmm_step(v, "load %s (%zd bytes) at ipa 0x%llx, configuration at 0x%llx",
		 v->o.guest, n, CODE_IPA, CODE_IPA + BARE_CONFIG_OFF);
	return 0;
}

static int populate(struct vmm *v, const unsigned char *buf, size_t len)
{
	struct vmm_rmi_populate p = {
		.base = CODE_IPA,
		.size = len,
		.source_uaddr = (uintptr_t)buf,
		.flags = VMM_RMI_POPULATE_MEASURE,
	};

	/* the kernel may do part of it: it moves base, size, source on */
	while (p.size) {
		if (vmm_ioctl(v, v->vm_fd, "vm", VMM_ARM_RMI_POPULATE,
			      "KVM_ARM_RMI_POPULATE", &p, 0,
			      "base=0x%llx size=0x%llx flags=MEASURE",
			      (unsigned long long)p.base,
			      (unsigned long long)p.size))
			return fail(v, "KVM_ARM_RMI_POPULATE");
		if (v->o.dry_run)
			break;
	}
	return 0;
}

static int vgic_attr(struct vmm *v, uint32_t group, uint64_t attr,
		     uint64_t *val, const char *what)
{
	struct vmm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uintptr_t)val,
	};

	if (vmm_ioctl(v, v->vgic_fd, "vgic", VMM_SET_DEVICE_ATTR,
		      "KVM_SET_DEVICE_ATTR", &a, 0, "%s", what))
		return fail(v, what);
	return 0;
}

static int create_vgic(struct vmm *v)
{
	struct vmm_create_device d = { .type = VMM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GICD_IPA, redist = GICR_IPA;

	if (vmm_ioctl(v, v->vm_fd, "vm", VMM_CREATE_DEVICE, "KVM_CREATE_DEVICE",
		      &d, 0, "type=VGIC_V3"))
		return fail(v, "KVM_CREATE_DEVICE VGIC_V3");
	v->vgic_fd = v->o.dry_run ? (int)v->next_fake_fd++ : (int)d.fd;
	if (vgic_attr(v, VMM_VGIC_GRP_ADDR, VMM_VGIC_V3_ADDR_DIST, &dist,
		      "ADDR DIST=0x8000000") ||
	    vgic_attr(v, VMM_VGIC_GRP_ADDR, VMM_VGIC_V3_ADDR_REDIST, &redist,
		      "ADDR REDIST=0x80a0000"))
		return -1;
	return 0;
}

static int set_reg(struct vmm *v, struct vmm_vcpu *c, const char *name,
		   uint64_t id, uint64_t val)
{
	struct vmm_one_reg r = { .id = id, .addr = (uintptr_t)&val };
	char fdname[24];

	snprintf(fdname, sizeof(fdname), "vcpu%u", c->idx);
	if (vmm_ioctl(v, c->fd, fdname, VMM_SET_ONE_REG, "KVM_SET_ONE_REG", &r,
		      0, "%s=0x%llx", name, (unsigned long long)val))
		return fail(v, "KVM_SET_ONE_REG");
	return 0;
}

static int create_vcpus(struct vmm *v)
{
	struct vmm_vcpu_init init;
	long sz;

	sz = vmm_ioctl(v, v->kvm_fd, "kvm", KVM_GET_VCPU_MMAP_SIZE,
		       "KVM_GET_VCPU_MMAP_SIZE", NULL, 4096, NULL);
	if (sz <= 0)
		return fail(v, "KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = (size_t)sz;
	memset(&init, 0, sizeof(init));
	if (vmm_ioctl(v, v->vm_fd, "vm", VMM_ARM_PREFERRED_TARGET,
		      "KVM_ARM_PREFERRED_TARGET", &init, 0, NULL))
		return fail(v, "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1u << VMM_ARM_VCPU_PSCI_0_2;
	for (unsigned int i = 0; i < v->o.wl.nvcpus; i++) {
		struct vmm_vcpu *c = &v->vcpus[i];
		char fdname[24];
		long fd;

		snprintf(fdname, sizeof(fdname), "vcpu%u", i);
		fd = vmm_ioctl(v, v->vm_fd, "vm", KVM_CREATE_VCPU,
			       "KVM_CREATE_VCPU", (void *)(uintptr_t)i,
			       (long)v->next_fake_fd++, "id=%u", i);
		if (fd < 0)
			return fail(v, "KVM_CREATE_VCPU");
		c->fd = (int)fd;
		if (vmm_ioctl(v, c->fd, fdname, VMM_ARM_VCPU_INIT,
			      "KVM_ARM_VCPU_INIT", &init, 0,
			      "target=preferred features=PSCI_0_2"))
			return fail(v, "KVM_ARM_VCPU_INIT");
		/* a REC takes the PC and x0..x7 only: the guest sets its SP */
		if (set_reg(v, c, "pc", VMM_REG_PC, CODE_IPA) ||
		    set_reg(v, c, "x0", VMM_REG_X(0), i) ||
		    set_reg(v, c, "x1", VMM_REG_X(1),
			    CODE_IPA + BARE_CONFIG_OFF))
			return -1;
		if (v->o.dry_run) {
			vmm_step(v, "mmap %s kvm_run (KVM_GET_VCPU_MMAP_SIZE bytes)",
				 fdname);
			continue;
		}
		c->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, c->fd, 0);
		if (c->run == MAP_FAILED) {
			c->run = NULL;
			return fail(v, "mmap kvm_run");
		}
	}
	return 0;
}

static bool overlaps(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return a < b + bl && b < a + al;
}

static int setup(struct vmm *v)
{
	bool realm = v->o.vm == VMM_VM_REALM;
	uint64_t type, ipa_top = 1ull << v->o.ipa_bits;
	static unsigned char code[BARE_CONFIG_OFF + 4096];
	size_t code_len = 0;
	long fd;

	/* realms: protected IPAs are the lower half; MMIO must be shared */
	if (realm)
		ipa_top >>= 1;
	v->mmio_base = realm ? MMIO_IPA | ipa_top : MMIO_IPA;
	v->code = (struct vmm_slot){ .id = 0, .ipa = CODE_IPA,
				     .size = CODE_SLOT_SIZE, .gmem_fd = -1 };
	v->work = (struct vmm_slot){ .id = 1, .ipa = v->o.wl.base,
				     .size = v->o.wl.size, .gmem_fd = -1 };
	if (overlaps(v->work.ipa, v->work.size, 0, GIC_END) ||
	    overlaps(v->work.ipa, v->work.size, MMIO_IPA, BARE_MMIO_SIZE) ||
	    overlaps(v->work.ipa, v->work.size, CODE_IPA, CODE_SLOT_SIZE) ||
	    v->work.ipa + v->work.size > ipa_top ||
	    v->work.ipa + v->work.size < v->work.ipa) {
		fprintf(stderr, "vmm: the workload region [0x%llx, 0x%llx) must lie in [0x%llx, 0x%llx) outside the code slot [0x%llx, 0x%llx)\n",
			(unsigned long long)v->work.ipa,
			(unsigned long long)(v->work.ipa + v->work.size),
			GIC_END, (unsigned long long)ipa_top, CODE_IPA,
			CODE_IPA + CODE_SLOT_SIZE);
		return -1;
	}
	if (build_code(v, code, &code_len))
		return -1;
	if (vmm_open_kvm(v) < 0)
		return fail(v, "open /dev/kvm");
	if (realm && !check_cap(v, v->kvm_fd, "kvm", v->o.rmi_cap,
				"KVM_CAP_ARM_RMI", 1)) {
		fprintf(stderr, "vmm: KVM_CAP_ARM_RMI (%u) is not there: this kernel has no CCA realm support (or another number: --rmi-cap)\n",
			v->o.rmi_cap);
		return -1;
	}
	if (realm && (!check_cap(v, v->kvm_fd, "kvm", VMM_CAP_GUEST_MEMFD,
				 "KVM_CAP_GUEST_MEMFD", 1) ||
		      !check_cap(v, v->kvm_fd, "kvm", VMM_CAP_USER_MEMORY2,
				 "KVM_CAP_USER_MEMORY2", 1))) {
		fprintf(stderr, "vmm: a realm needs guest_memfd (KVM_CAP_GUEST_MEMFD, KVM_CAP_USER_MEMORY2)\n");
		return -1;
	}
	type = v->o.ipa_bits == 40 && !realm ? 0 :
	       VMM_VM_TYPE_ARM_IPA_SIZE(v->o.ipa_bits);
	if (v->o.ipa_bits != 40 &&
	    check_cap(v, v->kvm_fd, "kvm", VMM_CAP_ARM_VM_IPA_SIZE,
		      "KVM_CAP_ARM_VM_IPA_SIZE", v->o.ipa_bits) <
	    (int)v->o.ipa_bits) {
		fprintf(stderr, "vmm: --ipa-bits %u: more than KVM supports here\n",
			v->o.ipa_bits);
		return -1;
	}
	if (realm)
		type |= VMM_VM_TYPE_ARM_REALM;
	fd = vmm_ioctl(v, v->kvm_fd, "kvm", KVM_CREATE_VM, "KVM_CREATE_VM",
		       (void *)(uintptr_t)type, (long)v->next_fake_fd++,
		       "type=0x%llx (%s, %u IPA bits)",
		       (unsigned long long)type, realm ? "REALM" : "normal",
		       v->o.ipa_bits);
	if (fd < 0)
		return fail(v, "KVM_CREATE_VM");
	v->vm_fd = (int)fd;
	if (realm && create_vgic(v))
		return -1;
	if (add_slot(v, &v->code, "code", realm))
		return -1;
	if (!realm && v->o.dry_run)
		vmm_step(v, "madvise workload %s", v->backing);
	if (add_slot(v, &v->work, "workload", realm))
		return -1;
	if (!realm && !v->o.dry_run &&
	    madvise(v->work.host, v->work.size,
		    strcmp(v->o.backing, "thp") ? MADV_NOHUGEPAGE :
		    MADV_HUGEPAGE))
		return fail(v, "madvise");
	if (!realm && !v->o.dry_run)
		memcpy(v->code.host, code, code_len);
	if (create_vcpus(v))
		return -1;
	if (realm) {
		/* before the first run: the realm is created by the first
		 * populate and activated by the first KVM_RUN */
		if (populate(v, code, code_len))
			return -1;
		if (vgic_attr(v, VMM_VGIC_GRP_CTRL, VMM_VGIC_CTRL_INIT, NULL,
			      "CTRL INIT"))
			return -1;
	}
	return 0;
}

static int run_vcpus(struct vmm *v)
{
	struct sigaction sa = { .sa_handler = on_kick };
	uint64_t deadline = now_ns() + (uint64_t)v->o.timeout_s * 1000000000ull;
	int rc = 0;

	if (v->o.dry_run) {
		vmm_step(v, "start %u vCPU threads: KVM_RUN until each writes EXIT (timeout %u s)",
			 v->o.wl.nvcpus, v->o.timeout_s);
		return 0;
	}
	find_tracepoint(v);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (unsigned int i = 0; i < v->o.wl.nvcpus; i++) {
		if (pthread_create(&v->vcpus[i].thread, NULL, vcpu_thread,
				   &v->vcpus[i])) {
			fprintf(stderr, "vmm: cannot start vCPU thread %u\n", i);
			v->stop = 1;
			rc = -1;
			break;
		}
		v->vcpus[i].thread_started = true;
	}
	while (__atomic_load_n(&v->finished, __ATOMIC_SEQ_CST) <
	       v->o.wl.nvcpus && !v->stop) {
		struct timespec ts = { 0, 5000000 };

		if (now_ns() > deadline) {
			fprintf(stderr, "vmm: timeout after %u s: stopping the vCPUs\n",
				v->o.timeout_s);
			rc = -1;
			break;
		}
		nanosleep(&ts, NULL);
	}
	v->stop = 1;
	for (unsigned int i = 0; i < v->o.wl.nvcpus; i++) {
		struct vmm_vcpu *c = &v->vcpus[i];

		if (!c->thread_started)
			continue;
		while (!c->exited && !c->error[0] &&
		       __atomic_load_n(&v->finished, __ATOMIC_SEQ_CST) <
		       v->o.wl.nvcpus) {
			struct timespec ts = { 0, 1000000 };

			((struct kvm_run *)c->run)->immediate_exit = 1;
			pthread_kill(c->thread, SIGUSR1);
			nanosleep(&ts, NULL);
			break;
		}
		pthread_join(c->thread, NULL);
		if (!c->exited && !c->error[0])
			snprintf(c->error, sizeof(c->error),
				 "stopped before the guest was done");
	}
	return rc;
}

/* ---- the report -------------------------------------------------------- */

static void print_count(const char *name, int64_t v)
{
	if (v < 0)
		printf(",\"%s\":null", name);
	else
		printf(",\"%s\":%" PRId64, name, v);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void report(struct vmm *v, bool ok)
{
	struct utsname u;
	uint64_t faults = 0, accesses = 0;
	bool counted = true;

	for (unsigned int i = 0; i < v->o.wl.nvcpus; i++) {
		struct vmm_vcpu *c = &v->vcpus[i];
		uint64_t first = c->stat[BARE_STAT_ACCESSES] <
				 c->stat[BARE_STAT_PAGES] ?
				 c->stat[BARE_STAT_ACCESSES] :
				 c->stat[BARE_STAT_PAGES];

		printf("{\"vmm\":\"vcpu\",\"vcpu\":%u,\"pages\":%" PRIu64
		       ",\"expected_pages\":%" PRIu64 ",\"accesses\":%" PRIu64
		       ",\"expected_accesses\":%" PRIu64 ",\"writes\":%" PRIu64,
		       i, c->stat[BARE_STAT_PAGES], c->expected_pages,
		       c->stat[BARE_STAT_ACCESSES], c->expected_accesses,
		       c->stat[BARE_STAT_WRITES]);
		print_count("s2_faults", c->s2_faults);
		print_count("aborts", c->aborts);
		printf(",\"touch_mmio\":%" PRIu64 ",\"kvm_runs\":%" PRIu64
		       ",\"kvm_run_ns\":%" PRIu64 ",\"walk_ns\":%" PRIu64
		       ",\"exits\":{\"mmio\":%" PRIu64 ",\"system_event\":%"
		       PRIu64 ",\"intr\":%" PRIu64 ",\"fail_entry\":%" PRIu64
		       ",\"internal_error\":%" PRIu64 ",\"other\":%" PRIu64 "}",
		       c->touch.count, c->runs, c->run_ns,
		       c->stat[BARE_STAT_WALK_NS], c->exits[VMM_EXIT_MMIO],
		       c->exits[VMM_EXIT_SYSTEM_EVENT], c->exits[VMM_EXIT_INTR],
		       c->exits[VMM_EXIT_FAIL_ENTRY],
		       c->exits[VMM_EXIT_INTERNAL_ERROR],
		       c->exits[VMM_EXIT_OTHER]);
		printf(",\"first_touch_ns\":{\"count\":%" PRIu64 ",\"sum\":%"
		       PRIu64 ",\"min\":%" PRIu64 ",\"max\":%" PRIu64
		       ",\"log2_buckets\":", first,
		       c->stat[BARE_STAT_FIRST_NS], c->stat[BARE_STAT_FIRST_MIN],
		       c->stat[BARE_STAT_FIRST_MAX]);
		wl_cli_print_buckets(c->first_bucket, BARE_HIST_BUCKETS);
		printf("},\"touch_ns\":{\"count\":%" PRIu64 ",\"sum\":%" PRIu64
		       ",\"min\":%" PRIu64 ",\"max\":%" PRIu64
		       ",\"log2_buckets\":", c->touch.count, c->touch.sum,
		       c->touch.min, c->touch.max);
		wl_cli_print_buckets(c->touch.bucket, BARE_HIST_BUCKETS);
		printf("},\"error\":");
		if (c->error[0])
			json_str(c->error);
		else
			printf("null");
		printf("}\n");
		if (c->s2_faults < 0)
			counted = false;
		else
			faults += (uint64_t)c->s2_faults;
		accesses += c->stat[BARE_STAT_ACCESSES];
	}
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	printf("{\"vmm\":\"done\",\"ok\":%s,\"vm\":\"%s\",\"backing\":\"%s\","
	       "\"workload\":\"%s\",\"ipa\":%" PRIu64 ",\"size\":%" PRIu64
	       ",\"vcpus\":%u,\"shared_region\":%s,\"stride\":%" PRIu64
	       ",\"write_pct\":%u,\"passes\":%u,\"seed\":%" PRIu64
	       ",\"each_touch\":%s,\"accesses\":%" PRIu64,
	       ok ? "true" : "false",
	       v->o.vm == VMM_VM_REALM ? "realm" : "normal", v->backing,
	       wl_pattern_name(v->o.wl.pattern), v->o.wl.base, v->o.wl.size,
	       v->o.wl.nvcpus, v->o.wl.shared_region ? "true" : "false",
	       v->o.wl.stride, v->o.wl.write_pct, v->o.wl.passes,
	       v->o.wl.seed, v->o.each_touch ? "true" : "false", accesses);
	print_count("s2_faults", counted ? (int64_t)faults : -1);
	printf(",\"fault_source\":");
	json_str(v->fault_source);
	printf(",\"setup_ns\":%" PRIu64 ",\"run_ns\":%" PRIu64
	       ",\"kernel\":", v->setup_ns, v->run_ns);
	json_str(u.release);
	printf("}\n");
	fflush(stdout);
}

/* ---- options ------------------------------------------------------------ */

static const char usage[] =
"usage: vmm --guest IMAGE [--vm normal|realm] [--workload PATTERN]\n"
"           [--ipa BASE] [--size BYTES] [--vcpus N] [--shared-region]\n"
"           [--stride BYTES] [--write-pct P] [--passes N] [--seed N]\n"
"           [--backing 4k|thp] [--each-touch] [--ipa-bits N]\n"
"           [--rmi-cap N] [--timeout SECONDS] [--no-perf] [--dry-run]\n"
"Runs the bare-metal guest IMAGE (guests/bare) over the workload in a\n"
"KVM VM and prints one JSON line per vCPU and a summary line.\n"
"  --vm          normal (default) or realm (CCA v14 UAPI)\n"
"  --backing     normal VM: the workload memory without (4k, default) or\n"
"                with transparent huge pages (thp)\n"
"  --each-touch  one MMIO exit per access, its latency in touch_ns\n"
"  --dry-run     print every ioctl and mapping with its arguments, make none\n"
"Defaults: sequential, --ipa 1G --size 16M, 1 vCPU, write-pct 100,\n"
"1 pass, seed 1, 40 IPA bits, KVM_CAP_ARM_RMI 249 (v14), timeout 600 s.\n";

static int parse_opts(int argc, char **argv, struct vmm_opts *o)
{
	static const struct option lo[] = {
		{ "vm", required_argument, 0, 'm' },
		{ "guest", required_argument, 0, 'g' },
		WL_CLI_OPTIONS,
		{ "ipa", required_argument, 0, 'i' },
		{ "each-touch", no_argument, 0, 'T' },
		{ "ipa-bits", required_argument, 0, 'B' },
		{ "rmi-cap", required_argument, 0, 'C' },
		{ "timeout", required_argument, 0, 'o' },
		{ "no-perf", no_argument, 0, 'P' },
		{ "dry-run", no_argument, 0, 'd' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	const char *why;
	uint64_t x;
	int c, r;

	*o = (struct vmm_opts){
		.vm = VMM_VM_NORMAL,
		.wl = { .pattern = WL_SEQUENTIAL, .base = 1ull << 30,
			.size = 16ull << 20, .nvcpus = 1, .stride = 2ull << 20,
			.write_pct = 100, .passes = 1, .seed = 1 },
		.backing = "4k", .ipa_bits = 40, .rmi_cap = VMM_CAP_ARM_RMI_V14,
		.timeout_s = 600,
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		r = wl_cli_option("vmm", c, optarg, &o->wl, &o->backing,
				  BARE_MAX_VCPUS);
		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "normal"))
				o->vm = VMM_VM_NORMAL;
			else if (!strcmp(optarg, "realm"))
				o->vm = VMM_VM_REALM;
			else
				return wl_cli_bad("vmm", "--vm", optarg, "want normal or realm");
			break;
		case 'g':
			o->guest = optarg;
			break;
		case 'i':
			if (wl_cli_u64(optarg, &o->wl.base))
				return wl_cli_bad("vmm", "--ipa", optarg, "want an address");
			break;
		case 'T':
			o->each_touch = true;
			break;
		case 'B':
			if (wl_cli_u64(optarg, &x) || x < 32 || x > 52)
				return wl_cli_bad("vmm", "--ipa-bits", optarg, "want 32..52");
			o->ipa_bits = (unsigned int)x;
			break;
		case 'C':
			if (wl_cli_u64(optarg, &x) || !x || x > 100000)
				return wl_cli_bad("vmm", "--rmi-cap", optarg, "want a capability number");
			o->rmi_cap = (unsigned int)x;
			break;
		case 'o':
			if (wl_cli_u64(optarg, &x) || !x || x > 86400)
				return wl_cli_bad("vmm", "--timeout", optarg, "want 1..86400 seconds");
			o->timeout_s = (unsigned int)x;
			break;
		case 'P':
			o->no_perf = true;
			break;
		case 'd':
			o->dry_run = true;
			break;
		default:
			return wl_cli_other(c, usage);
		}
	}
	if (wl_cli_end("vmm", argc, argv))
		return -1;
	if (!o->guest) {
		fprintf(stderr, "vmm: --guest IMAGE is required (build/aarch64/guests/guest-bare.bin)\n");
		return -1;
	}
	if (o->vm == VMM_VM_REALM && !strcmp(o->backing, "thp")) {
		fprintf(stderr, "vmm: --backing thp: a realm's memory is guest_memfd\n");
		return -1;
	}
	why = wl_config_check(&o->wl);
	if (why) {
		fprintf(stderr, "vmm: workload: %s\n", why);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct vmm v;
	uint64_t t0;
	int rc;

	if (parse_opts(argc, argv, &v.o))
		wl_cli_exit(2);
	v.log = stdout;
	v.kvm_fd = v.vm_fd = v.vgic_fd = -1;
	v.next_fake_fd = 3;
	snprintf(v.backing, sizeof(v.backing), "%s",
		 v.o.vm == VMM_VM_REALM ? "guest_memfd" :
		 strcmp(v.o.backing, "thp") ? "anonymous, MADV_NOHUGEPAGE" :
		 "anonymous, MADV_HUGEPAGE");
	v.vcpus = calloc(v.o.wl.nvcpus, sizeof(*v.vcpus));
	if (!v.vcpus) {
		fprintf(stderr, "vmm: out of memory\n");
		wl_cli_exit(1);
	}
	for (unsigned int i = 0; i < v.o.wl.nvcpus; i++) {
		struct wl_iter it;

		v.vcpus[i].vm = &v;
		v.vcpus[i].idx = i;
		v.vcpus[i].fd = -1;
		v.vcpus[i].s2_faults = v.vcpus[i].aborts = -1;
		wl_iter_init(&it, &v.o.wl, i);
		v.vcpus[i].expected_pages = it.pages;
		v.vcpus[i].expected_accesses = wl_total_accesses(&v.o.wl, i);
	}
	t0 = now_ns();
	if (setup(&v))
		wl_cli_exit(1);
	v.setup_ns = now_ns() - t0;
	if (v.o.dry_run)
		snprintf(v.fault_source, sizeof(v.fault_source),
			 "dry run: nothing counted");
	t0 = now_ns();
	rc = run_vcpus(&v);
	v.run_ns = now_ns() - t0;
	if (v.o.dry_run)
		wl_cli_exit(0);
	for (unsigned int i = 0; i < v.o.wl.nvcpus; i++)
		if (v.vcpus[i].error[0] || !v.vcpus[i].done)
			rc = -1;
	report(&v, !rc);
	wl_cli_exit(rc ? 1 : 0);
	return 0;
}
