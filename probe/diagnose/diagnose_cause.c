/*
 * Where a blocked port's cause lies. From a control host (--control): the
 * same port at a host known to accept it fails there too -> this network
 * blocks the port (cause network); works there -> the block is at or near
 * the mail server, or aimed at it (cause server). From the path (how far
 * each port's packets get, checks/path.c): the working port of the same
 * address reaches the server at hop N; the blocked port's packets are last
 * seen at hop K < N - 1 -> blocked on the way after hop K (cause network);
 * they reach hop N - 1 like the working port's -> blocked at the server's
 * edge (cause server). A reset that comes back at a lower hop than the
 * server is a middlebox's. The control outranks the path, and both outrank
 * what the mail server's own answer suggested. No I/O here.
 */
#include <string.h>

#include "checks/path.h"
#include "probe/diagnose/diagnose_rules.h"

/* The findings that name an unreachable port. */
static bool
names_blocked_port(const char *id)
{
	static const char *const ids[] = {"outgoing_port_blocked", "outgoing_blocked",
					  "host_unreachable", "address_down", "port25_blocked"};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return false;
}

static bool
connect_class(enum mp_class c)
{
	return c == CLASS_CONNECT_TIMEOUT || c == CLASS_CONNECT_REFUSED ||
	       c == CLASS_CONNECT_UNREACHABLE;
}

/* Whether port is among the connect failures in f's evidence. */
static bool
port_in(const struct dx *x, const struct mp_finding *f, uint16_t port)
{
	for (int k = 0; k < f->nevidence; k++) {
		const struct mp_endpoint_result *e = mp_evidence_endpoint(x->run, &f->evidence[k]);

		if (f->evidence[k].kind == EV_ENDPOINT && e != NULL && e->spec.port == port &&
		    connect_class(f->evidence[k].cls))
			return true;
	}
	return false;
}

static void
cause_from_control(struct dx *x, struct mp_finding *f)
{
	int works = 0, fails = 0;

	for (int c = 0; c < x->run->ncontrol; c++) {
		const struct mp_control_result *r = &x->run->control[c];
		struct mp_evidence ev = {.kind = EV_CONTROL,
					 .endpoint = -1,
					 .control = c,
					 .step = STEP_CONNECT,
					 .has_step = true,
					 .cls = r->cls};

		if (!port_in(x, f, r->port) || r->address[0] == '\0')
			continue; /* another port, or the control host did not resolve */
		if (r->ok || !connect_class(r->cls))
			works++; /* TCP reached the control host */
		else
			fails++;
		dx_evidence_add(f, &ev);
	}
	if (works > 0) {
		f->cause = CAUSE_SERVER;
		f->basis = BASIS_CONTROL;
	} else if (fails > 0) {
		f->cause = CAUSE_NETWORK;
		f->basis = BASIS_CONTROL;
	}
}

/* The path to addr:port, measured or (skipped) not. */
static const struct mp_path_result *
path_of(const struct mp_run *run, const char *addr, uint16_t port)
{
	for (int i = 0; i < run->npaths; i++)
		if (run->paths[i].port == port && strcmp(run->paths[i].address, addr) == 0)
			return &run->paths[i];
	return NULL;
}

/* A path to the same address that reached the server (a working port). */
static const struct mp_path_result *
reaching_path(const struct mp_run *run, const char *addr, uint16_t not_port)
{
	for (int i = 0; i < run->npaths; i++) {
		const struct mp_path_result *p = &run->paths[i];

		if (p->port != not_port && strcmp(p->address, addr) == 0 && !p->skipped &&
		    p->reached > 0 && p->hops[p->reached - 1].answer == HOP_SYN_ACK)
			return p;
	}
	return NULL;
}

static void
add_path_evidence(const struct dx *x, struct mp_finding *f, const struct mp_path_result *p)
{
	struct mp_evidence ev = {.kind = EV_PATH, .endpoint = -1, .path = (int)(p - x->run->paths)};

	dx_evidence_add(f, &ev);
}

/* The cause one blocked endpoint's path shows: CAUSE_NONE when it shows
 * nothing (no path, or no working port to compare with). */
static enum mp_cause
path_cause(const struct dx *x, const struct mp_endpoint_result *e, struct mp_finding *f)
{
	const struct mp_path_result *blocked = path_of(x->run, e->address, e->spec.port);
	const struct mp_path_result *good = reaching_path(x->run, e->address, e->spec.port);
	int n;

	if (blocked != NULL && blocked->skipped) { /* the evidence says what was skipped */
		add_path_evidence(x, f, blocked);
		return CAUSE_NONE;
	}
	if (blocked == NULL || good == NULL)
		return CAUSE_NONE;
	n = good->reached;
	/* The server at hop 1: no router between to place a block at; a drop
	 * or a reset on this computer looks like one at the server. */
	if (n < 2)
		return CAUSE_NONE;
	add_path_evidence(x, f, blocked);
	add_path_evidence(x, f, good);
	if (blocked->reached > 0 && blocked->reached < n)
		return CAUSE_NETWORK; /* a middlebox answered in the server's name */
	if (blocked->reached == n || blocked->last_hop >= n - 1)
		return CAUSE_SERVER; /* as far as the working port's, up to the server's edge */
	return CAUSE_NETWORK;
}

static void
cause_from_path(struct dx *x, struct mp_finding *f)
{
	enum mp_cause cause = CAUSE_NONE;
	int nev = f->nevidence;

	for (int k = 0; k < nev; k++) {
		const struct mp_endpoint_result *e = mp_evidence_endpoint(x->run, &f->evidence[k]);
		enum mp_cause c;

		if (f->evidence[k].kind != EV_ENDPOINT || e == NULL ||
		    !connect_class(f->evidence[k].cls))
			continue;
		c = path_cause(x, e, f);
		if (c == CAUSE_NONE)
			continue;
		cause = cause == CAUSE_NONE || cause == c ? c : CAUSE_UNKNOWN;
	}
	if (cause != CAUSE_NONE) {
		f->cause = cause;
		f->basis = BASIS_PATH;
	}
}

void
dx_rules_cause(struct dx *x)
{
	for (int i = 0; i < x->out->nfindings; i++) {
		struct mp_finding *f = &x->out->findings[i];

		if (!names_blocked_port(f->id))
			continue;
		if (x->run->npaths > 0)
			cause_from_path(x, f);
		if (x->run->ncontrol > 0)
			cause_from_control(x, f);
	}
}
