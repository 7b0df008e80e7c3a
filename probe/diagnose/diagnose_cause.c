/*
 * Where a blocked port's cause lies, from a control host (--control): the
 * same port at a host known to accept it. Fails there too: this network
 * blocks the port (cause network). Works there: the block is at or near
 * the mail server, or aimed at it (cause server). Either way the basis is
 * the control, and it outranks what the mail server's own answer suggested.
 * No I/O here.
 */
#include <string.h>

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
		struct mp_evidence ev = {.kind = EV_CONTROL, .endpoint = -1, .control = c,
					 .step = STEP_CONNECT, .has_step = true, .cls = r->cls};

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

void
dx_rules_cause(struct dx *x)
{
	for (int i = 0; i < x->out->nfindings && x->run->ncontrol > 0; i++)
		if (names_blocked_port(x->out->findings[i].id))
			cause_from_control(x, &x->out->findings[i]);
}
