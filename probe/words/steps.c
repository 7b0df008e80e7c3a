/*
 * Step messages in the language asked for. checks/ writes them in English
 * and remembers the format and where each argument went (struct
 * mp_step_result); a language's table maps each English format to its own,
 * with the same arguments in the same order, and the arguments (addresses,
 * server words, numbers) are carried over as they are. A message with no
 * entry, or one written without a format, stays as it is. No I/O here.
 */
#include <stdio.h>
#include <string.h>

#include "probe/words/words.h"

static const struct mp_step_phrase *
phrases_of(enum mp_lang l, size_t *n)
{
	*n = l == LANG_DE ? mp_step_phrases_de_count : 0;
	return l == LANG_DE ? mp_step_phrases_de : NULL;
}

static const char *
lookup(enum mp_lang l, const char *en)
{
	size_t n;
	const struct mp_step_phrase *t = phrases_of(l, &n);

	for (size_t i = 0; en != NULL && i < n; i++)
		if (strcmp(t[i].en, en) == 0)
			return t[i].other;
	return NULL;
}

/* The length of a printf conversion at p, 0 when none ("%%" is none). */
static size_t
conversion_len(const char *p)
{
	size_t n = 1;

	if (p[0] != '%' || p[1] == '%')
		return 0;
	while (p[n] != '\0' && strchr("-+ #0123456789.*hlzjt", p[n]) != NULL)
		n++;
	return p[n] != '\0' && strchr("diouxXeEfgGcsp", p[n]) != NULL ? n + 1 : 0;
}

/* tmpl with its k-th conversion replaced by the k-th argument as written in
 * st->message; false when an argument is missing. */
static bool
fill(const char *tmpl, const struct mp_step_result *st, char *out, size_t len)
{
	size_t at = 0, n;
	int k = 0;

	out[0] = '\0';
	for (const char *p = tmpl; *p != '\0' && at + 1 < len; p += n) {
		const char *src = p;
		size_t m = 1;

		n = conversion_len(p);
		if (n > 0) {
			if (k >= st->msg_nargs || k >= MP_MSG_ARGS)
				return false;
			src = st->message + st->msg_args[k].start;
			m = (size_t)(st->msg_args[k].end - st->msg_args[k].start);
			k++;
		} else {
			n = p[0] == '%' && p[1] == '%' ? 2 : 1;
		}
		if (m > len - 1 - at)
			m = len - 1 - at;
		memcpy(out + at, src, m);
		at += m;
		out[at] = '\0';
	}
	return k == st->msg_nargs;
}

void
mp_words_step_message(enum mp_lang l, const struct mp_step_result *st, char *out, size_t len)
{
	char again[MP_MESSAGE_MAX];
	const char *other;

	snprintf(out, len, "%s", st->message);
	if (l == LANG_EN)
		return;
	if (st->msg_fmt == NULL || st->msg_nargs > MP_MSG_ARGS) {
		if ((other = lookup(l, st->message)) != NULL) /* a fixed message */
			snprintf(out, len, "%s", other);
		return;
	}
	/* the message must still be the one the format made (nothing wrote
	 * over it since) */
	if (!fill(st->msg_fmt, st, again, sizeof(again)) || strcmp(again, st->message) != 0)
		return;
	if ((other = lookup(l, st->msg_fmt)) != NULL)
		fill(other, st, out, len);
}
