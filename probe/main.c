/*
 * mailprobe: check one mail account the way a mail client would, from this
 * network, and say what works. Parses the command line, runs the engine,
 * renders; exit code 0 ok, 1 warning, 2 critical, 3 unknown.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/platform.h"
#include "checks/prompt.h"
#include "checks/tls.h"
#include "probe/cli.h"
#include "probe/render/client_config.h"
#include "probe/diagnose/diagnose.h"
#include "probe/guided.h"
#include "probe/render/render.h"
#include "probe/render/render_prometheus.h"
#include "probe/render/report.h"
#include "probe/run/oauth2.h"
#include "probe/run/runner.h"

#define EXIT_UNKNOWN 3

struct live {
	const struct mp_account *a;
	enum mp_lang lang;
	bool color;
	bool verbose;    /* print each endpoint's steps as it finishes */
	bool line_shown; /* the progress line is on the screen */
	int width;       /* terminal columns */
	bool *done;      /* by endpoint index */
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

/* Whether stdout took everything: a full disk or a closed pipe is exit 3
 * with one line on stderr, never a silent partial result. A write that
 * failed inside a renderer left its errno (the caller zeroes errno first). */
static bool
output_written(void)
{
	int e = errno;

	if (fflush(stdout) != 0)
		e = errno;
	else if (!ferror(stdout))
		return true;
	fprintf(stderr, "mailprobe: cannot write the output: %s\n", strerror(e != 0 ? e : EIO));
	return false;
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
	if (!l->verbose)
		return;
	live_clear(l);
	mp_render_text_endpoint_for(stdout, l->a, e, l->lang, l->color);
	fflush(stdout);
}

/* The terminal's width in columns (80 when unknown). */
static int
terminal_width(void)
{
	int cols = mp_terminal_width(STDOUT_FILENO);
	const char *env = getenv("COLUMNS");

	if (cols >= 20)
		return cols;
	if (env != NULL && atoi(env) >= 20)
		return atoi(env);
	return 80;
}

/* "3.2 s  5/8 done, waiting for smtp:587:starttls@192.0.2.1 (+2)", cut to
 * the terminal's width so it never wraps. */
static void
live_tick(void *ctx, const struct mp_run *run, int done, int total, double elapsed)
{
	struct live *l = ctx;
	char line[256], spec[64];
	int first = -1, pending = 0;

	for (int i = 0; i < run->nendpoints; i++)
		if (!l->done[i] && run->endpoints[i].address[0] != '\0' && pending++ == 0)
			first = i;
	snprintf(line, sizeof(line), "%.1f s  %d/%d %s", elapsed, done, total,
		 mp_word(l->lang, W_TXT_DONE));
	if (first >= 0) {
		mp_endpoint_spec_str(&run->endpoints[first].spec, spec, sizeof(spec));
		snprintf(line + strlen(line), sizeof(line) - strlen(line), ", %s %s@%s",
			 mp_word(l->lang, W_TXT_WAITING), spec, run->endpoints[first].address);
		if (pending > 1)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " (+%d)",
				 pending - 1);
	}
	if ((int)strlen(line) > l->width - 1)
		line[l->width - 1] = '\0';
	live_clear(l);
	fputs(line, stdout);
	l->line_shown = true;
	fflush(stdout);
}

static void
render(const struct mp_output_options *o, const struct mp_run *run, const struct mp_diagnosis *d,
       bool live, bool color)
{
	switch (o->format) {
	case FORMAT_JSON:
		mp_render_json(stdout, run, d);
		break;
	case FORMAT_NAGIOS:
		mp_render_nagios(stdout, run, d);
		break;
	case FORMAT_PROMETHEUS:
		mp_render_prometheus(stdout, run, d);
		break;
	default:
		if (o->guided)
			mp_render_text_guided(stdout, run, d, o->lang);
		else if (!o->verbose)
			mp_render_text_brief(stdout, run, d, o->lang, color);
		else if (live)
			mp_render_text_summary(stdout, run, d, o->lang, color);
		else
			mp_render_text(stdout, run, d, o->lang, color);
	}
	if (o->trace)
		mp_render_trace(o->format == FORMAT_TEXT ? stdout : stderr, run);
}

/* The support report and client settings, after the diagnosis. A report
 * that cannot be written is exit 3; client settings that cannot be written
 * are said on stderr and the run's exit code stays. */
static int
write_artefacts(const struct mp_output_options *o, const struct mp_run *run,
		const struct mp_diagnosis *d, FILE *report)
{
	char err[PATH_MAX + 128];
	int rc = 0;

	if (report != NULL) {
		struct mp_report_options ro = {
		    .format = (enum mp_report_format)mp_report_format_from_path(o->report_file),
		    .lang = o->lang,
		    .ticket = o->ticket};
		int w = mp_report_write(report, run, d, &ro);

		if (fclose(report) != 0 || w != 0) {
			snprintf(err, sizeof(err), "--report %s: %s", o->report_file,
				 w != 0 ? "cannot write the report" : strerror(errno));
			rc = unknown(o->format == FORMAT_NAGIOS, err);
		}
	}
	if (o->client_config_dir[0] != '\0' &&
	    mp_client_config_write(o->client_config_dir, run, d, err, sizeof(err)) != 0)
		fprintf(stderr, "mailprobe: %s\n", err);
	return rc;
}

