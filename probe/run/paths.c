/*
 * Path measurements of a run: the AUTO rule and one thread per path.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/run/paths.h"

int
mp_path_working_peer(const struct mp_path_probe_state *st, int n, int i, bool suspect)
{
	int any = -1;

	if (i < 0 || i >= n || st[i].connected || !(st[i].finished || suspect))
		return -1;
	for (int k = 0; k < n; k++) {
		if (k == i || !st[k].connected || st[k].port == st[i].port ||
		    strcmp(st[k].addr, st[i].addr) != 0)
			continue;
		if (st[k].proto == st[i].proto)
			return k;
		if (any < 0)
			any = k;
	}
	return any;
}

double
mp_path_suspect_after(double timeout)
{
	double cap = timeout * 0.4;

	return cap < MP_PATH_SUSPECT_S ? cap : MP_PATH_SUSPECT_S;
}

int
mp_path_set_init(struct mp_path_set *s, struct mp_run *run, int max, const struct mp_deadline *dl)
{
	memset(s, 0, sizeof(*s));
	s->run = run;
	s->dl = dl;
	s->max = max > 0 ? max : 1;
	s->jobs = calloc((size_t)s->max, sizeof(*s->jobs));
	run->paths = calloc((size_t)s->max, sizeof(*run->paths));
	run->npaths = 0;
	if (s->jobs == NULL || run->paths == NULL) {
		free(s->jobs);
		free(run->paths);
		s->jobs = NULL;
		run->paths = NULL;
		return -1;
	}
	return 0;
}

static void *
path_main(void *arg)
{
	struct mp_path_job *j = arg;

	mp_path_measure(&j->addr, j->port, MP_PATH_MAX_HOPS, j->dl, j->res);
	return NULL;
}

void
mp_path_set_start(struct mp_path_set *s, const struct mp_addr *addr, uint16_t port)
{
	struct mp_run *run = s->run;
	struct mp_path_job *j;

	if (s->jobs == NULL || run->npaths >= s->max)
		return;
	for (int i = 0; i < run->npaths; i++)
		if (s->jobs[i].port == port && strcmp(s->jobs[i].addr.str, addr->str) == 0)
			return;
	j = &s->jobs[run->npaths];
	j->addr = *addr;
	j->port = port;
	j->dl = s->dl;
	j->res = &run->paths[run->npaths++];
	/* a thread even for a fiber: the measurement polls several sockets */
	if (!mp_task_start(&j->task, path_main, j, 256 * 1024, MP_TASK_THREAD))
		path_main(j); /* no thread: measure here, still bounded */
}

static int
path_cmp(const void *a, const void *b)
{
	const struct mp_path_result *x = a, *y = b;
	int c = strcmp(x->address, y->address);

	return c != 0 ? c : (int)x->port - (int)y->port;
}

void
mp_path_set_finish(struct mp_path_set *s)
{
	struct mp_run *run = s->run;

	if (run == NULL) /* never initialised (--no-path) */
		return;
	for (int i = 0; s->jobs != NULL && i < run->npaths; i++)
		mp_task_join(&s->jobs[i].task);
	free(s->jobs);
	s->jobs = NULL;
	if (run->npaths == 0) {
		free(run->paths);
		run->paths = NULL;
		return;
	}
	qsort(run->paths, (size_t)run->npaths, sizeof(*run->paths), path_cmp);
}
