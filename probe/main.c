/*
 * mailprobe: check one mail account the way a mail client would, from this
 * network, and say what works. Parses the command line, runs the engine,
 * renders; exit code 0 ok, 1 warning, 2 critical, 3 unknown.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../checks/tls.h"
#include "cli.h"
#include "deliver.h"
#include "diagnose.h"
#include "render.h"
#include "runner.h"

#define EXIT_UNKNOWN 3

struct live {
	const struct mp_account *a;
	bool color;
	bool line_shown;
	bool *done; /* by endpoint index */
};

static bool
wants_nagios(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format=nagios") == 0)
			return true;
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "nagios") == 0)
			return true;
	}
	return false;
}

static int
unknown(bool nagios, const char *reason)
{
	fprintf(stderr, "mailprobe: %s\n", reason);
	if (nagios)
		printf("MAILPROBE UNKNOWN - %s\n", reason);
	return EXIT_UNKNOWN;
}

/* Options the CLI knows whose features this build does not have yet. */
static const char *
unsupported(const struct mp_account *a)
{
	if (a->report_file[0] != '\0')
		return "--report: support reports are not available in this version yet";
	if (a->client_config_dir[0] != '\0')
		return "--client-config: not available in this version yet";
	if (a->format == FORMAT_PROMETHEUS)
		return "--format prometheus: not available in this version yet";
	return NULL;
}

static void
live_clear(struct live *l)
{
	if (l->line_shown) {
		fputs("\r\033[K", stdout);
		l->line_shown = false;
	}
}

static void
live_endpoint_done(void *ctx, const struct mp_run *run, const struct mp_endpoint_result *e)
{
	struct live *l = ctx;

	l->done[e - run->endpoints] = true;
	live_clear(l);
	mp_render_text_endpoint_for(stdout, l->a, e, l->color);
	fflush(stdout);
}

static void
live_tick(void *ctx, const struct mp_run *run, int done, int total, double elapsed)
{
	struct live *l = ctx;
	char spec[64];
	int shown = 0;

	live_clear(l);
	printf("%.1fs, %d/%d done, waiting for:", elapsed, done, total);
	for (int i = 0; i < run->nendpoints && shown < 4; i++) {
		if (l->done[i] || run->endpoints[i].address[0] == '\0')
			continue;
		mp_endpoint_spec_str(&run->endpoints[i].spec, spec, sizeof(spec));
		printf(" %s@%s", spec, run->endpoints[i].address);
		shown++;
	}
	if (total - done > shown)
		printf(" ...");
	l->line_shown = true;
	fflush(stdout);
}

static void
render(const struct mp_account *a, const struct mp_run *run, bool live, bool color)
{
	switch (a->format) {
	case FORMAT_JSON:
		mp_render_json(stdout, run);
		break;
	case FORMAT_NAGIOS:
		mp_render_nagios(stdout, run);
		break;
	default:
		if (live)
			mp_render_text_summary(stdout, run, color);
		else
			mp_render_text(stdout, run, color);
	}
	if (a->trace)
		mp_render_trace(a->format == FORMAT_TEXT ? stdout : stderr, run);
}

static int
run_account(struct mp_account *a, struct mp_tls_ctx *tls)
{
	bool live = a->format == FORMAT_TEXT && isatty(STDOUT_FILENO);
	bool color =
	    a->format == FORMAT_TEXT && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	struct live l = {.a = a, .color = color};
	struct mp_run_hooks hooks = {
	    .ctx = &l, .endpoint_done = live_endpoint_done, .tick = live_tick};
	struct mp_run_options opt = {.tls = tls, .hooks = live ? &hooks : NULL};
	struct mp_run run;
	struct mp_diagnosis *diag = calloc(1, sizeof(*diag));
	char err[256];
	int rc;

	l.done = calloc((size_t)a->nendpoints * MP_MAX_ADDRS + 1, sizeof(bool));
	if (l.done == NULL || diag == NULL) {
		free(l.done);
		free(diag);
		return unknown(a->format == FORMAT_NAGIOS, "out of memory");
	}
	if (live) {
		memset(&run, 0, sizeof(run));
		run.account = a;
		snprintf(run.host, sizeof(run.host), "%s", a->host);
		mp_render_text_header(stdout, &run, color);
		fflush(stdout);
	}
	if (mp_run_account(a, &opt, &run, err, sizeof(err)) < 0) {
		free(l.done);
		free(diag);
		mp_run_cleanup(&run);
		return unknown(a->format == FORMAT_NAGIOS, err);
	}
	mp_diagnose(&run, diag);
	if (a->deliver)
		mp_run_delivery(&run, diag, tls, NULL);
	run.diag = diag;
	run.status = diag->status;
	live_clear(&l);
	render(a, &run, live, color);
	rc = (int)run.status;
	mp_run_cleanup(&run);
	free(l.done);
	free(diag);
	return rc;
}

int
main(int argc, char **argv)
{
	struct mp_account a;
	struct mp_tls_ctx *tls;
	char err[512];
	const char *why;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	rc = mp_cli_parse(argc, argv, &a, err, sizeof(err));
	if (rc == 1)
		return 0;
	if (rc < 0)
		return unknown(wants_nagios(argc, argv), err);
	if ((why = unsupported(&a)) != NULL) {
		rc = unknown(a.format == FORMAT_NAGIOS, why);
		mp_account_cleanup(&a);
		return rc;
	}
	if ((tls = mp_tls_ctx_new(a.ca_file, err, sizeof(err))) == NULL) {
		rc = unknown(a.format == FORMAT_NAGIOS, err);
		mp_account_cleanup(&a);
		return rc;
	}
	rc = run_account(&a, tls);
	mp_tls_ctx_free(tls);
	mp_account_cleanup(&a);
	return rc;
}
