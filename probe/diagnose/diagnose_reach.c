/*
 * Diagnosis rules about reaching the server: DNS, connect failures by
 * port, by direction and host, by address and by address family, and the
 * wrong security mode for a port. A verdict says what the evidence shows:
 * a refusal (RST) from the server's address means nothing accepts
 * connections there (cause server, basis refused_by_server); an ICMP
 * unreachable (port unreachable, administratively prohibited) from the
 * server's address is a firewall's reject rule there (cause server, basis
 * server_firewall: the service may run), and one from this computer's own
 * address its own firewall (cause network, basis local_firewall); a silent
 * drop, an unreachable network or an ICMP from another address can be this
 * network or the server's side (cause unknown) until a control host or the
 * path says more. No I/O here.
 */
#include <stdio.h>
#include <string.h>

#include "probe/diagnose/diagnose_rules.h"

static const struct mp_endpoint_result *
ep(const struct dx *x, int i)
{
	return &x->run->endpoints[i];
}

static bool
connect_failed(const struct dx *x, int i)
{
	return dx_client(ep(x, i)) && dx_failed_at(ep(x, i), STEP_CONNECT);
}

/* How endpoint i's connect was refused, by who sent the refusal: a TCP
 * reset, or an ICMP unreachable (port unreachable, administratively
 * prohibited, ...) and its sender. */
enum refusal {
	REFUSAL_NONE,        /* none known: dropped, unreachable without an ICMP,
				or it connected */
	REFUSAL_RESET,       /* a TCP reset (or a refusal of unknown kind) */
	REFUSAL_SERVER_ICMP, /* an ICMP unreachable from the server's address */
	REFUSAL_LOCAL_ICMP,  /* ... from this computer's own address */
	REFUSAL_OTHER_ICMP   /* ... from another address on the way */
};

static bool
is_local(const struct dx *x, const char *addr)
{
	for (int k = 0; k < x->run->env.nlocal; k++)
		if (strcmp(x->run->env.local[k], addr) == 0)
			return true;
	return false;
}

static enum refusal
refusal(const struct dx *x, int i)
{
	const struct mp_step_result *c = mp_endpoint_step(ep(x, i), STEP_CONNECT);

	if (c == NULL || c->ok ||
	    (c->cls != CLASS_CONNECT_REFUSED && c->cls != CLASS_CONNECT_UNREACHABLE))
		return REFUSAL_NONE;
	if (c->icmp_from[0] == '\0')
		return c->cls == CLASS_CONNECT_REFUSED ? REFUSAL_RESET : REFUSAL_NONE;
	if (strcmp(c->icmp_from, ep(x, i)->address) == 0)
		return REFUSAL_SERVER_ICMP;
	return is_local(x, c->icmp_from) ? REFUSAL_LOCAL_ICMP : REFUSAL_OTHER_ICMP;
}

/* Refused by the server's own address (a reset or its firewall). */
static bool
refused(const struct dx *x, int i)
{
	enum refusal r = refusal(x, i);

	return r == REFUSAL_RESET || r == REFUSAL_SERVER_ICMP;
}

static bool
is_v6(const struct mp_endpoint_result *e)
{
	return strchr(e->address, ':') != NULL;
}

/* The server name endpoint e was probed at. */
static const char *
host_of(const struct dx *x, const struct mp_endpoint_result *e)
{
	return e->host[0] != '\0' ? e->host : x->run->host;
}

/* Cause and basis from the connect evidence of f: every failure refused
 * by the server's own address -> server (basis server_firewall when every
 * refusal was its ICMP unreachable); every failure refused by this
 * computer's own ICMP -> network (local_firewall); anything else ->
 * unknown. */
static void
set_cause(const struct dx *x, struct mp_finding *f)
{
	int n = 0, count[REFUSAL_OTHER_ICMP + 1] = {0};

	if (f == NULL)
		return;
	for (int k = 0; k < f->nevidence; k++, n++) {
		const struct mp_evidence *ev = &f->evidence[k];

		count[ev->kind == EV_ENDPOINT && ev->endpoint >= 0 ? refusal(x, ev->endpoint)
								   : REFUSAL_NONE]++;
	}
	f->cause = CAUSE_UNKNOWN;
	f->basis = BASIS_NONE;
	if (n > 0 && count[REFUSAL_RESET] + count[REFUSAL_SERVER_ICMP] == n) {
		f->cause = CAUSE_SERVER;
		f->basis = count[REFUSAL_SERVER_ICMP] == n ? BASIS_SERVER_FIREWALL
							   : BASIS_REFUSED_BY_SERVER;
	} else if (n > 0 && count[REFUSAL_LOCAL_ICMP] == n) {
		f->cause = CAUSE_NETWORK;
		f->basis = BASIS_LOCAL_FIREWALL;
	}
}

