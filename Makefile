# mailprobe: plain, non-recursive Makefile.
#   make            bin/mailprobe (and later bin/mailprobe_exporter)
#   make deps       install missing Debian packages (apt-get, noninteractive)
#   make run        deps, build, start the local lab, probe it, print the result
#   make test       deps, build, every test (unit, ASan/UBSan, lab, hostile)
#   make lab-stop   remove the lab
#   make install [PREFIX=/usr/local] [DESTDIR=]   binaries, man pages, unit, example config,
#                                                 share/mailprobe/ (schema, rules, dashboard)
#   make fuzz [FUZZ_SECONDS=60], make fuzz-smoke   libFuzzer targets (tests/fuzz)
#   make test-valgrind   the lab suite under valgrind memcheck
#   make load       the exporter under 100 concurrent connections (wrk)
#   make bench      benchmarks against the tools users have today (tests/bench)
#   make dist       release artefacts in dist/: source, Linux binaries, Windows zip, sums
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS_CFLAGS := $(shell pkg-config --cflags openssl libcjson expat 2>/dev/null)
PKGS_LIBS := $(shell pkg-config --libs openssl libcjson expat 2>/dev/null)
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -I. $(WARN) $(CFLAGS) $(PKGS_CFLAGS) -MMD -MP -pthread
LDLIBS = $(PKGS_LIBS) -lresolv -lm -pthread
BUILD ?= build
BINDIR ?= bin

CHECKS_SRC := $(wildcard checks/*.c)
PROBE_SRC := $(filter-out probe/main.c,$(wildcard probe/*.c probe/*/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOLS_SRC := $(wildcard tests/tools/*.c)

CHECKS_OBJ := $(CHECKS_SRC:%.c=$(BUILD)/%.o)
PROBE_OBJ := $(PROBE_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOLS_BIN := $(TOOLS_SRC:tests/tools/%.c=$(BUILD)/tools/%)

LIBCHECKS := $(BUILD)/libchecks.a
LIBPROBE := $(BUILD)/libprobe.a

.DEFAULT_GOAL := all

# Per-folder fragments add programs to EXTRA_BINS and their own targets;
# each must exist (only the generated .d files below are optional).
EXTRA_BINS :=
include exporter/build.mk
include tests/fuzz/build.mk
include deploy/install.mk
include deploy/dist.mk
include tests/bench/bench.mk
include tests/win/build.mk

.PHONY: all deps run test unit unit-asan lab-test hostile-test lab-start lab-stop clean format \
	test-valgrind load

all: $(BINDIR)/mailprobe $(EXTRA_BINS)

$(BINDIR)/mailprobe: $(BUILD)/probe/main.o $(LIBPROBE) $(LIBCHECKS)
	@mkdir -p $(BINDIR)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(LIBCHECKS): $(CHECKS_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBPROBE): $(PROBE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBPROBE) $(LIBCHECKS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(LIBCHECKS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@sh tests/deps.sh

unit: $(UNIT_BIN)
	@rc=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || rc=1; done; exit $$rc

# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, and a
# sanitized bin for the hostile tests (build/asan/bin/mailprobe).
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
unit-asan:
	$(MAKE) BUILD=build/asan BINDIR=build/asan/bin CFLAGS="$(ASAN_FLAGS)" build/asan/bin/mailprobe \
		build/asan/bin/mailprobe_exporter unit

tools: $(TOOLS_BIN)

lab-start: all
	@sh tests/lab/lab.sh start

lab-stop:
	@sh tests/lab/lab.sh stop

lab-test: all
	@sh tests/lab/run-tests.sh

hostile-test: all tools
	@python3 tests/hostile/test_hostile.py && python3 tests/hostile/test_wire.py && \
		python3 tests/hostile/test_trust.py

# deps first in its own step: pkg-config flags are read when make starts.
run: deps
	@$(MAKE) -s all
	@sh tests/lab/lab.sh start
	@sh tests/lab/lab.sh probe

test: deps
	@$(MAKE) all tools
	@sh tests/run-all.sh

# The exporter under 100 concurrent connections with wrk (not part of make
# test): LOAD_SECONDS per route, default 20.
load: deps
	@$(MAKE) -s all
	@sh tests/load/load.sh

# The lab suite with mailprobe under valgrind memcheck (not part of make test:
# slow). Any definite leak or memory error fails it; logs in tests/out/.
test-valgrind: deps
	@$(MAKE) -s all
	@mkdir -p tests/out && rm -f tests/out/valgrind.*.log
	@MAILPROBE_BIN=$(CURDIR)/tests/tools/valgrind-mailprobe.sh MAILPROBE_SANITIZED=1 \
		sh tests/lab/run-tests.sh; rc=$$?; \
	bad=$$(grep -l 'ERROR SUMMARY: [1-9]\|definitely lost' tests/out/valgrind.*.log 2>/dev/null); \
	if [ -n "$$bad" ]; then echo "valgrind found errors:"; head -40 $$bad; exit 1; fi; exit $$rc

clean:
	rm -rf build bin

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(BUILD) -name 'labroot*' -prune -o -path $(BUILD)/win/src -prune -o -name '*.d' -type f -print 2>/dev/null)
