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
        help clean

all: build

help:
	@echo "make bench          install deps, build, run the default comparison, write results/latest"
	@echo "make check          all tests (TAP), ending with 'N passed, N failed'"
	@echo "make bench-model    RMM model speed and memory"
	@echo "make bench-sim      simulated faults per second; the 64 GiB run"
	@echo "make bench-perf     both benchmarks"
	@echo "make deps           install missing Debian packages (scripts/deps)"
	@echo "make build          build $(RMIBENCH)"
	@echo "make libsim         build $(LIBSIM) (sim/rmm, sim/host, guests)"

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

check: deps $(RMIBENCH) $(UNIT_BINS)
	@BUILD=$(BUILD) RMIBENCH=$(RMIBENCH) tests/run-tests \
		$(UNIT_BINS) tests/check-tap -- tests/rmm/scenarios \
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

bench-perf: bench-model bench-sim

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

clean:
	rm -rf $(BUILD)

-include $(SIM_OBJS:.o=.d) $(BENCH_OBJS:.o=.d)
