/*
 * The worker pool: a mutex, condition variables and a FIFO of jobs.
 * Workers are created when a job arrives and every worker is busy, up to
 * the limit. A worker is a thread with a small stack (the engine starts its
 * own endpoint threads) that exits after IDLE_SECONDS idle (one stays), so
 * a burst does not keep a hundred stacks forever; or, in a pool of fibers,
 * a fiber on the least busy of a few event loops (checks/fiber.h) that
 * ends as soon as the queue is empty.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "checks/fiber.h"
#include "exporter/pool.h"

#define WORKER_STACK (512 * 1024)
#define MAX_WORKERS 4096
#define IDLE_SECONDS 30
#define TRIM_IDLE_SECONDS 1
#define TRIM_BUSY_SECONDS 10

struct job {
	void (*fn)(void *);
	void (*then)(void *); /* after the job is counted done; may be NULL */
	void *arg;
	struct job *next;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job arrived, or stopping */
	pthread_cond_t gone; /* a thread exited */
	struct job *head, *tail;
	int max_threads, max_pending;
	int nthreads, pending; /* nthreads: alive; pending: queued + running */
	bool stopping;
	time_t trimmed;         /* CLOCK_MONOTONIC second of the last trim */
	struct mp_loop **loops; /* a pool of fibers: its loops */
	int nloops;
};

/* A probe frees in its worker's malloc arena what it allocated there;
 * glibc keeps the freed pages between live chunks resident, so the arenas
 * of many workers creep. They are handed back (malloc_trim) by the worker
 * that leaves the pool idle (at most once every TRIM_IDLE_SECONDS), and
 * every TRIM_BUSY_SECONDS under load that never lets up; trimming while
 * probes run would only have them fault the pages in again. Called locked
 * after a job; returns locked. */
static void
after_job(struct pool *p)
{
	struct timespec now;
	time_t since;

	clock_gettime(CLOCK_MONOTONIC, &now);
	since = now.tv_sec - p->trimmed;
	if (since < TRIM_IDLE_SECONDS || (p->pending > 0 && since < TRIM_BUSY_SECONDS))
		return;
	p->trimmed = now.tv_sec;
#ifdef __GLIBC__
	pthread_mutex_unlock(&p->mu);
	malloc_trim(0);
	pthread_mutex_lock(&p->mu);
#endif
}

/* Waits (locked) for a job; false when this thread should exit: the pool
 * stops, or it was idle for IDLE_SECONDS and another thread remains. */
static bool
wait_job(struct pool *p)
{
	struct timespec at;

	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += IDLE_SECONDS;
	while (p->head == NULL && !p->stopping) {
		if (pthread_cond_timedwait(&p->work, &p->mu, &at) != 0 && p->head == NULL &&
		    p->nthreads > 1)
			return false;
	}
	return p->head != NULL;
}

/* Runs the queue's first job; called and returns locked. */
static void
run_job(struct pool *p)
{
	struct job *j = p->head;

	if ((p->head = j->next) == NULL)
		p->tail = NULL;
	pthread_mutex_unlock(&p->mu);
	j->fn(j->arg);
	pthread_mutex_lock(&p->mu);
	p->pending--; /* done: what "then" lets in finds this worker free */
	if (j->then != NULL) {
		pthread_mutex_unlock(&p->mu);
		j->then(j->arg);
		pthread_mutex_lock(&p->mu);
	}
	free(j);
	after_job(p);
}

/* Called locked; unlocks. */
static void
worker_gone(struct pool *p)
{
	p->nthreads--; /* after this unlock the worker no longer touches p */
	pthread_cond_broadcast(&p->gone);
	pthread_mutex_unlock(&p->mu);
}

static void *
worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (wait_job(p))
		run_job(p);
	worker_gone(p);
	return NULL;
}

static void
fiber_worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (p->head != NULL)
		run_job(p);
	worker_gone(p);
}

struct pool *
pool_new_fibers(int nloops, size_t stack, int max_workers, int max_pending)
{
	struct pool *p = pool_new(max_workers, max_pending);

	if (p == NULL)
		return NULL;
	if ((p->loops = calloc((size_t)nloops, sizeof(*p->loops))) == NULL) {
		pool_free(p);
		return NULL;
	}
	for (; p->nloops < nloops; p->nloops++)
		if ((p->loops[p->nloops] = mp_loop_new(stack)) == NULL)
			break;
	if (p->nloops == 0) {
		pool_free(p);
		return NULL;
	}
	return p;
}

struct pool *
pool_new(int max_threads, int max_pending)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	pthread_condattr_t ca;

	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->work, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&p->gone, NULL);
	pool_set_limits(p, max_threads, max_pending);
	return p;
}

void
pool_set_limits(struct pool *p, int max_threads, int max_pending)
{
	pthread_mutex_lock(&p->mu);
	p->max_threads = max_threads < 1             ? 1
			 : max_threads > MAX_WORKERS ? MAX_WORKERS
						     : max_threads;
	p->max_pending = max_pending < 1 ? 1 : max_pending;
	pthread_mutex_unlock(&p->mu);
}

/* A fiber worker on the loop with the fewest fibers. */
static bool
spawn_fiber(struct pool *p)
{
	int best = 0;

	for (int i = 1; i < p->nloops; i++)
		if (mp_loop_fibers(p->loops[i]) < mp_loop_fibers(p->loops[best]))
			best = i;
	return mp_loop_spawn(p->loops[best], fiber_worker, p) == 0;
}

/* Called locked, before a job is added: one more worker when every worker
 * has a job and the limit allows. */
static void
grow(struct pool *p)
{
	pthread_attr_t attr;
	pthread_t tid;

	if (p->pending < p->nthreads || p->nthreads >= p->max_threads)
		return;
	if (p->loops != NULL) {
		p->nthreads += spawn_fiber(p);
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, worker, p) == 0)
		p->nthreads++;
	pthread_attr_destroy(&attr);
}

int
pool_submit(struct pool *p, void (*fn)(void *arg), void *arg)
{
	return pool_submit_then(p, fn, NULL, arg);
}

int
pool_submit_then(struct pool *p, void (*fn)(void *arg), void (*then)(void *arg), void *arg)
{
	struct job *j = malloc(sizeof(*j));

	if (j == NULL)
		return -1;
	*j = (struct job){.fn = fn, .then = then, .arg = arg};
	pthread_mutex_lock(&p->mu);
	if (p->stopping || p->pending >= p->max_pending) {
		pthread_mutex_unlock(&p->mu);
		free(j);
		return -1;
	}
	grow(p);
	if (p->nthreads == 0) { /* no thread at all: refuse rather than hang */
		pthread_mutex_unlock(&p->mu);
		free(j);
		return -1;
	}
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->pending++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
pool_pending(struct pool *p)
{
	int n;

	pthread_mutex_lock(&p->mu);
	n = p->pending;
	pthread_mutex_unlock(&p->mu);
	return n;
}

int
pool_threads(struct pool *p)
{
	int n;

	pthread_mutex_lock(&p->mu);
	n = p->nthreads;
	pthread_mutex_unlock(&p->mu);
	return n;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	while (p->nthreads > 0)
		pthread_cond_wait(&p->gone, &p->mu);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nloops; i++)
		mp_loop_free(p->loops[i]);
	free(p->loops);
	pthread_cond_destroy(&p->gone);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
