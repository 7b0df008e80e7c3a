/*
 * The support report: picks the format, then writes the sections in order
 * (verdict, settings per client, findings, endpoints, transcripts,
 * environment) over the format's primitives. Shared helpers for the section
 * files live here too. Reads the run and the diagnosis only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/render/render.h"
#include "probe/render/report_impl.h"
#include "checks/version.h"

int
mp_report_format_from_path(const char *path)
{
	const char *dot = path != NULL ? strrchr(path, '.') : NULL;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return -1;
	if (strcasecmp(dot, ".md") == 0)
		return REPORT_MD;
	if (strcasecmp(dot, ".html") == 0)
		return REPORT_HTML;
	if (strcasecmp(dot, ".txt") == 0)
		return REPORT_TXT;
	return -1;
}

void
rp_msg(const struct rp *r, const char *in, char *out, size_t len)
{
	mp_render_message(r->a, in != NULL ? in : "", out, len);
}

/* With --redact-user any user name is shown masked, the way mp_render_user
 * masks the account's own. */
void
rp_user(const struct rp *r, const char *name, char *out, size_t len)
{
	char shown[MP_HOST_MAX + 8];
	struct mp_account *tmp;

	if (len == 0)
		return;
	out[0] = '\0';
	if (name == NULL || name[0] == '\0')
		return;
	snprintf(shown, sizeof(shown), "%s", name);
	if (r->a != NULL && r->a->redact_user) {
		snprintf(shown, sizeof(shown), "***");
		if ((tmp = calloc(1, sizeof(*tmp))) != NULL) {
			tmp->redact_user = true;
			snprintf(tmp->user, sizeof(tmp->user), "%s", name);
			mp_render_user(tmp, shown, sizeof(shown));
			free(tmp);
		}
	}
	rp_msg(r, shown, out, len);
}

/* "imap:993:tls @ 192.0.2.1", with the server name when the endpoint's
 * differs from the run's (discovery found another host). */
void
rp_endpoint_title(const struct rp *r, const struct mp_endpoint_result *e, char *out, size_t len)
{
	char spec[64], host[MP_NAME_MAX] = "";
	bool other = e->host[0] != '\0' && strcasecmp(e->host, r->run->host) != 0;

	mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
	if (other)
		rp_msg(r, e->host, host, sizeof(host));
	snprintf(out, len, "%s @ %s%s%s%s", spec, e->address[0] != '\0' ? e->address : "-",
		 other ? " (" : "", host, other ? ")" : "");
}

enum rp_kind
rp_step_kind(const struct mp_step_result *s)
{
	if (s->ok)
		return RP_OK;
	return s->cls == CLASS_AUTH_SKIPPED ? RP_SKIP : RP_FAIL;
}

void
rp_table_start(struct rp *r, int ncols, const char *const *head)
{
	struct rp_table *t = r->tab;

	t->ncols = ncols < RP_MAX_COLS ? ncols : RP_MAX_COLS;
	t->nrows = 0;
	t->style = "plain";
	for (int c = 0; c < t->ncols; c++)
		snprintf(t->head[c], RP_CELL_MAX, "%s", head[c]);
}

void
rp_table_add(struct rp *r, enum rp_kind k, const char *const *cells)
{
	struct rp_table *t = r->tab;

	if (t->nrows >= RP_MAX_ROWS)
		return;
	for (int c = 0; c < t->ncols; c++)
		snprintf(t->cell[t->nrows][c], RP_CELL_MAX, "%s", cells[c]);
	t->kind[t->nrows++] = k;
}

void
rp_table_emit(struct rp *r)
{
	r->ops->table(r, r->tab);
}

const char *
rp_t(const struct rp *r, enum mp_word l)
{
	return mp_word(r->lang, l);
}

const char *
rp_step_name(const struct rp *r, enum mp_step s)
{
	return mp_word_step(r->lang, s);
}

void
rp_date(const struct rp *r, time_t t, bool local, char *out, size_t len)
{
	mp_words_date(r->lang, t, local, out, len);
}

void
rp_duration(const struct rp *r, double secs, char *out, size_t len)
{
	mp_words_duration(r->lang, secs, out, len);
}

/* A finding's summary and advice in the report's language, masked and
 * cleaned. */
static void
finding_texts(const struct rp *r, const struct mp_finding *f, char *summary, char *advice)
{
	char s[RP_CELL_MAX], a[RP_CELL_MAX];

	mp_words_finding(r->run, f, r->lang, s, sizeof(s), a, sizeof(a));
	rp_msg(r, s, summary, RP_CELL_MAX);
	if (advice != NULL)
		rp_msg(r, a, advice, RP_CELL_MAX);
}

/* Verdict */

static void
light_of(const struct rp *r, enum mp_status st, char *out, size_t len)
{
	static const enum mp_word light[] = {L_LIGHT_GREEN, L_LIGHT_YELLOW, L_LIGHT_RED,
					     L_LIGHT_GREY};
	static const enum mp_word word[] = {L_ST_OK, L_ST_WARNING, L_ST_CRITICAL, L_ST_UNKNOWN};
	int i = st >= STATUS_OK && st <= STATUS_UNKNOWN ? (int)st : STATUS_UNKNOWN;

	snprintf(out, len, "%s / %s", rp_t(r, light[i]), rp_t(r, word[i]));
}

