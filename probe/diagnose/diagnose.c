/*
 * Diagnosis: reads the endpoint results of a run and names what is wrong
 * (findings with structured evidence) and what works (recommended
 * settings). Each rule marks the endpoint failures it explains; failures no
 * rule explains become endpoint_failed. Port 25 never sets the status. No
 * words here: probe/words/ says them at output time. No I/O here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/diagnose/diagnose.h"
#include "probe/diagnose/diagnose_rules.h"
#include "checks/delivery.h"
#include "checks/path.h"
#include "probe/run/discover.h"
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

const char *
mp_cause_str(enum mp_cause c)
{
	static const char *const names[] = {"", "network", "server", "unknown"};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "";
}

const char *
mp_basis_str(enum mp_basis b)
{
	static const char *const names[] = {
	    "none", "control", "path", "refused_by_server", "server_firewall", "local_firewall"};

	return (unsigned)b < sizeof(names) / sizeof(names[0]) ? names[b] : "none";
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

static struct mp_finding *diagnosis_add(struct mp_diagnosis *d);

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
	if ((f = diagnosis_add(x->out)) == NULL)
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
	struct mp_evidence ev = {.kind = EV_ENDPOINT, .endpoint = i};

	x->explained[i] = true;
	if (f == NULL)
		return;
	if (st == NULL)
		st = dx_failure(&x->run->endpoints[i]);
	if (st != NULL) {
		ev.has_step = true;
		ev.step = st->step;
		ev.cls = st->cls;
	}
	dx_evidence_add(f, &ev);
}

void
dx_evidence_add(struct mp_finding *f, const struct mp_evidence *ev)
{
	for (int k = 0; k < f->nevidence; k++) {
		const struct mp_evidence *o = &f->evidence[k];

		if (o->kind == ev->kind && o->endpoint == ev->endpoint &&
		    o->control == ev->control && o->source == ev->source && o->path == ev->path &&
		    (!ev->has_step || o->step == ev->step))
			return; /* already there */
	}
	if (f->nevidence < MP_MAX_EVIDENCE)
		f->evidence[f->nevidence++] = *ev;
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

static struct mp_finding *
diagnosis_add(struct mp_diagnosis *d)
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

	memset(out, 0, sizeof(*out));
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
	dx_rules_delivery(&x);
	dx_rules_rest(&x);
	dx_rules_cause(&x);
	mp_recommend(run, &out->recommended);
	sort_findings(out);
	out->status = status_of(out);
	free(x.explained);
}

/* The endpoint_failed finding for failures of class cls: one per class, so
 * that each says the advice for its own ports (a refused 993 and a TLS
 * fault on 587 are different matters). */
static struct mp_finding *
rest_finding(struct dx *x, enum mp_class cls)
{
	struct mp_finding *f;

	for (int k = 0; k < x->out->nfindings; k++) {
		f = &x->out->findings[k];
		if (strcmp(f->id, "endpoint_failed") == 0 &&
		    (f->nevidence == 0 || f->evidence[0].cls == cls))
			return f;
	}
	if ((f = diagnosis_add(x->out)) == NULL)
		return NULL;
	f->id = "endpoint_failed";
	f->severity = SEV_CRITICAL;
	return f;
}

void
dx_rules_rest(struct dx *x)
{
	const struct mp_run *run = x->run;

	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_step_result *st = dx_failure(&run->endpoints[i]);

		if (x->explained[i] || dx_port25(&run->endpoints[i]))
			continue;
		if (st == NULL && run->endpoints[i].address[0] != '\0')
			continue;
		dx_evidence(x, rest_finding(x, st != NULL ? st->cls : CLASS_NONE), i, NULL);
	}
}

/* --- the run's facts behind evidence ------------------------------------- */