/* Opens --report FILE before the run, so a bad path fails at once. */
static int
open_report(const struct mp_output_options *o, FILE **report)
{
	char err[PATH_MAX + 64];

	*report = NULL;
	if (o->report_file[0] == '\0')
		return 0;
	if ((*report = fopen(o->report_file, "w")) != NULL)
		return 0;
	snprintf(err, sizeof(err), "--report %s: %s", o->report_file, strerror(errno));
	return unknown(o->format == FORMAT_NAGIOS, err);
}

/* Prints the header before the run starts (the live display). */
static void
live_header(const struct mp_account *a, const struct live *l)
{
	struct mp_run run;

	memset(&run, 0, sizeof(run));
	run.account = a;
	snprintf(run.host, sizeof(run.host), "%s", a->host);
	mp_render_text_header(stdout, &run, l->lang, l->color);
	fflush(stdout);
}

/* After the run (delivery check included): the diagnosis, output,
 * artefacts. The exit code is the diagnosis' status. */
static int
finish_run(const struct mp_output_options *o, const struct mp_run *run, FILE *report,
	   struct live *l, bool live)
{
	struct mp_diagnosis d;
	int rc;

	mp_diagnose(run, &d);
	live_clear(l);
	errno = 0;
	render(o, run, &d, live, l->color);
	rc = output_written() ? (int)d.status : EXIT_UNKNOWN;
	if (write_artefacts(o, run, &d, report) != 0)
		rc = EXIT_UNKNOWN;
	mp_diagnosis_cleanup(&d);
	return rc;
}

static int
run_account(const struct mp_account *a, const struct mp_output_options *o, struct mp_tls_ctx *tls)
{
	bool live = o->format == FORMAT_TEXT && mp_is_terminal(STDOUT_FILENO);
	struct live l = {.a = a,
			 .lang = o->lang,
			 .color = live && getenv("NO_COLOR") == NULL,
			 .verbose = o->verbose,
			 .width = live ? terminal_width() : 80};
	struct mp_run_hooks hooks = {
	    .ctx = &l, .endpoint_done = live_endpoint_done, .tick = live_tick};
	struct mp_run_options opt = {.tls = tls, .hooks = live ? &hooks : NULL};
	struct mp_run run;
	FILE *report;
	char err[256] = "out of memory";
	int rc;

	if ((rc = open_report(o, &report)) != 0)
		return rc;
	mp_render_set_width(live ? l.width : 0);
	l.done = calloc((size_t)MP_MAX_ENDPOINTS * MP_MAX_ADDRS + 1, sizeof(bool));
	if (l.done != NULL) {
		if (live && o->verbose)
			live_header(a, &l);
		if (mp_run_account(a, &opt, &run, err, sizeof(err)) == 0)
			rc = finish_run(o, &run, report, &l, live);
		else
			rc = -1;
		mp_run_cleanup(&run);
	} else {
		rc = -1;
	}
	if (rc < 0 && report != NULL)
		fclose(report);
	free(l.done);
	return rc < 0 ? unknown(o->format == FORMAT_NAGIOS, err) : rc;
}

/* mailprobe without arguments at a terminal: ask, check, report (guided.h). */
static int
guided_main(void)
{
	struct mp_account a;
	struct mp_output_options o;
	struct mp_tls_ctx *tls;
	char err[512];
	int rc;

	if (mp_guided_ask(&a, &o) == -1)
		return mp_guided_finish(&o, EXIT_UNKNOWN);
	if ((tls = mp_tls_ctx_new(NULL, err, sizeof(err))) == NULL)
		rc = unknown(false, err);
	else
		rc = run_account(&a, &o, tls);
	mp_tls_ctx_free(tls);
	mp_account_cleanup(&a);
	return mp_guided_finish(&o, rc);
}

int
main(int argc, char **argv)
{
	struct mp_account a;
	struct mp_output_options o;
	struct mp_tls_ctx *tls;
	char err[512];
	int rc;

	mp_platform_init();
	if (mp_guided_wanted(argc))
		return guided_main();
	rc = mp_cli_parse(argc, argv, &a, &o, err, sizeof(err));
	if (rc == 1) /* --help, --version */
		return output_written() ? 0 : EXIT_UNKNOWN;
	if (rc < 0)
		return unknown(wants_nagios(argc, argv), err);
	if ((tls = mp_tls_ctx_new(a.ca_file, err, sizeof(err))) == NULL ||
	    mp_oauth2_refresh(&a, tls, err, sizeof(err)) == -1) {
		rc = unknown(o.format == FORMAT_NAGIOS, err);
		mp_tls_ctx_free(tls);
		mp_account_cleanup(&a);
		return rc;
	}
	rc = run_account(&a, &o, tls);
	mp_tls_ctx_free(tls);
	mp_account_cleanup(&a);
	return rc;
}
