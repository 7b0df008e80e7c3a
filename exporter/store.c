/*
 * The results store: entries by target (same order as the config's
 * targets), scheduling marks, back-off and the swap of new results. All
 * under one mutex; rendering work happens before a result comes in.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "exporter/store.h"

struct store {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* scheduler wake-up */
	int n;
	struct entry **e;
	/* The config of the last reconcile (compared, never read): a scheduler
	 * still holding the one before takes nothing, or the probe a reload
	 * starts at once would run with the old settings. */
	const struct config *cfg;
};

struct store *
store_new(void)
{
	struct store *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (s == NULL)
		return NULL;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	return s;
}

static void
entry_free(struct entry *e)
{
	if (e == NULL)
		return;
	cached_free(&e->sched);
	cached_free(&e->probed);
	view_free(e->view);
	free(e->report);
	free(e->hist);
	free(e);
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++)
		entry_free(s->e[i]);
	free(s->e);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* Called locked. */
static struct entry *
find(struct store *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (s->e[i] != NULL && strcmp(s->e[i]->name, name) == 0)
			return s->e[i];
	return NULL;
}

/* Called locked: takes the entry of name out of the old list, or a new one. */
static struct entry *
adopt(struct store *s, const char *name, double now)
{
	struct entry *e;

	for (int i = 0; i < s->n; i++) {
		if (s->e[i] != NULL && strcmp(s->e[i]->name, name) == 0) {
			e = s->e[i];
			s->e[i] = NULL;
			e->fails = 0;
			e->backoff = 0;
			e->login_at = 0;
			e->due = now; /* a reload probes again at once */
			return e;
		}
	}
	if ((e = calloc(1, sizeof(*e))) != NULL) {
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->due = now;
	}
	return e;
}

int
store_reconcile(struct store *s, const struct config *cfg)
{
	struct entry **ne = calloc((size_t)cfg->ntargets + 1, sizeof(*ne));
	double now = mp_now();
	int rc = 0;

	if (ne == NULL)
		return -1;
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < cfg->ntargets; i++)
		if ((ne[i] = adopt(s, cfg->targets[i].name, now)) == NULL)
			rc = -1;
	for (int i = 0; i < s->n; i++)
		entry_free(s->e[i]);
	free(s->e);
	s->e = ne;
	s->n = cfg->ntargets;
	s->cfg = cfg;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int
