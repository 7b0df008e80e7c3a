/*
 * Calls that have no timeout of their own (getaddrinfo, res_nquery) run in
 * a detached thread the run's deadline can abandon. The number of abandoned
 * calls still running is bounded per budget: over its bound a new call of
 * that budget fails at once. A deadline names its budget (NULL: the
 * process-wide one), so one kind of caller (the exporter's /probe) cannot
 * spend another's (its scheduled targets).
 */
#ifndef MAILPROBE_BG_H
#define MAILPROBE_BG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "checks/deadline.h"

#define MP_BG_ABANDONED_MAX 8

struct mp_bg_budget {
	atomic_int abandoned; /* calls of this budget abandoned, still running */
	int max;
};

#define MP_BG_BUDGET_INIT(n)                                                                       \
	{                                                                                          \
		.abandoned = 0, .max = (n)                                                         \
	}

enum mp_bg_rc {
	BG_DONE,    /* fn finished; *data holds its results */
	BG_TIMEOUT, /* the deadline passed first; the job cleans up after itself */
	BG_REFUSED  /* too many abandoned calls, or no thread could start */
};

/* Runs fn on a copy of the n bytes at data in a new thread and waits until
 * it finishes or the deadline passes (BG_REFUSED at once when dl's budget
 * has max calls abandoned). On BG_DONE the copy is written back to
 * data (the caller then owns what fn allocated in it); otherwise cleanup (may
 * be NULL) frees what fn allocated, once fn returns. */
enum mp_bg_rc mp_bg_call(void (*fn)(void *data), void (*cleanup)(void *data), void *data, size_t n,
			 const struct mp_deadline *dl);

/* Abandoned calls of the process-wide budget still running (for tests). */
int mp_bg_abandoned(void);

#endif
