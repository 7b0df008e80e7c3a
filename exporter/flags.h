/*
 * The exporter's command line, named after blackbox_exporter's flags:
 * --config.file, --config.check, --web.listen-address (repeatable),
 * --log.level, --version, --help. Both "--flag value" and "--flag=value".
 */
#ifndef MAILPROBE_EXPORTER_FLAGS_H
#define MAILPROBE_EXPORTER_FLAGS_H

#include <stdbool.h>
#include <stdio.h>

#include "exporter/config.h"

struct flags {
	const char *config_file; /* NULL: built-in config */
	bool config_check;
	int nlisten; /* 0: the config's listen */
	char listen[CFG_MAX_LISTEN][CFG_LISTEN_MAX];
	int log_level;
	bool help, version;
};

/* 0, or -1 with a one-line reason in err. */
int flags_parse(int argc, char **argv, struct flags *f, char *err, size_t errlen);
void flags_usage(FILE *out);

#endif
