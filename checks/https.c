/*
 * HTTPS GET over the same connection, TLS and deadline code as the mail
 * checks. Only what discovery needs: GET, verification always on, bounded
 * headers and body, a few redirects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/https.h"
#include "checks/net.h"

#define HTTP_HEADERS_MAX 100
#define HTTP_REDIRECTS_MAX 3

int
mp_url_parse(const char *url, char *host, size_t hostlen, unsigned *port, char *path,
	     size_t pathlen)
{
	const char *p, *slash, *colon;
	size_t hn;

	if (strncasecmp(url, "https://", 8) != 0)
		return -1;
	p = url + 8;
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = p + strlen(p);
	colon = memchr(p, ':', (size_t)(slash - p));
	hn = (size_t)((colon != NULL ? colon : slash) - p);
	if (hn == 0 || hn >= hostlen || strlen(slash[0] ? slash : "/") >= pathlen)
		return -1;
	memcpy(host, p, hn);
	host[hn] = '\0';
	*port = 443;
	if (colon != NULL) {
		char *end;
		long v = strtol(colon + 1, &end, 10);

		if (end != slash || v < 1 || v > 65535)
			return -1;
		*port = (unsigned)v;
	}
	snprintf(path, pathlen, "%s", slash[0] ? slash : "/");
	for (const char *c = host; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-')
			return -1;
	return 0;
}

static enum mp_class
fail(struct mp_http_response *r, enum mp_class cls, const char *fmt, const char *arg)
{
	r->cls = cls;
	snprintf(r->message, sizeof(r->message), fmt, arg);
	return cls;
}

static enum mp_class
io_fail(struct mp_http_response *r, enum mp_io io)
{
	static const enum mp_class map[] = {
	    [IO_OK] = CLASS_NONE,
	    [IO_TIMEOUT] = CLASS_READ_TIMEOUT,
	    [IO_CLOSED] = CLASS_PEER_CLOSED,
	    [IO_RESET] = CLASS_PEER_RESET,
	    [IO_TOO_LONG] = CLASS_LINE_TOO_LONG,
	    [IO_ERROR] = CLASS_PROTOCOL_ERROR,
	};

	return fail(r, map[io], "HTTP: %s", mp_class_str(map[io]));
}

/* Connects to the first address of host that answers, then TLS. */
static enum mp_class
open_tls(struct mp_conn *c, const char *host, unsigned port, struct mp_tls_ctx *tls,
	 const struct mp_deadline *dl, struct mp_http_response *r)
{
	struct mp_resolved res;
	struct mp_step_result st;
	enum mp_class cls = mp_resolve(host, AF_UNSPEC, dl, &res);
	int fd = -1;
	bool reset;

	if (cls != CLASS_NONE)
		return fail(r, cls, "%s", res.message);
	for (int i = 0; i < res.n && fd < 0; i++)
		cls = mp_connect(&res.addrs[i], (uint16_t)port, dl, &fd, &reset, r->message,
				 sizeof(r->message), NULL);
	if (fd < 0)
		return r->cls = cls;
	mp_conn_init(c, fd, dl);
	memset(&st, 0, sizeof(st));
	cls = mp_tls_handshake(c, tls, host, &st);
	if (cls != CLASS_NONE)
		return fail(r, cls, "%s", st.message);
	return CLASS_NONE;
}

/* Status line and headers; fills status, length (-1 unknown), chunked and
 * location. */
static enum mp_class
read_head(struct mp_conn *c, struct mp_http_response *r, long long *length, bool *chunked,
	  char *location, size_t loclen)
{
	char line[MP_LINE_MAX + 1];
	size_t n;
	enum mp_io io = mp_conn_readline(c, line, sizeof(line), &n);

	if (io != IO_OK)
		return io_fail(r, io);
	if (sscanf(line, "HTTP/%*d.%*d %d", &r->status) != 1)
		return fail(r, CLASS_PROTOCOL_ERROR, "not an HTTP response: %.80s", line);
	*length = -1;
	*chunked = false;
	for (int i = 0; i < HTTP_HEADERS_MAX; i++) {
		if ((io = mp_conn_readline(c, line, sizeof(line), &n)) != IO_OK)
			return io_fail(r, io);
		if (n == 0)
			return CLASS_NONE;
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			*length = strtoll(line + 15, NULL, 10);
		else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0)
			*chunked = strstr(line + 18, "chunked") != NULL;
		else if (strncasecmp(line, "Location:", 9) == 0)
			snprintf(location, loclen, "%s", line + 9 + strspn(line + 9, " \t"));
	}
	return fail(r, CLASS_LINE_TOO_LONG, "%s", "more than 100 HTTP header lines");
}

/* Appends exactly n body bytes (or until close when n < 0). */
static enum mp_class
read_bytes(struct mp_conn *c, struct mp_http_response *r, long long n, size_t max)
{
	while (n != 0) {
		size_t want = n > 0 && (size_t)n < 4096 ? (size_t)n : 4096, got;
		enum mp_io io;

		if (r->len + want > max)
			return fail(r, CLASS_LINE_TOO_LONG, "%s", "the response body is too large");
		io = mp_conn_read(c, r->body + r->len, want, &got);
		if (io == IO_CLOSED && n < 0)
			return CLASS_NONE;
		if (io != IO_OK)
			return io_fail(r, io);
		r->len += got;
		r->body[r->len] = '\0';
		if (n > 0)
			n -= (long long)got;
	}
	return CLASS_NONE;
}

