/*
 * The support report as Markdown (CommonMark with GitHub tables). Every text
 * is escaped so that a server's words cannot become markup, links or HTML;
 * transcripts go into a code fence longer than any backtick run inside.
 */
#include <ctype.h>
#include <string.h>

#include "probe/render/report_impl.h"

/* Characters that start markup anywhere in a line or a table cell. */
static bool
special(const char *s, const char *start)
{
	unsigned char c = (unsigned char)*s;

	if (c == '_') /* intraword '_' is never emphasis */
		return s == start || !isalnum((unsigned char)s[-1]) ||
		       !isalnum((unsigned char)s[1]);
	return strchr("\\`*[]<|~&!#", c) != NULL;
}

/* At the start of a line: a list marker ("-", "+", "1." or "1)") or a
 * setext underline. */
static bool
starts_block(const char *p, const char *start)
{
	const char *q = start;

	if (p == start)
		return *p == '-' || *p == '+' || *p == '=' || *p == '>';
	while (isdigit((unsigned char)*q))
		q++;
	return q == p && q > start && (*p == '.' || *p == ')');
}

/* Escaped text on one line: newlines become spaces. A block (not a table
 * cell) also escapes what would start a list, quote or heading. */
static void
esc_text(FILE *out, const char *s, bool block)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			fputc(' ', out);
		else if (special(p, s) || (block && starts_block(p, s)))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
}

static void
esc(FILE *out, const char *s)
{
	esc_text(out, s, true);
}

static void
md_begin(struct rp *r, const char *title)
{
	fputs("# ", r->out);
	esc(r->out, title);
	fputs("\n\n", r->out);
}

static void
md_end(struct rp *r, const char *footer)
{
	fputs("---\n\n", r->out);
	esc(r->out, footer);
	fputc('\n', r->out);
}

static void
md_heading(struct rp *r, int level, const char *text)
{
	fprintf(r->out, "%.*s ", level < 1 ? 1 : level > 6 ? 6 : level, "######");
	esc(r->out, text);
	fputs("\n\n", r->out);
}

static void
md_badge_heading(struct rp *r, enum rp_kind k, const char *badge, const char *text)
{
	fprintf(r->out, "### %s ", rp_kind_symbol(k, "ℹ"));
	esc(r->out, badge);
	fputs(" — ", r->out);
	esc(r->out, text);
	fputs("\n\n", r->out);
}

static void
md_verdict(struct rp *r, enum mp_status st, const char *light, const char *text)
{
	(void)st;
	fputs("> **● ", r->out);
	esc(r->out, light);
	fputs("** — ", r->out);
	esc(r->out, text);
	fputs("\n\n", r->out);
}

static void
md_para(struct rp *r, const char *text)
{
	esc(r->out, text);
	fputs("\n\n", r->out);
}

static void
md_field(struct rp *r, const char *label, const char *value)
{
	fputs("**", r->out);
	esc(r->out, label);
	fputs(":**", r->out);
	if (value[0] != '\0') {
		fputc(' ', r->out);
		esc(r->out, value);
	}
	fputs("\n\n", r->out);
}

static void
cells(FILE *out, int ncols, const char (*c)[RP_CELL_MAX])
{
	fputc('|', out);
	for (int i = 0; i < ncols; i++) {
		fputc(' ', out);
		esc_text(out, c[i], false);
		fputs(" |", out);
	}
	fputc('\n', out);
}

static void
md_table(struct rp *r, const struct rp_table *t)
{
	cells(r->out, t->ncols, t->head);
	fputc('|', r->out);
	for (int c = 0; c < t->ncols; c++)
		fputs(" --- |", r->out);
	fputc('\n', r->out);
	for (int i = 0; i < t->nrows; i++)
		cells(r->out, t->ncols, t->cell[i]);
	fputc('\n', r->out);
}

/* A fence longer than the longest run of backticks in text (at least 3). */
static int
fence_len(const char *text)
{
	int run = 0, max = 0;

	for (; *text != '\0'; text++) {
		run = *text == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	return max >= 3 ? max + 1 : 3;
}

static void
fence(FILE *out, int n)
{
	while (n-- > 0)
		fputc('`', out);
	fputc('\n', out);
}

static void
md_pre(struct rp *r, const char *text)
{
	int n = fence_len(text);

	fence(r->out, n);
	fputs(text, r->out);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		fputc('\n', r->out);
	fence(r->out, n);
	fputc('\n', r->out);
}

const struct rp_ops rp_md_ops = {
    .begin = md_begin,
    .end = md_end,
    .heading = md_heading,
    .badge_heading = md_badge_heading,
    .verdict = md_verdict,
    .para = md_para,
    .field = md_field,
    .table = md_table,
    .pre = md_pre,
    .waterfall = NULL,
};
