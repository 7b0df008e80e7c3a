/*
 * Diagnosis: reads the endpoint results of a run and names what is wrong
 * (findings with evidence and advice) and what works (recommended
 * settings). Each rule marks the endpoint failures it explains; failures no
 * rule explains become endpoint_failed. Port 25 never sets the status. The
 * words live in diagnose_text.c. No I/O here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/diagnose/diagnose.h"
#include "probe/diagnose/diagnose_rules.h"
#include "probe/run/runner.h"

const char *
mp_severity_str(enum mp_severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return "critical";
	case SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

const struct mp_finding *
mp_diagnosis_find(const struct mp_diagnosis *d, const char *id)
{
	for (int i = 0; i < d->nfindings; i++)
		if (strcmp(d->findings[i].id, id) == 0)
			return &d->findings[i];
	return NULL;
}

/* --- queries over one endpoint ------------------------------------------ */

const struct mp_step_result *
dx_failure(const struct mp_endpoint_result *e)
{
	return mp_endpoint_failure(e);
}

bool
dx_failed_at(const struct mp_endpoint_result *e, enum mp_step step)
{
	const struct mp_step_result *f = dx_failure(e);

	return f != NULL && f->step == step;
}

/* Got through connect (whatever came after). */
bool
dx_connected(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *c = mp_endpoint_step(e, STEP_CONNECT);

	return c != NULL && c->ok;
}

bool
dx_is(const struct mp_endpoint_result *e, enum mp_proto p, int port, enum mp_security s)
{
	return e->spec.proto == p && e->spec.port == port && e->spec.security == s;
}

bool
dx_port25(const struct mp_endpoint_result *e)
{
	return mp_proto_is_relay_port(e->spec.proto, e->spec.port);
}

/* The endpoints a client uses: everything but port 25 and those with no
 * address (resolve failed). */
bool
dx_client(const struct mp_endpoint_result *e)
{
	return !dx_port25(e) && e->address[0] != '\0';
}

/* --- building findings ---------------------------------------------------- */

struct mp_finding *
dx_add(struct dx *x, const char *id, enum mp_severity sev)
{
	struct mp_finding *f;

	for (int i = 0; i < x->out->nfindings; i++) {
		f = &x->out->findings[i];
		if (strcmp(f->id, id) == 0) {
			if (sev > f->severity)
				f->severity = sev;
			return f;
		}
	}
	if ((f = mp_diagnosis_add(x->out)) == NULL)
		return NULL;
	f->id = id;
	f->severity = sev;
	return f;
}

/* Adds endpoint i's failing (or given) step as evidence and marks it
 * explained. */
void
dx_evidence(struct dx *x, struct mp_finding *f, int i, const struct mp_step_result *st)
{
	const struct mp_endpoint_result *e = &x->run->endpoints[i];
	struct mp_evidence *ev;
	char spec[48];

	x->explained[i] = true;
	if (f == NULL || f->nevidence >= MP_MAX_EVIDENCE)
		return;
	if (st == NULL)
		st = dx_failure(e);
	ev = &f->evidence[f->nevidence];
	mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
	snprintf(ev->endpoint, sizeof(ev->endpoint), "%s@%s", spec,
		 e->address[0] ? e->address : "-");
	for (int k = 0; k < f->nevidence; k++)
		if (strcmp(f->evidence[k].endpoint, ev->endpoint) == 0 &&
		    (st == NULL || f->evidence[k].step == st->step))
			return; /* already there */
	f->nevidence++;
	if (st != NULL) {
		ev->has_step = true;
		ev->step = st->step;
		ev->cls = st->cls;
		snprintf(ev->message, sizeof(ev->message), "%s", st->message);
	}
}

/* --- the diagnosis -------------------------------------------------------- */

static int
severity_rank(const struct mp_finding *f)
{
	return -(int)f->severity;
}

static void
sort_findings(struct mp_diagnosis *d)
{
	/* insertion sort: stable, few elements */
	for (int i = 1; i < d->nfindings; i++) {
		struct mp_finding tmp = d->findings[i];
		int j = i - 1;

		while (j >= 0 && severity_rank(&d->findings[j]) > severity_rank(&tmp)) {
			d->findings[j + 1] = d->findings[j];
			j--;
		}
		d->findings[j + 1] = tmp;
	}
}

static enum mp_status
status_of(const struct mp_diagnosis *d)
{
	enum mp_status s = STATUS_OK;

	for (int i = 0; i < d->nfindings; i++) {
		if (d->findings[i].severity == SEV_CRITICAL)
			return STATUS_CRITICAL;
		if (d->findings[i].severity == SEV_WARNING)
			s = STATUS_WARNING;
	}
	return s;
}

struct mp_finding *
mp_diagnosis_add(struct mp_diagnosis *d)
{
	struct mp_finding *f;

	if (d->nfindings >= MP_MAX_FINDINGS)
		return NULL;
	if (d->nfindings == d->cap) {
		int cap = d->cap > 0 ? 2 * d->cap : 4;
		struct mp_finding *grown = realloc(d->findings, (size_t)cap * sizeof(*grown));

		if (grown == NULL)
			return NULL;
		d->findings = grown;
		d->cap = cap;
	}
	f = &d->findings[d->nfindings++];
	memset(f, 0, sizeof(*f));
	return f;
}

void
mp_diagnosis_cleanup(struct mp_diagnosis *d)
{
	free(d->findings);
	memset(d, 0, sizeof(*d));
}

void
mp_diagnose(const struct mp_run *run, struct mp_diagnosis *out)
{
	struct dx x = {.run = run, .out = out};

	mp_diagnosis_cleanup(out);
	x.explained = calloc((size_t)(run->nendpoints > 0 ? run->nendpoints : 1), sizeof(bool));
	if (x.explained == NULL) {
		out->status = mp_run_base_status(run);
		return;
	}
	for (int i = 0; i < run->nendpoints; i++)
		x.explained[i] = run->endpoints[i].ok;
	dx_rules_reach(&x);
	dx_rules_discovery(&x); /* after reach: a blocked port is no conflict */
	dx_rules_tls(&x);
	dx_rules_login(&x);
	dx_rules_rest(&x);
	dx_recommend(&x);
	dx_texts(&x);
	sort_findings(out);
	out->status = status_of(out);
	free(x.explained);
}

void
dx_rules_rest(struct dx *x)
{
	const struct mp_run *run = x->run;
	struct mp_finding *f = NULL;

	for (int i = 0; i < run->nendpoints; i++) {
		if (x->explained[i] || dx_port25(&run->endpoints[i]))
			continue;
		if (dx_failure(&run->endpoints[i]) == NULL && run->endpoints[i].address[0] != '\0')
			continue;
		if (f == NULL)
			f = dx_add(x, "endpoint_failed", SEV_CRITICAL);
		dx_evidence(x, f, i, NULL);
	}
}
