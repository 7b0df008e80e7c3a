/*
 * Calls that have no timeout of their own (getaddrinfo, res_nquery) run in
 * a detached thread the run's deadline can abandon. The number of abandoned
 * calls still running is bounded: over the bound a new call fails at once.
 */
#ifndef MAILPROBE_BG_H
#define MAILPROBE_BG_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/deadline.h"

#define MP_BG_ABANDONED_MAX 8

enum mp_bg_rc {
	BG_DONE,    /* fn finished; *data holds its results */
	BG_TIMEOUT, /* the deadline passed first; the job cleans up after itself */
	BG_REFUSED  /* too many abandoned calls, or no thread could start */
};

/* Runs fn on a copy of the n bytes at data in a new thread and waits until
 * it finishes or the deadline passes. On BG_DONE the copy is written back to
 * data (the caller then owns what fn allocated in it); otherwise cleanup (may
 * be NULL) frees what fn allocated, once fn returns. */
enum mp_bg_rc mp_bg_call(void (*fn)(void *data), void (*cleanup)(void *data), void *data, size_t n,
			 const struct mp_deadline *dl);

/* Abandoned calls still running (for tests). */
int mp_bg_abandoned(void);

#endif
