/*
 * The results store: per configured target the latest scheduled result,
 * already rendered (exposition samples without target labels, a status
 * page view, the support report), the latest /probe samples, the latency
 * history rings and the login back-off. Everything is bounded per target;
 * requests never add to it. Scrapes only read and copy, under one mutex
 * held for memcpy-sized work, never while a probe runs.
 */
#ifndef MAILPROBE_EXPORTER_STORE_H
#define MAILPROBE_EXPORTER_STORE_H

#include <stdio.h>
#include <time.h>

#include "probe/render/render_prometheus.h"
#include "probe/words/words.h"
#include "exporter/config.h"
#include "exporter/probe.h"

#define HIST_POINTS 60 /* latency history per endpoint */
#define HIST_MAX 32    /* endpoints with a history per target */
#define VIEW_TEXT_MAX 240
#define BACKOFF_MAX 3600.0

/* The run-derived samples of one result, one string per family. */
struct cached {
	time_t at; /* 0: none */
	char *samples[PROM_FAMILY_COUNT];
};

struct ep_view {
	char key[MP_ADDR_MAX + 40]; /* "imap:993:tls@198.18.0.10" */
	bool ok;
	int step;                                /* the failed step (enum mp_step), -1: none */
	enum mp_class cls;                       /* its class */
	char message[LANG_COUNT][VIEW_TEXT_MAX]; /* its words, masked and cleaned */
	double seconds;                          /* the steps' time, logout aside */
};

struct finding_view {
	char id[48];
	enum mp_severity severity;
	char summary[LANG_COUNT][VIEW_TEXT_MAX];
};

/* What the status page shows of one result. */
struct view {
	enum mp_status status;
	time_t at;
	double duration;
	enum mp_class resolve; /* CLASS_NONE when resolve worked */
	int neps;
	struct ep_view *eps;
	int nfind;
	struct finding_view *finds;
};

struct hist {
	char key[MP_ADDR_MAX + 40];
	int n, head; /* points held; next slot */
	float secs[HIST_POINTS];
	unsigned char ok[HIST_POINTS];
};

struct entry {
	char name[CFG_NAME_MAX];
	bool running;
	double due;      /* monotonic */
	int fails;       /* auth_failed results in a row */
	double backoff;  /* seconds between login attempts, 0 = none */
	double login_at; /* monotonic: no login before */
	struct cached sched, probed;
	struct view *view;
	char *report; /* HTML in English, NUL, in German, NUL (report_build) */
	int nhist;
	struct hist *hist; /* HIST_MAX of them, allocated with the first result */
};

/* A finished scheduled probe, rendered; the store takes what it holds. */
struct result {
	struct cached c;
	struct view *view;
	char *report;
	bool auth_failed, login_ok;
};

struct store;

struct store *store_new(void);
void store_free(struct store *s);
/* Entries for exactly cfg's targets, in its order; results and history of
 * names that stay are kept, back-off is reset. 0 or -1 (out of memory). */
int store_reconcile(struct store *s, const struct config *cfg);

/* Scheduler: marks up to max due targets running, their indexes in idx;
 * *wait is the time until the next one is due. Returns the count; none
 * while cfg is not the config of the last store_reconcile (a reload is
 * between reconcile and swap). */
int store_take_due(struct store *s, const struct config *cfg, double now, int *idx, int max,
		   double *wait);
/* Scheduler: the result of target name (r NULL: the probe could not run). */
void store_finish_sched(struct store *s, const struct config *cfg, const char *name, double started,
			struct result *r);
/* Sleeps until woken or seconds passed; store_wake wakes it. */
void store_wait(struct store *s, double seconds);
void store_wake(struct store *s);

/* /probe for a configured target: true while its logins back off; then the
 * latest cached samples (if any) are written to out and *cached says so. */
bool store_probe_gate(struct store *s, const char *name, double now, FILE *out, bool *cached,
		      double *backoff);
/* /probe: the result of a configured target (takes c's strings). */
void store_finish_probe(struct store *s, const struct config *cfg, const char *name,
			struct cached *c, bool auth_failed, bool login_ok);
/* The current back-off of name (0 when none). */
double store_backoff(struct store *s, const char *name);

/* /metrics: the per-target families with target="<name>" and the target's
 * labels, plus the last probe time and back-off. */
void store_render_metrics(struct store *s, const struct config *cfg, FILE *out);
/* Calls fn with the entries (in the config's target order; an entry may
 * be NULL when memory ran out) under the lock. fn must not block. */
void store_with_lock(struct store *s, void (*fn)(void *ctx, struct entry *const *e, int n),
		     void *ctx);
/* A copy of the latest report of name in language l (free it), or NULL. */
char *store_report(struct store *s, const char *name, enum mp_lang l);

/* Building results (artifacts.c). */
int cached_render(const struct probe_res *r, struct cached *out);
void cached_free(struct cached *c);
struct view *view_build(const struct probe_res *r);
void view_free(struct view *v);
/* The latency of an endpoint view into its history ring. */
void hist_add(struct entry *e, const struct view *v);

#endif
