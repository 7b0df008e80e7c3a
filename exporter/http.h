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
#define HTTP_CONNECTION_LIMIT 512
#define HTTP_IDLE_TIMEOUT 60 /* seconds */

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

/* Basic auth (auth.c): true when cfg has no users, or the request's
 * credentials match a user's bcrypt hash. */
bool auth_ok(const struct config *cfg, struct MHD_Connection *c);

#endif
