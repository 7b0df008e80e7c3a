/*
 * The login gate of a run. A job asks before it logs in; the gate answers
 * go, skip (an earlier rejection), not here (another address of the same
 * port logs in) or deadline (it passed while waiting: nothing is sent). The
 * address that logs in is the first, in a fixed order, that gets to its
 * login: a job waits a bounded while for the addresses before it. Outgoing
 * logins wait a bounded while for incoming ones that are under way, so a
 * wrong password is found on IMAP/POP3 first.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/platform.h"
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
same_port(const struct gate_slot *a, const struct gate_slot *b)
{
	return a->used && b->used && a->proto == b->proto && a->port == b->port;
}

/* The job that holds the login of self's (protocol, port), or -1. */
static int
port_claimer(const struct mp_gate *g, int self)
{
	for (int i = 0; i < g->n; i++)
		if (i != self && g->slots[i].claimer && same_port(&g->slots[i], &g->slots[self]))
			return i;
	return -1;
}

/* An address before self's in the login order has not settled yet. */
static bool
earlier_pending(const struct mp_gate *g, int self)
{
	const struct gate_slot *me = &g->slots[self];

	for (int i = 0; i < g->n; i++)
		if (i != self && same_port(&g->slots[i], me) && g->slots[i].rank < me->rank &&
		    !g->slots[i].settled)
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
	mp_cond_wait(&g->cv, &g->mu, &at);
}

static enum mp_login_decision
settle(struct mp_gate *g, int self, enum mp_login_decision d)
{
	g->slots[self].settled = true;
	mp_cond_broadcast(&g->cv);
	return d;
}

/* Claims the login of self's (protocol, port), or says who has it. */
static enum mp_login_decision
claim_port(struct mp_gate *g, int self, double grace, char *login_on)
{
	int c;

	for (;;) {
		if ((c = port_claimer(g, self)) >= 0) {
			memcpy(login_on, g->slots[c].addr.str, MP_ADDR_MAX);
			return settle(g, self, LOGIN_NOT_HERE);
		}
		if (mp_deadline_expired(g->dl))
			return settle(g, self, LOGIN_DEADLINE);
		if (!earlier_pending(g, self) || mp_now() >= grace)
			break;
		gate_wait(g, grace);
	}
	g->slots[self].claimer = true;
	mp_cond_broadcast(&g->cv);
	return LOGIN_GO;
}

/* Incoming first, one login at a time, none after a rejection or the
 * deadline. */
static enum mp_login_decision
wait_turn(struct mp_gate *g, int self, double grace)
{
	const struct gate_slot *me = &g->slots[self];

	while (!me->incoming && incoming_pending(g) && mp_now() < grace &&
	       !mp_deadline_expired(g->dl))
		gate_wait(g, grace);
	while (g->busy && !mp_deadline_expired(g->dl))
		gate_wait(g, mp_now() + 1);
	if (g->rejected)
		return settle(g, self, LOGIN_SKIP);
	if (mp_deadline_expired(g->dl))
		return settle(g, self, LOGIN_DEADLINE);
	g->busy = true;
	return LOGIN_GO;
}

static enum mp_login_decision
gate_begin(void *ctx, const struct mp_check_config *cfg, char *login_on)
{
	struct mp_gate *g = ctx;
	double grace = mp_now() + mp_deadline_left(g->dl) / 2;
	enum mp_login_decision d;

	pthread_mutex_lock(&g->mu);
	d = claim_port(g, cfg->index, grace, login_on);
	if (d == LOGIN_GO)
		d = wait_turn(g, cfg->index, grace);
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
	mp_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static void
gate_finished(void *ctx, const struct mp_check_config *cfg)
{
	struct mp_gate *g = ctx;

	pthread_mutex_lock(&g->mu);
	g->slots[cfg->index].settled = true;
	mp_cond_broadcast(&g->cv);
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

	memset(g, 0, sizeof(*g));
	if ((g->slots = calloc((size_t)(njobs > 0 ? njobs : 1), sizeof(*g->slots))) == NULL)
		return -1;
	g->n = njobs;
	g->dl = dl;
	pthread_mutex_init(&g->mu, NULL);
	mp_cond_init(&g->cv);
	g->ops = (struct mp_login_gate){.ctx = g,
					.begin = gate_begin,
					.end = gate_end,
					.finished = gate_finished,
					.ready = gate_ready};
	return 0;
}

void
mp_gate_set(struct mp_gate *g, int i, const struct mp_endpoint_spec *spec,
	    const struct mp_addr *addr)
{
	g->slots[i].used = true;
	g->slots[i].proto = spec->proto;
	g->slots[i].port = spec->port;
	g->slots[i].addr = *addr;
	g->slots[i].incoming = !mp_proto_is_outgoing(spec->proto);
}

static int
family_order(const struct mp_addr *a)
{
	return a->ss.ss_family == AF_INET6 ? 0 : a->ss.ss_family == AF_INET ? 1 : 2;
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

int
mp_gate_addr_order(const struct mp_addr *a, const struct mp_addr *b)
{
	int fa = family_order(a), fb = family_order(b);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (fa == 0)
		return sign(memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
				   &((const struct sockaddr_in6 *)&b->ss)->sin6_addr, 16));
	if (fa == 1)
		return sign(memcmp(&((const struct sockaddr_in *)&a->ss)->sin_addr,
				   &((const struct sockaddr_in *)&b->ss)->sin_addr, 4));
	return sign(strcmp(a->str, b->str));
}

void
mp_gate_rank(struct mp_gate *g)
{
	for (int i = 0; i < g->n; i++) {
		g->slots[i].rank = 0;
		for (int j = 0; j < g->n; j++) {
			int o;

			if (j == i || !same_port(&g->slots[i], &g->slots[j]))
				continue;
			o = mp_gate_addr_order(&g->slots[j].addr, &g->slots[i].addr);
			if (o < 0 || (o == 0 && j < i))
				g->slots[i].rank++;
		}
	}
}

void
mp_gate_cleanup(struct mp_gate *g)
{
	mp_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g->slots);
	g->slots = NULL;
}
