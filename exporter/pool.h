/*
 * A bounded worker pool: jobs run on at most max_threads workers, started
 * on demand: threads (a thread idle for 30 s exits, one stays) or fibers
 * on a few event-loop threads (a fiber ends when the queue is empty). At most max_pending
 * jobs are queued or running at once (a submit over that is refused, the
 * caller answers 503).
 */
#ifndef MAILPROBE_EXPORTER_POOL_H
#define MAILPROBE_EXPORTER_POOL_H

struct pool;

/* NULL when out of memory. */
struct pool *pool_new(int max_threads, int max_pending);
/* A pool whose workers are fibers (checks/fiber.h) with stack bytes of
 * stack, spread over nloops event-loop threads: at most max_workers jobs
 * run at once. NULL when out of memory or where there are no fibers. */
struct pool *pool_new_fibers(int nloops, size_t stack, int max_workers, int max_pending);
/* Queues fn(arg). 0, or -1 when max_pending jobs are in the pool or it is
 * stopping (fn is then not called; arg stays the caller's). */
int pool_submit(struct pool *p, void (*fn)(void *arg), void *arg);
/* As pool_submit; then(arg) runs on the same thread after fn, with the job
 * already counted done: a job submitted because of what then(arg) does
 * (the answer it sends) reuses this thread rather than starting one. */
int pool_submit_then(struct pool *p, void (*fn)(void *arg), void (*then)(void *arg), void *arg);
/* New limits for later submits (threads already started stay). */
void pool_set_limits(struct pool *p, int max_threads, int max_pending);
/* Jobs queued or running. */
int pool_pending(struct pool *p);
/* Workers alive (threads, or fibers). */
int pool_threads(struct pool *p);
/* Refuses new jobs and waits until the queued and running ones are done;
 * then frees the pool. Jobs must end by themselves (cancel flag). */
void pool_free(struct pool *p);

#endif
