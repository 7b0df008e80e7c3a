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
static bool
published(const struct mp_discovery *d, const struct mp_endpoint_result *e)
{
	for (int s = SOURCE_SRV; s <= SOURCE_AUTOCONFIG; s++)
		for (int i = 0; i < d->sources[s].nfound; i++)
			if (same(&d->sources[s].found[i], &e->spec, e->host))
				return true;
	return false;
}

/* The endpoints of one direction that SRV or autoconfig published, as
 * evidence (the failing ones explained). */
static void
evidence_direction(struct dx *x, struct mp_finding *f, bool outgoing)
{
	const struct mp_discovery *d = x->run->discovery;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &x->run->endpoints[i];

		if (mp_proto_is_outgoing(e->spec.proto) == outgoing && published(d, e) &&
		    dx_failure(e) != NULL && !x->explained[i])
			dx_evidence(x, f, i, NULL);
	}
}

void
dx_rules_discovery(struct dx *x)
{
	const struct mp_discovery *d = x->run->discovery;
	struct mp_finding *f = NULL;

	if (d == NULL)
		return;
	for (int dir = 0; dir < 2; dir++)
		if (disagree(d, dir == 1)) {
			f = dx_add(x, "discovery_conflict", SEV_WARNING);
			evidence_direction(x, f, dir == 1);
		}
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &x->run->endpoints[i];

		if (published(d, e) && dx_failed_at(e, STEP_CONNECT) && dx_client(e) &&
		    !x->explained[i])
			dx_evidence(x, dx_add(x, "discovery_conflict", SEV_WARNING), i, NULL);
	}
}
