/*
 * The login gate of a run. A job asks before it logs in; the gate answers
 * go, skip (an earlier rejection) or not here (another address of the same
 * port logs in). Outgoing logins wait a bounded while for incoming ones that
 * are under way, so a wrong password is found on IMAP/POP3 first.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/run/login_gate.h"

static struct timespec
abs_after(double seconds)
{
	struct timespec ts;
	double t = mp_now() + seconds;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* An incoming job is under way and will log in or settle soon. */
static bool
incoming_pending(const struct mp_gate *g)
{
	for (int i = 0; i < g->n; i++)
		if (g->slots[i].incoming && g->slots[i].ready && !g->slots[i].settled)
			return true;
	return false;
}

static bool
port_claimed(const struct mp_gate *g, int self)
{
	const struct gate_slot *me = &g->slots[self];

	for (int i = 0; i < g->n; i++)
		if (i != self && g->slots[i].claimer && g->slots[i].proto == me->proto &&
		    g->slots[i].port == me->port)
			return true;
	return false;
}

/* Waits on the gate's condition until at (or the run's deadline). */
static void
gate_wait(struct mp_gate *g, double until)
{
	double left = until - mp_now();
	double dl_left = mp_deadline_left(g->dl);
	struct timespec at;

	if (dl_left < left)
		left = dl_left;
	if (left > 0.2)
		left = 0.2; /* re-check the deadline and cancel flag */
	at = abs_after(left > 0 ? left : 0);
	pthread_cond_timedwait(&g->cv, &g->mu, &at);
}

static enum mp_login_decision
gate_begin(void *ctx, const struct mp_check_config *cfg)
{
	struct mp_gate *g = ctx;
	struct gate_slot *me = &g->slots[cfg->index];
	double grace = mp_now() + mp_deadline_left(g->dl) / 2;
	enum mp_login_decision d = LOGIN_GO;

	pthread_mutex_lock(&g->mu);
	if (port_claimed(g, cfg->index)) {
		me->settled = true;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
		return LOGIN_NOT_HERE;
	}
	me->claimer = true;
	while (!me->incoming && incoming_pending(g) && mp_now() < grace &&
	       !mp_deadline_expired(g->dl))
		gate_wait(g, grace);
	while (g->busy && !mp_deadline_expired(g->dl))
		gate_wait(g, mp_now() + 1);
	if (g->rejected) {
		me->settled = true;
		d = LOGIN_SKIP;
	} else {
		g->busy = true;
	}
	pthread_mutex_unlock(&g->mu);
	return d;
}

static void
gate_end(void *ctx, const struct mp_check_config *cfg, enum mp_class result)
{
	struct mp_gate *g = ctx;

	pthread_mutex_lock(&g->mu);
	g->busy = false;
	g->slots[cfg->index].settled = true;
	if (result == CLASS_AUTH_FAILED)
		g->rejected = true;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static void
gate_finished(void *ctx, const struct mp_check_config *cfg)
{
	struct mp_gate *g = ctx;

	pthread_mutex_lock(&g->mu);
	g->slots[cfg->index].settled = true;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static void
gate_ready(void *ctx, const struct mp_check_config *cfg)
{
	struct mp_gate *g = ctx;

	pthread_mutex_lock(&g->mu);
	g->slots[cfg->index].ready = true;
	pthread_mutex_unlock(&g->mu);
}

int
mp_gate_init(struct mp_gate *g, int njobs, const struct mp_deadline *dl)
{
	pthread_condattr_t ca;

	memset(g, 0, sizeof(*g));
	if ((g->slots = calloc((size_t)(njobs > 0 ? njobs : 1), sizeof(*g->slots))) == NULL)
		return -1;
	g->n = njobs;
	g->dl = dl;
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	g->ops = (struct mp_login_gate){.ctx = g,
					.begin = gate_begin,
					.end = gate_end,
					.finished = gate_finished,
					.ready = gate_ready};
	return 0;
}

void
mp_gate_set(struct mp_gate *g, int i, const struct mp_endpoint_spec *spec)
{
	g->slots[i].proto = spec->proto;
	g->slots[i].port = spec->port;
	g->slots[i].incoming = !mp_proto_is_outgoing(spec->proto);
}

void
mp_gate_cleanup(struct mp_gate *g)
{
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g->slots);
	g->slots = NULL;
}
