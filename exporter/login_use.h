/*
 * One /probe and the login limiter (logins.h): before the run, whether it
 * logs in or reports the last login; after it, the login recorded; in the
 * answer, the login series and their age, and a line for the debug text.
 */
#ifndef MAILPROBE_EXPORTER_LOGIN_USE_H
#define MAILPROBE_EXPORTER_LOGIN_USE_H

#include <stdio.h>

#include "exporter/logins.h"
#include "exporter/probe.h"

struct login_use {
	const struct cfg_module *module;
	char host[MP_HOST_MAX];
	bool creds;             /* the probe would send credentials */
	bool limited;           /* ... but a login was too recent: it does not */
	struct login_last last; /* the login reported when limited */
};

/* Before probe_execute: sets rq->no_login when the limiter says so. */
void login_use_begin(struct login_use *u, struct logins *l, struct probe_req *rq);
/* After it: records the login the probe made. */
void login_use_end(struct login_use *u, struct logins *l, const struct probe_res *r);
/* mailprobe_login_success of the last login (when limited) and
 * mailprobe_login_result_age_seconds, for a probe with credentials. */
void login_use_series(FILE *out, const struct login_use *u, const struct probe_res *r);
/* The debug text's line about a login left out ("" when none was). */
void login_use_note(FILE *out, const struct login_use *u);
void login_use_cleanup(struct login_use *u);

#endif
