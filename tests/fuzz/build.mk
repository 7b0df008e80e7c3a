# libFuzzer targets; included by the top Makefile (include tests/fuzz/build.mk).
#
#   make fuzz-build                build every target into build/fuzz/fuzz_NAME
#   make fuzz [FUZZ_SECONDS=60]    run each target for FUZZ_SECONDS on a scratch
#                                  copy of its corpus (build/fuzz/work/NAME/)
#   make fuzz-smoke                each target over its seed corpus plus
#                                  FUZZ_RUNS runs with seed FUZZ_SEED; fails on
#                                  any crash, leak, timeout or sanitizer report
#   make fuzz FUZZ_TARGETS="imap pop3"   only some targets
#
# Needs clang and libclang-rt-14-dev. The project code is compiled again with
# clang and the fuzzer/ASan/UBSan flags into build/fuzz/obj (the gcc objects
# of libchecks.a cannot be used) and archived, so each target links only the
# objects it needs.
#
# Adding a target NAME:
#   1. tests/fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput (see
#      fuzz_util.h for exact-size line copies and FUZZ_ASSERT);
#   2. seed files in tests/fuzz/corpus/NAME/ (no secrets);
#   3. NAME appended to FUZZ_ALL below;
#   4. if it calls code outside checks/*.c and probe/run/account.c, those sources
#      appended to FUZZ_LIB_SRC (no file with a main());
#   5. optional: FUZZ_LDFLAGS_NAME (extra link flags) here,
#      tests/fuzz/fuzz_NAME.flags (extra libFuzzer flags, e.g. -max_len=N), and
#      tests/fuzz/fuzz_NAME.runs (fewer smoke runs for a slow target).

# This fragment is read before the top Makefile's `all`: keep `all` the
# default goal.
_fuzz_saved_goal := $(.DEFAULT_GOAL)

FUZZ_ALL += smtp imap pop3 args dialog autoconfig dns config query icmp
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 20000
FUZZ_SEED ?= 1

FUZZ_CC ?= clang
FUZZ_DIR := build/fuzz
FUZZ_OBJDIR := $(FUZZ_DIR)/obj
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Package flags and libraries as the top Makefile has them.
FUZZ_CFLAGS = -g -O1 $(FUZZ_SAN) -std=c11 -D_DEFAULT_SOURCE -I. -pthread $(PKGS_CFLAGS)
FUZZ_LIBS = $(LDLIBS)
FUZZ_WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes

FUZZ_LIB_SRC += $(wildcard checks/*.c) probe/run/account.c probe/run/autoconfig.c
# the exporter's config loader (with its OAuth2 token sources) and allow-list
# (no libmicrohttpd in them)
FUZZ_LIB_SRC += exporter/config.c exporter/config_parts.c exporter/config_json.c \
	exporter/duration.c exporter/listen.c exporter/allow.c exporter/special_addr.c exporter/log.c \
	exporter/config_oauth2.c exporter/token_source.c probe/run/oauth2.c
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_OBJDIR)/%.o)
FUZZ_LIB := $(FUZZ_DIR)/libfuzzcode.a
FUZZ_HARNESS_OBJ := $(FUZZ_ALL:%=$(FUZZ_OBJDIR)/tests/fuzz/fuzz_%.o)
FUZZ_BINS := $(FUZZ_ALL:%=$(FUZZ_DIR)/fuzz_%)

# The dialog target replaces mp_connect with a socketpair, and nanosleep
# (the delivery check's naps) with an instant return.
FUZZ_LDFLAGS_dialog := -Wl,--wrap=mp_connect -Wl,--wrap=nanosleep

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-targets

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

fuzz-targets:
	@echo $(FUZZ_TARGETS)

fuzz: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh fuzz $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) \
		sh tests/fuzz/run.sh smoke $(FUZZ_TARGETS)

$(FUZZ_LIB_OBJ): $(FUZZ_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_HARNESS_OBJ): $(FUZZ_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_WARN) -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: $(FUZZ_OBJDIR)/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB) $(FUZZ_LDFLAGS_$*) $(FUZZ_LIBS)

-include $(shell find $(FUZZ_OBJDIR) -name '*.d' 2>/dev/null)

.DEFAULT_GOAL := $(_fuzz_saved_goal)
