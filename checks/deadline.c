/*
 * Monotonic deadline arithmetic. No I/O here.
 */
#include <limits.h>
#include <math.h>

#include "checks/deadline.h"

double
mp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
mp_deadline_in(struct mp_deadline *dl, double seconds)
{
	struct timespec ts;
	double whole = floor(seconds);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)whole;
	ts.tv_nsec += (long)((seconds - whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	dl->at = ts;
	dl->cancel = NULL;
	dl->budget = NULL;
}

double
mp_deadline_left(const struct mp_deadline *dl)
{
	double at = (double)dl->at.tv_sec + (double)dl->at.tv_nsec / 1e9;

	return at - mp_now();
}

bool
mp_deadline_expired(const struct mp_deadline *dl)
{
	if (dl->cancel != NULL && atomic_load(dl->cancel) != 0)
		return true;
	return mp_deadline_left(dl) <= 0;
}

int
mp_deadline_poll_ms(const struct mp_deadline *dl)
{
	double left;

	if (mp_deadline_expired(dl))
		return 0;
	left = ceil(mp_deadline_left(dl) * 1000.0);
	if (left > INT_MAX / 2)
		left = INT_MAX / 2;
	if (dl->cancel != NULL && left > 100)
		left = 100;
	return left < 1 ? 1 : (int)left;
}

struct timespec
mp_deadline_abs(const struct mp_deadline *dl)
{
	return dl->at;
}
