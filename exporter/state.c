/*
 * Shared state: the config swap and the probe counters.
 */
#include "exporter/state.h"

static const char *const refusal_names[REFUSED_N] = {"client_connections", "auth_rate_limit",
						     "query_parameters"};

const char *
state_refusal_str(enum web_refusal why)
{
	return refusal_names[why];
}

const double duration_bounds[DURATION_BUCKETS] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

struct config *
state_config(struct state *st)
{
	struct config *c;

	pthread_mutex_lock(&st->mu);
	c = config_ref(st->cfg);
	pthread_mutex_unlock(&st->mu);
	return c;
}

void
state_set_config(struct state *st, struct config *c)
{
	struct config *old;

	store_reconcile(st->store, c);
	pthread_mutex_lock(&st->mu);
	old = st->cfg;
	st->cfg = c;
	pthread_mutex_unlock(&st->mu);
	pool_set_limits(st->probe_pool, c->max_concurrent_probes, c->max_concurrent_probes);
	pool_set_limits(st->sched_pool, c->max_concurrent_probes, CFG_MAX_TARGETS);
	config_put(old);
	store_wake(st->store);
}

void
state_count_probe(struct state *st, bool success, double seconds)
{
	pthread_mutex_lock(&st->stats.mu);
	if (success)
		st->stats.success++;
	else
		st->stats.failure++;
	for (int i = 0; i < DURATION_BUCKETS; i++)
		if (seconds <= duration_bounds[i])
			st->stats.buckets[i]++;
	st->stats.count++;
	st->stats.sum += seconds;
	pthread_mutex_unlock(&st->stats.mu);
}
