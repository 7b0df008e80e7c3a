/*
 * Command-line parsing for mailprobe_exporter. No I/O but the usage text.
 */
#include <string.h>

#include "exporter/flags.h"
#include "exporter/listen.h"
#include "exporter/log.h"

static const char usage[] =
    "usage: mailprobe_exporter [--config.file FILE] [--config.check]\n"
    "                          [--web.listen-address ADDR]... [--log.level LEVEL]\n"
    "\n"
    "  --config.file FILE          JSON config (modules, targets, allow, web); without it\n"
    "                              only the built-in module \"default\" exists and /probe\n"
    "                              allows nothing\n"
    "  --config.check              validate the config and exit (0 ok, 3 error)\n"
    "  --web.listen-address ADDR   HOST:PORT, :PORT or [IPv6]:PORT (repeatable; wins over\n"
    "                              the config's listen; default :9925)\n"
    "  --log.level LEVEL           debug, info, warn or error (default info)\n"
    "  --version, --help\n"
    "\n"
    "Routes: /probe?target=HOST&module=NAME, /metrics, /, /report?target=NAME,\n"
    "/-/healthy, /-/ready. SIGHUP reloads the config, SIGTERM stops.\n";

void
flags_usage(FILE *out)
{
	fputs(usage, out);
}

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL. */
static const char *
value_of(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);

	*missing = false;
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

static int
take(struct flags *f, const char *flag, const char *v, char *err, size_t errlen)
{
	char host[CFG_LISTEN_MAX], port[8];

	if (strcmp(flag, "--config.file") == 0) {
		f->config_file = v;
	} else if (strcmp(flag, "--web.listen-address") == 0) {
		if (f->nlisten == CFG_MAX_LISTEN || strlen(v) >= CFG_LISTEN_MAX) {
			snprintf(err, errlen, "--web.listen-address: at most %d addresses",
				 CFG_MAX_LISTEN);
			return -1;
		}
		if (listen_split(v, host, sizeof(host), port, sizeof(port)) < 0) {
			snprintf(err, errlen,
				 "--web.listen-address: \"%.60s\" is not HOST:PORT, :PORT or "
				 "[IPv6]:PORT",
				 v);
			return -1;
		}
		snprintf(f->listen[f->nlisten++], CFG_LISTEN_MAX, "%s", v);
	} else if ((f->log_level = xlog_level_parse(v)) < 0) {
		snprintf(err, errlen, "--log.level: \"%.40s\" is not debug, info, warn or error",
			 v);
		return -1;
	}
	return 0;
}

/* --config.check, --help, --version: true when a is one of them. */
static bool
take_switch(struct flags *f, const char *a)
{
	if (strcmp(a, "--config.check") == 0)
		f->config_check = true;
	else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		f->help = true;
	else if (strcmp(a, "--version") == 0)
		f->version = true;
	else
		return false;
	return true;
}

int
flags_parse(int argc, char **argv, struct flags *f, char *err, size_t errlen)
{
	static const char *const valued[] = {"--config.file", "--web.listen-address", "--log.level",
					     NULL};

	memset(f, 0, sizeof(*f));
	f->log_level = LVL_INFO;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		bool missing = false;
		int k;

		if (take_switch(f, a))
			continue;
		for (k = 0; valued[k] != NULL; k++)
			if ((v = value_of(argc, argv, &i, valued[k], &missing)) != NULL || missing)
				break;
		if (missing) {
			snprintf(err, errlen, "%.60s needs a value", a);
			return -1;
		}
		if (valued[k] == NULL) {
			snprintf(err, errlen, "unknown option \"%.60s\" (see --help)", a);
			return -1;
		}
		if (take(f, valued[k], v, err, errlen) < 0)
			return -1;
	}
	return 0;
}
