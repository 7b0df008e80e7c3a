/*
 * The engine of one run: resolve once, one worker thread per endpoint and
 * address, all under the run's deadline; the caller's thread waits, ticks
 * the live display and joins. Workers end by themselves at the deadline
 * because every wait in checks/ is bounded by it.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../checks/endpoint.h"
#include "login_gate.h"
#include "runner.h"

struct job {
	struct mp_check_config cfg;
	struct mp_endpoint_result *res;
	struct engine *eng;
	bool started;
	pthread_t tid;
};

struct engine {
	const struct mp_account *a;
	const struct mp_run_options *opt;
	struct mp_run *run;
	struct mp_deadline dl;
	struct mp_resolved dns;
	struct mp_gate gate;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	int njobs;
	struct job *jobs;
};

static int
family_af(enum mp_family f)
{
	return f == FAMILY_V4 ? AF_INET : f == FAMILY_V6 ? AF_INET6 : AF_UNSPEC;
}

static bool
family_ok(const struct mp_account *a, const struct mp_addr *addr)
{
	int af = family_af(a->family);

	return af == AF_UNSPEC || addr->ss.ss_family == af;
}

/* Whether any endpoint needs DNS (has no pin). */
static bool
needs_dns(const struct mp_account *a)
{
	for (int i = 0; i < a->nendpoints; i++)
		if (mp_pin_find(a, a->host, a->endpoints[i].port) == NULL)
			return true;
	return false;
}

static void
resolve_record(struct engine *e)
{
	struct mp_resolve_result *r = &e->run->resolve;

	r->ok = e->dns.cls == CLASS_NONE;
	r->seconds = e->dns.seconds;
	r->cls = e->dns.cls;
	snprintf(r->message, sizeof(r->message), "%s", e->dns.message);
	for (int i = 0; i < e->dns.n && r->naddr < MP_MAX_ADDRS; i++)
		snprintf(r->addrs[r->naddr++], MP_ADDR_MAX, "%s", e->dns.addrs[i].str);
}

static void
resolve_host(struct engine *e)
{
	const struct mp_account *a = e->a;

	if (needs_dns(a)) {
		mp_resolve(a->host, family_af(a->family), &e->dl, &e->dns);
	} else {
		memset(&e->dns, 0, sizeof(e->dns));
		snprintf(e->dns.message, sizeof(e->dns.message),
			 "every port is pinned (--resolve)");
	}
	resolve_record(e);
}

/* The addresses endpoint i runs at: its pin, else the DNS answer. */
static int
endpoint_addrs(struct engine *e, int i, struct mp_addr *out, int max)
{
	const struct mp_pin *pin = mp_pin_find(e->a, e->a->host, e->a->endpoints[i].port);
	int n = 0;

	if (pin == NULL) {
		for (int k = 0; k < e->dns.n && n < max; k++)
			if (family_ok(e->a, &e->dns.addrs[k]))
				out[n++] = e->dns.addrs[k];
		return n;
	}
	for (int k = 0; k < pin->naddr && n < max; k++)
		if (mp_addr_parse(pin->addrs[k], &out[n]) == 0 && family_ok(e->a, &out[n]))
			n++;
	return n;
}

static void
job_config(struct engine *e, struct job *j, int index, const struct mp_endpoint_spec *spec,
	   const struct mp_addr *addr)
{
	const struct mp_account *a = e->a;
	struct mp_check_config *c = &j->cfg;

	c->spec = *spec;
	c->host = a->host;
	c->addr = *addr;
	c->user = a->user;
	c->password = a->password;
	c->insecure_login = a->insecure_login;
	c->helo = a->helo;
	c->mail_from = a->mail_from;
	c->rcpt_to = a->rcpt_to;
	c->tls = e->opt->tls;
	c->dl = &e->dl;
	c->gate = &e->gate.ops;
	c->index = index;
	j->eng = e;
	mp_gate_set(&e->gate, index, spec);
}

/* An endpoint that has no address (resolve failed): one entry, address
 * null, no steps; the resolve result carries the class. */
static void
no_address_result(struct mp_endpoint_result *r, const struct mp_endpoint_spec *spec)
{
	memset(r, 0, sizeof(*r));
	r->spec = *spec;
	r->ok = false;
}

