/*
 * The exporter's shared state: the current config (swapped on reload,
 * shared by reference count), the reload result, the cancel flag every
 * probe watches, the pools, the store and the exporter's own counters.
 */
#ifndef MAILPROBE_EXPORTER_STATE_H
#define MAILPROBE_EXPORTER_STATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "checks/bg.h"
#include "exporter/config.h"
#include "exporter/inflight.h"
#include "exporter/logins.h"
#include "exporter/pool.h"
#include "exporter/store.h"

#define DURATION_BUCKETS 10

struct probe_stats {
	pthread_mutex_t mu;
	unsigned long long success, failure; /* mailprobe_probes_total{result} */
	unsigned long long buckets[DURATION_BUCKETS];
	unsigned long long count;
	double sum;
};

/* Requests and connections the web side turned away, by reason
 * (mailprobe_http_refused_total{reason}). */
enum web_refusal {
	REFUSED_CLIENT_CONNECTIONS, /* over web.max_connections_per_client */
	REFUSED_AUTH_RATE_LIMIT,    /* 429 after repeated failed basic auth */
	REFUSED_QUERY_PARAMETERS,   /* 414: too many query parameters */
	REFUSED_N
};

struct state {
	pthread_mutex_t mu; /* cfg and the reload fields */
	struct config *cfg;
	bool reload_ok;
	double reload_success_time; /* unix time */
	char config_file[PATH_MAX]; /* "" = built-in */
	atomic_int cancel;          /* set on SIGTERM: every probe ends now */
	atomic_bool ready;
	double start_time; /* unix time */
	struct store *store;
	struct pool *probe_pool;   /* /probe */
	struct pool *sched_pool;   /* scheduled targets */
	struct inflight *inflight; /* /probe per target host */
	struct logins *logins;     /* /probe logins per module and host */
	/* Abandoned DNS lookups: /probe cannot spend the scheduler's share. */
	struct mp_bg_budget sched_dns, probe_dns;
	struct probe_stats stats;
	atomic_ullong refused[REFUSED_N];
};

/* The current config with a reference (config_put it). */
struct config *state_config(struct state *st);
/* Makes c current (taking its reference) and reconciles the store. */
void state_set_config(struct state *st, struct config *c);
/* "client_connections", "auth_rate_limit", "query_parameters". */
const char *state_refusal_str(enum web_refusal why);
/* Counts a finished probe in the exporter's own series. */
void state_count_probe(struct state *st, bool success, double seconds);

/* The exporter's own series (selfmetrics.c): build info, probe counters and
 * duration histogram, reload status, process_* from /proc/self. */
void selfmetrics_render(struct state *st, FILE *out);
/* The histogram's upper bounds, seconds. */
extern const double duration_bounds[DURATION_BUCKETS];

#endif
