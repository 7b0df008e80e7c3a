/*
 * Diagnosis of discovery: published settings (SRV, autoconfig) that
 * disagree, or that point at an endpoint that does not answer. MX and name
 * guesses are guesses: they may differ without a conflict. No I/O here.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "probe/diagnose/diagnose_rules.h"
#include "probe/run/discover.h"

static bool
same(const struct mp_found *f, const struct mp_endpoint_spec *s, const char *host)
{
	return f->proto == s->proto && f->port == s->port && f->security == s->security &&
	       strcasecmp(f->host, host) == 0;
}

static bool
in_source(const struct mp_source_result *src, const struct mp_found *f)
{
	struct mp_endpoint_spec s = {f->proto, f->port, f->security};

	for (int i = 0; i < src->nfound; i++)
		if (same(&src->found[i], &s, f->host))
			return true;
	return false;
}

/* Both SRV and autoconfig name endpoints of a direction, and none of
 * autoconfig's is among SRV's. */
static bool
disagree(const struct mp_discovery *d, bool outgoing)
{
	const struct mp_source_result *srv = &d->sources[SOURCE_SRV];
	const struct mp_source_result *ac = &d->sources[SOURCE_AUTOCONFIG];
	int n = 0, shared = 0;
	bool srv_has = false;

	for (int i = 0; i < srv->nfound; i++)
		srv_has |= mp_proto_is_outgoing(srv->found[i].proto) == outgoing;
	for (int i = 0; i < ac->nfound; i++) {
		if (mp_proto_is_outgoing(ac->found[i].proto) != outgoing)
			continue;
		n++;
		shared += in_source(srv, &ac->found[i]);
	}
	return srv_has && n > 0 && shared == 0;
}

/* Whether endpoint e was published by SRV or autoconfig. */
/* The conflict's evidence: the two sources that name different servers. */
static void
evidence_sources(struct mp_finding *f)
{
	static const enum mp_source both[] = {SOURCE_SRV, SOURCE_AUTOCONFIG};

	for (size_t k = 0; f != NULL && k < sizeof(both) / sizeof(both[0]); k++) {
		struct mp_evidence ev = {.kind = EV_DISCOVERY, .endpoint = -1, .source = both[k]};

		dx_evidence_add(f, &ev);
	}
}

/* A login not sent because the host came only from unauthenticated DNS
 * outside the address's domain: the endpoint was checked up to the login. */
static void
rule_untrusted(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l =
		    mp_endpoint_step(&x->run->endpoints[i], STEP_LOGIN);
		struct mp_finding *f;

		if (l == NULL || l->cls != CLASS_AUTH_SKIPPED || l->skip != SKIP_UNTRUSTED)
			continue;
		f = dx_add(x, "discovery_untrusted", SEV_WARNING);
		dx_evidence(x, f, i, l);
		for (int s = SOURCE_SRV; f != NULL && s < SOURCE_COUNT; s++) {
			struct mp_evidence ev = {.kind = EV_DISCOVERY, .endpoint = -1, .source = s};

			if (x->run->discovery->sources[s].nfound > 0 && s != SOURCE_AUTOCONFIG)
				dx_evidence_add(f, &ev);
		}
	}
}

/* A conflict is only sources naming different servers; a published
 * endpoint that does not answer is a reachability finding. */
void
dx_rules_discovery(struct dx *x)
{
	const struct mp_discovery *d = x->run->discovery;

	if (d == NULL)
		return;
	rule_untrusted(x);
	for (int dir = 0; dir < 2; dir++)
		if (disagree(d, dir == 1))
			evidence_sources(dx_add(x, "discovery_conflict", SEV_WARNING));
}
