# mailprobe_exporter: included by the top Makefile before its `all:` rule.
# Uses its variables (ALL_CFLAGS, LDLIBS, LIBPROBE, LIBCHECKS, BUILD, BINDIR);
# libmicrohttpd and libcrypt (bcrypt via crypt_r) are needed here only.
EXPORTER_SRC := $(filter-out exporter/main.c,$(wildcard exporter/*.c))
EXPORTER_OBJ := $(EXPORTER_SRC:%.c=$(BUILD)/%.o)
LIBEXPORTER := $(BUILD)/libexporter.a
EXPORTER_LIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lcrypt
EXPORTER_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)

EXTRA_BINS += $(BINDIR)/mailprobe_exporter

$(BUILD)/exporter/%.o: exporter/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(EXPORTER_CFLAGS) -c -o $@ $<

$(LIBEXPORTER): $(EXPORTER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BINDIR)/mailprobe_exporter: $(BUILD)/exporter/main.o $(LIBEXPORTER) $(LIBPROBE) $(LIBCHECKS)
	@mkdir -p $(BINDIR)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(EXPORTER_LIBS) $(LDLIBS)

# Unit tests of the exporter's parts link its library too (the generic
# tests rule has a longer stem, so this one wins for test_exporter_*).
$(BUILD)/tests/test_exporter_%: $(BUILD)/tests/unit/test_exporter_%.o $(LIBEXPORTER) $(LIBPROBE) $(LIBCHECKS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(EXPORTER_LIBS) $(LDLIBS)

.PHONY: exporter-test
exporter-test: all
	@sh tests/e2e/run-tests.sh
