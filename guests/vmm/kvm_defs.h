/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench VMM: the KVM interfaces it uses beyond the generic ones of
 * <linux/kvm.h>, written out here so that the VMM builds on any host
 * (x86 for dry runs, arm64 for real ones) and against Debian's 6.1 uapi
 * headers, which predate guest_memfd and the CCA series:
 *
 * - arm64: vCPU init, core registers, the VGICv3 device;
 * - guest_memfd and memory attributes (upstream since 6.8);
 * - the CCA host series v14 (cca-host/v14, "arm64: Support for Arm CCA in
 *   KVM"): KVM_CAP_ARM_RMI, the realm VM type, KVM_ARM_RMI_POPULATE. The
 *   realm is created on the first populate and activated on the first
 *   KVM_RUN; RECs are made from the vCPUs on that run. The capability's
 *   number moves as other capabilities land before it (248 in v13, 249 in
 *   v14, 251 in v15): `vmm --rmi-cap N` overrides it.
 *
 * Names carry a VMM_ prefix so that they never clash with a newer
 * <linux/kvm.h>.
 */
#ifndef RMIBENCH_VMM_KVM_DEFS_H
#define RMIBENCH_VMM_KVM_DEFS_H

#include <linux/ioctl.h>
#include <stdint.h>

#define VMM_KVMIO			0xAE

/* capabilities */
#define VMM_CAP_ARM_VM_IPA_SIZE		165
#define VMM_CAP_USER_MEMORY2		231
#define VMM_CAP_MEMORY_ATTRIBUTES	233
#define VMM_CAP_GUEST_MEMFD		234
#define VMM_CAP_ARM_RMI_V14		249

/* KVM_CREATE_VM type on arm64: bits [7:0] IPA size, [11:8] machine type */
#define VMM_VM_TYPE_ARM_IPA_SIZE(bits)	((uint64_t)(bits) & 0xff)
#define VMM_VM_TYPE_ARM_REALM		(1ull << 8)

/* arm64 vCPU set-up */
struct vmm_vcpu_init {
	uint32_t target;
	uint32_t features[7];
};
#define VMM_ARM_VCPU_PSCI_0_2		2	/* feature bit */
#define VMM_ARM_VCPU_INIT		_IOW(VMM_KVMIO, 0xae, struct vmm_vcpu_init)
#define VMM_ARM_PREFERRED_TARGET	_IOR(VMM_KVMIO, 0xaf, struct vmm_vcpu_init)

struct vmm_one_reg {
	uint64_t id;
	uint64_t addr;
};
#define VMM_SET_ONE_REG			_IOW(VMM_KVMIO, 0xac, struct vmm_one_reg)

/*
 * A core register: arm64, 64 bits, coprocessor 0x10, and the register's
 * byte offset in struct kvm_regs in 32-bit words. kvm_regs starts with
 * x0..x30, sp, pc, pstate (8 bytes each).
 */
#define VMM_REG_ARM64			0x6000000000000000ull
#define VMM_REG_SIZE_U64		0x0030000000000000ull
#define VMM_REG_ARM_CORE		(0x0010ull << 16)
#define VMM_CORE_REG(byte_off)		(VMM_REG_ARM64 | VMM_REG_SIZE_U64 | \
					 VMM_REG_ARM_CORE | ((byte_off) / 4))
#define VMM_REG_X(n)			VMM_CORE_REG((n) * 8)
#define VMM_REG_PC			VMM_CORE_REG(32 * 8)

/* devices: the VGICv3 a realm needs (the RMM has no userspace irqchip) */
struct vmm_create_device {
	uint32_t type;
	uint32_t fd;
	uint32_t flags;
};
struct vmm_device_attr {
	uint32_t flags;
	uint32_t group;
	uint64_t attr;
	uint64_t addr;
};
#define VMM_CREATE_DEVICE		_IOWR(VMM_KVMIO, 0xe0, struct vmm_create_device)
#define VMM_SET_DEVICE_ATTR		_IOW(VMM_KVMIO, 0xe1, struct vmm_device_attr)
#define VMM_DEV_TYPE_ARM_VGIC_V3	7
#define VMM_VGIC_GRP_ADDR		0
#define VMM_VGIC_GRP_CTRL		4
#define VMM_VGIC_V3_ADDR_DIST		2
#define VMM_VGIC_V3_ADDR_REDIST		3
#define VMM_VGIC_CTRL_INIT		0

/* guest_memfd memslots and memory attributes */
struct vmm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};
#define VMM_CREATE_GUEST_MEMFD		_IOWR(VMM_KVMIO, 0xd4, struct vmm_create_guest_memfd)

struct vmm_memory_region2 {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
	uint32_t pad1;
	uint64_t pad2[14];
};
#define VMM_MEM_GUEST_MEMFD		(1u << 2)
#define VMM_SET_USER_MEMORY_REGION2	_IOW(VMM_KVMIO, 0x49, struct vmm_memory_region2)

struct vmm_memory_attributes {
	uint64_t address;
	uint64_t size;
	uint64_t attributes;
	uint64_t flags;
};
#define VMM_MEMORY_ATTRIBUTE_PRIVATE	(1ull << 3)
#define VMM_SET_MEMORY_ATTRIBUTES	_IOW(VMM_KVMIO, 0xd2, struct vmm_memory_attributes)

/* CCA v14: copy data into protected memory before the first run */
struct vmm_rmi_populate {
	uint64_t base;
	uint64_t size;
	uint64_t source_uaddr;
	uint32_t flags;
	uint32_t reserved;
};
#define VMM_RMI_POPULATE_MEASURE	(1u << 0)
#define VMM_ARM_RMI_POPULATE		_IOWR(VMM_KVMIO, 0xd7, struct vmm_rmi_populate)

#endif /* RMIBENCH_VMM_KVM_DEFS_H */
