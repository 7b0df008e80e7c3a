/*
 * One absolute monotonic deadline for a whole run, with an optional cancel
 * flag (the exporter cancels in-flight probes on shutdown). Every wait in
 * checks/ asks this for the time left; nothing has its own timeout.
 */
#ifndef MAILPROBE_DEADLINE_H
#define MAILPROBE_DEADLINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

struct mp_bg_budget;

struct mp_deadline {
	struct timespec at;       /* CLOCK_MONOTONIC */
	const atomic_int *cancel; /* non-zero: treat as expired; may be NULL */
	/* The share of abandoned background calls (bg.h) this run may leave
	 * behind; NULL: the process-wide one. */
	struct mp_bg_budget *budget;
};

/* Now on the monotonic clock, in seconds. */
double mp_now(void);
/* Sets *dl to seconds from now, no cancel flag, the process-wide budget. */
void mp_deadline_in(struct mp_deadline *dl, double seconds);
/* Milliseconds left for poll(): 0 when expired or cancelled. When a cancel
 * flag is set, waits are sliced to 100 ms so a cancel is seen quickly. */
int mp_deadline_poll_ms(const struct mp_deadline *dl);
/* Seconds left (may be negative). */
double mp_deadline_left(const struct mp_deadline *dl);
bool mp_deadline_expired(const struct mp_deadline *dl);
/* The deadline as an absolute CLOCK_MONOTONIC timespec (for condvars). */
struct timespec mp_deadline_abs(const struct mp_deadline *dl);

#endif
