/*
 * A small HTTPS GET client for discovery (the autoconfig file): resolve,
 * connect, TLS with full verification (chain and host name), HTTP/1.1 with
 * Content-Length, chunked or close-delimited bodies, up to 3 redirects to
 * https URLs. Everything under the run's deadline and a body size bound.
 */
#ifndef MAILPROBE_HTTPS_H
#define MAILPROBE_HTTPS_H

#include <stddef.h>

#include "checks/deadline.h"
#include "checks/result.h"
#include "checks/secret.h"
#include "checks/tls.h"

struct mp_http_response {
	int status; /* HTTP status of the last response, 0 when none */
	char *body; /* NUL-terminated, owned (free()); NULL on failure */
	size_t len;
	enum mp_class cls; /* CLASS_NONE when a response arrived */
	char message[MP_MESSAGE_MAX];
	char final_url[MP_NAME_MAX + 64];
};

/* GETs url. Returns the class: dns_*, connect_*, tls_* (an unverified
 * certificate fails), read errors, line_too_long (body over max_body) or
 * protocol_error (not HTTP). A non-200 status is CLASS_NONE with status set. */
enum mp_class mp_https_get(const char *url, struct mp_tls_ctx *tls, const struct mp_deadline *dl,
			   size_t max_body, struct mp_http_response *out);
/* POSTs form (application/x-www-form-urlencoded; a secret, never in a
 * transcript) to url, one request, no redirect followed (a secret goes to
 * the URL given only). Classes as mp_https_get. */
enum mp_class mp_https_post_form(const char *url, struct mp_tls_ctx *tls,
				 const struct mp_deadline *dl, size_t max_body,
				 const struct mp_secret *form, struct mp_http_response *out);
/* Wipes the body (it may hold a token) and frees it. */
void mp_http_response_free(struct mp_http_response *r);

/* Splits "https://host[:port]/path" (pure; for tests). 0 or -1. */
int mp_url_parse(const char *url, char *host, size_t hostlen, unsigned *port, char *path,
		 size_t pathlen);

#endif
