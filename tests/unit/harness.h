/*
 * A tiny test harness: CHECK(cond, name) counts and reports, and
 * test_report() prints the "N passed, N failed" line every test program ends
 * with and gives the exit code.
 */
#ifndef MAILPROBE_HARNESS_H
#define MAILPROBE_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

#define CHECK(cond, name)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			harness_passed++;                                                          \
		} else {                                                                           \
			harness_failed++;                                                          \
			fprintf(stderr, "FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, name, #cond); \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want, name)                                                                 \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		CHECK(g_ != NULL && strcmp(g_, w_) == 0, name);                                    \
		if (g_ == NULL || strcmp(g_, w_) != 0)                                             \
			fprintf(stderr, "     got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_); \
	} while (0)

static inline int
test_report(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed == 0 ? 0 : 1;
}

#endif
