/*
 * The OAuth2 refresh_token grant (RFC 6749 section 6): a new access token
 * from the token endpoint over verified HTTPS. One piece of code for the
 * CLI (before the run) and the exporter (its per-module token cache).
 */
#ifndef MAILPROBE_OAUTH2_H
#define MAILPROBE_OAUTH2_H

#include <stddef.h>

#include "checks/deadline.h"
#include "checks/tls.h"
#include "probe/run/account.h"

/* What one grant sends. */
struct mp_oauth2_grant {
	const char *token_url; /* https:// */
	const char *client_id;
	const struct mp_secret *refresh;
	const struct mp_secret *client_secret; /* NULL: none */
	const char *scope;                     /* NULL or "": none */
};

enum mp_oauth2_outcome {
	OAUTH2_GRANTED, /* an access token came */
	OAUTH2_REFUSED, /* the endpoint answered without one (invalid_grant, ...) */
	OAUTH2_FAILED   /* no answer: DNS, connect, TLS (unverified), timeout, ... */
};

/* The answer of a grant that worked. */
struct mp_oauth2_token {
	struct mp_secret *access; /* owned (mp_secret_free) */
	double expires_in;        /* seconds; 0 when the answer gave none */
};

/* Runs the grant under dl (verified TLS with tls, no redirect). GRANTED
 * fills *out; else err holds one line that never holds a secret (the
 * endpoint's error and error_description, its HTTP status, or the
 * transport class in parentheses). */
enum mp_oauth2_outcome mp_oauth2_grant(const struct mp_oauth2_grant *g, struct mp_tls_ctx *tls,
				       const struct mp_deadline *dl, struct mp_oauth2_token *out,
				       char *err, size_t errlen);

/* When the account has a refresh token: runs the grant with its settings
 * and puts the access token into a->password (a->oauth2 set). 0 (also when
 * there is nothing to do), or -1 with a one-line reason in err that never
 * holds a secret. Bounded by a->timeout. */
int mp_oauth2_refresh(struct mp_account *a, struct mp_tls_ctx *tls, char *err, size_t errlen);

#endif
