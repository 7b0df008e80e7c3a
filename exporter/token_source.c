/*
 * Token sources: a token file read again when it changes, or the refresh
 * grant with its cache (refresh point, single flight, back-off). One mutex
 * per source guards its state; the grant itself runs outside the lock, the
 * other probes of the module wait on the condition variable for it.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pthread.h>

#include "checks/fiber.h"
#include "exporter/log.h"
#include "exporter/token_source.h"
#include "probe/run/oauth2.h"

enum token_kind { KIND_FILE, KIND_GRANT };

struct token_source {
	atomic_int refs;
	enum token_kind kind;
	pthread_mutex_t mu;
	struct mp_cond cv; /* a grant ended */
	/* KIND_FILE */
	char path[PATH_MAX];
	struct stat seen; /* of the content in access */
	/* KIND_GRANT */
	struct token_grant_settings g;
	bool busy;         /* a grant is running */
	bool tried;        /* a grant has been tried */
	double refresh_at; /* mp_now(): renew from then on */
	double expires_at; /* mp_now(): the token is no use after */
	double margin;     /* seconds before expires_at it is no longer handed out */
	double retry_at;   /* mp_now(): no grant before (back-off) */
	double backoff;    /* the last pause, seconds; 0 after a grant worked */
	char last_error[MP_MESSAGE_MAX];
	unsigned long long grants[TOKEN_OUTCOMES];
	/* both */
	struct mp_secret *access; /* the current token, NULL when none */
};

double
token_refresh_after(double lifetime)
{
	double at = lifetime * 0.8 < lifetime - 60 ? lifetime * 0.8 : lifetime - 60;

	return at > lifetime / 2 ? at : lifetime / 2;
}

double
token_next_backoff(double prev)
{
	double next = prev <= 0 ? TOKEN_BACKOFF_MIN : prev * 2;

	return next < TOKEN_BACKOFF_MAX ? next : TOKEN_BACKOFF_MAX;
}

static struct token_source *
source_new(enum token_kind kind)
{
	struct token_source *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	atomic_init(&t->refs, 1);
	t->kind = kind;
	pthread_mutex_init(&t->mu, NULL);
	mp_cond_init(&t->cv);
	return t;
}

struct token_source *
token_source_file(const char *path, struct mp_secret *first)
{
	struct token_source *t = source_new(KIND_FILE);

	if (t == NULL) {
		mp_secret_free(first);
		return NULL;
	}
	snprintf(t->path, sizeof(t->path), "%s", path);
	if (stat(path, &t->seen) != 0)
		memset(&t->seen, 0, sizeof(t->seen));
	t->access = first;
	return t;
}

struct token_source *
token_source_grant(struct token_grant_settings *s)
{
	struct token_source *t = source_new(KIND_GRANT);

	if (t == NULL) {
		mp_secret_free(s->refresh);
		mp_secret_free(s->client_secret);
		s->refresh = s->client_secret = NULL;
		return NULL;
	}
	t->g = *s;
	s->refresh = s->client_secret = NULL;
	return t;
}

struct token_source *
token_source_ref(struct token_source *t)
{
	if (t != NULL)
		atomic_fetch_add(&t->refs, 1);
	return t;
}

