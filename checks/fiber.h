/*
 * Fibers on event loops. The exporter runs its probes as fibers, many on
 * one thread, where a thread per probe would sleep in poll(): a fiber runs
 * the same blocking-style engine code as a thread, and where that code
 * waits (mp_poll on one socket, mp_cond_wait, mp_sleep, mp_task_join) the
 * fiber parks and its loop runs another, with epoll for the sockets and
 * the nearest deadline as epoll's timeout. The deadlines are the engine's
 * own, so a probe's behaviour and timing are those of a thread.
 *
 * Rules for code that may run on a fiber: never hold a mutex across a wait
 * (another fiber of the same thread may block on it: the thread would
 * deadlock), and wait only through the calls above. A fiber never moves
 * between threads. On systems without fibers (Windows), mp_fiber_self()
 * is always NULL and everything runs on threads.
 */
#ifndef MAILPROBE_FIBER_H
#define MAILPROBE_FIBER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct mp_loop;
struct mp_fiber;

/* Starts a loop thread whose fibers get stack_size bytes of stack; NULL
 * when out of memory or threads, or where there are no fibers. */
struct mp_loop *mp_loop_new(size_t stack_size);
/* Runs fn(arg) on a new fiber of l, from any thread: 0, or -1 (out of
 * memory, or l is stopping). */
int mp_loop_spawn(struct mp_loop *l, void (*fn)(void *arg), void *arg);
/* Fibers alive on l, queued ones included. */
int mp_loop_fibers(struct mp_loop *l);
/* Refuses new fibers, waits until l's fibers have ended (they must end by
 * themselves), joins l's thread and frees l. */
void mp_loop_free(struct mp_loop *l);

/* The fiber the caller runs on, or NULL on a plain thread. */
struct mp_fiber *mp_fiber_self(void);
/* On a fiber: runs fn(arg) on a new fiber of the same loop (0, or -1). */
int mp_fiber_spawn(void (*fn)(void *arg), void *arg);
/* On a fiber: poll() of one descriptor. Parks until one of events (or an
 * error or hang-up) or ms milliseconds (-1: no limit); the result and
 * *revents as poll() gives them. */
int mp_fiber_poll(int fd, short events, short *revents, int ms);
/* On a fiber: parks until mp_fiber_wake or the CLOCK_MONOTONIC time *at
 * (NULL: no limit). A wake that came while the fiber ran ends the next
 * park at once. */
void mp_fiber_park(const struct timespec *at);
/* Makes f runnable, from any thread: ends its park (or its next one). */
void mp_fiber_wake(struct mp_fiber *f);

/* A condition variable that threads and fibers can both wait on. */
struct mp_cond_waiter;
struct mp_cond {
	pthread_cond_t cv;
	struct mp_cond_waiter *fibers; /* parked on it, under the caller's mutex */
};

void mp_cond_init(struct mp_cond *c);
void mp_cond_destroy(struct mp_cond *c);
/* With mu held: waits for a broadcast or the CLOCK_MONOTONIC time *at
 * (NULL: no limit), like pthread_cond_timedwait (0 or ETIMEDOUT; may wake
 * without either). A fiber parks instead of blocking its thread. */
int mp_cond_wait(struct mp_cond *c, pthread_mutex_t *mu, const struct timespec *at);
/* With mu held: wakes every waiter, threads and fibers. */
void mp_cond_broadcast(struct mp_cond *c);

/* Sleeps for seconds (a fiber parks). */
void mp_sleep(double seconds);

/* Something run concurrently with its starter, who joins it: on a fiber
 * of the starter's loop when the starter is a fiber, else (or when asked
 * for MP_TASK_THREAD: code that blocks in its own ways, e.g. poll() of
 * several sockets) on a new thread. Joining never blocks a loop. */
enum mp_task_kind { MP_TASK_ANY, MP_TASK_THREAD };

struct mp_task {
	void *(*fn)(void *arg);
	void *arg;
	bool started; /* false: nothing runs (join is a no-op) */
	bool on_thread;
	bool done;
	pthread_t tid;
	pthread_mutex_t mu;
	struct mp_cond cv;
};

/* true when the task runs; false when no fiber or thread could start (the
 * caller may then run fn itself). stack: bytes for a thread, 0 for the
 * default. */
bool mp_task_start(struct mp_task *t, void *(*fn)(void *arg), void *arg, size_t stack,
		   enum mp_task_kind kind);
/* Waits until the task's fn has returned. */
void mp_task_join(struct mp_task *t);

#endif