/* The verdict sentence and the advice of the worst finding that is not
 * just information ("" when there is none). */
void
mp_report_verdict(const struct mp_run *run, const struct mp_diagnosis *d, enum mp_lang l,
		  char *text, size_t tlen, char *advice, size_t alen)
{
	char s[RP_CELL_MAX], a[RP_CELL_MAX];
	int nok = 0, n = 0;

	for (int i = 0; i < run->nendpoints; i++) { /* port 25 is no client's port */
		n += run->endpoints[i].spec.port != 25;
		nok += run->endpoints[i].spec.port != 25 && run->endpoints[i].ok;
	}
	advice[0] = '\0';
	if (d->nfindings > 0) {
		mp_words_finding(run, &d->findings[0], l, s, sizeof(s), a, sizeof(a));
		if (d->findings[0].severity != SEV_INFO)
			mp_render_message(run->account, a, advice, alen);
	}
	if (d->status != STATUS_OK && d->nfindings > 0)
		mp_render_message(run->account, s, text, tlen);
	else if (d->status == STATUS_OK)
		snprintf(text, tlen, mp_word(l, L_VERDICT_OK), nok, n);
	else
		snprintf(text, tlen, mp_word(l, L_VERDICT_FAILED), n - nok, n);
}

static void
section_verdict(struct rp *r)
{
	const struct mp_run *run = r->run;
	char light[64], text[RP_CELL_MAX], advice[RP_CELL_MAX], when[96], dur[32];

	light_of(r, r->d->status, light, sizeof(light));
	mp_report_verdict(run, r->d, r->lang, text, sizeof(text), advice, sizeof(advice));
	r->ops->verdict(r, r->d->status, light, text);
	if (advice[0] != '\0')
		r->ops->field(r, rp_t(r, L_WHAT_TO_DO), advice);
	rp_date(r, run->started_at, false, when, sizeof(when));
	rp_duration(r, run->duration, dur, sizeof(dur));
	snprintf(text, sizeof(text), rp_t(r, L_CHECKED), when, dur);
	r->ops->para(r, text);
}

/* Findings */

static enum rp_kind
severity_kind(enum mp_severity s)
{
	return s == SEV_CRITICAL ? RP_FAIL : s == SEV_WARNING ? RP_WARN : RP_INFO;
}

static const char *
severity_word(const struct rp *r, enum mp_severity s)
{
	return rp_t(r, s == SEV_CRITICAL  ? L_SEV_CRITICAL
		       : s == SEV_WARNING ? L_SEV_WARNING
					  : L_SEV_INFO);
}

static void
evidence_table(struct rp *r, const struct mp_finding *f)
{
	const char *head[] = {rp_t(r, L_ENDPOINT), rp_t(r, L_STEP), rp_t(r, L_CLASS),
			      rp_t(r, L_MESSAGE)};
	char ep[MP_ADDR_MAX + 64], raw[MP_MESSAGE_MAX + 32], msg[RP_CELL_MAX];

	rp_table_start(r, 4, head);
	r->tab->style = "evidence";
	for (int i = 0; i < f->nevidence && i < MP_MAX_EVIDENCE; i++) {
		const struct mp_evidence *ev = &f->evidence[i];
		const char *cells[4] = {
		    ep,
		    ev->kind == EV_DISCOVERY ? rp_t(r, W_TXT_DISCOVERY)
		    : ev->has_step           ? rp_step_name(r, ev->step)
					     : rp_t(r, L_RESOLVE),
		    ev->cls != CLASS_NONE ? mp_class_str(ev->cls) : rp_t(r, L_DASH), msg};

		mp_evidence_name(r->run, ev, raw, sizeof(raw));
		rp_msg(r, raw, ep, sizeof(ep));
		mp_words_evidence_message(r->lang, r->run, ev, raw, sizeof(raw));
		rp_msg(r, raw, msg, sizeof(msg));
		rp_table_add(r, severity_kind(f->severity), cells);
	}
	rp_table_emit(r);
}

static void
one_finding(struct rp *r, const struct mp_finding *f)
{
	char text[RP_CELL_MAX], advice[RP_CELL_MAX], id[64];

	snprintf(id, sizeof(id), "%s", f->id != NULL ? f->id : "?");
	r->ops->badge_heading(r, severity_kind(f->severity), severity_word(r, f->severity), id);
	finding_texts(r, f, text, advice);
	r->ops->para(r, text);
	if (advice[0] != '\0')
		r->ops->field(r, rp_t(r, L_ADVICE), advice);
	if (f->nevidence > 0) {
		r->ops->field(r, rp_t(r, L_EVIDENCE), "");
		evidence_table(r, f);
	}
}

