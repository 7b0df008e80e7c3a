/*
 * The login limiter as /probe uses it. The last login's login_success
 * samples are kept rendered, so a limited probe shows them as they were.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "probe/render/render_prometheus.h"
#include "exporter/log.h"
#include "exporter/login_use.h"

#define LOGIN_AGE "mailprobe_login_result_age_seconds"
#define LOGIN_AGE_HELP                                                                             \
	"Seconds since the login whose result mailprobe_login_success shows: /probe logs in "      \
	"with a module at a host at most once per min_login_interval and reports the last "        \
	"login in between."

void
login_use_begin(struct login_use *u, struct logins *l, struct probe_req *rq)
{
	memset(u, 0, sizeof(*u));
	u->module = rq->module;
	snprintf(u->host, sizeof(u->host), "%s", rq->host);
	if (!(u->creds = probe_uses_credentials(rq)))
		return;
	u->limited = !logins_take(l, u->module->name, u->host, u->module->min_login_interval,
				  mp_now(), &u->last);
	rq->no_login = u->limited;
	if (u->limited)
		xlog(LVL_DEBUG, "login not repeated", "target", u->host, "module", u->module->name,
		     NULL);
}

/* The login samples of r (malloc'd), or NULL. */
static char *
login_samples(const struct probe_res *r)
{
	struct mp_prom_input in = {
	    .run = &r->run, .diag = r->diag, .last_probe = -1, .backoff = -1};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		return NULL;
	mp_prom_family_samples(out, PROM_LOGIN_SUCCESS, &in);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void
login_use_end(struct login_use *u, struct logins *l, const struct probe_res *r)
{
	char *samples;

	if (!u->creds || u->limited)
		return;
	samples = r->login_tried ? login_samples(r) : NULL;
	logins_done(l, u->module->name, u->host, r->login_tried, r->login_ok, samples, mp_now());
	free(samples);
}

void
login_use_series(FILE *out, const struct login_use *u, const struct probe_res *r)
{
	const char *name, *type, *help;
	struct mp_prom_writer w;

	if (!u->creds || (u->limited ? !u->last.have : !r->login_tried))
		return;
	if (u->limited && u->last.samples != NULL && u->last.samples[0] != '\0') {
		mp_prom_family_info(PROM_LOGIN_SUCCESS, &name, &type, &help);
		mp_prom_header(out, name, type, help);
		fputs(u->last.samples, out);
	}
	mp_prom_begin(&w, out, LOGIN_AGE, "gauge", LOGIN_AGE_HELP);
	mp_prom_sample(&w, NULL, NULL, 0, NULL, 0, u->limited ? u->last.age : 0);
}

void
login_use_note(FILE *out, const struct login_use *u)
{
	if (!u->limited)
		return;
	fprintf(out,
		"Login not repeated: module %s logs in to %s at most once per %.0f s "
		"(min_login_interval); this probe ran without credentials.\n",
		u->module->name, u->host, u->module->min_login_interval);
	if (u->last.have)
		fprintf(out,
			"The last login, %.0f s ago, %s; mailprobe_login_success is its "
			"result.\n\n",
			u->last.age, u->last.ok ? "worked" : "did not work");
	else
		fputs("The last login has no result yet.\n\n", out);
}

void
login_use_cleanup(struct login_use *u)
{
	free(u->last.samples);
	u->last.samples = NULL;
}
