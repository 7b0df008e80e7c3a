/*
 * GET /: the status page. Per configured target a colour grid of its
 * endpoints (verdict, time, the server's words when it failed), its
 * findings and the result's age, and per endpoint an inline-SVG latency
 * history from the store's ring. Self-contained HTML: no script, no
 * external resource; reloads itself every 30 s. Reads the store only.
 * ?lang=de gives German (probe/words), links keep the language.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/tls.h"
#include "probe/render/render.h"
#include "checks/version.h"
#include "exporter/html.h"
#include "exporter/http.h"
#include "exporter/report_page.h"

#define SPARK_W 180
#define SPARK_H 36

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}"
    "h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.15em;margin:0 0 .3em}"
    ".meta{color:#666;margin:.2em 0}.target{background:#fff;border:1px solid #ddd;"
    "border-radius:6px;padding:.8em 1em;margin:1em 0}"
    ".badge{display:inline-block;padding:0 .5em;border-radius:4px;color:#fff;"
    "font-size:.85em;margin-right:.4em}.s-ok{background:#2e7d32}.s-warning{background:#ef6c00}"
    ".s-critical{background:#c62828}.s-none{background:#757575}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.5em}"
    ".cell{border-radius:5px;padding:.4em .6em;border:1px solid}"
    ".ok{background:#e8f5e9;border-color:#a5d6a7}.fail{background:#ffebee;border-color:#ef9a9a}"
    ".ep{font-family:monospace;font-size:.9em;overflow-wrap:anywhere}"
    ".verdict{font-weight:600}h2,.meta{overflow-wrap:anywhere}"
    "@media (max-width:600px){body{margin:.6em}.grid{grid-template-columns:1fr}}"
    ".msg{font-size:.8em;color:#555;word-break:break-word}"
    ".findings{margin:.3em 0 .6em;padding-left:1.2em}.sev-critical{color:#b71c1c}"
    ".sev-warning{color:#e65100}.sev-info{color:#455a64}small{color:#666;font-weight:normal}";

struct page {
	const struct config *cfg;
	FILE *out;
	time_t now;
	enum mp_lang lang;
};

static const char *
status_class(enum mp_status s)
{
	return s == STATUS_OK ? "s-ok" : s == STATUS_WARNING ? "s-warning" : "s-critical";
}

static const char *
status_word(enum mp_lang l, enum mp_status s)
{
	return mp_word(l, s == STATUS_OK         ? L_ST_OK
			  : s == STATUS_WARNING  ? L_ST_WARNING
			  : s == STATUS_CRITICAL ? L_ST_CRITICAL
						 : L_ST_UNKNOWN);
}

static const char *
severity_word(enum mp_lang l, enum mp_severity s)
{
	return mp_word(l, s == SEV_CRITICAL  ? L_SEV_CRITICAL
			  : s == SEV_WARNING ? L_SEV_WARNING
					     : L_SEV_INFO);
}

/* "&lang=de" for links from a German page ("" for English). */
static void
put_lang(FILE *out, enum mp_lang l, const char *sep)
{
	if (l != LANG_EN)
		fprintf(out, "%slang=%s", sep, mp_lang_code(l));
}

static void
sparkline(FILE *out, enum mp_lang l, const struct hist *h)
{
	float max = 0.001f;
	int i0 = (h->head - h->n + HIST_POINTS) % HIST_POINTS;
	char most[32];

	for (int k = 0; k < h->n; k++)
		max = fmaxf(max, h->secs[(i0 + k) % HIST_POINTS]);
	mp_words_duration(l, max, most, sizeof(most));
	fprintf(out,
		"<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"role=\"img\"><title>",
		SPARK_W, SPARK_H, SPARK_W, SPARK_H);
	fprintf(out, mp_word(l, W_EX_LATENCY), h->n, most);
	fputs("</title>", out);
	fputs("<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" points=\"", out);
	for (int k = 0; k < h->n; k++) {
		float v = h->secs[(i0 + k) % HIST_POINTS];

		fprintf(out, "%.1f,%.1f ", 2 + k * (SPARK_W - 4.0) / (HIST_POINTS - 1),
			SPARK_H - 2 - v / max * (SPARK_H - 4));
	}
	fputs("\"/>", out);
	for (int k = 0; k < h->n; k++)
		if (!h->ok[(i0 + k) % HIST_POINTS])
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"2.5\" fill=\"#c62828\"/>",
				2 + k * (SPARK_W - 4.0) / (HIST_POINTS - 1), SPARK_H - 4);
	fputs("</svg>", out);
}

