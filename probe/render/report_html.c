/*
 * The support report as one self-contained HTML file: inline CSS only (no
 * scripts, fonts, images or links), readable on a phone (viewport, tables
 * that wrap or scroll) and on paper (@media print). Written as well-formed
 * XML as well (void elements closed, only the five XML character entities),
 * so both HTML and XML parsers accept it. Every text is escaped.
 */
#include <string.h>

#include "probe/render/render.h"
#include "probe/render/report_impl.h"

static const char css[] =
    ":root{color-scheme:light}"
    "body{margin:0;padding:12px;background:#fff;color:#1d1d1f;"
    "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}"
    ".page{max-width:960px;margin:0 auto}"
    "h1{font-size:1.4em;margin:.2em 0 .6em;overflow-wrap:anywhere}"
    "h2{font-size:1.2em;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:2px solid #ddd}"
    "h3{font-size:1.02em;margin:1.3em 0 .4em;overflow-wrap:anywhere}"
    "p{margin:.4em 0 .7em}"
    ".verdict{display:flex;gap:.7em;align-items:flex-start;padding:.8em 1em;"
    "border:1px solid;border-left-width:6px;border-radius:8px;font-size:1.08em}"
    ".verdict .dot{flex:none;width:1.1em;height:1.1em;border-radius:50%;margin-top:.18em}"
    ".verdict strong{display:block}"
    ".st-ok{background:#edf7ee;border-color:#2e7d32}.st-ok .dot{background:#2e7d32}"
    ".st-warning{background:#fff6e0;border-color:#c77700}.st-warning .dot{background:#f2a900}"
    ".st-critical{background:#fdecec;border-color:#c62828}.st-critical .dot{background:#c62828}"
    ".st-unknown{background:#f1f1f1;border-color:#757575}.st-unknown .dot{background:#757575}"
    ".badge{display:inline-block;margin-right:.45em;padding:.05em .45em;border-radius:4px;"
    "color:#fff;font-size:.82em;font-weight:600;vertical-align:.08em}"
    ".b-ok{background:#2e7d32}.b-warn{background:#b86e00}.b-fail{background:#c62828}"
    ".b-skip{background:#757575}.b-info,.b-plain{background:#546e7a}"
    ".tw{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.3em 0 .9em}"
    "table{border-collapse:collapse;width:100%;font-size:.92em}"
    "th,td{border:1px solid #d8d8d8;padding:.3em .5em;text-align:left;vertical-align:top;"
    "overflow-wrap:break-word}"
    "table.steps td:last-child,table.evidence td:last-child{overflow-wrap:anywhere}"
    "table.steps th:nth-child(-n+3),table.steps td:nth-child(-n+3){width:1%}"
    "table.steps td:nth-child(1),table.steps td:nth-child(3){white-space:nowrap}"
    "table.evidence td:nth-child(2),table.evidence td:nth-child(3){width:1%}"
    "table.env td:first-child{width:30%}"
    "thead th{background:#f3f3f3}"
    "table.steps tr.k-ok td:nth-child(2){color:#1b5e20}"
    "tr.k-fail td{background:#fdf1f1}"
    "table.steps tr.k-fail td:nth-child(2){color:#b71c1c;font-weight:600}"
    "tr.k-warn td{background:#fff8e8}tr.k-skip td{color:#616161}"
    "td:first-child{min-width:5.5em}"
    "table.wf{width:100%;font-size:.85em}"
    ".wf th,.wf td{border:none;padding:1px 4px;background:none}"
    ".wf th{font-weight:normal;white-space:nowrap;width:1%;color:#444}"
    ".wf td.bar{min-width:8em}"
    ".wf td.ms{white-space:nowrap;width:1%;text-align:right;font-variant-numeric:tabular-nums}"
    ".wf svg{display:block}"
    "pre{margin:.3em 0 1em;padding:.6em .7em;background:#f6f6f6;border:1px solid #e2e2e2;"
    "border-radius:4px;font:.8em/1.4 ui-monospace,Menlo,Consolas,monospace;"
    "white-space:pre-wrap;overflow-wrap:anywhere}"
    ".foot{margin-top:2em;color:#666;font-size:.85em}"
    "@media (max-width:600px){body{padding:8px;font-size:14px}"
    "th,td{padding:.25em .35em}td:first-child{min-width:4.5em}"
    "table.client,table.client thead,table.client tbody{display:block}"
    "table.client{border:1px solid #d8d8d8}"
    "table.client tr{display:grid;grid-template-columns:1fr 1fr}"
    "table.client th,table.client td{border:none;border-top:1px solid #e4e4e4}"
    "table.client tr:first-child th:first-child{border-top:none}"
    "table.client th:first-child,table.client td:first-child{grid-column:1/-1;"
    "background:#f7f7f7;font-weight:600;min-width:0}"
    "table.client td:nth-child(3),table.client th:nth-child(3){border-left:1px solid #e4e4e4}"
    /* evidence on a phone: the endpoint, then step and class, then the message */
    "table.evidence,table.evidence tbody{display:block}table.evidence thead{display:none}"
    "table.evidence tr{display:grid;grid-template-columns:auto 1fr;"
    "border-bottom:1px solid #d8d8d8}"
    "table.evidence td{border:none;width:auto!important}"
    "table.evidence td:first-child,table.evidence td:last-child{grid-column:1/-1;"
    "overflow-wrap:anywhere}table.evidence td:first-child{font-weight:600}}"
    "@media print{body{padding:0;font-size:10pt}.page{max-width:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".tw{overflow:visible}h2,h3{break-after:avoid}"
    "tr,.verdict,.wf{break-inside:avoid}pre{font-size:8pt}}";

