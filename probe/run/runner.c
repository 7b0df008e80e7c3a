/*
 * The engine of one run: resolve once, one worker thread per endpoint and
 * address, all under the run's deadline; the caller's thread waits, ticks
 * the live display and joins. Workers end by themselves at the deadline
 * because every wait in checks/ is bounded by it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/endpoint.h"
#include "checks/fiber.h"
#include "checks/platform.h"
#include "probe/run/control.h"
#include "probe/run/deliver.h"
#include "probe/run/discover.h"
#include "probe/run/login_gate.h"
#include "probe/run/paths.h"
#include "probe/run/runner.h"

#define JOB_STACK (512 * 1024)

struct job {
	struct mp_check_config cfg;
	char refusal[MP_MESSAGE_MAX]; /* cfg.login_refused points here */
	struct mp_endpoint_result *res;
	struct engine *eng;
	struct mp_task task;
};

/* One host to resolve (once per run). */
struct host_dns {
	const char *name;
	const struct engine *eng;
	struct mp_resolved dns;
	struct mp_task task;
};

struct engine {
	const struct mp_account *a;
	const struct mp_run_options *opt;
	struct mp_run *run;
	struct mp_deadline dl;
	int nhosts;
	struct host_dns *hosts; /* one per endpoint at most, on the heap: a
				   worker's stack stays small */
	bool refused;           /* the address filter refused an address: no connection */
	struct mp_gate gate;
	struct mp_login_gate watch;      /* the gate's ops, watched for the AUTO path rule */
	struct mp_path_probe_state *pst; /* per job, under mu */
	struct mp_path_set paths;
	double jobs_t0;
	pthread_mutex_t mu;
	struct mp_cond cv;
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

static struct host_dns *
host_find(struct engine *e, const char *name)
{
	for (int i = 0; i < e->nhosts; i++)
		if (strcasecmp(e->hosts[i].name, name) == 0)
			return &e->hosts[i];
	return NULL;
}

/* The hosts some endpoint needs DNS for (no pin for its port). -1 when out
 * of memory. */
static int
collect_hosts(struct engine *e)
{
	const struct mp_account *a = e->a;

	if ((e->hosts = calloc(a->nendpoints > 0 ? (size_t)a->nendpoints : 1, sizeof(*e->hosts))) ==
	    NULL)
		return -1;
	for (int i = 0; i < a->nendpoints; i++) {
		const char *h = mp_account_host_of(a, i);

		if (mp_pin_find(a, h, a->endpoints[i].port) != NULL || host_find(e, h) != NULL)
			continue;
		e->hosts[e->nhosts].name = h;
		e->hosts[e->nhosts].eng = e;
		e->nhosts++;
	}
	return 0;
}

static void *
resolve_main(void *arg)
{
	struct host_dns *h = arg;

	mp_resolve(h->name, family_af(h->eng->a->family), &h->eng->dl, &h->dns);
	return NULL;
}

/* Adds addr to the run's address list once. */
static void
record_addr(struct mp_resolve_result *r, const char *addr)
{
	for (int i = 0; i < r->naddr; i++)
		if (strcmp(r->addrs[i], addr) == 0)
			return;
	if (r->naddr < MP_MAX_ADDRS)
		snprintf(r->addrs[r->naddr++], MP_ADDR_MAX, "%s", addr);
}

/* The top-level resolve result: every host's addresses and the pinned
 * ones; the first failure gives the class. */
static void
resolve_record(struct engine *e)
{
	struct mp_resolve_result *r = &e->run->resolve;

	r->ok = true;
	if (e->nhosts == 0)
		snprintf(r->message, sizeof(r->message), "every port is pinned (--resolve)");
	for (int k = 0; k < e->nhosts; k++) {
		const struct mp_resolved *d = &e->hosts[k].dns;

		if (d->seconds > r->seconds)
			r->seconds = d->seconds;
		if (d->cls != CLASS_NONE && r->ok) {
			r->ok = false;
			r->cls = d->cls;
			snprintf(r->message, sizeof(r->message), "%s", d->message);
		}
		for (int i = 0; i < d->n; i++)
			record_addr(r, d->addrs[i].str);
	}
	for (int p = 0; p < e->a->npins; p++) /* pinned with --resolve: probed too */
		for (int i = 0; i < e->a->pins[p].naddr; i++)
			record_addr(r, e->a->pins[p].addrs[i]);
}

/* The caller's address filter over every resolved address. */
static void
filter_addrs(struct engine *e)
{
	const struct mp_run_options *o = e->opt;

	for (int k = 0; k < e->nhosts && o->addr_filter != NULL && !e->refused; k++)
		for (int i = 0; i < e->hosts[k].dns.n && !e->refused; i++)
			if (o->addr_filter(o->filter_ctx, e->hosts[k].name,
					   &e->hosts[k].dns.addrs[i]) < 0)
				e->refused = true;
}

/* Resolves every host once, concurrently, under the run's deadline. -1
 * when out of memory. */
static int
resolve_hosts(struct engine *e)
{
	if (collect_hosts(e) < 0)
		return -1;
	for (int k = 0; k < e->nhosts; k++) {
		struct host_dns *h = &e->hosts[k];

		if (!(e->nhosts > 1 && mp_task_start(&h->task, resolve_main, h, 0, MP_TASK_ANY)))
			resolve_main(h);
	}
	for (int k = 0; k < e->nhosts; k++)
		mp_task_join(&e->hosts[k].task);
	filter_addrs(e);
	resolve_record(e);
	return 0;
}

/* The addresses endpoint i runs at: its pin, else the DNS answer. */
static int
endpoint_addrs(struct engine *e, int i, struct mp_addr *out, int max)
{
	const char *host = mp_account_host_of(e->a, i);
	const struct mp_pin *pin = mp_pin_find(e->a, host, e->a->endpoints[i].port);
	const struct host_dns *h;
	int n = 0;

	if (e->refused)
		return 0;
	if (pin == NULL) {
		if ((h = host_find(e, host)) == NULL)
			return 0;
		for (int k = 0; k < h->dns.n && n < max; k++)
			if (family_ok(e->a, &h->dns.addrs[k]))
				out[n++] = h->dns.addrs[k];
		return n;
	}
	for (int k = 0; k < pin->naddr && n < max; k++)
		if (mp_addr_parse(pin->addrs[k], &out[n]) == 0 && family_ok(e->a, &out[n]))
			n++;
	return n;
}

static void
job_config(struct engine *e, struct job *j, int index, int endpoint, const struct mp_addr *addr)
{
	const struct mp_account *a = e->a;
	const struct mp_endpoint_spec *spec = &a->endpoints[endpoint];
	struct mp_check_config *c = &j->cfg;

	c->spec = *spec;
	c->host = mp_account_host_of(a, endpoint);
	c->addr = *addr;
	c->user = a->user;
	c->password = a->password;
	c->oauth2 = a->oauth2;
	c->login_unavailable = a->oauth2_unavailable[0] != '\0' ? a->oauth2_unavailable : NULL;
	c->insecure_login = a->insecure_login;
	if (e->run->discovery != NULL &&
	    mp_discovery_refusal(e->run->discovery, c->host, j->refusal, sizeof(j->refusal)))
		c->login_refused = j->refusal;
	c->helo = a->helo;
	c->mail_from = a->mail_from;
	c->rcpt_to = a->rcpt_to;
	c->tls = e->opt->tls;
	c->dl = &e->dl;
	c->gate = &e->gate.ops;
	c->index = index;
	j->eng = e;
	mp_gate_set(&e->gate, index, spec, addr);
}

/* An endpoint that has no address (resolve failed): one entry, address
 * null, no steps; the resolve result carries the class. */
static void
no_address_result(struct mp_endpoint_result *r, const struct mp_endpoint_spec *spec,
		  const char *host)
{
	memset(r, 0, sizeof(*r));
	r->spec = *spec;
	snprintf(r->host, sizeof(r->host), "%s", host);
	r->ok = false;
}

static int
plan_jobs(struct engine *e)
{
	const struct mp_account *a = e->a;
	struct mp_addr addrs[MP_MAX_ADDRS];
	int max = 0, n = 0;

	/* as many slots as jobs: a result is 28 KB, and the exporter runs many */
	for (int i = 0; i < a->nendpoints; i++) {
		int na = endpoint_addrs(e, i, addrs, MP_MAX_ADDRS);

		max += na > 0 ? na : 1;
	}
	if (max == 0)
		max = 1;

	e->jobs = calloc((size_t)max, sizeof(*e->jobs));
	e->pst = calloc((size_t)max, sizeof(*e->pst));
	e->run->endpoints = calloc((size_t)max, sizeof(*e->run->endpoints));
	if (e->jobs == NULL || e->pst == NULL || e->run->endpoints == NULL ||
	    mp_gate_init(&e->gate, max, &e->dl) ||
	    (a->path != PATH_OFF && mp_path_set_init(&e->paths, e->run, max, &e->dl) < 0))
		return -1;
	for (int i = 0; i < a->nendpoints; i++) {
		int na = endpoint_addrs(e, i, addrs, MP_MAX_ADDRS);

		if (na == 0) {
			no_address_result(&e->run->endpoints[n], &a->endpoints[i],
					  mp_account_host_of(a, i));
			e->pst[n].addr = "";
			e->jobs[n++].res = NULL;
			continue;
		}
		for (int k = 0; k < na; k++, n++) {
			e->jobs[n].res = &e->run->endpoints[n];
			job_config(e, &e->jobs[n], n, i, &addrs[k]);
			e->pst[n].addr = e->jobs[n].cfg.addr.str;
			e->pst[n].port = a->endpoints[i].port;
			e->pst[n].proto = (int)a->endpoints[i].proto;
		}
	}
	e->njobs = n;
	e->run->nendpoints = n;
	e->gate.n = n;
	mp_gate_rank(&e->gate);
	return 0;
}

/* What the login gate knows of each job: past connect, or settled (which
 * before connect means finished). */
static void
paths_observe(struct engine *e)
{
	pthread_mutex_lock(&e->gate.mu);
	for (int i = 0; i < e->njobs && i < e->gate.n; i++) {
		e->pst[i].connected = e->gate.slots[i].ready;
		e->pst[i].finished = e->gate.slots[i].settled;
	}
	pthread_mutex_unlock(&e->gate.mu);
}

/* Starts the path measurements the run's mode asks for now (under mu). */
static void
paths_check(struct engine *e)
{
	bool suspect = mp_now() - e->jobs_t0 >= mp_path_suspect_after(e->a->timeout);

	if (e->a->path != PATH_AUTO || mp_deadline_expired(&e->dl))
		return; /* a path started at the deadline would measure nothing */
	paths_observe(e);
	for (int i = 0; i < e->njobs; i++) {
		int k;

		if (e->jobs[i].res == NULL ||
		    (k = mp_path_working_peer(e->pst, e->njobs, i, suspect)) < 0)
			continue;
		mp_path_set_start(&e->paths, &e->jobs[i].cfg.addr, e->jobs[i].cfg.spec.port);
		mp_path_set_start(&e->paths, &e->jobs[k].cfg.addr, e->jobs[k].cfg.spec.port);
	}
}

/* --path: every (address, port) from the start. */
static void
paths_all(struct engine *e)
{
	for (int i = 0; e->a->path == PATH_ALWAYS && i < e->njobs; i++)
		if (e->jobs[i].res != NULL)
			mp_path_set_start(&e->paths, &e->jobs[i].cfg.addr,
					  e->jobs[i].cfg.spec.port);
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
	mp_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* The job the calling thread runs itself once the others are started (the
 * last one with an address), or -1 when the caller has to tick, or watch
 * for paths to measure (PATH_AUTO, paths.h), while it waits. A one-endpoint
 * probe (the exporter's usual module) then starts no thread at all. */
static int
caller_job(const struct engine *e)
{
	const struct mp_run_hooks *h = e->opt->hooks;

	if (h != NULL && h->tick != NULL)
		return -1;
	if (e->a->path == PATH_AUTO && e->njobs > 1)
		return -1; /* the caller watches for ports to measure the path to */
	for (int i = e->njobs - 1; i >= 0; i--)
		if (e->jobs[i].res != NULL)
			return i;
	return -1;
}

static void
start_jobs(struct engine *e)
{
	int own = caller_job(e);

	e->jobs_t0 = mp_now();
	paths_all(e);
	for (int i = 0; i < e->njobs; i++) {
		struct job *j = &e->jobs[i];

		if (j->res == NULL) {
			e->done++;
			continue;
		}
		if (i == own)
			continue;
		if (!mp_task_start(&j->task, job_main, j, JOB_STACK, MP_TASK_ANY))
			job_main(j); /* no thread: run it here, still bounded */
	}
	if (own >= 0)
		job_main(&e->jobs[own]);
}

/* Whether any endpoint got an address (else nothing connects, and a
 * control has nothing to compare with). */
static bool
any_address(const struct engine *e)
{
	for (int i = 0; i < e->njobs; i++)
		if (e->jobs[i].res != NULL)
			return true;
	return false;
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

		mp_cond_wait(&e->cv, &e->mu, &at);
		paths_check(e);
		if (h != NULL && h->tick != NULL && e->done < e->njobs)
			h->tick(h->ctx, e->run, e->done, e->njobs, mp_now() - t0);
	}
	paths_check(e);
	pthread_mutex_unlock(&e->mu);
	for (int i = 0; i < e->njobs; i++)
		mp_task_join(&e->jobs[i].task);
	mp_path_set_finish(&e->paths);
}

static int
engine_init(struct engine *e, const struct mp_account *a, const struct mp_run_options *opt,
	    struct mp_run *run)
{

	memset(e, 0, sizeof(*e));
	e->a = a;
	e->opt = opt;
	e->run = run;
	mp_deadline_in(&e->dl, a->timeout);
	e->dl.cancel = opt->cancel;
	e->dl.budget = opt->dns_budget;
	pthread_mutex_init(&e->mu, NULL);
	mp_cond_init(&e->cv);
	return 0;
}

static void
engine_cleanup(struct engine *e)
{
	if (e->gate.slots != NULL)
		mp_gate_cleanup(&e->gate);
	free(e->jobs);
	free(e->hosts);
	free(e->pst);
	free(e->paths.jobs); /* only when the jobs never started */
	mp_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
}

/* Discovery under the run's deadline; the run then probes a copy of the
 * account with the endpoints found (the password stays the caller's). */
static int
run_discovery(struct engine *e)
{
	struct mp_run *run = e->run;
	const struct mp_account *a = e->a;
	const char *at = strrchr(a->address, '@');
	char local[MP_HOST_MAX] = "";

	run->discovery = calloc(1, sizeof(*run->discovery));
	run->owned_account = malloc(sizeof(*run->owned_account));
	if (run->discovery == NULL || run->owned_account == NULL)
		return -1;
	*run->owned_account = *a;
	if (at != NULL)
		snprintf(local, sizeof(local), "%.*s", (int)(at - a->address), a->address);
	mp_discover(mp_account_discovery_domain(a), local, e->opt->tls, &e->dl, a->trust_discovered,
		    run->discovery);
	mp_discovery_apply(run->discovery, run->owned_account, a->endpoints_given);
	run->account = e->a = run->owned_account;
	return 0;
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
	mp_run_env_collect(&run->env);
	engine_init(&e, a, opt, run);
	if (mp_account_wants_discovery(a) && run_discovery(&e) < 0) {
		snprintf(err, errlen, "out of memory");
		engine_cleanup(&e);
		return -1;
	}
	if (resolve_hosts(&e) < 0 || plan_jobs(&e) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else {
		struct mp_control *ctl =
		    any_address(&e) ? mp_control_start(e.a, opt->tls, &e.dl) : NULL;

		start_jobs(&e);
		wait_jobs(&e, t0);
		mp_control_finish(ctl, run, opt->cancel);
	}
	engine_cleanup(&e);
	run->duration = mp_now() - t0;
	run->delivery_endpoint = -1;
	if (rc == 0 && run->account->deliver)
		mp_run_delivery(run, opt->tls, opt->cancel);
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
	free(run->control);
	run->control = NULL;
	run->ncontrol = 0;
	free(run->delivery);
	run->delivery = NULL;
	free(run->paths);
	run->paths = NULL;
	run->npaths = 0;
	free(run->discovery); /* the owned account borrows the password: not freed */
	free(run->owned_account);
	run->discovery = NULL;
	run->owned_account = NULL;
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
