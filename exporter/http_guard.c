/*
 * The web side's guards against one client taking the exporter off the
 * air: the per-client connection limit (an accept policy fed by connection
 * start/close notices), the cap on query parameters, and the counters and
 * rate-limited log lines of what they refuse. No routing here.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "exporter/clients.h"
#include "exporter/http.h"
#include "exporter/log.h"

#define LOG_WINDOW 10.0 /* seconds */
#define LOG_PER_WINDOW 5

struct guard {
	struct state *st;
	struct client_table *clients;
	int per_client;
};

struct log_limit {
	pthread_mutex_t mu;
	double window_start;
	int n;
	unsigned long suppressed;
};

static struct log_limit limits[REFUSED_N + 1] = {{PTHREAD_MUTEX_INITIALIZER, 0, 0, 0},
						 {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0},
						 {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0},
						 {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0}};

char guard_query_marker;

/* At most LOG_PER_WINDOW lines per kind and window; the first line after
 * a quiet spell says how many were left out. */
static bool
log_take(struct log_limit *l, char *skipped, size_t len)
{
	double now = mp_now();
	bool ok;

	pthread_mutex_lock(&l->mu);
	if (now - l->window_start >= LOG_WINDOW) {
		l->window_start = now;
		l->n = 0;
	}
	ok = l->n < LOG_PER_WINDOW;
	if (ok) {
		l->n++;
		snprintf(skipped, len, "%lu", l->suppressed);
		l->suppressed = 0;
	} else {
		l->suppressed++;
	}
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void
guard_refused(struct state *st, enum web_refusal why, const char *client)
{
	char skipped[24];

	atomic_fetch_add(&st->refused[why], 1);
	if (log_take(&limits[why], skipped, sizeof(skipped)))
		xlog(LVL_WARN, "request refused", "reason", state_refusal_str(why), "client",
		     client, "similar_lines_left_out", skipped, NULL);
}

bool
guard_log_take(char *skipped, size_t len)
{
	return log_take(&limits[REFUSED_N], skipped, len);
}

struct guard *
guard_new(struct state *st, const struct config *cfg)
{
	struct guard *g = calloc(1, sizeof(*g));

	if (g == NULL || (g->clients = clients_new(cfg->max_connections)) == NULL) {
		free(g);
		return NULL;
	}
	g->st = st;
	g->per_client = cfg->max_connections_per_client;
	return g;
}

void
guard_free(struct guard *g)
{
	if (g == NULL)
		return;
	clients_free(g->clients);
	free(g);
}

enum MHD_Result
guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct guard *g = cls;
	struct client_key k;
	char who[64];

	(void)addrlen;
	client_key_of(addr, &k);
	if (clients_count(g->clients, &k) < g->per_client)
		return MHD_YES;
	client_key_str(&k, who, sizeof(who));
	guard_refused(g->st, REFUSED_CLIENT_CONNECTIONS, who);
	return MHD_NO;
}

void
guard_connection(void *cls, struct MHD_Connection *c, void **socket_context,
		 enum MHD_ConnectionNotificationCode code)
{
	static char counted;
	struct guard *g = cls;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct client_key k;

	client_key_of(ci != NULL ? ci->client_addr : NULL, &k);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (clients_opened(g->clients, &k) == 0)
			*socket_context = &counted;
	} else if (*socket_context == &counted) {
		clients_closed(g->clients, &k);
		*socket_context = NULL;
	}
}

/* Query parameters in uri: 0 without a query, else one more than '&'s. */
static int
query_params(const char *q)
{
	int n = 1;

	if (q == NULL || q[1] == '\0')
		return 0;
	for (q++; *q != '\0'; q++)
		n += *q == '&';
	return n;
}

void *
guard_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct guard *g = cls;
	char *q = uri != NULL ? strchr(uri, '?') : NULL;
	const union MHD_ConnectionInfo *ci;
	struct client_key k;
	char who[64];

	if (query_params(q) <= HTTP_MAX_QUERY_PARAMS)
		return NULL;
	/* libmicrohttpd would next store every parameter in the connection's
	 * memory pool and, when that runs out, close or stall the connection
	 * without an answer. The URI is the connection's own (writable) read
	 * buffer: ending the query at '?' leaves nothing to store, and the
	 * handler answers 414 when it sees the marker. */
	q[1] = '\0';
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	client_key_of(ci != NULL ? ci->client_addr : NULL, &k);
	client_key_str(&k, who, sizeof(who));
	guard_refused(g->st, REFUSED_QUERY_PARAMETERS, who);
	return &guard_query_marker;
}
