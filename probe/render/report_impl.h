/*
 * Internal to the support report: the writing context, the per-format
 * primitives (report_md.c, report_html.c, report_txt.c), the label tables
 * (report_i18n.c) and the content sections (report.c, report_clients.c,
 * report_env.c). Content is written once over the primitives; a format only
 * decides how a heading, a table or a paragraph looks and how text is escaped.
 */
#ifndef MAILPROBE_REPORT_IMPL_H
#define MAILPROBE_REPORT_IMPL_H

#include <stdbool.h>
#include <stdio.h>

#include "probe/render/render.h"
#include "probe/render/report.h"
#include "probe/words/words.h"

#define RP_CELL_MAX 2048 /* one table cell or paragraph, as shown */
#define RP_TITLE_MAX 200 /* an endpoint title or the report title */
#define RP_MAX_ROWS 24
#define RP_MAX_COLS 5

/* How a row, a badge or a waterfall bar is coloured. */
enum rp_kind {
	RP_PLAIN, /* no colour */
	RP_OK,    /* green */
	RP_WARN,  /* amber */
	RP_FAIL,  /* red */
	RP_SKIP,  /* grey: auth_skipped */
	RP_INFO   /* blue-grey */
};

/* A one-character mark of a kind for plain-text formats (✔ ▲ ✖ –); other
 * kinds get info. */
const char *rp_kind_symbol(enum rp_kind k, const char *info);

struct rp_table {
	const char *style; /* what the table holds (HTML class): "plain", "steps",
			      "evidence", "client", "env" */
	int ncols;
	int nrows; /* without the header */
	char head[RP_MAX_COLS][RP_CELL_MAX];
	char cell[RP_MAX_ROWS][RP_MAX_COLS][RP_CELL_MAX];
	enum rp_kind kind[RP_MAX_ROWS];
};

struct rp;

/* The primitives a format implements. Text arguments are plain, cleaned
 * UTF-8 (secrets already masked); the format escapes them. */
struct rp_ops {
	void (*begin)(struct rp *r, const char *title);
	void (*end)(struct rp *r, const char *footer);
	void (*heading)(struct rp *r, int level, const char *text);
	/* A level-3 heading with a coloured badge word before the text. */
	void (*badge_heading)(struct rp *r, enum rp_kind k, const char *badge, const char *text);
	void (*verdict)(struct rp *r, enum mp_status st, const char *light, const char *text);
	void (*para)(struct rp *r, const char *text);
	void (*field)(struct rp *r, const char *label, const char *value);
	void (*table)(struct rp *r, const struct rp_table *t);
	void (*pre)(struct rp *r, const char *text);
	/* The timing bars of one endpoint on the report's common axis
	 * (r->axis_max seconds); NULL in formats without one. */
	void (*waterfall)(struct rp *r, const struct mp_endpoint_result *e);
	/* A folded block (HTML <details>) with a one-line summary; NULL in
	 * formats that show everything. */
	void (*fold_begin)(struct rp *r, const char *summary);
	void (*fold_end)(struct rp *r);
	/* A picture of a working and a blocked port's paths; NULL in formats
	 * without one. */
	void (*path_svg)(struct rp *r, const struct mp_path_result *good,
			 const struct mp_path_result *bad);
};

struct rp {
	FILE *out;
	const struct mp_run *run;
	const struct mp_diagnosis *d;
	const struct mp_account *a; /* run->account, may be NULL */
	enum mp_lang lang;
	const char *ticket; /* or NULL */
	const struct rp_ops *ops;
	struct rp_table *tab; /* scratch table, owned by mp_report_write */
	double axis_max;      /* waterfall axis end, seconds */
	int fmt_state;        /* the format's own (txt: the last block written) */
};

extern const struct rp_ops rp_md_ops;
extern const struct rp_ops rp_html_ops;
extern const struct rp_ops rp_txt_ops;

struct mp_path_result;
/* The paths of blocked ports beside a working port's (report_paths.c). */
void rp_section_paths(struct rp *r);
void rp_html_path_svg(struct rp *r, const struct mp_path_result *good,
		      const struct mp_path_result *bad);
/* The port x address grid (report_steps.c). */
void rp_section_grid(struct rp *r);
/* Labels: enum mp_word (probe/words/words.h), in the report's language. */

const char *rp_t(const struct rp *r, enum mp_word l);
const char *rp_step_name(const struct rp *r, enum mp_step s);
/* "26 November 2026, 07:32:34 UTC" / "26. November 2026, ..."; local adds
 * the offset and zone name. */
void rp_date(const struct rp *r, time_t t, bool local, char *out, size_t len);
/* Seconds as shown: "1.2 ms", "230 ms", "3.00 s"; German with a comma. */
void rp_duration(const struct rp *r, double secs, char *out, size_t len);

/* Content helpers (report.c). */
/* A network or diagnosis string fit to show: cleaned, secrets masked. */
void rp_msg(const struct rp *r, const char *in, char *out, size_t len);
/* The user name as shown (masked with --redact-user), "" when none. */
void rp_user(const struct rp *r, const char *name, char *out, size_t len);
void rp_endpoint_title(const struct rp *r, const struct mp_endpoint_result *e, char *out,
		       size_t len);
/* How a step is coloured: ok, the failure, or skipped. */
enum rp_kind rp_step_kind(const struct mp_step_result *s);
/* Starts the scratch table with its header cells (ncols of them). */
void rp_table_start(struct rp *r, int ncols, const char *const *head);
/* Adds a row of ncols cells (copied, cut to RP_CELL_MAX); a row over
 * RP_MAX_ROWS is dropped. */
void rp_table_add(struct rp *r, enum rp_kind k, const char *const *cells);
/* Hands the scratch table to the format. */
void rp_table_emit(struct rp *r);

/* HTML (report_html.c): s with & < > " ' as character references. */
/* The HTML timing waterfall of one endpoint (report_waterfall.c). */
void rp_html_waterfall(struct rp *r, const struct mp_endpoint_result *e);

/* Sections. */
void rp_section_settings(struct rp *r);    /* report_clients.c */
void rp_section_endpoints(struct rp *r);   /* report_steps.c */
void rp_section_environment(struct rp *r); /* report_env.c */

#endif
