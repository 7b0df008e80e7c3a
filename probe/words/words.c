/*
 * Access to the tables of words, and the forms that differ by language:
 * dates and durations. No I/O here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checks/platform.h"
#include "probe/words/words.h"

static const char *const *const tables[LANG_COUNT] = {mp_words_en, mp_words_de};

enum mp_lang
mp_lang_of(const char *code)
{
	return code != NULL && strcmp(code, "de") == 0 ? LANG_DE : LANG_EN;
}

const char *
mp_lang_code(enum mp_lang l)
{
	return l == LANG_DE ? "de" : "en";
}

const char *
mp_word(enum mp_lang l, enum mp_word w)
{
	const char *s;

	if ((unsigned)l >= LANG_COUNT)
		l = LANG_EN;
	if ((unsigned)w >= W_COUNT)
		return "";
	s = tables[l][w];
	return s != NULL ? s : "";
}

const char *
mp_word_step(enum mp_lang l, enum mp_step s)
{
	return (unsigned)s < STEP_COUNT ? mp_word(l, (enum mp_word)(W_STEP_CONNECT + s)) : "?";
}

/* "+01:00" from seconds east of UTC. */
static void
utc_offset(long off, char *out, size_t len)
{
	char sign = off < 0 ? '-' : '+';

	if (off < 0)
		off = -off;
	snprintf(out, len, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
}

void
mp_words_date(enum mp_lang l, time_t t, bool local, char *out, size_t len)
{
	struct tm tm;
	char off[32], zone[16] = "";
	long gmtoff = 0;
	const char *tz = NULL;
	bool ok = local ? mp_localtime(t, &tm, &gmtoff, &tz) : gmtime_r(&t, &tm) != NULL;

	if (!ok || tm.tm_mon < 0 || tm.tm_mon > 11) {
		snprintf(out, len, "?");
		return;
	}
	if (l == LANG_DE) /* as German writes dates: 06.12.2026 */
		snprintf(out, len, "%02d.%02d.%d, %02d:%02d:%02d", tm.tm_mday, tm.tm_mon + 1,
			 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(out, len, "%d %s %d, %02d:%02d:%02d", tm.tm_mday,
			 mp_word(l, (enum mp_word)(W_MONTH_1 + tm.tm_mon)), tm.tm_year + 1900,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (!local) {
		snprintf(out + strlen(out), len - strlen(out), " UTC");
		return;
	}
	utc_offset(gmtoff, off, sizeof(off));
	if (tz != NULL)
		snprintf(zone, sizeof(zone), ", %s", tz);
	snprintf(out + strlen(out), len - strlen(out), " (UTC%s%s)", off, zone);
}

void
mp_words_duration(enum mp_lang l, double secs, char *out, size_t len)
{
	double ms = secs > 0.0 ? secs * 1000.0 : 0.0;

	if (ms < 10.0)
		snprintf(out, len, "%.1f ms", ms);
	else if (ms < 1000.0)
		snprintf(out, len, "%.0f ms", ms);
	else
		snprintf(out, len, "%.2f s", ms / 1000.0);
	if (l == LANG_DE)
		for (char *p = out; *p != '\0'; p++)
			if (*p == '.')
				*p = ',';
}

void
mp_words_day(enum mp_lang l, time_t t, char *out, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(out, len, "?");
	else if (l == LANG_DE)
		strftime(out, len, "%d.%m.%Y", &tm);
	else
		strftime(out, len, "%Y-%m-%d", &tm);
}

void
mp_words_seconds(enum mp_lang l, double secs, char *out, size_t len)
{
	snprintf(out, len, "%.2f s", secs > 0.0 ? secs : 0.0);
	if (l == LANG_DE)
		for (char *p = out; *p != '\0'; p++)
			if (*p == '.')
				*p = ',';
}

/* Appends s to out (len bytes, NUL-terminated), cut to fit. */
static void
append(char *out, size_t len, const char *s)
{
	size_t n = strlen(out);

	if (n + 1 < len)
		snprintf(out + n, len - n, "%s", s);
}

void
mp_words_expand(const char *tmpl, const struct mp_word_arg *args, int nargs, char *out, size_t len)
{
	char name[32];

	out[0] = '\0';
	for (const char *p = tmpl; *p != '\0';) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		char one[2] = {*p, '\0'};
		int k;

		if (end == NULL || (size_t)(end - p) >= sizeof(name)) {
			append(out, len, one);
			p++;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		for (k = 0; k < nargs && strcmp(args[k].name, name) != 0; k++)
			;
		append(out, len, k < nargs ? args[k].value : "?");
		p = end + 1;
	}
}
