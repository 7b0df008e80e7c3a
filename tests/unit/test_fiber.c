/*
 * Fibers on event loops (checks/fiber.h): many socket waits on one thread,
 * wait time-outs, condition variables woken from a thread and from a
 * fiber, sleeps that let the other fibers run, tasks (fibers and threads)
 * joined from a fiber, the mp_poll hook, spawns from several threads at
 * once, and a loop that ends only after its fibers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/deadline.h"
#include "checks/fiber.h"
#include "checks/platform.h"
#include "tests/unit/harness.h"

#define PAIRS 200
#define ROUNDS 20

static atomic_int finished, failures;

/* --- many fibers ping-pong over socket pairs, waiting through mp_poll --- */

struct pair {
	int fd[2];
	int side;
};

static bool
wait_io(int fd, short ev)
{
	struct pollfd p = {.fd = fd, .events = ev};

	return mp_poll(&p, 1, 5000) == 1 && (p.revents & ev) != 0;
}

static void
ping(void *arg)
{
	struct pair *p = arg;
	int fd = p->fd[p->side];
	char b = 'x';

	for (int i = 0; i < ROUNDS; i++) {
		if (p->side == 0 && (!wait_io(fd, POLLOUT) || write(fd, &b, 1) != 1))
			atomic_fetch_add(&failures, 1);
		if (!wait_io(fd, POLLIN) || read(fd, &b, 1) != 1)
			atomic_fetch_add(&failures, 1);
		if (p->side == 1 && (!wait_io(fd, POLLOUT) || write(fd, &b, 1) != 1))
			atomic_fetch_add(&failures, 1);
	}
	atomic_fetch_add(&finished, 1);
}

static void
wait_count(atomic_int *n, int want)
{
	for (int i = 0; i < 20000 && atomic_load(n) < want; i++)
		mp_sleep(0.001);
}

static void
test_pingpong(struct mp_loop *l)
{
	static struct pair pairs[PAIRS][2];
	int spawned = 0;

	atomic_store(&finished, 0);
	atomic_store(&failures, 0);
	for (int i = 0; i < PAIRS; i++) {
		int fd[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) != 0)
			break;
		for (int s = 0; s < 2; s++) {
			pairs[i][s] = (struct pair){.fd = {fd[0], fd[1]}, .side = s};
			spawned += mp_loop_spawn(l, ping, &pairs[i][s]) == 0;
		}
	}
	CHECK(spawned == 2 * PAIRS, "400 fibers spawned on one loop");
	wait_count(&finished, spawned);
	CHECK(atomic_load(&finished) == spawned, "every fiber finished its 20 round trips");
	CHECK(atomic_load(&failures) == 0, "no wait failed or timed out");
	for (int i = 0; i < PAIRS; i++) {
		close(pairs[i][0].fd[0]);
		close(pairs[i][0].fd[1]);
	}
}

/* --- a wait on a silent socket times out; others run meanwhile --- */

static double timeout_took;
static int timeout_rc = -9;
static atomic_int ticks;

static void
silent_wait(void *arg)
{
	int *fd = arg;
	struct pollfd p = {.fd = fd[0], .events = POLLIN};
	double t0 = mp_now();

	timeout_rc = mp_poll(&p, 1, 150);
	timeout_took = mp_now() - t0;
	atomic_fetch_add(&finished, 1);
}

static void
ticker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++) {
		atomic_fetch_add(&ticks, 1);
		mp_sleep(0.01);
	}
	atomic_fetch_add(&finished, 1);
}

static void
test_timeout(struct mp_loop *l)
{
	int fd[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) != 0)
		return;
	atomic_store(&finished, 0);
	mp_loop_spawn(l, silent_wait, fd);
	mp_loop_spawn(l, ticker, NULL);
	wait_count(&finished, 2);
	CHECK(timeout_rc == 0, "a silent socket's wait ends in a timeout (0, as poll)");
	CHECK(timeout_took >= 0.149, "not before its time");
	CHECK(atomic_load(&ticks) == 5, "the other fiber ran while the first one waited");
	close(fd[0]);
	close(fd[1]);
}

/* --- condition variables --- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct mp_cond cond;
static bool flag;
static int waited_rc = -9, timed_rc = -9;

static void
cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!flag)
		waited_rc = mp_cond_wait(&cond, &mu, NULL);
	pthread_mutex_unlock(&mu);
	atomic_fetch_add(&finished, 1);
}

static void
cond_timed(void *arg)
{
	struct timespec at;
	double t = mp_now() + 0.05;

	(void)arg;
	at.tv_sec = (time_t)t;
	at.tv_nsec = (long)((t - (double)at.tv_sec) * 1e9);
	pthread_mutex_lock(&mu);
	timed_rc = mp_cond_wait(&cond, &mu, &at);
	pthread_mutex_unlock(&mu);
	atomic_fetch_add(&finished, 1);
}

static void *
broadcaster(void *arg)
{
	(void)arg;
	mp_sleep(0.1);
	pthread_mutex_lock(&mu);
	flag = true;
	mp_cond_broadcast(&cond);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void
test_cond(struct mp_loop *l)
{
	pthread_t t;

	mp_cond_init(&cond);
	atomic_store(&finished, 0);
	mp_loop_spawn(l, cond_waiter, NULL);
	mp_loop_spawn(l, cond_waiter, NULL);
	mp_loop_spawn(l, cond_timed, NULL);
	pthread_create(&t, NULL, broadcaster, NULL);
	wait_count(&finished, 3);
	pthread_join(t, NULL);
	CHECK(atomic_load(&finished) == 3,
	      "two fibers woken by a thread's broadcast, one timed out");
	CHECK(waited_rc == 0, "a woken wait returns 0");
	CHECK(timed_rc == ETIMEDOUT, "a wait past its time returns ETIMEDOUT");
	mp_cond_destroy(&cond);
}

/* --- tasks joined from a fiber --- */

