# bin/mailprobe.exe: x86-64 Windows, one static file (no DLLs beyond the
# system's own), cross-built with Debian's MinGW-w64 (posix thread model:
# winpthreads, linked statically). Included by the top Makefile.
#   make windows       the dependencies first (tests/win/build-deps.sh:
#                      OpenSSL, expat, cJSON from Debian's source packages,
#                      cached in build/win/prefix), then the exe
# The exporter stays Linux-only. The portability layer is checks/platform*.
WIN_CC := x86_64-w64-mingw32-gcc-posix
WIN_DIR := build/win
WIN_PREFIX := $(WIN_DIR)/prefix
WIN_OBJDIR := $(WIN_DIR)/obj
WIN_SRC := $(CHECKS_SRC) $(PROBE_SRC) probe/main.c
WIN_OBJ := $(WIN_SRC:%.c=$(WIN_OBJDIR)/%.o)
# OpenSSL's stamp is written last: one target, so -j never runs the script twice.
WIN_STAMP := $(WIN_PREFIX)/.openssl.stamp
# Vista's API level (WSAPoll, inet_ntop); XML_STATIC: expat is linked in.
WIN_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -D_WIN32_WINNT=0x0601 -DXML_STATIC -D__USE_MINGW_ANSI_STDIO=1 \
	-I. -I$(WIN_PREFIX)/include $(WARN) -O2 -MMD -MP -pthread
WIN_LIBS := -L$(WIN_PREFIX)/lib -lssl -lcrypto -lexpat -lcjson -ldnsapi -lcrypt32 -lws2_32 \
	-liphlpapi -lbcrypt -luser32 -ladvapi32 -lshell32 -lm

.PHONY: windows windows-deps
windows: $(BINDIR)/mailprobe.exe

windows-deps:
	@sh tests/win/build-deps.sh

$(WIN_STAMP): tests/win/build-deps.sh
	@sh tests/win/build-deps.sh

$(WIN_OBJDIR)/%.o: %.c $(WIN_STAMP)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(BINDIR)/mailprobe.exe: $(WIN_OBJ)
	@mkdir -p $(BINDIR)
	$(WIN_CC) -static -s -o $@ $(WIN_OBJ) $(WIN_LIBS) -static -pthread

