/*
 * The web side: libmicrohttpd daemons (one per listen address, each with a
 * small internal thread pool), routing, basic auth and responses. Only this
 * folder includes microhttpd.h. /probe suspends its connection while a
 * worker of the probe pool runs the check, so HTTP threads never wait on a
 * probe and /metrics is always answered from the store.
 */
#ifndef MAILPROBE_EXPORTER_HTTP_H
#define MAILPROBE_EXPORTER_HTTP_H

#include <microhttpd.h>
#include <stddef.h>

#include "exporter/state.h"

#define HTTP_THREADS 4
#define HTTP_IDLE_TIMEOUT 60     /* seconds */
#define HTTP_MAX_QUERY_PARAMS 32 /* more: 414 */
/* GnuTLS priorities of the HTTPS endpoint: TLS 1.2 and 1.3 only. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

#define TYPE_TEXT "text/plain; charset=utf-8"
#define TYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"
#define TYPE_HTML "text/html; charset=utf-8"

struct http;

/* Binds every address of listen (":9925", "127.0.0.1:9925", "[::1]:0")
 * and starts serving. NULL with a one-line reason in err. */
struct http *http_start(struct state *st, const struct config *cfg, char (*listen)[CFG_LISTEN_MAX],
			int nlisten, char *err, size_t errlen);
/* Stops accepting new connections. */
void http_quiesce(struct http *h);
/* Stops the daemons; suspended connections must have been resumed. */
void http_stop(struct http *h);

/* Responses (http.c). Each takes body (malloc'd, may be NULL for empty). */
enum MHD_Result http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body,
			  size_t len);
enum MHD_Result http_send_text(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Routes (their own files). */
enum MHD_Result route_probe(struct state *st, struct config *cfg, struct MHD_Connection *c,
			    void **con_cls);
/* The answer of a /probe whose worker finished (connection resumed). */
enum MHD_Result route_probe_resumed(struct MHD_Connection *c, void *ctx);
void route_probe_free(void *ctx);
enum MHD_Result route_status(struct state *st, struct config *cfg, struct MHD_Connection *c);
enum MHD_Result route_report(struct state *st, struct config *cfg, struct MHD_Connection *c);

/* Basic auth (auth.c). AUTH_OK when cfg has no users or the request's
 * credentials match a user's bcrypt hash; AUTH_LIMITED (429, nothing
 * checked) while the client has had AUTH_MAX_FAILURES failures within
 * AUTH_WINDOW seconds. */
#define AUTH_MAX_FAILURES 10
#define AUTH_WINDOW 60 /* seconds */
enum auth_verdict { AUTH_OK, AUTH_DENIED, AUTH_LIMITED };

enum auth_verdict auth_check(struct state *st, const struct config *cfg, struct MHD_Connection *c,
			     int *retry_after);
/* The hash a user name is checked against: the user's, or for an unknown
 * name the first user's (same algorithm and cost, so the same time), with
 * *known false. NULL when cfg has no users. */
const char *auth_hash_for(const struct config *cfg, const char *user, bool *known);

/* Guards (http_guard.c): the per-client connection limit as an accept
 * policy and connection notices (cls: the guard), the query-parameter cap
 * as URI callback (returns &guard_query_marker: answer 414), and the
 * counted, rate-limited log line of every refusal. */
struct guard;

struct guard *guard_new(struct state *st, const struct config *cfg);
void guard_free(struct guard *g);
enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void guard_connection(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code);
void *guard_uri(void *cls, const char *uri, struct MHD_Connection *c);
extern char guard_query_marker;
void guard_refused(struct state *st, enum web_refusal why, const char *client);
/* For libmicrohttpd's own log lines: true when one may be written now;
 * skipped gets how many were left out before it. */
bool guard_log_take(char *skipped, size_t len);

#endif