static atomic_int task_sum;
static bool task_on_fiber[4];

static void *
task_fn(void *arg)
{
	int i = (int)(long)arg;

	task_on_fiber[i] = mp_fiber_self() != NULL;
	mp_sleep(0.02);
	atomic_fetch_add(&task_sum, i + 1);
	return NULL;
}

static void
task_parent(void *arg)
{
	struct mp_task t[4];

	(void)arg;
	for (int i = 0; i < 4; i++)
		mp_task_start(&t[i], task_fn, (void *)(long)i, 0,
			      i == 3 ? MP_TASK_THREAD : MP_TASK_ANY);
	for (int i = 0; i < 4; i++)
		mp_task_join(&t[i]);
	atomic_fetch_add(&finished, 1);
}

static void
test_tasks(struct mp_loop *l)
{
	atomic_store(&finished, 0);
	mp_loop_spawn(l, task_parent, NULL);
	wait_count(&finished, 1);
	CHECK(atomic_load(&task_sum) == 1 + 2 + 3 + 4, "every task ran before the join returned");
	CHECK(task_on_fiber[0] && task_on_fiber[1] && task_on_fiber[2],
	      "a fiber's tasks are fibers of its loop");
	CHECK(!task_on_fiber[3], "MP_TASK_THREAD runs on a thread");
}

/* --- a plain thread: mp_poll and the task are the pthread ones --- */

static void
test_thread_side(void)
{
	struct mp_task t;
	int fd[2];
	struct pollfd p;

	CHECK(mp_fiber_self() == NULL, "a thread is no fiber");
	atomic_store(&task_sum, 0);
	CHECK(mp_task_start(&t, task_fn, (void *)0L, 0, MP_TASK_ANY), "a thread's task starts");
	mp_task_join(&t);
	CHECK(atomic_load(&task_sum) == 1 && !task_on_fiber[0], "... on a thread");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd) != 0)
		return;
	(void)!write(fd[1], "x", 1);
	p = (struct pollfd){.fd = fd[0], .events = POLLIN};
	CHECK(mp_poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "mp_poll on a thread");
	close(fd[0]);
	close(fd[1]);
}

/* --- spawns from several threads while fibers end (the kept stacks are
 * shared between spawners and the loop) --- */

#define SPAWNERS 4
#define SPAWNS 500

static atomic_int tiny_ran;

static void
tiny(void *arg)
{
	(void)arg;
	if (atomic_fetch_add(&tiny_ran, 1) % 3 == 0)
		mp_sleep(0.0005); /* some park, so fibers end while others start */
}

static void *
spawner(void *arg)
{
	struct mp_loop *l = arg;

	for (int i = 0; i < SPAWNS; i++)
		while (mp_loop_spawn(l, tiny, NULL) != 0)
			mp_sleep(0.001);
	return NULL;
}

static void
test_spawners(struct mp_loop *l)
{
	pthread_t t[SPAWNERS];

	for (int i = 0; i < SPAWNERS; i++)
		pthread_create(&t[i], NULL, spawner, l);
	for (int i = 0; i < SPAWNERS; i++)
		pthread_join(t[i], NULL);
	wait_count(&tiny_ran, SPAWNERS * SPAWNS);
	for (int i = 0; i < 2000 && mp_loop_fibers(l) > 0; i++)
		mp_sleep(0.001);
	CHECK(atomic_load(&tiny_ran) == SPAWNERS * SPAWNS,
	      "2,000 fibers spawned from four threads at once all ran");
	CHECK(mp_loop_fibers(l) == 0, "and all ended");
}

/* --- mp_loop_free waits for the fibers still running --- */

static atomic_int slow_done;

static void
slow(void *arg)
{
	(void)arg;
	mp_sleep(0.1);
	atomic_store(&slow_done, 1);
}

int
main(void)
{
	struct mp_loop *l = mp_loop_new(256 * 1024);

	CHECK(l != NULL, "a loop starts");
	if (l == NULL)
		return test_report();
	test_pingpong(l);
	test_timeout(l);
	test_cond(l);
	test_tasks(l);
	test_thread_side();
	test_spawners(l);
	CHECK(mp_loop_spawn(l, slow, NULL) == 0, "spawn");
	mp_loop_free(l);
	CHECK(atomic_load(&slow_done) == 1, "the loop ended after its last fiber");
	return test_report();
}
