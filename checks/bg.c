/*
 * Abandonable background calls: the job is shared by the thread and the
 * waiter and freed by whichever lets go last.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bg.h"
#include "checks/fiber.h"
#include "checks/platform.h"

struct job {
	pthread_mutex_t mu;
	struct mp_cond cv;
	int refs; /* the thread and the waiter */
	bool done;
	bool abandoned; /* counted in budget->abandoned */
	struct mp_bg_budget *budget;
	void (*fn)(void *);
	void (*cleanup)(void *);
	size_t n;
	unsigned char data[];
};

static struct mp_bg_budget process_budget = MP_BG_BUDGET_INIT(MP_BG_ABANDONED_MAX);

int
mp_bg_abandoned(void)
{
	return atomic_load(&process_budget.abandoned);
}

static void
job_release(struct job *j)
{
	bool last;

	pthread_mutex_lock(&j->mu);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	if (j->abandoned) {
		if (j->cleanup != NULL)
			j->cleanup(j->data);
		atomic_fetch_sub(&j->budget->abandoned, 1);
	}
	mp_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static void *
job_thread(void *arg)
{
	struct job *j = arg;

	j->fn(j->data);
	pthread_mutex_lock(&j->mu);
	j->done = true;
	mp_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	job_release(j);
	return NULL;
}

static struct job *
job_new(void (*fn)(void *), void (*cleanup)(void *), const void *data, size_t n)
{
	struct job *j = calloc(1, sizeof(*j) + n);

	if (j == NULL)
		return NULL;
	pthread_mutex_init(&j->mu, NULL);
	mp_cond_init(&j->cv);
	j->refs = 2;
	j->fn = fn;
	j->cleanup = cleanup;
	j->n = n;
	memcpy(j->data, data, n);
	return j;
}

/* Waits until the job is done or the deadline; a job not done by then is
 * marked abandoned under the lock, so the flag and the count agree. */
static bool
job_wait(struct job *j, const struct mp_deadline *dl)
{
	bool done;

	pthread_mutex_lock(&j->mu);
	while (!j->done && !mp_deadline_expired(dl)) {
		struct timespec at = mp_deadline_abs(dl);

		if (dl->cancel != NULL) {
			double t = mp_now() + 0.1;

			at.tv_sec = (time_t)t;
			at.tv_nsec = (long)((t - (double)at.tv_sec) * 1e9);
		}
		mp_cond_wait(&j->cv, &j->mu, &at);
	}
	done = j->done;
	if (!done) {
		j->abandoned = true;
		atomic_fetch_add(&j->budget->abandoned, 1);
	}
	pthread_mutex_unlock(&j->mu);
	return done;
}

enum mp_bg_rc
mp_bg_call(void (*fn)(void *data), void (*cleanup)(void *data), void *data, size_t n,
	   const struct mp_deadline *dl)
{
	struct job *j;
	pthread_t tid;
	pthread_attr_t attr;
	int rc;

	struct mp_bg_budget *b = dl->budget != NULL ? dl->budget : &process_budget;

	if (atomic_load(&b->abandoned) >= b->max)
		return BG_REFUSED;
	if ((j = job_new(fn, cleanup, data, n)) == NULL)
		return BG_REFUSED;
	j->budget = b;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, job_thread, j);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		j->refs = 1;
		job_release(j);
		return BG_REFUSED;
	}
	if (!job_wait(j, dl)) {
		job_release(j);
		return BG_TIMEOUT;
	}
	memcpy(data, j->data, n);
	job_release(j);
	return BG_DONE;
}