static void
section_findings(struct rp *r)
{
	r->ops->heading(r, 2, rp_t(r, L_FINDINGS));
	if (r->d->nfindings <= 0)
		r->ops->para(r, rp_t(r, L_NO_FINDINGS));
	for (int i = 0; i < r->d->nfindings && i < MP_MAX_FINDINGS; i++)
		one_finding(r, &r->d->findings[i]);
}

/* Transcripts */

/* Appends "shown[ [...]]\n" to the growing string *buf (*len bytes);
 * -1 when out of memory. */
static int
append_line(char **buf, size_t *len, const char *shown, bool cut)
{
	size_t n = strlen(shown) + (cut ? 6 : 0) + 1;
	char *grown = realloc(*buf, *len + n + 1);

	if (grown == NULL)
		return -1;
	snprintf(grown + *len, n + 1, "%s%s\n", shown, cut ? " [...]" : "");
	*buf = grown;
	*len += n;
	return 0;
}

/* The transcript line by line, each cleaned and masked; NULL when out of
 * memory. Free the result. */
static char *
transcript_text(const struct rp *r, const char *t)
{
	char line[RP_CELL_MAX], shown[RP_CELL_MAX], *buf = calloc(1, 1);
	size_t len = 0, n;

	while (buf != NULL && *t != '\0') {
		n = strcspn(t, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1),
			 t);
		if (n > 0 && n < sizeof(line) && line[n - 1] == '\r')
			line[n - 1] = '\0';
		rp_msg(r, line, shown, sizeof(shown));
		if (append_line(&buf, &len, shown, n >= sizeof(line)) != 0) {
			free(buf);
			return NULL;
		}
		t += n + (t[n] == '\n');
	}
	return buf;
}

static void
section_transcripts(struct rp *r)
{
	char title[RP_TITLE_MAX], *text;

	r->ops->heading(r, 2, rp_t(r, L_TRANSCRIPT));
	r->ops->para(r, rp_t(r, L_TRANSCRIPT_NOTE));
	for (int i = 0; i < r->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &r->run->endpoints[i];

		rp_endpoint_title(r, e, title, sizeof(title));
		r->ops->heading(r, 3, title);
		text = e->transcript != NULL ? transcript_text(r, e->transcript) : NULL;
		if (text != NULL && text[0] != '\0')
			r->ops->pre(r, text);
		else
			r->ops->para(r, rp_t(r, L_NO_TRANSCRIPT));
		free(text);
	}
}

static double
axis_max(const struct mp_run *run)
{
	double max = 0.0, sum;

	for (int i = 0; i < run->nendpoints; i++) {
		sum = 0.0;
		for (int k = 0; k < run->endpoints[i].nsteps && k < STEP_COUNT; k++)
			sum += run->endpoints[i].steps[k].seconds > 0.0
				   ? run->endpoints[i].steps[k].seconds
				   : 0.0;
		if (sum > max)
			max = sum;
	}
	return max;
}

static const struct rp_ops *
ops_for(enum mp_report_format fmt)
{
	switch (fmt) {
	case REPORT_MD:
		return &rp_md_ops;
	case REPORT_HTML:
		return &rp_html_ops;
	case REPORT_TXT:
		return &rp_txt_ops;
	}
	return NULL;
}

static void
write_all(struct rp *r)
{
	char title[RP_TITLE_MAX + 64], host[MP_HOST_MAX], footer[256];

	rp_msg(r, r->run->host, host, sizeof(host));
	snprintf(title, sizeof(title), "%s: %s", rp_t(r, L_TITLE), host);
	r->ops->begin(r, title);
	if (r->ticket != NULL && r->ticket[0] != '\0') {
		char ticket[RP_CELL_MAX];

		rp_msg(r, r->ticket, ticket, sizeof(ticket));
		r->ops->field(r, rp_t(r, L_TICKET), ticket);
	}
	section_verdict(r);
	rp_section_grid(r);
	section_findings(r);
	rp_section_paths(r);
	rp_section_settings(r);
	rp_section_endpoints(r);
	section_transcripts(r);
	rp_section_environment(r);
	snprintf(footer, sizeof(footer), rp_t(r, L_FOOTER), MAILPROBE_VERSION);
	r->ops->end(r, footer);
}

int
mp_report_write(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		const struct mp_report_options *o)
{
	struct rp r = {.out = out, .run = run, .d = d};

	if (out == NULL || run == NULL || d == NULL || o == NULL ||
	    (r.ops = ops_for(o->format)) == NULL || o->lang < 0 || o->lang >= LANG_COUNT) {
		errno = EINVAL;
		return -1;
	}
	r.a = run->account;
	r.lang = o->lang;
	r.ticket = o->ticket;
	r.axis_max = axis_max(run);
	if ((r.tab = calloc(1, sizeof(*r.tab))) == NULL)
		return -1;
	write_all(&r);
	free(r.tab);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}

const char *
rp_kind_symbol(enum rp_kind k, const char *info)
{
	switch (k) {
	case RP_OK:
		return "✔";
	case RP_WARN:
		return "▲";
	case RP_FAIL:
		return "✖";
	case RP_SKIP:
		return "–";
	default:
		return info;
	}
}
