# make install / uninstall: included by the top Makefile (include deploy/install.mk).
#   make install [PREFIX=/usr/local] [DESTDIR=]
# installs both programs, their man pages (mailprobe(1), mailprobe_exporter(1),
# mailprobe-reference(7)), the example exporter config, the systemd unit, and
# under $(PREFIX)/share/mailprobe/ the JSON schema, the Prometheus alert rules
# and the Grafana dashboard. Paths inside the unit and the man pages that name
# /usr/local are rewritten to $(PREFIX). Nothing is written to /etc: the config
# is the admin's (copy the example to /etc/mailprobe/exporter.json, see the
# unit's header).
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= bin
BUILD ?= build
INSTALL_BINDIR = $(PREFIX)/bin
INSTALL_MANDIR = $(PREFIX)/share/man/man1
INSTALL_MAN7DIR = $(PREFIX)/share/man/man7
INSTALL_DATADIR = $(PREFIX)/share/mailprobe
INSTALL_DOCDIR = $(PREFIX)/share/doc/mailprobe
INSTALL_UNITDIR = $(PREFIX)/lib/systemd/system

INSTALL_GEN := $(BUILD)/install
INSTALL_MANS := mailprobe.1 mailprobe_exporter.1
# under $(INSTALL_DATADIR); the man pages name them
INSTALL_DATA := mailprobe.schema.json mailprobe.rules.yml grafana-dashboard.json

.PHONY: install uninstall

# Files whose /usr/local paths follow PREFIX.
$(INSTALL_GEN)/%.1: man/%.1 FORCE_INSTALL_GEN
	@mkdir -p $(dir $@)
	sed 's|/usr/local/|$(PREFIX)/|g' $< > $@
$(INSTALL_GEN)/%.7: man/%.7 FORCE_INSTALL_GEN
	@mkdir -p $(dir $@)
	sed 's|/usr/local/|$(PREFIX)/|g' $< > $@
$(INSTALL_GEN)/mailprobe_exporter.service: deploy/systemd/mailprobe_exporter.service FORCE_INSTALL_GEN
	@mkdir -p $(dir $@)
	sed 's|/usr/local/|$(PREFIX)/|g' $< > $@

.PHONY: FORCE_INSTALL_GEN
FORCE_INSTALL_GEN:

install: $(BINDIR)/mailprobe $(BINDIR)/mailprobe_exporter \
		$(INSTALL_MANS:%=$(INSTALL_GEN)/%) $(INSTALL_GEN)/mailprobe-reference.7 \
		$(INSTALL_GEN)/mailprobe_exporter.service
	install -D -m 0755 $(BINDIR)/mailprobe $(DESTDIR)$(INSTALL_BINDIR)/mailprobe
	install -D -m 0755 $(BINDIR)/mailprobe_exporter $(DESTDIR)$(INSTALL_BINDIR)/mailprobe_exporter
	install -D -m 0644 $(INSTALL_GEN)/mailprobe.1 $(DESTDIR)$(INSTALL_MANDIR)/mailprobe.1
	install -D -m 0644 $(INSTALL_GEN)/mailprobe_exporter.1 \
		$(DESTDIR)$(INSTALL_MANDIR)/mailprobe_exporter.1
	install -D -m 0644 $(INSTALL_GEN)/mailprobe-reference.7 \
		$(DESTDIR)$(INSTALL_MAN7DIR)/mailprobe-reference.7
	install -D -m 0644 schema/mailprobe.schema.json \
		$(DESTDIR)$(INSTALL_DATADIR)/mailprobe.schema.json
	install -D -m 0644 deploy/prometheus/mailprobe.rules.yml \
		$(DESTDIR)$(INSTALL_DATADIR)/mailprobe.rules.yml
	install -D -m 0644 deploy/grafana/mailprobe.json \
		$(DESTDIR)$(INSTALL_DATADIR)/grafana-dashboard.json
	install -D -m 0644 deploy/exporter.example.json \
		$(DESTDIR)$(INSTALL_DOCDIR)/exporter.example.json
	install -D -m 0644 deploy/exporter-oauth2.example.json \
		$(DESTDIR)$(INSTALL_DOCDIR)/exporter-oauth2.example.json
	install -D -m 0644 $(INSTALL_GEN)/mailprobe_exporter.service \
		$(DESTDIR)$(INSTALL_UNITDIR)/mailprobe_exporter.service

uninstall:
	rm -f $(DESTDIR)$(INSTALL_BINDIR)/mailprobe $(DESTDIR)$(INSTALL_BINDIR)/mailprobe_exporter \
		$(INSTALL_MANS:%=$(DESTDIR)$(INSTALL_MANDIR)/%) \
		$(DESTDIR)$(INSTALL_MAN7DIR)/mailprobe-reference.7 \
		$(INSTALL_DATA:%=$(DESTDIR)$(INSTALL_DATADIR)/%) \
		$(DESTDIR)$(INSTALL_DOCDIR)/exporter.example.json \
		$(DESTDIR)$(INSTALL_DOCDIR)/exporter-oauth2.example.json \
		$(DESTDIR)$(INSTALL_UNITDIR)/mailprobe_exporter.service
	-rmdir $(DESTDIR)$(INSTALL_DOCDIR) $(DESTDIR)$(INSTALL_DATADIR) 2>/dev/null
