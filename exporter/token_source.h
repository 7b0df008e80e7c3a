/*
 * The OAuth2 access token an exporter credential logs in with: read from a
 * token file (again whenever the file's mtime, size or inode change), or got
 * with the refresh_token grant (probe/run/oauth2.h) and kept in memory until
 * its refresh point. Thread-safe: probes of one module share one source, one
 * grant runs at a time (the others wait for it), failed grants are retried
 * with a growing pause, and a token still valid stays in use meanwhile.
 * Reference counted: a reload keeps the source of a module whose settings did
 * not change. No secret ever leaves here except as the token handed to the
 * probe.
 */
#ifndef MAILPROBE_EXPORTER_TOKEN_SOURCE_H
#define MAILPROBE_EXPORTER_TOKEN_SOURCE_H

#include <limits.h>
#include <stdbool.h>

#include "checks/deadline.h"
#include "checks/secret.h"
#include "checks/tls.h"
#include "probe/run/account.h"

#define TOKEN_SCOPE_MAX 1024
#define TOKEN_BACKOFF_MIN 10.0  /* seconds after the first failed grant */
#define TOKEN_BACKOFF_MAX 300.0 /* the pause doubles up to this */
/* A token this close to its expiry is not handed out (at most a quarter of
 * its lifetime). */
#define TOKEN_VALID_MARGIN 5.0
#define TOKEN_UNKNOWN_LIFETIME 300.0 /* an answer without expires_in: kept this long */

/* The refresh_token grant as a module's credentials configure it. */
struct token_grant_settings {
	char name[128]; /* the module, for logs and metrics */
	char url[MP_HOST_MAX + 64];
	char client_id[MP_HOST_MAX];
	char scope[TOKEN_SCOPE_MAX];     /* "" = none */
	struct mp_secret *refresh;       /* taken by token_source_grant */
	struct mp_secret *client_secret; /* taken; NULL = none */
};

enum token_outcome { TOKEN_GRANTED, TOKEN_REFUSED, TOKEN_FAILED, TOKEN_OUTCOMES };

/* What the metrics show of a grant source. */
struct token_stats {
	bool tried;        /* a grant has been tried */
	double expires_in; /* seconds the current token has left; 0: none valid */
	unsigned long long grants[TOKEN_OUTCOMES];
};

struct token_source;

/* A token file (path absolute) with its first content (taken). NULL when
 * out of memory (first is freed then). */
struct token_source *token_source_file(const char *path, struct mp_secret *first);
/* A grant source; takes the secrets of s (also on failure). */
struct token_source *token_source_grant(struct token_grant_settings *s);
struct token_source *token_source_ref(struct token_source *t);
void token_source_put(struct token_source *t);

/* Whether b would do exactly what a does (same kind and settings, the
 * secrets compared too): a reload then keeps a (and its token). */
bool token_source_same(const struct token_source *a, const struct token_source *b);
/* to counts on from from's grant counters (a module whose settings
 * changed: the counters do not restart). */
void token_source_carry(struct token_source *to, const struct token_source *from);
bool token_source_is_grant(const struct token_source *t);

/* The token to log in with now (a copy: mp_secret_free it), or NULL with a
 * one-line reason in why (never a secret). May run a grant over verified
 * TLS with tls (or wait for the one running) under dl. */
struct mp_secret *token_source_get(struct token_source *t, struct mp_tls_ctx *tls,
				   const struct mp_deadline *dl, char *why, size_t len);
/* For a grant source: its stats (false for a token file). */
bool token_source_stats(struct token_source *t, struct token_stats *out);

/* When a token of lifetime seconds is renewed, in seconds after it came:
 * at 80% of its lifetime or 60 s before it expires, whichever is earlier,
 * but not before half of it (pure; for tests). */
double token_refresh_after(double lifetime);
/* The pause after a failed grant that followed one of prev seconds (0:
 * the first failure). Pure. */
double token_next_backoff(double prev);

#endif