void
token_source_put(struct token_source *t)
{
	if (t == NULL || atomic_fetch_sub(&t->refs, 1) != 1)
		return;
	mp_secret_free(t->access);
	mp_secret_free(t->g.refresh);
	mp_secret_free(t->g.client_secret);
	mp_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

static bool
secret_eq(const struct mp_secret *a, const struct mp_secret *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

bool
token_source_same(const struct token_source *a, const struct token_source *b)
{
	if (a == NULL || b == NULL || a->kind != b->kind)
		return false;
	if (a->kind == KIND_FILE)
		return strcmp(a->path, b->path) == 0;
	return strcmp(a->g.name, b->g.name) == 0 && strcmp(a->g.url, b->g.url) == 0 &&
	       strcmp(a->g.client_id, b->g.client_id) == 0 && strcmp(a->g.scope, b->g.scope) == 0 &&
	       secret_eq(a->g.refresh, b->g.refresh) &&
	       secret_eq(a->g.client_secret, b->g.client_secret);
}

void
token_source_carry(struct token_source *to, const struct token_source *from)
{
	struct token_source *f = (struct token_source *)from; /* its lock only */

	if (to == NULL || from == NULL || to->kind != KIND_GRANT || from->kind != KIND_GRANT)
		return;
	pthread_mutex_lock(&f->mu);
	memcpy(to->grants, f->grants, sizeof(to->grants));
	pthread_mutex_unlock(&f->mu);
}

bool
token_source_is_grant(const struct token_source *t)
{
	return t != NULL && t->kind == KIND_GRANT;
}

/* --- token files ---------------------------------------------------------- */

static bool
file_changed(const struct stat *a, const struct stat *b)
{
	return a->st_ino != b->st_ino || a->st_dev != b->st_dev || a->st_size != b->st_size ||
	       a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* Reads the file again when it changed; a file that cannot be read now
 * keeps the last token (tried again on the next change). */
static void
file_refresh(struct token_source *t)
{
	struct stat now;
	struct mp_secret *s;
	char warn[128], err[PATH_MAX + 128];

	if (stat(t->path, &now) != 0 || !file_changed(&now, &t->seen))
		return;
	if ((s = mp_secret_from_file(t->path, warn, sizeof(warn), err, sizeof(err))) == NULL) {
		xlog(LVL_WARN,
		     "the OAuth2 token file changed and cannot be read: the last token "
		     "stays in use",
		     "error", err, NULL);
		return;
	}
	mp_secret_free(t->access);
	t->access = s;
	t->seen = now;
	xlog(LVL_INFO, "OAuth2 token file read again", "file", t->path, NULL);
}

static struct mp_secret *
file_get(struct token_source *t, char *why, size_t len)
{
	struct mp_secret *s = NULL;

	pthread_mutex_lock(&t->mu);
	file_refresh(t);
	if (t->access != NULL && (s = mp_secret_dup(t->access)) == NULL)
		snprintf(why, len, "out of memory");
	else if (t->access == NULL)
		snprintf(why, len, "no OAuth2 access token in %s", t->path);
	pthread_mutex_unlock(&t->mu);
	return s;
}

/* --- the grant ------------------------------------------------------------ */

static bool
usable(const struct token_source *t, double now)
{
	return t->access != NULL && now + t->margin < t->expires_at;
}

/* Runs one grant (the lock is not held) and records what it gave. */
static void
grant_once(struct token_source *t, struct mp_tls_ctx *tls, const struct mp_deadline *dl)
{
	struct mp_oauth2_grant g = {.token_url = t->g.url,
				    .client_id = t->g.client_id,
				    .refresh = t->g.refresh,
				    .client_secret = t->g.client_secret,
				    .scope = t->g.scope};
	struct mp_oauth2_token tok;
	char err[MP_MESSAGE_MAX], life[32];
	enum mp_oauth2_outcome o = mp_oauth2_grant(&g, tls, dl, &tok, err, sizeof(err));
	double now = mp_now(),
	       lifetime = tok.expires_in > 0 ? tok.expires_in : TOKEN_UNKNOWN_LIFETIME;

	pthread_mutex_lock(&t->mu);
	t->tried = true;
	t->grants[o == OAUTH2_GRANTED   ? TOKEN_GRANTED
		  : o == OAUTH2_REFUSED ? TOKEN_REFUSED
					: TOKEN_FAILED]++;
	if (o == OAUTH2_GRANTED) {
		mp_secret_free(t->access);
		t->access = tok.access;
		t->expires_at = now + lifetime;
		t->margin = lifetime / 4 < TOKEN_VALID_MARGIN ? lifetime / 4 : TOKEN_VALID_MARGIN;
		t->refresh_at = now + token_refresh_after(lifetime);
		t->backoff = 0;
		t->last_error[0] = '\0';
	} else {
		t->backoff = token_next_backoff(t->backoff);
		t->retry_at = now + t->backoff;
		snprintf(t->last_error, sizeof(t->last_error), "%s", err);
	}
	pthread_mutex_unlock(&t->mu);
	snprintf(life, sizeof(life), "%.0f", lifetime);
	if (o == OAUTH2_GRANTED)
		xlog(LVL_INFO, "OAuth2 access token granted", "module", t->g.name, "expires_in",
		     life, NULL);
	else
		xlog(LVL_WARN, "OAuth2 grant failed", "module", t->g.name, "error", err, NULL);
}

/* Waits (the lock held) for the running grant, at most until dl. */
static void
wait_grant(struct token_source *t, const struct mp_deadline *dl)
{
	struct timespec at = mp_deadline_abs(dl);

	while (t->busy && !mp_deadline_expired(dl))
		if (mp_cond_wait(&t->cv, &t->mu, &at) == ETIMEDOUT)
			break;
}

static struct mp_secret *
grant_get(struct token_source *t, struct mp_tls_ctx *tls, const struct mp_deadline *dl, char *why,
	  size_t len)
{
	struct mp_secret *s = NULL;
	double now;

	pthread_mutex_lock(&t->mu);
	wait_grant(t, dl);
	now = mp_now();
	if (!t->busy && now >= t->refresh_at && now >= t->retry_at) {
		t->busy = true;
		pthread_mutex_unlock(&t->mu);
		grant_once(t, tls, dl);
		pthread_mutex_lock(&t->mu);
		t->busy = false;
		mp_cond_broadcast(&t->cv);
		now = mp_now();
	}
	if (usable(t, now)) {
		if ((s = mp_secret_dup(t->access)) == NULL)
			snprintf(why, len, "out of memory");
	} else if (t->busy) {
		snprintf(why, len,
			 "no OAuth2 access token: the grant did not end before the "
			 "deadline");
	} else {
		snprintf(why, len, "no OAuth2 access token: %s (next grant in %.0f s)",
			 t->last_error[0] != '\0' ? t->last_error : "none granted yet",
			 t->retry_at > now ? t->retry_at - now : 0);
	}
	pthread_mutex_unlock(&t->mu);
	return s;
}

struct mp_secret *
token_source_get(struct token_source *t, struct mp_tls_ctx *tls, const struct mp_deadline *dl,
		 char *why, size_t len)
{
	why[0] = '\0';
	return t->kind == KIND_FILE ? file_get(t, why, len) : grant_get(t, tls, dl, why, len);
}

bool
token_source_stats(struct token_source *t, struct token_stats *out)
{
	double now = mp_now();

	memset(out, 0, sizeof(*out));
	if (t == NULL || t->kind != KIND_GRANT)
		return false;
	pthread_mutex_lock(&t->mu);
	out->tried = t->tried;
	out->expires_in = t->access != NULL && t->expires_at > now ? t->expires_at - now : 0;
	memcpy(out->grants, t->grants, sizeof(out->grants));
	pthread_mutex_unlock(&t->mu);
	return true;
}
