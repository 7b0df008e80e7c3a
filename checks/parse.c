/*
 * Pure reply parsers for SMTP, IMAP and POP3. Every function takes a length
 * and reads no byte past it; lines may hold NUL bytes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/parse.h"
#include "checks/session.h"

int
mp_smtp_parse_line(const char *line, size_t n, int *code, bool *last)
{
	if (n < 3)
		return -1;
	for (int i = 0; i < 3; i++)
		if (!isdigit((unsigned char)line[i]))
			return -1;
	if (line[0] < '2' || line[0] > '5')
		return -1;
	if (n > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	*code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	*last = n == 3 || line[3] == ' ';
	return 0;
}

/* The next space-separated word in [p, end): *w and its length, or 0. */
static size_t
next_word(const char **p, const char *end, const char **w)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	*w = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	return (size_t)(*p - *w);
}

static bool
word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

static unsigned
sasl_mech_caps(const char *w, size_t n)
{
	if (word_is(w, n, "PLAIN"))
		return CAP_AUTH | CAP_AUTH_PLAIN;
	if (word_is(w, n, "LOGIN"))
		return CAP_AUTH | CAP_AUTH_LOGIN;
	if (word_is(w, n, "XOAUTH2"))
		return CAP_AUTH | CAP_AUTH_OAUTH | CAP_AUTH_XOAUTH2;
	if (word_is(w, n, "OAUTHBEARER"))
		return CAP_AUTH | CAP_AUTH_OAUTH | CAP_AUTH_OAUTHBEARER;
	return CAP_AUTH;
}

/* Flags of a mechanism list after a keyword ("AUTH PLAIN LOGIN"). */
static unsigned
mech_list_caps(const char *p, const char *end)
{
	unsigned caps = 0;
	const char *w;
	size_t wn;

	while ((wn = next_word(&p, end, &w)) > 0)
		caps |= sasl_mech_caps(w, wn);
	return caps;
}

unsigned
mp_smtp_ehlo_caps(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *w;
	size_t wn = next_word(&p, end, &w);

	if (wn == 0)
		return 0;
	if (word_is(w, wn, "STARTTLS"))
		return CAP_STARTTLS;
	if (mp_keyword_masked(w, wn))
		return CAP_MASKED_STARTTLS;
	if (word_is(w, wn, "AUTH") || (wn > 5 && strncasecmp(w, "AUTH=", 5) == 0)) {
		if (wn > 5 && w[4] == '=') /* obsolete "AUTH=LOGIN PLAIN" */
			return CAP_AUTH | mech_list_caps(w + 5, end);
		return CAP_AUTH | mech_list_caps(p, end);
	}
	return 0;
}

long long
mp_imap_trailing_literal(const char *line, size_t n)
{
	size_t i;
	long long v = 0;

	if (n < 3 || line[n - 1] != '}')
		return -1;
	i = n - 2;
	if (line[i] == '+')
		i--;
	if (!isdigit((unsigned char)line[i]))
		return -1;
	while (i > 0 && isdigit((unsigned char)line[i]))
		i--;
	if (line[i] != '{')
		return -1;
	for (size_t j = i + 1; j < n && isdigit((unsigned char)line[j]); j++) {
		if (v > 1000000000000LL)
			return 1000000000000LL;
		v = v * 10 + (line[j] - '0');
	}
	return v;
}

static enum mp_imap_status
imap_status_word(const char *w, size_t n)
{
	if (word_is(w, n, "OK"))
		return IMAP_OK;
	if (word_is(w, n, "NO"))
		return IMAP_NO;
	if (word_is(w, n, "BAD"))
		return IMAP_BAD;
	if (word_is(w, n, "BYE"))
		return IMAP_BYE;
	if (word_is(w, n, "PREAUTH"))
		return IMAP_PREAUTH;
	return IMAP_OTHER;
}

/* A [CAPABILITY ...] response code at the start of text. */
static void
imap_code_caps(const char *line, size_t off, size_t n, struct mp_imap_line *out)
{
	const char *p = line + off, *end = line + n, *close;
	size_t kw = strlen("[CAPABILITY ");

	if ((size_t)(end - p) <= kw || strncasecmp(p, "[CAPABILITY ", kw) != 0)
		return;
	close = memchr(p, ']', (size_t)(end - p));
	if (close == NULL)
		return;
	out->caps_off = off + kw;
	out->caps_len = (size_t)(close - p) - kw;
}

static bool
valid_tag(const char *w, size_t n)
{
	if (n == 0 || n >= sizeof(((struct mp_imap_line *)0)->tag))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)w[i];

		if (ch <= 0x20 || ch >= 0x7f || strchr("(){%*\"\\+", ch) != NULL)
			return false;
	}
	return true;
}