store_take_due(struct store *s, const struct config *cfg, double now, int *idx, int max,
	       double *wait)
{
	int n = 0;

	*wait = 1.0;
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->n && i < cfg->ntargets && cfg == s->cfg; i++) {
		struct entry *e = s->e[i];

		if (e == NULL || e->running || strcmp(e->name, cfg->targets[i].name) != 0)
			continue; /* (a name mismatch: cfg is older than the store) */
		if (e->due <= now && n < max) {
			e->running = true;
			idx[n++] = i;
		} else if (e->due - now < *wait) {
			*wait = e->due - now;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (*wait < 0.01)
		*wait = 0.01;
	return n;
}

/* After auth_failed the interval doubles up to 1 h; a successful login
 * resets it; a run without login changes nothing. Called locked. */
static void
backoff_update(struct entry *e, double interval, bool auth_failed, bool login_ok, double now)
{
	if (auth_failed) {
		e->fails = e->fails < 30 ? e->fails + 1 : 30;
		e->backoff = fmin(interval * pow(2, e->fails), fmax(BACKOFF_MAX, interval));
		e->login_at = now + e->backoff;
	} else if (login_ok) {
		e->fails = 0;
		e->backoff = 0;
		e->login_at = 0;
	}
}

static void
take_result(struct entry *e, struct result *r)
{
	cached_free(&e->sched);
	e->sched = r->c;
	memset(&r->c, 0, sizeof(r->c));
	if (r->view != NULL) {
		hist_add(e, r->view);
		view_free(e->view);
		e->view = r->view;
		r->view = NULL;
	}
	if (r->report != NULL) {
		free(e->report);
		e->report = r->report;
		r->report = NULL;
	}
}

void
store_finish_sched(struct store *s, const struct config *cfg, const char *name, double started,
		   struct result *r)
{
	const struct cfg_target *t = config_target(cfg, name);
	double interval = t != NULL ? t->interval : CFG_DEFAULT_INTERVAL, now = mp_now();
	struct entry *e;

	pthread_mutex_lock(&s->mu);
	if ((e = find(s, name)) != NULL) {
		e->running = false;
		if (r != NULL) {
			backoff_update(e, interval, r->auth_failed, r->login_ok, now);
			take_result(e, r);
		}
		e->due = fmax(started + (e->backoff > 0 ? e->backoff : interval), now);
	}
	pthread_mutex_unlock(&s->mu);
}

void
store_wait(struct store *s, double seconds)
{
	struct timespec at;
	struct mp_deadline dl;

	mp_deadline_in(&dl, seconds);
	at = mp_deadline_abs(&dl);
	pthread_mutex_lock(&s->mu);
	pthread_cond_timedwait(&s->cv, &s->mu, &at);
	pthread_mutex_unlock(&s->mu);
}

void
store_wake(struct store *s)
{
	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void
write_cached(FILE *out, const struct cached *c)
{
	for (int f = 0; f < PROM_FAMILY_COUNT; f++)
		if (c->samples[f] != NULL && c->samples[f][0] != '\0') {
			const char *name, *type, *help;

			mp_prom_family_info((enum mp_prom_family)f, &name, &type, &help);
			mp_prom_header(out, name, type, help);
			fputs(c->samples[f], out);
		}
}

bool
store_probe_gate(struct store *s, const char *name, double now, FILE *out, bool *cached,
		 double *backoff)
{
	struct entry *e;
	bool gated = false;

	*cached = false;
	pthread_mutex_lock(&s->mu);
	if ((e = find(s, name)) != NULL && e->backoff > 0 && now < e->login_at) {
		const struct cached *c = e->probed.at >= e->sched.at ? &e->probed : &e->sched;

		gated = true;
		*backoff = e->backoff;
		if (c->at != 0) {
			write_cached(out, c);
			*cached = true;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return gated;
}

void
store_finish_probe(struct store *s, const struct config *cfg, const char *name, struct cached *c,
		   bool auth_failed, bool login_ok)
{
	const struct cfg_target *t = config_target(cfg, name);
	struct entry *e;

	pthread_mutex_lock(&s->mu);
	if ((e = find(s, name)) != NULL) {
		backoff_update(e, t != NULL ? t->interval : CFG_DEFAULT_INTERVAL, auth_failed,
			       login_ok, mp_now());
		cached_free(&e->probed);
		e->probed = *c;
		memset(c, 0, sizeof(*c));
	}
	pthread_mutex_unlock(&s->mu);
}

double
store_backoff(struct store *s, const char *name)
{
	struct entry *e;
	double b = 0;

	pthread_mutex_lock(&s->mu);
	if ((e = find(s, name)) != NULL)
		b = e->backoff;
	pthread_mutex_unlock(&s->mu);
	return b;
}

void
store_with_lock(struct store *s, void (*fn)(void *ctx, struct entry *const *e, int n), void *ctx)
{
	pthread_mutex_lock(&s->mu);
	fn(ctx, s->e, s->n);
	pthread_mutex_unlock(&s->mu);
}

char *
store_report(struct store *s, const char *name, enum mp_lang l)
{
	struct entry *e;
	char *copy = NULL;

	pthread_mutex_lock(&s->mu);
	if ((e = find(s, name)) != NULL && e->report != NULL) {
		const char *html = e->report;

		for (int i = 0; i < (int)l; i++)
			html += strlen(html) + 1;
		copy = strdup(html);
	}
	pthread_mutex_unlock(&s->mu);
	return copy;
}