static void
rule_dns(struct dx *x)
{
	const struct mp_resolve_result *r = &x->run->resolve;
	struct mp_finding *f;

	if (r->cls == CLASS_NONE)
		return;
	if ((f = dx_add(x, "dns_failure", SEV_CRITICAL)) != NULL) {
		struct mp_evidence ev = {.kind = EV_RESOLVE, .endpoint = -1, .cls = r->cls};

		dx_evidence_add(f, &ev);
	}
	for (int i = 0; i < x->run->nendpoints; i++)
		if (ep(x, i)->address[0] == '\0')
			dx_evidence(x, NULL, i, NULL);
}

/* Every client endpoint with an address failed at connect. */
static bool
rule_host_unreachable(struct dx *x)
{
	int n = 0;
	struct mp_finding *f;

	for (int i = 0; i < x->run->nendpoints; i++) {
		if (!dx_client(ep(x, i)))
			continue;
		if (!connect_failed(x, i))
			return false;
		n++;
	}
	if (n == 0)
		return false;
	f = dx_add(x, "host_unreachable", SEV_CRITICAL);
	for (int i = 0; i < x->run->nendpoints; i++)
		if (dx_client(ep(x, i)))
			dx_evidence(x, f, i, NULL);
	set_cause(x, f);
	return true;
}

/* All client endpoints of one family fail at connect without a refusal
 * (a refusal means that address answered: a server matter, see
 * address_down), while the other family's connect. */
static void
rule_family(struct dx *x)
{
	int total[2] = {0, 0}, failed[2] = {0, 0}, refusals[2] = {0, 0};

	for (int i = 0; i < x->run->nendpoints; i++) {
		int fam;

		if (!dx_client(ep(x, i)))
			continue;
		fam = is_v6(ep(x, i));
		total[fam]++;
		failed[fam] += connect_failed(x, i);
		refusals[fam] += connect_failed(x, i) && refused(x, i);
	}
	for (int fam = 0; fam < 2; fam++) {
		struct mp_finding *f;

		if (total[fam] == 0 || failed[fam] != total[fam] || refusals[fam] > 0 ||
		    total[!fam] == 0 || failed[!fam] == total[!fam])
			continue;
		f = dx_add(x, "address_family_broken", SEV_WARNING);
		for (int i = 0; i < x->run->nendpoints; i++)
			if (dx_client(ep(x, i)) && is_v6(ep(x, i)) == fam)
				dx_evidence(x, f, i, NULL);
		set_cause(x, f);
	}
}

/* Whether every client endpoint at address a failed at connect. */
static bool
address_dead(const struct dx *x, const char *a)
{
	int n = 0;

	for (int i = 0; i < x->run->nendpoints; i++) {
		if (!dx_client(ep(x, i)) || strcmp(ep(x, i)->address, a) != 0)
			continue;
		if (!connect_failed(x, i))
			return false;
		n++;
	}
	return n > 0;
}

/* Another address of the same host connected. */
static bool
sibling_connects(const struct dx *x, const struct mp_endpoint_result *e)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *o = ep(x, i);

		if (dx_client(o) && strcmp(o->address, e->address) != 0 &&
		    strcmp(host_of(x, o), host_of(x, e)) == 0 && dx_connected(o))
			return true;
	}
	return false;
}

static void
rule_address_down(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = ep(x, i);
		struct mp_finding *f;

		if (!dx_client(e) || x->explained[i] || !address_dead(x, e->address) ||
		    !sibling_connects(x, e))
			continue;
		f = dx_add(x, "address_down", SEV_WARNING);
		for (int k = 0; k < x->run->nendpoints; k++)
			if (dx_client(ep(x, k)) && strcmp(ep(x, k)->address, e->address) == 0)
				dx_evidence(x, f, k, NULL);
		set_cause(x, f);
	}
}

/* Every outgoing port fails at connect while something else of the run
 * connected (incoming, possibly on another host, is context). */
static bool
rule_outgoing_blocked(struct dx *x)
{
	int out = 0;
	bool other = false;
	struct mp_finding *f;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = ep(x, i);

		if (!dx_client(e))
			continue;
		if (!mp_proto_is_outgoing(e->spec.proto)) {
			other |= dx_connected(e);
			continue;
		}
		if (!connect_failed(x, i))
			return false;
		if (!x->explained[i]) /* else an address or family rule has it */
			out++;
	}
	if (out == 0 || !other)
		return false;
	f = dx_add(x, "outgoing_blocked", SEV_CRITICAL);
	for (int i = 0; i < x->run->nendpoints; i++)
		if (dx_client(ep(x, i)) && !x->explained[i] &&
		    mp_proto_is_outgoing(ep(x, i)->spec.proto))
			dx_evidence(x, f, i, NULL);
	set_cause(x, f);
	return true;
}

