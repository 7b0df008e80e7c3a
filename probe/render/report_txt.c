/*
 * The support report as plain text: underlined headings, paragraphs wrapped
 * at 78 columns, tables as aligned columns whose long cells wrap inside
 * their column, transcripts indented. Text needs no escaping here: it is
 * already cleaned of control bytes.
 */
#include <string.h>

#include "probe/render/report_impl.h"

#define WRAP 78
#define COL_CAP 40  /* widest column before its cells wrap */
#define LAST_CAP 64 /* the last column (messages) */

enum last { LAST_NONE, LAST_FIELD, LAST_BLOCK };

/* Display width of the first n bytes: UTF-8 code points. */
static size_t
width_n(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n && s[i] != '\0'; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static size_t
width(const char *s)
{
	return width_n(s, strlen(s));
}

/* Bytes of s that fill at most w columns, at a character boundary. */
static size_t
bytes_for(const char *s, size_t w)
{
	size_t i = 0, cols = 0;

	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && cols++ == w)
			break;
		i++;
	}
	return i;
}

static void
repeat(FILE *out, const char *s, size_t n)
{
	while (n-- > 0)
		fputs(s, out);
}

/* The next line of *p wrapped at w columns (broken at a space, or hard
 * within a word longer than w) into line; advances *p. */
static void
next_line(const char **p, size_t w, char *line, size_t len)
{
	const char *s = *p;
	size_t fit = bytes_for(s, w), n = fit;

	if (s[fit] != '\0' && s[fit] != ' ') {
		while (n > 0 && s[n] != ' ')
			n--;
		if (n == 0)
			n = fit;
	}
	snprintf(line, len, "%.*s", (int)n, s);
	s += n;
	while (*s == ' ')
		s++;
	*p = s;
}

/* Paragraph text wrapped at WRAP; the first line starts at column first,
 * the others are indented. */
static void
wrap(FILE *out, const char *text, size_t first, size_t indent)
{
	char line[RP_CELL_MAX * 2];
	size_t w = first < WRAP - 20 ? WRAP - first : 20;

	while (*text == ' ')
		text++;
	do {
		next_line(&text, w, line, sizeof(line));
		fprintf(out, "%s\n", line);
		if (*text != '\0')
			repeat(out, " ", indent);
		w = WRAP - indent;
	} while (*text != '\0');
}

/* One blank line between blocks; consecutive fields stay together. */
static void
block(struct rp *r, enum last kind)
{
	if (r->fmt_state != LAST_NONE && !(kind == LAST_FIELD && r->fmt_state == LAST_FIELD))
		fputc('\n', r->out);
	r->fmt_state = kind;
}

static void
underlined(FILE *out, const char *text, const char *mark)
{
	fprintf(out, "%s\n", text);
	repeat(out, mark, width(text));
	fputc('\n', out);
}

static void
txt_begin(struct rp *r, const char *title)
{
	block(r, LAST_BLOCK);
	underlined(r->out, title, "=");
}

static void
txt_end(struct rp *r, const char *footer)
{
	block(r, LAST_BLOCK);
	fputs("-- \n", r->out);
	wrap(r->out, footer, 0, 0);
}

static void
txt_heading(struct rp *r, int level, const char *text)
{
	if (level <= 2 && r->fmt_state != LAST_NONE)
		fputc('\n', r->out);
	block(r, LAST_BLOCK);
	underlined(r->out, text, level <= 1 ? "=" : level == 2 ? "-" : "~");
}

static void
txt_badge_heading(struct rp *r, enum rp_kind k, const char *badge, const char *text)
{
	char line[RP_CELL_MAX];

	snprintf(line, sizeof(line), "%s %s  %s", rp_kind_symbol(k, "•"), badge, text);
	txt_heading(r, 3, line);
}

static void
txt_verdict(struct rp *r, enum mp_status st, const char *light, const char *text)
{
	char line[RP_CELL_MAX * 2];

	(void)st;
	block(r, LAST_BLOCK);
	snprintf(line, sizeof(line), "● %s — %s", light, text);
	wrap(r->out, line, 0, 2);
}

static void
txt_para(struct rp *r, const char *text)
{
	block(r, LAST_BLOCK);
	wrap(r->out, text, 0, 0);
}

static void
txt_field(struct rp *r, const char *label, const char *value)
{
	block(r, LAST_FIELD);
	fprintf(r->out, "%s:", label);
	if (value[0] == '\0') {
		fputc('\n', r->out);
		return;
	}
	fputc(' ', r->out);
	wrap(r->out, value, width(label) + 2, 4);
}

/* One table row; cells wider than their column continue on more lines. */
static void
row(FILE *out, const size_t *w, int ncols, const char (*cells)[RP_CELL_MAX])
{
	const char *p[RP_MAX_COLS];
	char line[RP_CELL_MAX * (RP_MAX_COLS + 1)], part[RP_CELL_MAX];
	size_t n;
	bool more = true;

	for (int c = 0; c < ncols; c++)
		p[c] = cells[c];
	while (more) {
		more = false;
		line[0] = '\0';
		for (int c = 0; c < ncols; c++) {
			next_line(&p[c], w[c] > 0 ? w[c] : 1, part, sizeof(part));
			n = strlen(line);
			snprintf(line + n, sizeof(line) - n, "%s%*s", part,
				 c + 1 < ncols ? (int)(w[c] - width(part) + 2) : 0, "");
			more |= *p[c] != '\0';
		}
		for (n = strlen(line); n > 0 && line[n - 1] == ' '; n--)
			line[n - 1] = '\0';
		fprintf(out, "%s\n", line);
	}
}

static void
txt_table(struct rp *r, const struct rp_table *t)
{
	size_t w[RP_MAX_COLS] = {0}, n, cap;
	bool head = false;

	block(r, LAST_BLOCK);
	for (int c = 0; c < t->ncols; c++) {
		cap = c + 1 < t->ncols ? COL_CAP : LAST_CAP;
		head |= t->head[c][0] != '\0';
		w[c] = width(t->head[c]) < cap ? width(t->head[c]) : cap;
		for (int i = 0; i < t->nrows; i++)
			if ((n = width(t->cell[i][c])) > w[c])
				w[c] = n < cap ? n : cap;
	}
	if (head) {
		row(r->out, w, t->ncols, t->head);
		for (int c = 0; c < t->ncols; c++) {
			repeat(r->out, "-", w[c]);
			fputs(c + 1 < t->ncols ? "  " : "\n", r->out);
		}
	}
	for (int i = 0; i < t->nrows; i++)
		row(r->out, w, t->ncols, t->cell[i]);
}

static void
txt_pre(struct rp *r, const char *text)
{
	size_t n;

	block(r, LAST_BLOCK);
	while (*text != '\0') {
		n = strcspn(text, "\n");
		fprintf(r->out, "    %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

const struct rp_ops rp_txt_ops = {
    .begin = txt_begin,
    .end = txt_end,
    .heading = txt_heading,
    .badge_heading = txt_badge_heading,
    .verdict = txt_verdict,
    .para = txt_para,
    .field = txt_field,
    .table = txt_table,
    .pre = txt_pre,
    .waterfall = NULL,
};
