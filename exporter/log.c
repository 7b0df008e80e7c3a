/*
 * logfmt on stderr. A line is built in a local buffer and written with one
 * write(2), so lines from different threads never interleave. Values that
 * need it are quoted; control bytes are escaped.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "exporter/log.h"

#define LINE_MAX_LEN 4096

static atomic_int min_level = LVL_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

int
xlog_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void
xlog_set_level(enum xlog_level level)
{
	atomic_store(&min_level, (int)level);
}

static bool
needs_quotes(const char *v)
{
	if (v[0] == '\0')
		return true;
	for (const char *p = v; *p != '\0'; p++)
		if (*p == ' ' || *p == '=' || *p == '"' || (unsigned char)*p < 0x20 || *p == '\\')
			return true;
	return false;
}

/* Appends s (quoted and escaped when needed) at buf+*o, never past len. */
static void
put_value(char *buf, size_t len, size_t *o, const char *v)
{
	bool q = needs_quotes(v);
	char tmp[8];

	if (q && *o + 1 < len)
		buf[(*o)++] = '"';
	for (const char *p = v; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		size_t k;

		if (c == '"' || c == '\\')
			k = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", c);
		else if (c == '\n')
			k = (size_t)snprintf(tmp, sizeof(tmp), "\\n");
		else if (c < 0x20 || c == 0x7f)
			k = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else
			tmp[0] = (char)c, k = 1;
		if (*o + k + 2 >= len)
			break;
		memcpy(buf + *o, tmp, k);
		*o += k;
	}
	if (q && *o + 1 < len)
		buf[(*o)++] = '"';
}

static void
put_raw(char *buf, size_t len, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n + 2 >= len)
		n = *o + 2 < len ? len - *o - 2 : 0;
	memcpy(buf + *o, s, n);
	*o += n;
}

static void
timestamp(char *out, size_t len)
{
	struct timeval tv;
	struct tm tm;
	char s[24];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%03dZ", s, (int)(tv.tv_usec / 1000) % 1000);
}

void
xlog(enum xlog_level level, const char *msg, ...)
{
	char buf[LINE_MAX_LEN], ts[48];
	const char *k, *v;
	size_t o = 0;
	va_list ap;

	if ((int)level < atomic_load(&min_level))
		return;
	timestamp(ts, sizeof(ts));
	o = (size_t)snprintf(buf, sizeof(buf), "ts=%s level=%s msg=", ts, level_names[level]);
	put_value(buf, sizeof(buf), &o, msg);
	va_start(ap, msg);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		put_raw(buf, sizeof(buf), &o, " ");
		put_raw(buf, sizeof(buf), &o, k);
		put_raw(buf, sizeof(buf), &o, "=");
		put_value(buf, sizeof(buf), &o, v != NULL ? v : "");
	}
	va_end(ap);
	buf[o++] = '\n';
	if (write(STDERR_FILENO, buf, o) < 0)
		return;
}
