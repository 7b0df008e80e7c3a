/*
 * Waiting that works on threads and fibers alike (fiber.h): condition
 * variables, sleeps and joinable tasks. On a thread these are the pthread
 * calls; on a fiber they park it, so its loop runs the others meanwhile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "checks/fiber.h"
#include "checks/platform.h"

struct mp_cond_waiter {
	struct mp_fiber *f;
	struct mp_cond_waiter *next;
	bool linked; /* still in the condition's list */
};

void
mp_cond_init(struct mp_cond *c)
{
	mp_cond_init_monotonic(&c->cv);
	c->fibers = NULL;
}

void
mp_cond_destroy(struct mp_cond *c)
{
	pthread_cond_destroy(&c->cv);
}

static double
seconds_of(const struct timespec *at)
{
	return (double)at->tv_sec + (double)at->tv_nsec / 1e9;
}

static void
unlink_waiter(struct mp_cond *c, struct mp_cond_waiter *w)
{
	struct mp_cond_waiter **pp = &c->fibers;

	while (*pp != NULL && *pp != w)
		pp = &(*pp)->next;
	if (*pp == w)
		*pp = w->next;
}

int
mp_cond_wait(struct mp_cond *c, pthread_mutex_t *mu, const struct timespec *at)
{
	struct mp_fiber *f = mp_fiber_self();
	struct mp_cond_waiter w = {.f = f, .next = c->fibers, .linked = true};

	if (f == NULL)
		return at != NULL ? mp_cond_wait_until(&c->cv, mu, at)
				  : pthread_cond_wait(&c->cv, mu);
	c->fibers = &w;
	pthread_mutex_unlock(mu);
	mp_fiber_park(at);
	pthread_mutex_lock(mu);
	if (w.linked)
		unlink_waiter(c, &w);
	return at != NULL && mp_now() >= seconds_of(at) ? ETIMEDOUT : 0;
}

/* A waiter's record is on its own stack: it cannot return before it has
 * the mutex again, which the caller holds, so the walk is safe. */
void
mp_cond_broadcast(struct mp_cond *c)
{
	struct mp_cond_waiter *w, *next;

	pthread_cond_broadcast(&c->cv);
	for (w = c->fibers; w != NULL; w = next) {
		next = w->next;
		w->linked = false;
		mp_fiber_wake(w->f);
	}
	c->fibers = NULL;
}

void
mp_sleep(double seconds)
{
	double until = mp_now() + seconds;
	struct timespec at;

	if (seconds <= 0)
		return;
	if (mp_fiber_self() == NULL) {
		at.tv_sec = (time_t)seconds;
		at.tv_nsec = (long)((seconds - (double)at.tv_sec) * 1e9);
		while (nanosleep(&at, &at) != 0 && errno == EINTR)
			;
		return;
	}
	at.tv_sec = (time_t)until;
	at.tv_nsec = (long)((until - (double)at.tv_sec) * 1e9);
	while (mp_now() < until)
		mp_fiber_park(&at);
}

static void
task_finish(struct mp_task *t)
{
	t->fn(t->arg);
	pthread_mutex_lock(&t->mu);
	t->done = true;
	mp_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu); /* the joiner may free t from here on */
}

static void *
task_thread(void *arg)
{
	task_finish(arg);
	return NULL;
}

static void
task_fiber(void *arg)
{
	task_finish(arg);
}

static bool
start_thread(struct mp_task *t, size_t stack)
{
	pthread_attr_t attr;
	bool ok;

	pthread_attr_init(&attr);
	if (stack > 0)
		pthread_attr_setstacksize(&attr, stack);
	ok = pthread_create(&t->tid, &attr, task_thread, t) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

bool
mp_task_start(struct mp_task *t, void *(*fn)(void *), void *arg, size_t stack,
	      enum mp_task_kind kind)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	pthread_mutex_init(&t->mu, NULL);
	mp_cond_init(&t->cv);
	if (kind == MP_TASK_ANY && mp_fiber_spawn(task_fiber, t) == 0) {
		t->started = true;
		return true;
	}
	if (start_thread(t, stack)) {
		t->started = t->on_thread = true;
		return true;
	}
	mp_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	return false;
}

void
mp_task_join(struct mp_task *t)
{
	if (!t->started)
		return;
	pthread_mutex_lock(&t->mu);
	while (!t->done)
		mp_cond_wait(&t->cv, &t->mu, NULL);
	pthread_mutex_unlock(&t->mu);
	if (t->on_thread)
		pthread_join(t->tid, NULL);
	mp_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	t->started = false;
}
