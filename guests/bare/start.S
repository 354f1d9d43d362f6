/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench bare-metal guest: entry. Every vCPU starts here at EL1 with the
 * MMU off, x0 = its index, x1 = the configuration's IPA (guest_abi.h).
 */
#include "guest_abi.h"

	.section .text.start, "ax"
	.global _start
_start:
	/* FP/SIMD on: the compiler may use them for copies */
	mov	x2, #(3 << 20)
	msr	cpacr_el1, x2
	isb
	/* sp = stack_base + (index + 1) * stack_size */
	ldr	x2, [x1, #BARE_CFG_STACK_BASE]
	ldr	x3, [x1, #BARE_CFG_STACK_SIZE]
	add	x4, x0, #1
	madd	x2, x3, x4, x2
	mov	sp, x2
	bl	bare_main
1:	wfi
	b	1b
