/*
 * libmicrohttpd glue: listening sockets, one daemon per address, the
 * request handler (method check, basic auth, routing) and the response
 * helpers. Every response carries a Content-Type and nosniff.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exporter/http.h"
#include "exporter/listen.h"
#include "exporter/log.h"

#define REALM "mailprobe_exporter"
#define TLS_FILE_MAX (1024 * 1024)

struct http {
	int n;
	struct MHD_Daemon *d[CFG_MAX_LISTEN];
	char *tls_cert, *tls_key;
	struct guard *guard; /* one for every daemon: limits count across them */
	unsigned max_connections;
};

/* Marks a request past its first call that is not a /probe in flight. */
static char seen_marker;

static enum MHD_Result route(struct state *st, struct config *cfg, struct MHD_Connection *c,
			     const char *url, void **con_cls);

enum MHD_Result
http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    len, body != NULL ? body : (char *)"",
	    body != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (strncmp(type, "text/html", 9) == 0)
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; img-src "
					"data:; frame-ancestors 'none'");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
http_send_text(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	char msg[1024], *body;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	if ((body = malloc(n + 1)) == NULL)
		return http_send(c, MHD_HTTP_INTERNAL_SERVER_ERROR, TYPE_TEXT, NULL, 0);
	memcpy(body, msg, n + 1);
	return http_send(c, status, TYPE_TEXT, body, n);
}

static bool
health_route(const char *url)
{
	return strcmp(url, "/-/healthy") == 0 || strcmp(url, "/-/ready") == 0;
}

static enum MHD_Result
unauthorized(struct MHD_Connection *c)
{
	static char msg[] = "401 Unauthorized\n";
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(msg), msg, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_TEXT);
	ret = MHD_queue_basic_auth_fail_response(c, REALM, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
too_many_attempts(struct MHD_Connection *c, int retry_after)
{
	char msg[] = "429 too many failed logins from this address: try again later\n", secs[16];
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(msg), msg, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	snprintf(secs, sizeof(secs), "%d", retry_after);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_TEXT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	ret = MHD_queue_response(c, MHD_HTTP_TOO_MANY_REQUESTS, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
authorized_route(struct state *st, struct config *cfg, struct MHD_Connection *c, const char *url,
		 void **con_cls)
{
	int retry_after = 0;

	/* Health checks (container HEALTHCHECK, kubelet) carry no
	 * credentials; they reveal nothing but "up". */
	if (health_route(url))
		return route(st, cfg, c, url, con_cls);
	switch (auth_check(st, cfg, c, &retry_after)) {
	case AUTH_OK:
		break;
	case AUTH_DENIED:
		return unauthorized(c);
	case AUTH_LIMITED:
		return too_many_attempts(c, retry_after);
	}
	return route(st, cfg, c, url, con_cls);
}

static enum MHD_Result
route_metrics(struct state *st, struct config *cfg, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		return http_send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	selfmetrics_render(st, out);
	store_render_metrics(st->store, cfg, out);
	if (fclose(out) != 0) {
		free(buf);
		return http_send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	return http_send(c, MHD_HTTP_OK, TYPE_METRICS, buf, len);
}

static enum MHD_Result
route(struct state *st, struct config *cfg, struct MHD_Connection *c, const char *url,
      void **con_cls)
{
	if (strcmp(url, "/probe") == 0)
		return route_probe(st, cfg, c, con_cls);
	if (strcmp(url, "/metrics") == 0)
		return route_metrics(st, cfg, c);
	if (strcmp(url, "/") == 0)
		return route_status(st, cfg, c);
	if (strcmp(url, "/report") == 0)
		return route_report(st, cfg, c);
	if (strcmp(url, "/-/healthy") == 0)
		return http_send_text(c, MHD_HTTP_OK, "Healthy\n");
	if (strcmp(url, "/-/ready") == 0)
		return atomic_load(&st->ready)
			   ? http_send_text(c, MHD_HTTP_OK, "Ready\n")
			   : http_send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Not ready\n");
	return http_send_text(c, MHD_HTTP_NOT_FOUND, "404 not found: see / for the routes\n");
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct state *st = cls;
	struct config *cfg;
	enum MHD_Result ret;

	(void)version;
	(void)upload;
	if (*con_cls == &guard_query_marker)
		return http_send_text(c, MHD_HTTP_URI_TOO_LONG,
				      "414 too many query parameters (at most %d)\n",
				      HTTP_MAX_QUERY_PARAMS);
	if (*con_cls == NULL) {
		*con_cls = &seen_marker;
		return MHD_YES;
	}
	if (*con_cls != &seen_marker)
		return route_probe_resumed(c, *con_cls);
	if (*upload_size != 0) { /* a body is not for us: read and drop it */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return http_send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	cfg = state_config(st);
	ret = authorized_route(st, cfg, c, url, con_cls);
	config_put(cfg);
	return ret;
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode tc)
{
	(void)cls;
	(void)c;
	(void)tc;
	if (*con_cls != NULL && *con_cls != &seen_marker && *con_cls != &guard_query_marker)
		route_probe_free(*con_cls);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512], skipped[24];
	size_t n;

	(void)cls;
	if (!guard_log_take(skipped, sizeof(skipped)))
		return; /* a client can make libmicrohttpd log per connection */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	xlog(LVL_WARN, "http server", "error", msg, "similar_lines_left_out", skipped, NULL);
}

static int
bind_one(const struct addrinfo *ai, bool any6)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol), one = 1,
	    zero = 0;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (any6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* A listening socket for "host:port"; "" host = every address (IPv6 with
 * IPv4 mapped, or IPv4 alone where IPv6 is off). */
static int
listen_socket(const char *spec, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res, *ai;
	char host[256], port[8];
	int fd = -1, rc;

	if (listen_split(spec, host, sizeof(host), port, sizeof(port)) < 0) {
		snprintf(err, errlen,
			 "listen address \"%.100s\": expected HOST:PORT, :PORT or [IPv6]:PORT",
			 spec);
		return -1;
	}
	hints.ai_family = host[0] == '\0' ? AF_INET6 : AF_UNSPEC;
	if ((rc = getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &res)) != 0 &&
	    host[0] == '\0') {
		hints.ai_family = AF_INET;
		rc = getaddrinfo(NULL, port, &hints, &res);
	}
	if (rc != 0) {
		snprintf(err, errlen, "listen address \"%.100s\": %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = bind_one(ai, host[0] == '\0' && ai->ai_family == AF_INET6);
	if (fd < 0 && host[0] == '\0') { /* no IPv6 on this machine */
		struct sockaddr_in sin = {.sin_family = AF_INET,
					  .sin_port = htons((uint16_t)atoi(port))};
		struct addrinfo v4 = {.ai_family = AF_INET,
				      .ai_socktype = SOCK_STREAM,
				      .ai_addr = (struct sockaddr *)&sin,
				      .ai_addrlen = sizeof(sin)};

		fd = bind_one(&v4, false);
	}
	if (fd < 0)
		snprintf(err, errlen, "listen address \"%.100s\": %s", spec, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static char *
read_small(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = f != NULL ? calloc(1, TLS_FILE_MAX + 1) : NULL;

	if (buf != NULL && (fread(buf, 1, TLS_FILE_MAX, f) == 0 || ferror(f))) {
		free(buf);
		buf = NULL;
	}
	if (f != NULL)
		fclose(f);
	return buf;
}

static int
load_tls(struct http *h, const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->tls_cert_file[0] == '\0')
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "web TLS: this libmicrohttpd has no TLS support");
		return -1;
	}
	h->tls_cert = read_small(cfg->tls_cert_file);
	h->tls_key = read_small(cfg->tls_key_file);
	if (h->tls_cert == NULL || h->tls_key == NULL) {
		snprintf(err, errlen, "web TLS: cannot read %s",
			 h->tls_cert == NULL ? cfg->tls_cert_file : cfg->tls_key_file);
		return -1;
	}
	return 0;
}

#define OPT(o, v, p) ((struct MHD_OptionItem){(o), (intptr_t)(v), (p)})

/* One daemon on fd: a small thread pool, the connection limits (in all and
 * per client, through the guard), the query cap and, with a certificate,
 * HTTPS at TLS 1.2 or later. */
static struct MHD_Daemon *
start_daemon(struct http *h, struct state *st, int fd)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 (h->tls_cert != NULL ? MHD_USE_TLS : 0);
	struct MHD_OptionItem o[16];
	int n = 0;

	o[n++] = OPT(MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL);
	o[n++] = OPT(MHD_OPTION_LISTEN_SOCKET, fd, NULL);
	o[n++] = OPT(MHD_OPTION_THREAD_POOL_SIZE, HTTP_THREADS, NULL);
	o[n++] = OPT(MHD_OPTION_CONNECTION_LIMIT, h->max_connections, NULL);
	o[n++] = OPT(MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_TIMEOUT, NULL);
	o[n++] = OPT(MHD_OPTION_NOTIFY_COMPLETED, completed, NULL);
	o[n++] = OPT(MHD_OPTION_NOTIFY_CONNECTION, guard_connection, h->guard);
	o[n++] = OPT(MHD_OPTION_URI_LOG_CALLBACK, guard_uri, h->guard);
	if (h->tls_cert != NULL) {
		o[n++] = OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert);
		o[n++] = OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key);
		o[n++] = OPT(MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)HTTP_TLS_PRIORITIES);
	}
	o[n++] = OPT(MHD_OPTION_END, 0, NULL);
	return MHD_start_daemon(flags, 0, guard_accept, h->guard, handler, st, MHD_OPTION_ARRAY, o,
				MHD_OPTION_END);
}

