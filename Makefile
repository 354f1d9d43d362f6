# SPDX-License-Identifier: GPL-2.0-only
#
# rmibench: `make bench` (the main job) and `make check` (all tests).
# Targets per folder are listed by `make help`.

BUILD      ?= build
VERSION    := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
CC         ?= gcc
OPT        ?= -O2
SAN        ?=
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror \
              -Wno-missing-field-initializers -pthread $(SAN) \
              -Iinclude -Isim/rmm -Isim/inject -Isim/host -Iguests -Ibench \
              -I$(BUILD)/kselftest $(CFLAGS)
LDLIBS_ALL := -pthread $(SAN) -ljson-c -lm $(LDLIBS)

LINUX_TAR  ?= /usr/src/linux-source-6.12.tar.xz

RMM_SRCS   := $(wildcard sim/rmm/*.c)
SIM_SRCS   := $(RMM_SRCS) $(wildcard sim/inject/*.c) $(wildcard sim/host/*.c) \
              $(wildcard guests/*.c)
BENCH_SRCS := $(wildcard bench/*.c)

SIM_OBJS   := $(SIM_SRCS:%.c=$(BUILD)/%.o)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
# the bench objects but main: unit tests link them too
BENCH_LIB_OBJS := $(filter-out $(BUILD)/bench/main.o,$(BENCH_OBJS))
LIBSIM     := $(BUILD)/libsim.a
RMIBENCH   := $(BUILD)/rmibench

UNIT_SRCS  := $(wildcard tests/unit/*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%) \
              $(BUILD)/tests/test_libsim
PERF_SRCS  := $(wildcard tests/perf/*.c)
PERF_BINS  := $(PERF_SRCS:tests/perf/%.c=$(BUILD)/perf/%)

KSFT_HDRS  := $(BUILD)/kselftest/kselftest_harness.h $(BUILD)/kselftest/kselftest.h

.PHONY: FORCE all deps build libsim check check-unit check-scenarios \
        check-kernel check-sanitize bench bench-model bench-sim bench-perf \
        bench-inject help clean guests check-guests

all: build

help:
	@echo "make bench          install deps, build, run the default comparison, write results/latest"
	@echo "make check          all tests (TAP), ending with 'N passed, N failed'"
	@echo "make bench-model    RMM model speed and memory"
	@echo "make bench-sim      simulated faults per second; the 64 GiB run"
	@echo "make bench-inject   the default RMI error injection matrix from scratch, timed"
	@echo "make bench-perf     the three benchmarks"
	@echo "make deps           install missing Debian packages (scripts/deps)"
	@echo "make build          build $(RMIBENCH)"
	@echo "make libsim         build $(LIBSIM) (sim/rmm, sim/host, guests)"
	@echo "make guests         guest programs, VMM and initramfs images (native and aarch64)"
	@echo "make check-guests   the guest tests: VMM dry runs, nested arm64 KVM end to end"

deps:
	@scripts/deps

build: $(RMIBENCH)

libsim: $(LIBSIM)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# the version is compiled into one object, rebuilt every time
$(BUILD)/bench/version.o: bench/version.c FORCE
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DRMIBENCH_VERSION='"$(VERSION)"' -c -o $@ $<

FORCE:

$(LIBSIM): $(SIM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(RMIBENCH): $(BENCH_OBJS) $(LIBSIM)
	$(CC) -o $@ $(BENCH_OBJS) $(LIBSIM) $(LDLIBS_ALL)

# kselftest headers come from Debian's linux-source package, never the tree
$(KSFT_HDRS) &: $(LINUX_TAR)
	@mkdir -p $(BUILD)/kselftest
	tar -xJf $(LINUX_TAR) -O --wildcards '*/tools/testing/selftests/kselftest_harness.h' \
		> $(BUILD)/kselftest/kselftest_harness.h.tmp
	tar -xJf $(LINUX_TAR) -O --wildcards '*/tools/testing/selftests/kselftest.h' \
		> $(BUILD)/kselftest/kselftest.h.tmp
	mv $(BUILD)/kselftest/kselftest_harness.h.tmp $(BUILD)/kselftest/kselftest_harness.h
	mv $(BUILD)/kselftest/kselftest.h.tmp $(BUILD)/kselftest/kselftest.h

$(LINUX_TAR):
	@echo "missing $(LINUX_TAR): run 'make deps' (Debian package linux-source-6.12)" >&2; exit 1

$(BUILD)/tests/%: tests/unit/%.c $(BENCH_LIB_OBJS) $(LIBSIM) $(KSFT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -Wno-sign-compare -o $@ $< $(BENCH_LIB_OBJS) $(LIBSIM) $(LDLIBS_ALL)

# the sim alone: no bench object may be needed to link it
$(BUILD)/tests/test_libsim: tests/libsim/test_libsim.c $(LIBSIM) $(KSFT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -o $@ $< $(LIBSIM) -pthread $(SAN) -lm

$(BUILD)/perf/%: tests/perf/%.c $(BENCH_LIB_OBJS) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BENCH_LIB_OBJS) $(LIBSIM) $(LDLIBS_ALL)

INJECT_TESTS := tests/inject/test-inject-matrix

check: deps $(RMIBENCH) $(UNIT_BINS) guests
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests \
		$(UNIT_BINS) tests/check-tap $(GUEST_TESTS) $(INJECT_TESTS) \
		-- tests/rmm/scenarios \
		$(if $(SKIP_KERNEL),,-- kernel)

check-unit: $(RMIBENCH) $(UNIT_BINS)
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests $(UNIT_BINS)

check-scenarios: $(RMIBENCH)
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests -- tests/rmm/scenarios

check-kernel:
	@BUILD=$(BUILD) tests/run-tests -- -- kernel

# The unit tests and scenarios again under ASan+UBSan, and the threaded
# tests under TSan, each in its own build directory.
check-sanitize: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		SKIP_KERNEL=1 check
	$(MAKE) --no-print-directory BUILD=$(BUILD)/tsan OPT=-O1 \
		SAN="-fsanitize=thread" check-unit

bench-model: $(BUILD)/perf/bench_model
	$(BUILD)/perf/bench_model

bench-sim: $(BUILD)/perf/bench_sim
	$(BUILD)/perf/bench_sim

# The default injection matrix (bench/README.md), from scratch: the time
# it takes is printed at the end
INJECT_DIR ?= $(BUILD)/inject-matrix
bench-inject: $(RMIBENCH)
	rm -rf $(INJECT_DIR)
	RMIBENCH_SCRIPTS=scripts $(RMIBENCH) inject-matrix --out-dir $(INJECT_DIR)

bench-perf: bench-model bench-sim bench-inject

# The default comparison on the sim: strategies x profiles x folios x vCPUs
BENCH_DIR  ?= results/latest
BENCH_ARGS ?= --size 1G --workload random --shared-region --quiet
bench: deps $(RMIBENCH)
	@mkdir -p $(BENCH_DIR)
	rm -f $(BENCH_DIR)/*.json $(BENCH_DIR)/*.png
	$(RMIBENCH) matrix --out-dir $(BENCH_DIR) $(BENCH_ARGS)
	RMIBENCH_SCRIPTS=scripts $(RMIBENCH) report \
		--command "make bench: rmibench matrix $(BENCH_ARGS)" $(BENCH_DIR)
	@echo "results: $(BENCH_DIR)/summary.md and $(BENCH_DIR)/*.png"

# ---- guests (guests/README.md): the Linux guest program, the bare-metal
# guest, the VMM, and their initramfs images; aarch64 cross builds under
# $(BUILD)/aarch64/, native builds (dry runs, counts) under $(BUILD)/guests/.
AARCH64_CC      ?= aarch64-linux-gnu-gcc
AARCH64_OBJCOPY ?= aarch64-linux-gnu-objcopy
A64             := $(BUILD)/aarch64/guests
NGUESTS         := $(BUILD)/guests
GUEST_CFLAGS    := -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Iguests
BARE_CFLAGS     := -std=c11 -O2 -Wall -Wextra -Werror -Iguests -ffreestanding \
                   -nostdlib -fno-pic -fno-stack-protector -mgeneral-regs-only
BARE_LOAD_ADDR  := 0x10000000
WL_DEPS         := guests/workload.c guests/workload.h
VMM_DEPS        := $(wildcard guests/vmm/*.c guests/vmm/*.h) guests/guest_abi.h $(WL_DEPS)
GUEST_TESTS     := tests/guests/test-vmm-dry-run tests/guests/test-kernel-backend \
                   tests/guests/test-nested-kvm

GUEST_BINS := $(A64)/guest-linux $(A64)/init $(A64)/vmm $(A64)/guest-bare.bin \
              $(A64)/initramfs-linux.cpio.gz $(A64)/initramfs-vmm.cpio.gz \
              $(NGUESTS)/guest-linux $(NGUESTS)/vmm $(NGUESTS)/wl-model

guests: $(GUEST_BINS)

$(A64)/guest-linux: guests/linux/guest.c $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -pthread -static -o $@ guests/linux/guest.c guests/workload.c

$(A64)/init: guests/linux/init.c
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -static -o $@ $<

$(A64)/vmm: $(VMM_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(GUEST_CFLAGS) -pthread -static -o $@ $(wildcard guests/vmm/*.c) guests/workload.c

$(A64)/bare/%.o: guests/bare/%.c guests/guest_abi.h guests/workload.h
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(BARE_CFLAGS) -c -o $@ $<

$(A64)/bare/workload.o: $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(BARE_CFLAGS) -c -o $@ guests/workload.c

$(A64)/bare/start.o: guests/bare/start.S guests/guest_abi.h
	@mkdir -p $(dir $@)
	$(AARCH64_CC) -Iguests -c -o $@ $<

$(A64)/bare/guest.ld: guests/bare/guest.ld
	@mkdir -p $(dir $@)
	$(AARCH64_CC) -E -P -x c -DBARE_LOAD_ADDR=$(BARE_LOAD_ADDR) -o $@ $<

$(A64)/guest-bare.elf: $(A64)/bare/start.o $(A64)/bare/guest.o $(A64)/bare/workload.o $(A64)/bare/guest.ld
	$(AARCH64_CC) -nostdlib -static -no-pie -Wl,--build-id=none -T $(A64)/bare/guest.ld \
		-o $@ $(A64)/bare/start.o $(A64)/bare/guest.o $(A64)/bare/workload.o

$(A64)/guest-bare.bin: $(A64)/guest-bare.elf
	$(AARCH64_OBJCOPY) -O binary $< $@

$(A64)/initramfs-linux.cpio.gz: $(A64)/init $(A64)/guest-linux guests/mkinitramfs
	guests/mkinitramfs $@ $(A64)/init=init $(A64)/guest-linux=bin/guest

$(A64)/initramfs-vmm.cpio.gz: $(A64)/init $(A64)/vmm $(A64)/guest-bare.bin guests/mkinitramfs
	guests/mkinitramfs $@ $(A64)/init=init $(A64)/vmm=bin/vmm \
		$(A64)/guest-bare.bin=guest-bare.bin

$(NGUESTS)/guest-linux: guests/linux/guest.c $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -pthread -o $@ guests/linux/guest.c guests/workload.c

$(NGUESTS)/vmm: $(VMM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -pthread -o $@ $(wildcard guests/vmm/*.c) guests/workload.c

$(NGUESTS)/wl-model: tests/guests/wl-model.c $(WL_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -o $@ $< guests/workload.c

check-guests: $(RMIBENCH) guests
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests $(GUEST_TESTS)

clean:
	rm -rf $(BUILD)

-include $(SIM_OBJS:.o=.d) $(BENCH_OBJS:.o=.d)