static const struct hist *
hist_of(const struct entry *e, const char *key)
{
	for (int i = 0; i < e->nhist; i++)
		if (strcmp(e->hist[i].key, key) == 0)
			return &e->hist[i];
	return NULL;
}

/* "smtp:587:starttls@198.18.0.10" with a break allowed after the '@'. */
static void
key(FILE *out, const char *k)
{
	const char *at = strchr(k, '@');
	char spec[MP_ADDR_MAX + 40];

	if (at == NULL) {
		html_put(out, k);
		return;
	}
	snprintf(spec, sizeof(spec), "%.*s", (int)(at - k + 1), k);
	html_put(out, spec);
	fputs("<wbr>", out);
	html_put(out, at + 1);
}

static void
cell(FILE *out, enum mp_lang l, const struct entry *e, const struct ep_view *v)
{
	const struct hist *h = hist_of(e, v->key);
	char took[32];

	fprintf(out, "<div class=\"cell %s\" data-endpoint=\"", v->ok ? "ok" : "fail");
	html_put(out, v->key);
	fputs("\"><div class=\"ep\">", out);
	key(out, v->key);
	fputs("</div><div class=\"verdict\">", out);
	if (v->ok)
		html_put(out, mp_word(l, L_OK));
	else if (v->step >= 0)
		fprintf(out, "%s: %s", mp_word_step(l, (enum mp_step)v->step),
			mp_class_str(v->cls));
	else
		html_put(out, mp_word(l, W_TXT_NOT_CHECKED));
	mp_words_duration(l, v->seconds, took, sizeof(took));
	fprintf(out, " &middot; %s</div>", took);
	if (!v->ok && v->message[l][0] != '\0') {
		fputs("<div class=\"msg\">", out);
		html_put(out, v->message[l]);
		fputs("</div>", out);
	}
	if (h != NULL && h->n > 0)
		sparkline(out, l, h);
	fputs("</div>\n", out);
}

static void
findings(FILE *out, enum mp_lang l, const struct view *v)
{
	if (v->nfind == 0)
		return;
	fputs("<ul class=\"findings\">", out);
	for (int i = 0; i < v->nfind; i++) {
		const struct finding_view *f = &v->finds[i];

		fprintf(out, "<li class=\"sev-%s\" data-finding=\"", mp_severity_str(f->severity));
		html_put(out, f->id);
		fputs("\"><b>", out);
		html_put(out, f->id);
		fputs("</b> (", out);
		html_put(out, severity_word(l, f->severity));
		fputs(") ", out);
		html_put(out, f->summary[l]);
		fputs("</li>", out);
	}
	fputs("</ul>\n", out);
}

static void
target_head(struct page *p, const struct cfg_target *t, const struct entry *e)
{
	FILE *out = p->out;
	const struct view *v = e->view;

	fputs("<section class=\"target\" data-target=\"", out);
	html_put(out, t->name);
	fprintf(out, "\"><h2><span class=\"badge %s\">%s</span>",
		v != NULL ? status_class(v->status) : "s-none",
		v != NULL ? status_word(p->lang, v->status) : mp_word(p->lang, W_EX_PENDING));
	html_put(out, t->name);
	fputs(" <small>", out);
	html_put(out, t->host);
	fprintf(out, " &middot; %s ", mp_word(p->lang, W_EX_MODULE));
	html_put(out, p->cfg->modules[t->module].name);
	for (int i = 0; i < t->nlabels; i++) {
		fputs(" &middot; ", out);
		html_put(out, t->labels[i].name);
		fputc('=', out);
		html_put(out, t->labels[i].value);
	}
	fputs("</small></h2>\n", out);
}

static void
target_meta(struct page *p, const struct cfg_target *t, const struct entry *e)
{
	FILE *out = p->out;
	const struct view *v = e->view;
	enum mp_lang l = p->lang;
	char a[64], b[32];

	fputs("<p class=\"meta\">", out);
	if (v != NULL) {
		snprintf(a, sizeof(a), "<span class=\"age\">%lds</span>", (long)(p->now - v->at));
		mp_words_seconds(l, v->duration, b, sizeof(b));
		fprintf(out, mp_word(l, W_EX_PROBED), a, b);
	} else {
		fputs(mp_word(l, e->running ? W_EX_FIRST_RUNNING : W_EX_WAITING), out);
	}
	fputs(" &middot; ", out);
	snprintf(a, sizeof(a), "%.0f s", t->interval);
	fprintf(out, mp_word(l, W_EX_EVERY), a);
	if (e->backoff > 0) {
		snprintf(a, sizeof(a), "%.0f s", e->backoff);
		fputs(" &middot; <b>", out);
		fprintf(out, mp_word(l, W_EX_BACKOFF), a);
		fputs("</b>", out);
	}
	if (e->report != NULL) {
		fputs(" &middot; <a href=\"/report?target=", out);
		html_put_query(out, t->name);
		put_lang(out, l, "&amp;");
		fprintf(out, "\">%s</a>", mp_word(l, W_EX_REPORT));
	}
	fputs("</p>\n", out);
}

