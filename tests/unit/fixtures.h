/*
 * Helpers the unit tests share to build results by hand.
 */
#ifndef MAILPROBE_FIXTURES_H
#define MAILPROBE_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/result.h"
#include "probe/diagnose/diagnose.h"

/* Appends a step to e and returns it. */
static inline struct mp_step_result *
add_step(struct mp_endpoint_result *e, enum mp_step s, bool ok, double secs, enum mp_class cls,
	 const char *msg)
{
	struct mp_step_result *st = &e->steps[e->nsteps++];

	st->step = s;
	st->ok = ok;
	st->seconds = secs;
	st->cls = cls;
	snprintf(st->message, sizeof(st->message), "%s", msg);
	return st;
}

/* Appends a finding to a hand-built diagnosis (free with
 * mp_diagnosis_cleanup); NULL when out of memory. */
static inline struct mp_finding *
fx_finding(struct mp_diagnosis *d, const char *id, enum mp_severity sev)
{
	struct mp_finding *grown =
	    realloc(d->findings, (size_t)(d->nfindings + 1) * sizeof(*grown));

	if (grown == NULL)
		return NULL;
	d->findings = grown;
	d->cap = d->nfindings + 1;
	grown = &d->findings[d->nfindings++];
	memset(grown, 0, sizeof(*grown));
	grown->id = id;
	grown->severity = sev;
	return grown;
}

/* Evidence: endpoint i of the run, its step and class. */
static inline void
fx_evidence(struct mp_finding *f, int i, enum mp_step step, enum mp_class cls)
{
	f->evidence[f->nevidence++] = (struct mp_evidence){
	    .kind = EV_ENDPOINT, .endpoint = i, .step = step, .has_step = true, .cls = cls};
}

/* How often needle occurs in hay. */
static inline size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

#endif