static int
plan_jobs(struct engine *e)
{
	const struct mp_account *a = e->a;
	struct mp_addr addrs[MP_MAX_ADDRS];
	int max = a->nendpoints * MP_MAX_ADDRS, n = 0;

	e->jobs = calloc((size_t)max, sizeof(*e->jobs));
	e->run->endpoints = calloc((size_t)max, sizeof(*e->run->endpoints));
	if (e->jobs == NULL || e->run->endpoints == NULL || mp_gate_init(&e->gate, max, &e->dl))
		return -1;
	for (int i = 0; i < a->nendpoints; i++) {
		int na = endpoint_addrs(e, i, addrs, MP_MAX_ADDRS);

		if (na == 0) {
			no_address_result(&e->run->endpoints[n], &a->endpoints[i]);
			e->jobs[n++].res = NULL;
			continue;
		}
		for (int k = 0; k < na; k++, n++) {
			e->jobs[n].res = &e->run->endpoints[n];
			job_config(e, &e->jobs[n], n, &a->endpoints[i], &addrs[k]);
		}
	}
	e->njobs = n;
	e->run->nendpoints = n;
	e->gate.n = n;
	return 0;
}

static void *
job_main(void *arg)
{
	struct job *j = arg;
	struct engine *e = j->eng;

	mp_endpoint_run(&j->cfg, j->res);
	pthread_mutex_lock(&e->mu);
	e->done++;
	if (e->opt->hooks != NULL && e->opt->hooks->endpoint_done != NULL)
		e->opt->hooks->endpoint_done(e->opt->hooks->ctx, e->run, j->res);
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

static void
start_jobs(struct engine *e)
{
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 512 * 1024);
	for (int i = 0; i < e->njobs; i++) {
		struct job *j = &e->jobs[i];

		if (j->res == NULL) {
			e->done++;
			continue;
		}
		j->started = pthread_create(&j->tid, &attr, job_main, j) == 0;
		if (!j->started) /* no thread: run it here, still bounded */
			job_main(j);
	}
	pthread_attr_destroy(&attr);
}

static void
wait_jobs(struct engine *e, double t0)
{
	const struct mp_run_hooks *h = e->opt->hooks;

	pthread_mutex_lock(&e->mu);
	while (e->done < e->njobs) {
		double t = mp_now() + 0.2;
		struct timespec at = {.tv_sec = (time_t)t,
				      .tv_nsec = (long)((t - (double)(time_t)t) * 1e9)};

		pthread_cond_timedwait(&e->cv, &e->mu, &at);
		if (h != NULL && h->tick != NULL && e->done < e->njobs)
			h->tick(h->ctx, e->run, e->done, e->njobs, mp_now() - t0);
	}
	pthread_mutex_unlock(&e->mu);
	for (int i = 0; i < e->njobs; i++)
		if (e->jobs[i].started)
			pthread_join(e->jobs[i].tid, NULL);
}

static int
engine_init(struct engine *e, const struct mp_account *a, const struct mp_run_options *opt,
	    struct mp_run *run)
{
	pthread_condattr_t ca;

	memset(e, 0, sizeof(*e));
	e->a = a;
	e->opt = opt;
	e->run = run;
	mp_deadline_in(&e->dl, a->timeout);
	e->dl.cancel = opt->cancel;
	pthread_mutex_init(&e->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->cv, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

static void
engine_cleanup(struct engine *e)
{
	if (e->gate.slots != NULL)
		mp_gate_cleanup(&e->gate);
	free(e->jobs);
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
}

int
mp_run_account(const struct mp_account *a, const struct mp_run_options *opt, struct mp_run *run,
	       char *err, size_t errlen)
{
	struct engine e;
	double t0 = mp_now();
	int rc = 0;

	memset(run, 0, sizeof(*run));
	run->account = a;
	snprintf(run->host, sizeof(run->host), "%s", a->host);
	run->started_at = time(NULL);
	engine_init(&e, a, opt, run);
	resolve_host(&e);
	if (plan_jobs(&e) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else {
		start_jobs(&e);
		wait_jobs(&e, t0);
	}
	engine_cleanup(&e);
	run->duration = mp_now() - t0;
	run->status = mp_run_base_status(run);
	return rc;
}

void
mp_run_cleanup(struct mp_run *run)
{
	for (int i = 0; i < run->nendpoints; i++)
		mp_endpoint_result_cleanup(&run->endpoints[i]);
	free(run->endpoints);
	run->endpoints = NULL;
	run->nendpoints = 0;
}

enum mp_status
mp_run_base_status(const struct mp_run *run)
{
	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_endpoint_result *r = &run->endpoints[i];

		if (r->spec.port != 25 && !r->ok)
			return STATUS_CRITICAL;
	}
	if (!run->resolve.ok && run->resolve.cls != CLASS_NONE)
		return STATUS_CRITICAL;
	return STATUS_OK;
}