static void
target(struct page *p, const struct cfg_target *t, const struct entry *e)
{
	const struct view *v = e->view;

	target_head(p, t, e);
	target_meta(p, t, e);
	if (v != NULL) {
		if (v->resolve != CLASS_NONE)
			fprintf(p->out, "<p class=\"sev-critical\">%s: %s</p>",
				mp_word(p->lang, W_TXT_RESOLVE), mp_class_str(v->resolve));
		findings(p->out, p->lang, v);
		fputs("<div class=\"grid\">\n", p->out);
		for (int i = 0; i < v->neps; i++)
			cell(p->out, p->lang, e, &v->eps[i]);
		fputs("</div>\n", p->out);
	}
	fputs("</section>\n", p->out);
}

static void
targets_locked(void *ctx, struct entry *const *e, int n)
{
	struct page *p = ctx;

	for (int i = 0; i < n && i < p->cfg->ntargets; i++)
		if (e[i] != NULL && strcmp(e[i]->name, p->cfg->targets[i].name) == 0)
			target(p, &p->cfg->targets[i], e[i]);
}

/* The page names files by their base name only: where the config and the
 * secrets live is none of a visitor's business. */
static const char *
file_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (path[0] == '\0')
		return "(built-in)";
	return slash != NULL ? slash + 1 : path;
}

static void
header(struct state *st, struct page *p)
{
	FILE *out = p->out;
	enum mp_lang l = p->lang, other = l == LANG_EN ? LANG_DE : LANG_EN;
	bool ok;

	pthread_mutex_lock(&st->mu);
	ok = st->reload_ok;
	pthread_mutex_unlock(&st->mu);
	fprintf(out,
		"<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		"<meta http-equiv=\"refresh\" content=\"30\"><title>mailprobe exporter</title>"
		"<style>%s</style></head>\n<body><h1>mailprobe exporter</h1>\n<p class=\"meta\">",
		mp_lang_code(l), style);
	fprintf(out, mp_word(l, W_EX_VERSION), MAILPROBE_VERSION);
	fputs(" &middot; ", out);
	html_put(out, mp_tls_library_version());
	fputs(" &middot; ", out);
	fprintf(out, mp_word(l, W_EX_TARGETS), p->cfg->ntargets);
	fprintf(out, " &middot; %s ", mp_word(l, W_EX_CONFIG));
	html_put(out, file_name(p->cfg->path));
	fprintf(out,
		" &middot; %s%s%s &middot; <a href=\"/metrics\">/metrics</a> "
		"&middot; /probe?target=HOST&amp;module=NAME &middot; <a href=\"/",
		ok ? "" : "<b>", mp_word(l, ok ? W_EX_RELOAD_OK : W_EX_RELOAD_FAILED),
		ok ? "" : "</b>");
	put_lang(out, other, "?");
	fprintf(out, "\" hreflang=\"%s\">%s</a></p>\n", mp_lang_code(other),
		mp_word(l, W_EX_OTHER_LANG));
	if (p->cfg->ntargets == 0)
		fprintf(out, "<p>%s</p>\n", mp_word(l, W_EX_NO_TARGETS));
}

enum MHD_Result
route_status(struct state *st, struct config *cfg, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct page p = {.cfg = cfg, .out = out, .now = time(NULL)};

	if (!page_lang(c, &p.lang)) {
		if (out != NULL && fclose(out) == 0)
			free(buf);
		return page_lang_refused(c);
	}
	if (out == NULL)
		return http_send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	header(st, &p);
	store_with_lock(st->store, targets_locked, &p);
	fputs("</body></html>\n", out);
	if (fclose(out) != 0) {
		free(buf);
		return http_send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	return http_send(c, MHD_HTTP_OK, TYPE_HTML, buf, len);
}
