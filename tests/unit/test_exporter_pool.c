/*
 * The probe pool: jobs run, a job's "then" runs after the job is counted
 * done, so a client that sends its next request as soon as it has the
 * answer reuses the worker (threads stay bounded by the probes in flight,
 * not by how fast clients come back), and the limit of jobs holds; for a
 * pool of threads and for a pool of fibers.
 */
#include <stdatomic.h>
#include <time.h>

#include "checks/fiber.h"
#include "exporter/pool.h"
#include "tests/unit/harness.h"

#define CHAIN 50

static struct pool *pool;
static atomic_int ran, answered;

static void
job(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ran, 1);
}

/* The answer is out: the client asks again at once. */
static void
answer(void *arg)
{
	(void)arg;
	if (atomic_fetch_add(&answered, 1) + 1 < CHAIN)
		pool_submit_then(pool, job, answer, NULL);
}

static void
wait_idle(int want)
{
	struct timespec ms = {.tv_nsec = 1000000};

	for (int i = 0; i < 10000 && (atomic_load(&answered) < want || pool_pending(pool) > 0); i++)
		nanosleep(&ms, NULL);
}

static void
blocked(void *arg)
{
	atomic_int *release = arg;

	for (int i = 0; i < 10000 && !atomic_load(release); i++)
		mp_sleep(0.001); /* a fiber parks */
}

static void
exercise(const char *kind, bool fibers)
{
	atomic_int release = 0;

	atomic_store(&ran, 0);
	atomic_store(&answered, 0);
	pool = fibers ? pool_new_fibers(2, 256 * 1024, 8, 8) : pool_new(8, 8);
	CHECK(pool != NULL, kind);
	if (pool == NULL)
		return;
	CHECK(pool_submit_then(pool, job, answer, NULL) == 0, "submit");
	wait_idle(CHAIN);
	CHECK(atomic_load(&ran) == CHAIN && atomic_load(&answered) == CHAIN,
	      "every job ran and was answered");
	/* a fiber worker ends when the queue is empty: 0 once idle */
	CHECK(fibers ? pool_threads(pool) <= 1 : pool_threads(pool) == 1,
	      "a request sent after each answer reuses the one worker");
	for (int i = 0; i < 8; i++)
		CHECK(pool_submit(pool, blocked, &release) == 0, "up to the limit");
	CHECK(pool_submit(pool, job, NULL) < 0, "over the limit: refused");
	CHECK(pool_threads(pool) <= 8, "workers at most the limit");
	atomic_store(&release, 1);
	pool_free(pool);
}

int
main(void)
{
	exercise("a pool of threads", false);
	exercise("a pool of fibers", true);
	return test_report();
}
