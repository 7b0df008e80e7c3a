/*
 * The tables of words: every language has every entry, with the same
 * printf conversions and the same {placeholders} as English, and the
 * placeholder expansion does what the finding texts need.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "probe/words/words.h"

/* The printf conversions of s ("%s%d"), "%%" left out. */
static void
conversions(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (const char *p = s; *p != '\0' && n + 3 < len; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		out[n++] = '%';
		while (p[1] != '\0' && strchr("0123456789.-+ #lhz*", p[1]) != NULL && n + 2 < len)
			out[n++] = *++p;
		if (p[1] != '\0')
			out[n++] = *++p;
	}
	out[n] = '\0';
}

/* The distinct {placeholders} of s, sorted, as "a b c ". */
static void
placeholders(const char *s, char *out, size_t len)
{
	char names[16][32];
	int n = 0;

	for (const char *p = strchr(s, '{'); p != NULL && n < 16; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		int k;

		if (e == NULL || e - p > 30)
			continue;
		snprintf(names[n], sizeof(names[n]), "%.*s", (int)(e - p - 1), p + 1);
		for (k = 0; k < n && strcmp(names[k], names[n]) != 0; k++)
			;
		if (k == n)
			n++;
	}
	for (int i = 1; i < n; i++) /* insertion sort */
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[32];

			memcpy(t, names[j], sizeof(t));
			memcpy(names[j], names[j - 1], sizeof(t));
			memcpy(names[j - 1], t, sizeof(t));
		}
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s ", names[i]);
}

static void
test_complete(void)
{
	int missing = 0, differ = 0;
	char a[128], b[128], name[64];

	for (int w = 0; w < W_COUNT; w++) {
		for (int l = 0; l < LANG_COUNT; l++) {
			const char *const *t = l == LANG_EN ? mp_words_en : mp_words_de;

			if (t[w] == NULL || t[w][0] == '\0') {
				fprintf(stderr, "     entry %d missing in %s\n", w,
					mp_lang_code((enum mp_lang)l));
				missing++;
			}
		}
		if (mp_words_en[w] == NULL || mp_words_de[w] == NULL)
			continue;
		conversions(mp_words_en[w], a, sizeof(a));
		conversions(mp_words_de[w], b, sizeof(b));
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "     entry %d: printf arguments %s vs %s\n", w, a, b);
			differ++;
		}
		placeholders(mp_words_en[w], a, sizeof(a));
		placeholders(mp_words_de[w], b, sizeof(b));
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "     entry %d: placeholders '%s' vs '%s'\n", w, a, b);
			differ++;
		}
	}
	snprintf(name, sizeof(name), "every entry in every language (%d entries)", W_COUNT);
	CHECK(missing == 0, name);
	CHECK(differ == 0, "the same arguments in every language");
}

static void
test_expand(void)
{
	const struct mp_word_arg args[] = {{"ports", "587"}, {"host", "mail.example.com"}};
	char out[128];

	mp_words_expand("Port {ports} of {host}: {ports}.", args, 2, out, sizeof(out));
	CHECK_STR(out, "Port 587 of mail.example.com: 587.", "placeholders filled");
	mp_words_expand("{unknown} and {ports", args, 2, out, sizeof(out));
	CHECK_STR(out, "? and {ports", "unknown placeholder and unclosed brace");
	mp_words_expand("{host}{host}{host}", args, 2, out, 20);
	CHECK(strlen(out) == 19, "cut to fit");
	CHECK_STR(mp_word(LANG_DE, W_STEP_LOGIN), "Anmeldung", "a German step name");
	CHECK_STR(mp_word_step(LANG_EN, STEP_TLS), "tls", "an English step name");
	CHECK(mp_lang_of("de") == LANG_DE && mp_lang_of("fr") == LANG_EN, "language codes");
}

/* Step messages: German with the same arguments; a message written over
 * after the format (no longer the format's) stays as it is. */
static void
test_step_messages(void)
{
	struct mp_step_result st;
	char out[MP_MESSAGE_MAX];

	memset(&st, 0, sizeof(st));
	mp_step_say(&st, "connected to %s port %u", "192.0.2.1", 993u);
	CHECK_STR(st.message, "connected to 192.0.2.1 port 993", "English as written");
	mp_words_step_message(LANG_DE, &st, out, sizeof(out));
	CHECK_STR(out, "verbunden mit 192.0.2.1, Port 993", "German, same arguments");
	mp_words_step_message(LANG_EN, &st, out, sizeof(out));
	CHECK_STR(out, "connected to 192.0.2.1 port 993", "English stays");
	mp_step_say(&st, "certificate is for %s, not %s", "a.example", "b.example");
	mp_words_step_message(LANG_DE, &st, out, sizeof(out));
	CHECK_STR(out, "Zertifikat gilt für a.example, nicht für b.example", "two arguments");
	snprintf(st.message, sizeof(st.message), "254 server words");
	mp_words_step_message(LANG_DE, &st, out, sizeof(out));
	CHECK_STR(out, "254 server words", "a message written over stays as it is");
	st.msg_fmt = NULL;
	snprintf(st.message, sizeof(st.message),
		 "connection refused (nothing listens, or a filter resets)");
	mp_words_step_message(LANG_DE, &st, out, sizeof(out));
	CHECK(strncmp(out, "Verbindung abgewiesen", 21) == 0, "a fixed message in German");
	mp_step_say(&st, "the server announced literals of %lld bytes (limit %d)", 99999999999LL,
		    65536);
	mp_words_step_message(LANG_DE, &st, out, sizeof(out));
	CHECK_STR(out, "der Server kündigte Literale mit 99999999999 Bytes an (Grenze 65536)",
		  "long long and int arguments");
}

int
main(void)
{
	test_complete();
	test_expand();
	test_step_messages();
	return test_report();
}
