/*
 * Helpers the unit tests share to build results by hand.
 */
#ifndef MAILPROBE_FIXTURES_H
#define MAILPROBE_FIXTURES_H

#include <stdio.h>
#include <string.h>

#include "checks/result.h"

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
