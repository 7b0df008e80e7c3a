/*
 * Running one probe for the exporter: account from config, address check
 * for allow-listed names, engine run, diagnosis. Renders nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/net.h"
#include "probe/run/runner.h"
#include "exporter/allow.h"
#include "exporter/probe.h"

static void
set_cred(struct mp_account *a, const struct cfg_cred *cr)
{
	if (cr == NULL || !cr->present)
		return;
	snprintf(a->user, sizeof(a->user), "%s", cr->user);
	a->password = mp_secret_dup(cr->password);
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
	if (t != NULL && t->npins > 0) {
		a->npins = t->npins;
		memcpy(a->pins, t->pins, (size_t)t->npins * sizeof(*t->pins));
	}
	if (t != NULL && !rq->no_login)
		set_cred(a, t->cred.present ? &t->cred : &m->cred);
}

/* The run as the engine reports a failed resolve: one entry per endpoint,
 * address null, the resolve result carrying the class. */
static int
unresolved_run(struct probe_res *res, const struct mp_resolved *dns, double started)
{
	struct mp_run *run = &res->run;
	const struct mp_account *a = &res->account;

	memset(run, 0, sizeof(*run));
	run->account = a;
	snprintf(run->host, sizeof(run->host), "%s", a->host);
	run->started_at = time(NULL);
	run->endpoints = calloc((size_t)a->nendpoints, sizeof(*run->endpoints));
	if (run->endpoints == NULL)
		return -1;
	run->nendpoints = a->nendpoints;
	for (int i = 0; i < a->nendpoints; i++)
		run->endpoints[i].spec = a->endpoints[i];
	run->resolve.cls = dns->cls;
	run->resolve.seconds = dns->seconds;
	snprintf(run->resolve.message, sizeof(run->resolve.message), "%s", dns->message);
	run->duration = mp_now() - started;
	run->status = mp_run_base_status(run);
	return 0;
}

/* Pins every checked address for every port (at most MP_MAX_PIN_ADDRS of
 * them), so the engine probes exactly what was checked. */
static void
pin_addrs(struct mp_account *a, const struct mp_resolved *dns)
{
	struct mp_pin *pin = &a->pins[0];

	memset(pin, 0, sizeof(*pin));
	snprintf(pin->host, sizeof(pin->host), "%s", a->host);
	for (int i = 0; i < dns->n && pin->naddr < MP_MAX_PIN_ADDRS; i++)
		snprintf(pin->addrs[pin->naddr++], MP_ADDR_MAX, "%s", dns->addrs[i].str);
	a->npins = 1;
}

static void
keep_resolve(struct mp_run *run, const struct mp_resolved *dns)
{
	struct mp_resolve_result *r = &run->resolve;

	r->ok = true;
	r->seconds = dns->seconds;
	r->cls = CLASS_NONE;
	r->naddr = 0;
	for (int i = 0; i < dns->n && r->naddr < MP_MAX_ADDRS && i < MP_MAX_PIN_ADDRS; i++)
		snprintf(r->addrs[r->naddr++], MP_ADDR_MAX, "%s", dns->addrs[i].str);
	snprintf(r->message, sizeof(r->message), "resolved and checked against the allow-list");
}

/* The allow-list address check. 1: go on with the run; 0: res is done
 * (403, or a run with a failed resolve); -1 out of memory. */
static int
check_addrs(const struct probe_req *rq, struct probe_res *res, struct mp_resolved *dns,
	    double started)
{
	struct mp_deadline dl;

	mp_deadline_in(&dl, rq->timeout);
	dl.cancel = rq->cancel;
	if (mp_resolve(rq->host, AF_UNSPEC, &dl, dns) != CLASS_NONE)
		return unresolved_run(res, dns, started) < 0 ? -1 : 0;
	if (allow_check_addrs(rq->cfg, dns, res->reason, sizeof(res->reason)) < 0) {
		res->http_status = 403;
		return 0;
	}
	pin_addrs(&res->account, dns);
	res->account.timeout = rq->timeout - (mp_now() - started);
	if (res->account.timeout < 0.001)
		res->account.timeout = 0.001;
	return 1;
}

static void
login_facts(struct probe_res *res)
{
	for (int i = 0; i < res->run.nendpoints; i++) {
		const struct mp_step_result *s =
		    mp_endpoint_step(&res->run.endpoints[i], STEP_LOGIN);

		if (s != NULL && s->ok)
			res->login_ok = true;
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
	res->run.diag = res->diag;
	res->run.status = res->diag->status;
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
	struct mp_run_options opt = {.tls = rq->module->tls, .cancel = rq->cancel};
	struct mp_resolved dns;
	double started = mp_now();
	char err[256];
	int rc = 1;

	memset(res, 0, sizeof(*res));
	res->http_status = 200;
	build_account(rq, &res->account);
	if (rq->check_addrs && (rc = check_addrs(rq, res, &dns, started)) < 0) {
		fail(res, "out of memory");
		return;
	}
	if (res->http_status != 200)
		return;
	if (rc == 1 && mp_run_account(&res->account, &opt, &res->run, err, sizeof(err)) < 0) {
		fail(res, err);
		return;
	}
	if (rc == 1 && rq->check_addrs) {
		keep_resolve(&res->run, &dns);
		res->run.duration = mp_now() - started;
	}
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
	return res->http_status == 200 && res->run.status < STATUS_CRITICAL;
}