/* Usable: no failure before login (a rejected password is not the path's
 * fault). */
static bool
path_works(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *f = dx_failure(e);

	return f == NULL || f->step == STEP_LOGIN || f->step == STEP_SEND;
}

/* SMTP 465 with SSL/TLS works at this address. */
static bool
tls465_works_at(const struct dx *x, const char *addr)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = ep(x, i);

		if (dx_client(e) && strcmp(e->address, addr) == 0 && path_works(e) &&
		    dx_is(e, PROTO_SMTP, 465, SEC_TLS))
			return true;
	}
	return false;
}

/* 587 times out (>= 1 s), is refused or unreachable (an ICMP
 * administratively-prohibited answer) while 465 of the same address (the
 * outgoing host's own) works; incoming elsewhere plays no part. */
static void
rule_outgoing_port(struct dx *x)
{
	struct mp_finding *f = NULL;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = ep(x, i);
		const struct mp_step_result *c = mp_endpoint_step(e, STEP_CONNECT);

		if (x->explained[i] || !dx_client(e) || !dx_is(e, PROTO_SMTP, 587, SEC_STARTTLS) ||
		    c == NULL || c->ok)
			continue;
		if (!(c->cls == CLASS_CONNECT_REFUSED || c->cls == CLASS_CONNECT_UNREACHABLE ||
		      (c->cls == CLASS_CONNECT_TIMEOUT && c->seconds >= 1.0)))
			continue;
		if (!tls465_works_at(x, e->address))
			continue;
		f = dx_add(x, "outgoing_port_blocked", SEV_WARNING);
		dx_evidence(x, f, i, NULL);
	}
	if (f != NULL)
		set_cause(x, f);
}

static void
rule_port25(struct dx *x)
{
	struct mp_finding *f = NULL;

	for (int i = 0; i < x->run->nendpoints; i++)
		if (dx_port25(ep(x, i)) && ep(x, i)->address[0] &&
		    dx_failed_at(ep(x, i), STEP_CONNECT))
			dx_evidence(x, f = dx_add(x, "port25_blocked", SEV_INFO), i, NULL);
	if (f != NULL)
		set_cause(x, f);
}

/* The same port at the same address answered TLS in another endpoint. */
static bool
answers_tls(const struct dx *x, const struct mp_endpoint_result *e)
{
	if (e->spec.port == 465 || e->spec.port == 993 || e->spec.port == 995)
		return true;
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *o = ep(x, i);
		const struct mp_step_result *t = mp_endpoint_step(o, STEP_TLS);

		if (o->spec.port == e->spec.port && o->spec.security == SEC_TLS &&
		    strcmp(o->address, e->address) == 0 && t != NULL &&
		    (t->ok || mp_class_is_cert(t->cls)))
			return true;
	}
	return false;
}

static void
rule_wrong_mode(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = ep(x, i);
		const struct mp_step_result *f = dx_failure(e);

		if (f == NULL || !dx_client(e))
			continue;
		if (f->cls == CLASS_TLS_PLAINTEXT_PORT ||
		    (f->cls == CLASS_GREETING_TIMEOUT && e->spec.security != SEC_TLS &&
		     answers_tls(x, e)))
			dx_evidence(x, dx_add(x, "wrong_security_mode", SEV_WARNING), i, NULL);
	}
}

/* A greeting that came, but late (MP_GREETING_SLOW seconds or more): every
 * connection of a mail client waits that long. Only the server decides when
 * it greets; what makes it wait (a lookup of the client's address, an
 * anti-spam delay, load) the words say both ways. */
static void
rule_greeting_slow(struct dx *x)
{
	struct mp_finding *f = NULL;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *g = mp_endpoint_step(ep(x, i), STEP_GREETING);

		if (g == NULL || !g->ok || g->seconds < MP_GREETING_SLOW)
			continue;
		if (f == NULL)
			f = dx_add(x, "greeting_slow", SEV_WARNING);
		dx_evidence(x, f, i, g);
	}
}

void
dx_rules_reach(struct dx *x)
{
	rule_dns(x);
	rule_port25(x);
	if (rule_host_unreachable(x))
		return;
	rule_family(x);
	rule_address_down(x);
	if (!rule_outgoing_blocked(x))
		rule_outgoing_port(x);
	rule_wrong_mode(x);
	rule_greeting_slow(x);
}
