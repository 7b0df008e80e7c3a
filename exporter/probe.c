/*
 * Running one probe for the exporter: account from config, the engine run
 * (with the allow-list as its address filter for allow-listed names), the
 * diagnosis. Renders nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/run/runner.h"
#include "exporter/allow.h"
#include "exporter/probe.h"
#include "exporter/token_source.h"

/* The credential into a: its password, or the OAuth2 token of its source
 * (which may run the grant, within half the probe's time, under its cancel
 * flag); with no token to be had, a->oauth2_unavailable says why and the
 * login steps fail with auth_token_unavailable. */
static void
set_cred(const struct probe_req *rq, struct mp_account *a, const struct cfg_cred *cr)
{
	struct mp_deadline dl = {0};

	if (cr == NULL || !cr->present)
		return;
	snprintf(a->user, sizeof(a->user), "%s", cr->user);
	a->oauth2 = cr->oauth2;
	if (cr->token == NULL) {
		a->password = mp_secret_dup(cr->password);
		return;
	}
	mp_deadline_in(&dl, rq->timeout / 2);
	dl.cancel = rq->cancel;
	dl.budget = rq->dns_budget;
	a->password = token_source_get(cr->token, rq->module->tls, &dl, a->oauth2_unavailable,
				       sizeof(a->oauth2_unavailable));
	if (a->password == NULL && a->oauth2_unavailable[0] == '\0')
		snprintf(a->oauth2_unavailable, sizeof(a->oauth2_unavailable),
			 "no OAuth2 access token");
}

static void
build_account(const struct probe_req *rq, struct mp_account *a)
{
	const struct cfg_module *m = rq->module;
	const struct cfg_target *t = rq->target;

	mp_account_init(a);
	snprintf(a->host, sizeof(a->host), "%s", rq->host);
	a->nendpoints = m->nendpoints;
	memcpy(a->endpoints, m->endpoints, sizeof(m->endpoints));
	snprintf(a->ca_file, sizeof(a->ca_file), "%s", m->ca_file);
	a->timeout = rq->timeout;
	a->cert_warn_days = m->cert_warn_days;
	a->cert_crit_days = m->cert_crit_days;
	a->ncontrols = m->ncontrols;
	memcpy(a->controls, m->controls, sizeof(m->controls));
	if (t != NULL && t->npins > 0) {
		a->npins = t->npins;
		memcpy(a->pins, t->pins, (size_t)t->npins * sizeof(*t->pins));
	}
	if (probe_uses_credentials(rq)) {
		double t0 = mp_now();

		set_cred(rq, a, t->cred.present ? &t->cred : &m->cred);
		a->timeout = rq->timeout - (mp_now() - t0); /* what the grant left */
		if (a->timeout < 0.1)
			a->timeout = 0.1;
	}
}

bool
probe_uses_credentials(const struct probe_req *rq)
{
	const struct cfg_target *t = rq->target;
	const struct cfg_module *m = rq->module;

	if (t == NULL || rq->no_login)
		return false;
	return t->cred.present || (m->cred.present && config_module_serves(m, rq->host));
}

/* The allow-list as the engine's address filter: the first refused
 * address is recorded (403) and refuses the run. */
struct addr_check {
	const struct config *cfg;
	struct probe_res *res;
};

static int
check_addr(void *ctx, const char *host, const struct mp_addr *addr)
{
	struct addr_check *x = ctx;

	(void)host;
	if (allow_check_addr(x->cfg, addr->str, x->res->reason, sizeof(x->res->reason)) == 0)
		return 0;
	x->res->http_status = 403;
	return -1;
}

static void
login_facts(struct probe_res *res)
{
	for (int i = 0; i < res->run.nendpoints; i++) {
		const struct mp_step_result *s =
		    mp_endpoint_step(&res->run.endpoints[i], STEP_LOGIN);

		if (s != NULL && s->ok)
			res->login_ok = true;
		if (s != NULL && s->cls != CLASS_AUTH_SKIPPED)
			res->login_tried = true;
		if (s != NULL && s->cls == CLASS_AUTH_FAILED)
			res->auth_failed = true;
	}
}

static void
diagnose(struct probe_res *res)
{
	if ((res->diag = calloc(1, sizeof(*res->diag))) == NULL)
		return;
	mp_diagnose(&res->run, res->diag);
}

static void
fail(struct probe_res *res, const char *reason)
{
	res->http_status = 500;
	snprintf(res->reason, sizeof(res->reason), "%s", reason);
}

void
probe_execute(const struct probe_req *rq, struct probe_res *res)
{
	struct addr_check x = {.cfg = rq->cfg, .res = res};
	struct mp_run_options opt = {
	    .tls = rq->module->tls, .cancel = rq->cancel, .dns_budget = rq->dns_budget};
	char err[256];

	memset(res, 0, sizeof(*res));
	res->http_status = 200;
	build_account(rq, &res->account);
	if (rq->check_addrs) {
		opt.addr_filter = check_addr;
		opt.filter_ctx = &x;
	}
	if (mp_run_account(&res->account, &opt, &res->run, err, sizeof(err)) < 0) {
		fail(res, err);
		return;
	}
	if (res->http_status != 200)
		return;
	login_facts(res);
	diagnose(res);
}

void
probe_res_cleanup(struct probe_res *res)
{
	mp_run_cleanup(&res->run);
	if (res->diag != NULL)
		mp_diagnosis_cleanup(res->diag);
	free(res->diag);
	res->diag = NULL;
	mp_account_cleanup(&res->account);
}

bool
probe_res_success(const struct probe_res *res)
{
	return res->http_status == 200 && probe_res_status(res) < STATUS_CRITICAL;
}

enum mp_status
probe_res_status(const struct probe_res *res)
{
	return res->diag != NULL ? res->diag->status : STATUS_CRITICAL;
}
