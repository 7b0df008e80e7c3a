/*
 * Renderers: a finished run (or one endpoint of it) to text, JSON, Nagios
 * and trace output. Pure output: they read results, never change them, and
 * never print the password; the user name appears only where mailprobe-reference(7) says
 * (JSON recommended.username), masked with --redact-user. Strings from the
 * network are cleaned (valid UTF-8, no control bytes) before they are shown.
 */
#ifndef MAILPROBE_RENDER_H
#define MAILPROBE_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <limits.h>

#include "probe/diagnose/diagnose.h"
#include "probe/words/words.h"

struct cJSON;

/* What the user asked to see, apart from what to probe (the account). */
enum mp_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS, FORMAT_NAGIOS };

struct mp_output_options {
	enum mp_format format;
	enum mp_lang lang; /* text output and reports; JSON stays English */
	bool trace;
	bool verbose;                     /* -v: every step, certificates, capabilities */
	char ticket[128];                 /* --ticket: a reference shown atop the report */
	char report_file[PATH_MAX];       /* "" = none */
	char client_config_dir[PATH_MAX]; /* "" = none */
	bool guided;                      /* the guided mode's answer instead of the text */
};

/* Defaults: text, English, no trace, no files. */
void mp_output_options_init(struct mp_output_options *o);

/* Every renderer reads a finished run and its diagnosis (d, never NULL;
 * the status is d->status). */

/* --format json: one object (mailprobe-reference(7)) and a newline. 0, or -1 when out of
 * memory or the write failed. */
int mp_render_json(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d);
/* The same object as a cJSON tree, for callers that add members (findings,
 * discovery, delivery); free with cJSON_Delete(). NULL when out of memory. */
struct cJSON *mp_render_json_tree(const struct mp_run *run, const struct mp_diagnosis *d);

/* --format text: header + every endpoint + summary. ANSI colours only when
 * color is true. */
void mp_render_text(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		    enum mp_lang l, bool color);
/* The parts, for printing endpoints as they finish on a terminal. */
void mp_render_text_header(FILE *out, const struct mp_run *run, enum mp_lang l, bool color);
void mp_render_text_endpoint(FILE *out, const struct mp_endpoint_result *e, enum mp_lang l,
			     bool color);
/* As above, with the account's password and (--redact-user) user name
 * masked in messages; a may be NULL. Prefer this one when the account is at
 * hand. */
void mp_render_text_endpoint_for(FILE *out, const struct mp_account *a,
				 const struct mp_endpoint_result *e, enum mp_lang l, bool color);
void mp_render_text_summary(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			    enum mp_lang l, bool color);
/* The default text output (render_brief.c): header, one line per endpoint,
 * findings, recommended settings, verdict. */
void mp_render_text_brief(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			  enum mp_lang l, bool color);
/* The verdict line: status and endpoints ok (a login not tested counts as
 * ok: it says nothing about reaching the endpoint). */
void mp_render_text_verdict(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			    enum mp_lang l, bool color);
/* The findings (with advice, in language l) and the recommended settings
 * (render_findings.c); wrapped at the width mp_render_set_width gave. */
void mp_render_text_findings(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			     enum mp_lang l);
/* The terminal's columns for the findings' words (0, the default: no
 * wrapping, as for a pipe or a file). */
void mp_render_set_width(int columns);
/* s and a newline, broken at spaces so that no line is wider than that
 * width (columns count UTF-8 characters); the continuation lines are
 * indented by indent. A word wider than a line stays whole. */
void mp_render_wrapped(FILE *out, const char *s, int indent);
/* The guided mode's answer (render_guided.c): the result in one plain
 * sentence and what to do, for a customer; the details are in the report. */
void mp_render_text_guided(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			   enum mp_lang l);

/* --format nagios: the monitoring-plugins status line with perfdata, then a
 * line per failed endpoint. */
void mp_render_nagios(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d);

/* --trace: per endpoint a heading and its transcript (redacted by the
 * engine; cleaned here). */
void mp_render_trace(FILE *out, const struct mp_run *run);

/* Helpers shared by the renderers (render_text.c). */

/* in -> out as valid UTF-8 without control bytes (C0, DEL, C1): each bad
 * byte becomes '?', a tab a space; '\n' is kept when keep_newlines.
 * Invisible format characters (bidirectional overrides and isolates,
 * zero-width characters, U+2028/9; Unicode category Cf) are shown as
 * "<U+202E>". Cut at a character boundary to fit outlen. Every string from
 * the network passes through here before any output. */
void mp_render_clean(const char *in, char *out, size_t outlen, bool keep_newlines);
/* A message fit to show: cleaned, the password replaced by "***" and, with
 * --redact-user, the user by its masked form. a may be NULL. */
void mp_render_message(const struct mp_account *a, const char *msg, char *out, size_t outlen);
/* The user as shown: "" when none, masked ("j***@example.com") with
 * --redact-user. */
void mp_render_user(const struct mp_account *a, char *out, size_t outlen);
/* s with & < > " ' as HTML entities (report_html.c); clean it first. */
void mp_render_html_escape(FILE *out, const char *s);
/* RFC 3339 UTC, "2026-11-26T07:32:34Z". */
void mp_render_time(time_t t, char *out, size_t outlen);
/* "ok", "warning", "critical", "unknown". */
const char *mp_render_status_word(enum mp_status s);

#endif