static void
log_bound(int fd, bool tls)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[NI_MAXHOST], port[NI_MAXSERV], addr[NI_MAXHOST + 16];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return;
	snprintf(addr, sizeof(addr), ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
	xlog(LVL_INFO, "listening", "address", addr, "tls", tls ? "on" : "off", NULL);
}

struct http *
http_start(struct state *st, const struct config *cfg, char (*listen)[CFG_LISTEN_MAX], int nlisten,
	   char *err, size_t errlen)
{
	struct http *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->guard = guard_new(st, cfg)) == NULL) {
		snprintf(err, errlen, "out of memory");
		http_stop(h);
		return NULL;
	}
	h->max_connections = (unsigned)cfg->max_connections;
	if (load_tls(h, cfg, err, errlen) < 0) {
		http_stop(h);
		return NULL;
	}
	for (int i = 0; i < nlisten && i < CFG_MAX_LISTEN; i++) {
		int fd = listen_socket(listen[i], err, errlen);

		if (fd < 0) {
			http_stop(h);
			return NULL;
		}
		if ((h->d[h->n] = start_daemon(h, st, fd)) == NULL) {
			close(fd);
			snprintf(err, errlen, "%s: the HTTP server did not start", listen[i]);
			http_stop(h);
			return NULL;
		}
		h->n++;
		log_bound(fd, h->tls_cert != NULL);
	}
	return h;
}

void
http_quiesce(struct http *h)
{
	for (int i = 0; h != NULL && i < h->n; i++) {
		MHD_socket fd = MHD_quiesce_daemon(h->d[i]);

		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
}

void
http_stop(struct http *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < h->n; i++)
		MHD_stop_daemon(h->d[i]);
	free(h->tls_cert);
	free(h->tls_key);
	guard_free(h->guard);
	free(h);
}
