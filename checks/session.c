/*
 * Helpers the protocol files share: I/O failure classes, masked keywords,
 * base64 and SASL PLAIN, server words into a step. No I/O here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/parse.h"
#include "checks/session.h"

enum mp_class
mp_io_class(struct mp_session *s, enum mp_io io, enum mp_step step, struct mp_step_result *st)
{
	switch (io) {
	case IO_TIMEOUT:
		snprintf(st->message, sizeof(st->message), "%s",
			 step == STEP_GREETING ? "no complete greeting before the deadline"
					       : "no answer before the deadline");
		return step == STEP_GREETING ? CLASS_GREETING_TIMEOUT : CLASS_READ_TIMEOUT;
	case IO_CLOSED:
		snprintf(st->message, sizeof(st->message), "the server closed the connection");
		return CLASS_PEER_CLOSED;
	case IO_RESET:
		snprintf(st->message, sizeof(st->message), "the connection was reset");
		return CLASS_PEER_RESET;
	case IO_TOO_LONG:
		snprintf(st->message, sizeof(st->message),
			 "the server sent a line or reply longer than %d bytes", MP_LINE_MAX);
		return CLASS_LINE_TOO_LONG;
	default:
		snprintf(st->message, sizeof(st->message), "I/O error: %s", s->conn.err);
		return CLASS_PROTOCOL_ERROR;
	}
}

bool
mp_keyword_masked(const char *kw, size_t n)
{
	size_t x = 0;

	if (n < 4)
		return false;
	while (x < n && (kw[x] == 'X' || kw[x] == 'x'))
		x++;
	/* "XXXXXXXA" (Cisco), "XXXXXXXX", "XXXX" (STLS): all X, or X's and one
	 * trailing letter. */
	return x >= 4 && (x == n || (x == n - 1 && isalpha((unsigned char)kw[n - 1])));
}

void
mp_base64(const unsigned char *in, size_t n, char *out)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tbl[v & 63] : '=';
	}
	out[o] = '\0';
}

char *
mp_sasl_plain(const char *user, const struct mp_secret *pw)
{
	size_t ul = strlen(user), n = ul + pw->len + 2;
	unsigned char *raw = malloc(n);
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (raw == NULL || out == NULL) {
		free(raw);
		free(out);
		return NULL;
	}
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = '\0';
	memcpy(raw + ul + 2, pw->buf, pw->len);
	mp_base64(raw, n, out);
	mp_wipe(raw, n);
	free(raw);
	return out;
}

bool
mp_is_binary(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return true;
	}
	return false;
}

void
mp_step_words(struct mp_step_result *st, const char *text, size_t n)
{
	mp_escape(text, n, st->message, sizeof(st->message));
}

void
mp_caps_add(struct mp_step_result *st, const char *line, size_t n)
{
	size_t have = strlen(st->capabilities);
	char esc[512];

	mp_escape(line, n, esc, sizeof(esc));
	st->has_capabilities = true;
	if (esc[0] == '\0' || have + strlen(esc) + 2 >= sizeof(st->capabilities))
		return;
	snprintf(st->capabilities + have, sizeof(st->capabilities) - have, "%s%s", have ? "\n" : "",
		 esc);
}

/* Bytes after a go-ahead and before the handshake: response injection. */
enum mp_class
mp_starttls_injection(struct mp_session *s, struct mp_step_result *st)
{
	if (!mp_conn_has_pending(&s->conn))
		return CLASS_NONE;
	snprintf(st->message, sizeof(st->message),
		 "the server sent data after the STARTTLS go-ahead and before the TLS "
		 "handshake (response injection)");
	return CLASS_PROTOCOL_ERROR;
}

/* The class when STARTTLS did not get a go-ahead. */
enum mp_class
mp_starttls_denied(struct mp_session *s, struct mp_step_result *st, const char *reply)
{
	if (s->caps & CAP_MASKED_STARTTLS) {
		snprintf(st->message, sizeof(st->message),
			 "STARTTLS is masked in the server's capabilities (a middlebox strips "
			 "it); the server answered: %s",
			 reply);
		return CLASS_STARTTLS_STRIPPED;
	}
	if (s->caps & CAP_STARTTLS) {
		snprintf(st->message, sizeof(st->message), "STARTTLS offered but refused: %s",
			 reply);
		return CLASS_STARTTLS_REFUSED;
	}
	snprintf(st->message, sizeof(st->message), "the server does not offer STARTTLS: %s", reply);
	return CLASS_STARTTLS_UNSUPPORTED;
}

enum mp_class
mp_bad_line(const struct mp_session *s, struct mp_step_result *st, enum mp_step step,
	    const char *line, size_t n)
{
	const char *proto = mp_protocol(s->cfg->spec.proto)->upper;
	const char *spoken = mp_guess_protocol(line, n);
	char esc[200];

	mp_escape(line, n < 80 ? n : 80, esc, sizeof(esc));
	if (step != STEP_GREETING) {
		snprintf(st->message, sizeof(st->message), "not a valid %s reply: \"%s\"", proto,
			 esc);
		return CLASS_PROTOCOL_ERROR;
	}
	if (spoken != NULL && strcmp(spoken, proto) != 0)
		snprintf(st->message, sizeof(st->message), "the server speaks %s, not %s: \"%s\"",
			 spoken, proto, esc);
	else
		snprintf(st->message, sizeof(st->message), "not a %s greeting: \"%s\"", proto, esc);
	return CLASS_WRONG_PROTOCOL;
}
