/*
 * Helpers shared by the libFuzzer targets. Every line a target hands to a
 * parser is a heap copy of exactly its length (no NUL after it), so
 * AddressSanitizer reports any read past the length the parser was given.
 */
#ifndef MAILPROBE_FUZZ_UTIL_H
#define MAILPROBE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant of the code under test: abort() (a crash libFuzzer keeps). */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__,     \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A heap copy of exactly n bytes (never NULL; at least one byte allocated
 * by malloc, but only n of them may be read). */
static inline char *
fuzz_dup(const uint8_t *p, size_t n)
{
	char *c = malloc(n > 0 ? n : 1);

	if (c == NULL)
		abort();
	if (n > 0)
		memcpy(c, p, n);
	return c;
}

/* A NUL-terminated heap copy (the input may hold NUL bytes: C string
 * functions then see only the part before the first one). */
static inline char *
fuzz_strdup(const uint8_t *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		abort();
	memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* Calls fn for each line of the input the way checks/conn.c delivers them:
 * split at '\n', one trailing '\r' removed; the last line without '\n'
 * too. Each line is an exact-size heap copy. */
static inline void
fuzz_each_line(const uint8_t *data, size_t size, void (*fn)(const char *line, size_t n, void *arg),
	       void *arg)
{
	size_t start = 0;

	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl != NULL ? (size_t)(nl - data) : size;
		size_t n = end - start;
		char *line;

		if (nl != NULL && n > 0 && data[end - 1] == '\r')
			n--;
		line = fuzz_dup(data + start, n);
		fn(line, n, arg);
		free(line);
		start = end + 1;
	}
}

/* True when the first len bytes of buf hold a NUL. */
static inline int
fuzz_terminated(const char *buf, size_t len)
{
	return memchr(buf, '\0', len) != NULL;
}

#endif