static void
imap_untagged(const char *line, size_t n, const char *p, struct mp_imap_line *out)
{
	const char *end = line + n, *w;
	size_t wn = next_word(&p, end, &w);

	out->kind = IMAP_UNTAGGED;
	out->status = imap_status_word(w, wn);
	if (word_is(w, wn, "CAPABILITY")) {
		out->capability = true;
		while (p < end && *p == ' ')
			p++;
		out->caps_off = (size_t)(p - line);
		out->caps_len = (size_t)(end - p);
	}
	while (p < end && *p == ' ')
		p++;
	out->text_off = (size_t)(p - line);
	if (out->status != IMAP_OTHER)
		imap_code_caps(line, out->text_off, n, out);
}

int
mp_imap_parse_line(const char *line, size_t n, struct mp_imap_line *out)
{
	const char *p = line, *end = line + n, *w;
	size_t wn;

	memset(out, 0, sizeof(*out));
	out->kind = IMAP_INVALID;
	out->literal = mp_imap_trailing_literal(line, n);
	if (n >= 1 && line[0] == '+') {
		out->kind = IMAP_CONTINUATION;
		out->text_off = n >= 2 ? 2 : 1;
		return 0;
	}
	wn = next_word(&p, end, &w);
	if (word_is(w, wn, "*")) {
		imap_untagged(line, n, p, out);
		return 0;
	}
	if (!valid_tag(w, wn))
		return -1;
	memcpy(out->tag, w, wn);
	out->tag[wn] = '\0';
	wn = next_word(&p, end, &w);
	out->status = imap_status_word(w, wn);
	if (out->status != IMAP_OK && out->status != IMAP_NO && out->status != IMAP_BAD)
		return -1;
	out->kind = IMAP_TAGGED;
	while (p < end && *p == ' ')
		p++;
	out->text_off = (size_t)(p - line);
	imap_code_caps(line, out->text_off, n, out);
	return 0;
}

unsigned
mp_imap_caps(const char *list, size_t n)
{
	const char *p = list, *end = list + n, *w;
	size_t wn;
	unsigned caps = 0;

	while ((wn = next_word(&p, end, &w)) > 0) {
		if (word_is(w, wn, "STARTTLS"))
			caps |= CAP_STARTTLS;
		else if (word_is(w, wn, "LOGINDISABLED"))
			caps |= CAP_LOGINDISABLED;
		else if (word_is(w, wn, "SASL-IR"))
			caps |= CAP_SASL_IR;
		else if (wn > 5 && strncasecmp(w, "AUTH=", 5) == 0)
			caps |= sasl_mech_caps(w + 5, wn - 5);
		else if (mp_keyword_masked(w, wn))
			caps |= CAP_MASKED_STARTTLS;
	}
	return caps;
}

void
mp_imap_resp_code(const char *text, size_t n, char *out, size_t outlen)
{
	const char *close;
	size_t len;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (n < 2 || text[0] != '[')
		return;
	close = memchr(text, ']', n);
	if (close == NULL)
		return;
	len = (size_t)(close - text) - 1;
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, text + 1, len);
	out[len] = '\0';
}

int
mp_pop3_status(const char *line, size_t n)
{
	if (n >= 3 && memcmp(line, "+OK", 3) == 0 && (n == 3 || line[3] == ' '))
		return 1;
	if (n >= 4 && memcmp(line, "-ERR", 4) == 0 && (n == 4 || line[4] == ' '))
		return 0;
	return -1;
}

unsigned
mp_pop3_capa_caps(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *w;
	size_t wn = next_word(&p, end, &w);

	if (word_is(w, wn, "STLS"))
		return CAP_STARTTLS;
	if (word_is(w, wn, "USER"))
		return CAP_USER;
	if (word_is(w, wn, "SASL"))
		return CAP_AUTH | mech_list_caps(p, end);
	if (mp_keyword_masked(w, wn))
		return CAP_MASKED_STARTTLS;
	return 0;
}

const char *
mp_guess_protocol(const char *line, size_t n)
{
	int code;
	bool last;

	if (n >= 4 && (memcmp(line, "* OK", 4) == 0 || memcmp(line, "* BYE", 4) == 0 ||
		       (n >= 9 && memcmp(line, "* PREAUTH", 9) == 0)))
		return "IMAP";
	if (mp_pop3_status(line, n) >= 0)
		return "POP3";
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0)
		return "HTTP";
	if (n >= 4 && memcmp(line, "SSH-", 4) == 0)
		return "SSH";
	if (mp_smtp_parse_line(line, n, &code, &last) == 0)
		return "SMTP";
	return NULL;
}
