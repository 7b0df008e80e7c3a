/*
 * The check of one endpoint (protocol, port, security) at one address: runs
 * the steps in the documented order, classes every failure, and decides which
 * steps still run after one. Never prints; safe to call from any thread.
 */
#ifndef MAILPROBE_ENDPOINT_H
#define MAILPROBE_ENDPOINT_H

#include "checks/deadline.h"
#include "checks/net.h"
#include "checks/result.h"
#include "checks/secret.h"
#include "checks/tls.h"

struct mp_check_config;
struct mp_session;

/* How a run coordinates logins across its endpoints (one attempt per
 * (protocol, port) on a fixed address, incoming first, none after a
 * rejection, none after the deadline). */
enum mp_login_decision {
	LOGIN_GO,       /* log in now; call end() afterwards */
	LOGIN_SKIP,     /* an earlier login was rejected: auth_skipped */
	LOGIN_NOT_HERE, /* another address tests this port: auth_skipped, login_on */
	LOGIN_DEADLINE  /* the deadline passed while waiting: auth_skipped, nothing sent */
};

struct mp_login_gate {
	void *ctx;
	/* May block until the deadline. LOGIN_NOT_HERE puts the address that
	 * logs in into login_on (MP_ADDR_MAX bytes). */
	enum mp_login_decision (*begin)(void *ctx, const struct mp_check_config *cfg,
					char *login_on);
	void (*end)(void *ctx, const struct mp_check_config *cfg, enum mp_class result);
	/* The endpoint is done (whatever happened); it will not log in. */
	void (*finished)(void *ctx, const struct mp_check_config *cfg);
	/* The endpoint got through connect and TLS and is heading for login. */
	void (*ready)(void *ctx, const struct mp_check_config *cfg);
};

struct mp_check_config {
	struct mp_endpoint_spec spec;
	const char *host; /* server name: SNI, certificate check */
	struct mp_addr addr;
	const char *user;                 /* NULL or "": no login */
	const struct mp_secret *password; /* NULL: no login */
	bool oauth2;                      /* password is an OAuth2 access token: OAuth only */
	bool insecure_login;              /* allow credentials over plaintext/unverified TLS */
	/* NULL, or why the run keeps credentials from this host (a discovered
	 * host it does not trust): the login step is auth_skipped with it. */
	const char *login_refused;
	/* NULL, or why the credential could not be had (the exporter got no
	 * OAuth2 access token): the login step fails with auth_token_unavailable
	 * and it, nothing is sent; password is NULL then. */
	const char *login_unavailable;
	const char *helo;
	const char *mail_from; /* send step when both are set */
	const char *rcpt_to;
	struct mp_tls_ctx *tls;
	const struct mp_deadline *dl;
	const struct mp_login_gate *gate; /* NULL: log in freely */
	int index;                        /* caller's slot, for the gate */
	/* Runs after a successful login instead of the send step (the delivery
	 * check); its class and message are the send step's. NULL: none. */
	enum mp_class (*after_login)(struct mp_session *s, void *arg, struct mp_step_result *st);
	void *after_login_arg;
};

/* Runs the check; always fills *res (zeroed first). The transcript is
 * allocated and owned by res (mp_endpoint_result_cleanup). */
void mp_endpoint_run(const struct mp_check_config *cfg, struct mp_endpoint_result *res);

#endif