void
mp_render_html_escape(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static void
html_begin(struct rp *r, const char *title)
{
	fprintf(r->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n",
		r->lang == LANG_DE ? "de" : "en");
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>",
	      r->out);
	mp_render_html_escape(r->out, title);
	fprintf(r->out, "</title>\n<style>%s</style>\n</head>\n<body>\n<div class=\"page\">\n<h1>",
		css);
	mp_render_html_escape(r->out, title);
	fputs("</h1>\n", r->out);
}

static void
html_end(struct rp *r, const char *footer)
{
	fputs("<p class=\"foot\">", r->out);
	mp_render_html_escape(r->out, footer);
	fputs("</p>\n</div>\n</body>\n</html>\n", r->out);
}

static void
html_heading(struct rp *r, int level, const char *text)
{
	int h = level < 1 ? 1 : level > 6 ? 6 : level;

	fprintf(r->out, "<h%d>", h);
	mp_render_html_escape(r->out, text);
	fprintf(r->out, "</h%d>\n", h);
}

static const char *
kind_class(enum rp_kind k)
{
	static const char *const names[] = {
	    [RP_PLAIN] = "plain", [RP_OK] = "ok",     [RP_WARN] = "warn",
	    [RP_FAIL] = "fail",   [RP_SKIP] = "skip", [RP_INFO] = "info"};

	return k >= RP_PLAIN && k <= RP_INFO ? names[k] : "plain";
}

static void
html_badge_heading(struct rp *r, enum rp_kind k, const char *badge, const char *text)
{
	fprintf(r->out, "<h3><span class=\"badge b-%s\">", kind_class(k));
	mp_render_html_escape(r->out, badge);
	fputs("</span>", r->out);
	mp_render_html_escape(r->out, text);
	fputs("</h3>\n", r->out);
}

static void
html_verdict(struct rp *r, enum mp_status st, const char *light, const char *text)
{
	static const char *const names[] = {"ok", "warning", "critical", "unknown"};

	fprintf(r->out,
		"<div class=\"verdict st-%s\" role=\"status\"><span class=\"dot\" "
		"aria-hidden=\"true\"></span><div><strong>",
		st >= STATUS_OK && st <= STATUS_UNKNOWN ? names[st] : "unknown");
	mp_render_html_escape(r->out, light);
	fputs("</strong>", r->out);
	mp_render_html_escape(r->out, text);
	fputs("</div></div>\n", r->out);
}

static void
html_para(struct rp *r, const char *text)
{
	fputs("<p>", r->out);
	mp_render_html_escape(r->out, text);
	fputs("</p>\n", r->out);
}

static void
html_fold_begin(struct rp *r, const char *summary)
{
	fputs("<details><summary>", r->out);
	mp_render_html_escape(r->out, summary);
	fputs("</summary>\n", r->out);
}

static void
html_fold_end(struct rp *r)
{
	fputs("</details>\n", r->out);
}

static void
html_field(struct rp *r, const char *label, const char *value)
{
	fputs("<p><strong>", r->out);
	mp_render_html_escape(r->out, label);
	fputs(":</strong> ", r->out);
	mp_render_html_escape(r->out, value);
	fputs("</p>\n", r->out);
}

static void
html_table(struct rp *r, const struct rp_table *t)
{
	bool head = false;

	for (int c = 0; c < t->ncols; c++)
		head |= t->head[c][0] != '\0';
	fprintf(r->out, "<div class=\"tw\"><table class=\"%s\">\n", t->style);
	if (head) {
		fputs("<thead><tr>", r->out);
		for (int c = 0; c < t->ncols; c++) {
			fputs("<th>", r->out);
			mp_render_html_escape(r->out, t->head[c]);
			fputs("</th>", r->out);
		}
		fputs("</tr></thead>\n", r->out);
	}
	fputs("<tbody>\n", r->out);
	for (int i = 0; i < t->nrows; i++) {
		fprintf(r->out, "<tr class=\"k-%s\">", kind_class(t->kind[i]));
		for (int c = 0; c < t->ncols; c++) {
			fputs("<td>", r->out);
			mp_render_html_escape(r->out, t->cell[i][c]);
			fputs("</td>", r->out);
		}
		fputs("</tr>\n", r->out);
	}
	fputs("</tbody></table></div>\n", r->out);
}

static void
html_pre(struct rp *r, const char *text)
{
	fputs("<pre>", r->out);
	mp_render_html_escape(r->out, text);
	fputs("</pre>\n", r->out);
}

const struct rp_ops rp_html_ops = {
    .begin = html_begin,
    .end = html_end,
    .heading = html_heading,
    .badge_heading = html_badge_heading,
    .verdict = html_verdict,
    .para = html_para,
    .field = html_field,
    .table = html_table,
    .pre = html_pre,
    .waterfall = rp_html_waterfall,
    .fold_begin = html_fold_begin,
    .fold_end = html_fold_end,
    .path_svg = rp_html_path_svg,
};