static enum mp_class
read_chunked(struct mp_conn *c, struct mp_http_response *r, size_t max)
{
	char line[MP_LINE_MAX + 1];
	size_t n;

	for (int i = 0; i < 10000; i++) {
		enum mp_io io = mp_conn_readline(c, line, sizeof(line), &n);
		long long size;
		enum mp_class cls;

		if (io != IO_OK)
			return io_fail(r, io);
		size = strtoll(line, NULL, 16);
		if (size < 0)
			return fail(r, CLASS_PROTOCOL_ERROR, "%s", "bad chunk size");
		if (size == 0)
			return CLASS_NONE;
		if ((cls = read_bytes(c, r, size, max)) != CLASS_NONE)
			return cls;
		if ((io = mp_conn_readline(c, line, sizeof(line), &n)) != IO_OK)
			return io_fail(r, io);
	}
	return fail(r, CLASS_LINE_TOO_LONG, "%s", "too many chunks");
}

/* Sends the request: a GET, or a POST of form (a secret: wiped, never in
 * the transcript). */
static enum mp_io
send_request(struct mp_conn *c, const char *host, const char *path, const struct mp_secret *form)
{
	char req[2 * MP_NAME_MAX + 256];
	enum mp_io io;

	if (form == NULL) {
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mailprobe\r\nAccept: */*\r\n"
			 "Connection: close\r\n",
			 path, host);
		return mp_conn_writeline(c, req, NULL);
	}
	snprintf(req, sizeof(req),
		 "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mailprobe\r\n"
		 "Accept: application/json\r\nConnection: close\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n",
		 path, host, form->len);
	if ((io = mp_conn_writeline(c, req, NULL)) != IO_OK)
		return io;
	return mp_conn_writeline(c, form->buf, "***");
}

/* One request; location gets a redirect target. */
static enum mp_class
request_once(const char *url, struct mp_tls_ctx *tls, const struct mp_deadline *dl, size_t max,
	     const struct mp_secret *form, struct mp_http_response *r, char *location,
	     size_t loclen)
{
	char host[MP_NAME_MAX], path[MP_NAME_MAX];
	unsigned port;
	struct mp_conn c = {.fd = -1};
	long long length = -1;
	bool chunked = false;
	enum mp_class cls;

	location[0] = '\0';
	if (mp_url_parse(url, host, sizeof(host), &port, path, sizeof(path)) < 0)
		return fail(r, CLASS_PROTOCOL_ERROR, "not an https URL: %.200s", url);
	snprintf(r->final_url, sizeof(r->final_url), "%s", url);
	if ((cls = open_tls(&c, host, port, tls, dl, r)) != CLASS_NONE)
		goto out;
	if (send_request(&c, host, path, form) != IO_OK) {
		cls = fail(r, CLASS_PEER_CLOSED, "%s", "the server closed the connection");
		goto out;
	}
	if ((cls = read_head(&c, r, &length, &chunked, location, loclen)) != CLASS_NONE)
		goto out;
	r->len = 0;
	if (r->body == NULL && (r->body = malloc(max + 1)) == NULL) {
		cls = fail(r, CLASS_PROTOCOL_ERROR, "%s", "out of memory");
		goto out;
	}
	r->body[0] = '\0';
	cls = chunked ? read_chunked(&c, r, max) : read_bytes(&c, r, length, max);
out:
	free(mp_conn_take_transcript(&c));
	mp_conn_close(&c);
	return cls;
}

enum mp_class
mp_https_get(const char *url, struct mp_tls_ctx *tls, const struct mp_deadline *dl, size_t max_body,
	     struct mp_http_response *out)
{
	char next[MP_NAME_MAX + 64], location[MP_NAME_MAX + 64];
	enum mp_class cls = CLASS_NONE;

	memset(out, 0, sizeof(*out));
	snprintf(next, sizeof(next), "%s", url);
	for (int i = 0; i <= HTTP_REDIRECTS_MAX; i++) {
		cls = request_once(next, tls, dl, max_body, NULL, out, location, sizeof(location));
		if (cls != CLASS_NONE || out->status < 300 || out->status > 308 || !location[0])
			return cls;
		snprintf(next, sizeof(next), "%s", location);
	}
	return fail(out, CLASS_PROTOCOL_ERROR, "%s", "too many redirects");
}

enum mp_class
mp_https_post_form(const char *url, struct mp_tls_ctx *tls, const struct mp_deadline *dl,
		   size_t max_body, const struct mp_secret *form, struct mp_http_response *out)
{
	char location[MP_NAME_MAX + 64];

	memset(out, 0, sizeof(*out));
	return request_once(url, tls, dl, max_body, form, out, location, sizeof(location));
}

void
mp_http_response_free(struct mp_http_response *r)
{
	if (r->body != NULL)
		mp_wipe(r->body, r->len);
	free(r->body);
	r->body = NULL;
	r->len = 0;
}