const struct mp_endpoint_result *
mp_evidence_endpoint(const struct mp_run *run, const struct mp_evidence *ev)
{
	if (ev->endpoint < 0 || ev->endpoint >= run->nendpoints || ev->kind == EV_RESOLVE ||
	    ev->kind == EV_CONTROL || ev->kind == EV_PATH)
		return NULL;
	return &run->endpoints[ev->endpoint];
}

const struct mp_step_result *
mp_evidence_step(const struct mp_run *run, const struct mp_evidence *ev)
{
	const struct mp_endpoint_result *e = mp_evidence_endpoint(run, ev);

	if (e == NULL || !ev->has_step || ev->kind != EV_ENDPOINT)
		return NULL;
	return mp_endpoint_step(e, ev->step);
}

/* "control host ctl.example.net (192.0.2.7) port 587: connect_timeout". */
static void
control_message(const struct mp_run *run, const struct mp_evidence *ev, char *out, size_t outlen)
{
	const struct mp_control_result *c;

	if (ev->control < 0 || ev->control >= run->ncontrol) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	c = &run->control[ev->control];
	snprintf(out, outlen, "control host %.200s (%s) port %u: %s%s%.200s", c->host, c->address,
		 (unsigned)c->port, c->ok ? "ok" : mp_class_str(c->cls), c->message[0] ? ", " : "",
		 c->message);
}

/* "path to 192.0.2.1 port 587: last answer at hop 2 (10.0.0.1)", or why it
 * was not measured. */
static void
path_message(const struct mp_run *run, const struct mp_evidence *ev, char *out, size_t outlen)
{
	const struct mp_path_result *p;
	const char *last = "";

	if (ev->path < 0 || ev->path >= run->npaths) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	p = &run->paths[ev->path];
	if (p->last_hop > 0 && p->last_hop <= p->nhops)
		last = p->hops[p->last_hop - 1].addr;
	if (p->skipped)
		snprintf(out, outlen, "path to %s port %u: not measured: %s", p->address,
			 (unsigned)p->port, p->skip_reason);
	else if (p->reached > 0)
		snprintf(out, outlen, "path to %s port %u: the server answered at hop %d",
			 p->address, (unsigned)p->port, p->reached);
	else if (p->last_hop > 0)
		snprintf(out, outlen, "path to %s port %u: last answer at hop %d (%s)", p->address,
			 (unsigned)p->port, p->last_hop, last);
	else
		snprintf(out, outlen, "path to %s port %u: no hop answered", p->address,
			 (unsigned)p->port);
}

void
mp_evidence_message(const struct mp_run *run, const struct mp_evidence *ev, char *out,
		    size_t outlen)
{
	const struct mp_step_result *st;

	switch (ev->kind) {
	case EV_RESOLVE:
		snprintf(out, outlen, "%s", run->resolve.message);
		break;
	case EV_DELIVERY:
		snprintf(out, outlen, "delivery check: %.400s",
			 run->delivery != NULL ? run->delivery->message : "");
		break;
	case EV_CONTROL:
		control_message(run, ev, out, outlen);
		break;
	case EV_PATH:
		path_message(run, ev, out, outlen);
		break;
	case EV_DISCOVERY:
		if (run->discovery != NULL && ev->source >= 0 && ev->source < SOURCE_COUNT)
			snprintf(out, outlen, "%s: %s", mp_source_str((enum mp_source)ev->source),
				 run->discovery->sources[ev->source].message);
		else
			snprintf(out, outlen, "%s", "");
		break;
	default:
		st = mp_evidence_step(run, ev);
		snprintf(out, outlen, "%s", st != NULL ? st->message : "");
	}
}

void
mp_evidence_name(const struct mp_run *run, const struct mp_evidence *ev, char *out, size_t outlen)
{
	const struct mp_endpoint_result *e = mp_evidence_endpoint(run, ev);
	char spec[48];

	if (e == NULL) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
	snprintf(out, outlen, "%s@%s", spec, e->address[0] ? e->address : "-");
}
