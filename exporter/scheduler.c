/*
 * The scheduler thread and its job: take due targets from the store, run
 * each on the scheduler pool, render the result (samples, view, report)
 * outside any lock and hand it to the store.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "probe/render/render.h"
#include "exporter/log.h"
#include "exporter/report_page.h"
#include "exporter/scheduler.h"

#define TAKE_MAX 64

struct scheduler {
	struct state *st;
	pthread_t tid;
	atomic_bool stop;
};

struct sched_job {
	struct state *st;
	struct config *cfg; /* reference */
	int index;
	double started;
};

static void
build_result(const struct probe_res *r, struct result *out)
{
	memset(out, 0, sizeof(*out));
	if (cached_render(r, &out->c) < 0)
		memset(&out->c, 0, sizeof(out->c));
	out->view = view_build(r);
	out->report = report_build(r);
	out->auth_failed = r->auth_failed;
	out->login_ok = r->login_ok;
}

static void
free_result(struct result *r)
{
	cached_free(&r->c);
	view_free(r->view);
	free(r->report);
}

static void
sched_job(void *arg)
{
	struct sched_job *j = arg;
	const struct cfg_target *t = &j->cfg->targets[j->index];
	struct probe_req rq = {.cfg = j->cfg,
			       .target = t,
			       .module = &j->cfg->modules[t->module],
			       .timeout = j->cfg->modules[t->module].timeout,
			       .cancel = &j->st->cancel,
			       .dns_budget = &j->st->sched_dns};
	struct probe_res r;
	struct result res;

	snprintf(rq.host, sizeof(rq.host), "%s", t->host);
	probe_execute(&rq, &r);
	if (r.http_status == 200 && !atomic_load(&j->st->cancel)) {
		build_result(&r, &res);
		store_finish_sched(j->st->store, j->cfg, t->name, j->started, &res);
		free_result(&res);
		state_count_probe(j->st, probe_res_success(&r), mp_now() - j->started);
	} else {
		store_finish_sched(j->st->store, j->cfg, t->name, j->started, NULL);
	}
	xlog(LVL_DEBUG, "scheduled probe", "target", t->name, "status",
	     r.http_status == 200 ? mp_render_status_word(probe_res_status(&r)) : r.reason, NULL);
	probe_res_cleanup(&r);
	config_put(j->cfg);
	free(j);
}

static void
submit(struct scheduler *s, struct config *cfg, int index)
{
	struct sched_job *j = malloc(sizeof(*j));

	if (j != NULL) {
		*j = (struct sched_job){
		    .st = s->st, .cfg = config_ref(cfg), .index = index, .started = mp_now()};
		if (pool_submit(s->st->sched_pool, sched_job, j) == 0)
			return;
		config_put(j->cfg);
		free(j);
	}
	store_finish_sched(s->st->store, cfg, cfg->targets[index].name, mp_now(), NULL);
}

static void *
loop(void *arg)
{
	struct scheduler *s = arg;
	int idx[TAKE_MAX];

	while (!atomic_load(&s->stop)) {
		struct config *cfg = state_config(s->st);
		double wait;
		int n = store_take_due(s->st->store, cfg, mp_now(), idx, TAKE_MAX, &wait);

		for (int i = 0; i < n; i++)
			submit(s, cfg, idx[i]);
		config_put(cfg);
		if (n < TAKE_MAX)
			store_wait(s->st->store, wait);
	}
	return NULL;
}

struct scheduler *
scheduler_start(struct state *st)
{
	struct scheduler *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->st = st;
	if (pthread_create(&s->tid, NULL, loop, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void
scheduler_stop(struct scheduler *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, true);
	store_wake(s->st->store);
	pthread_join(s->tid, NULL);
	free(s);
}
