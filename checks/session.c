/*
 * Helpers the protocol files share: I/O failure classes, masked keywords,
 * sending a credential, server words into a step.
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
		mp_step_say(st, "%s",
			    step == STEP_GREETING ? "no complete greeting before the deadline"
						  : "no answer before the deadline");
		return step == STEP_GREETING ? CLASS_GREETING_TIMEOUT : CLASS_READ_TIMEOUT;
	case IO_CLOSED:
		return mp_step_fail(st, CLASS_PEER_CLOSED, "the server closed the connection");
	case IO_RESET:
		return mp_step_fail(st, CLASS_PEER_RESET, "the connection was reset");
	case IO_TOO_LONG:
		return mp_step_fail(st, CLASS_LINE_TOO_LONG,
				    "the server sent a line or reply longer than %d bytes",
				    MP_LINE_MAX);
	default:
		return mp_step_fail(st, CLASS_PROTOCOL_ERROR, "I/O error: %s", s->conn.err);
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

enum mp_class
mp_send_cred(struct mp_session *s, struct mp_step_result *st, const char *prefix,
	     enum mp_cred_form form, const char *shown)
{
	enum mp_io io =
	    mp_send_credential(&s->conn, s->cfg->user, s->cfg->password, prefix, form, shown);

	return io == IO_OK ? CLASS_NONE : mp_io_class(s, io, STEP_LOGIN, st);
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
	return mp_step_fail(st, CLASS_PROTOCOL_ERROR,
			    "the server sent data after the STARTTLS go-ahead and before the TLS "
			    "handshake (response injection)");
}

/* The class when STARTTLS did not get a go-ahead. */
enum mp_class
mp_starttls_denied(struct mp_session *s, struct mp_step_result *st, const char *reply)
{
	if (s->caps & CAP_MASKED_STARTTLS) {
		return mp_step_fail(
		    st, CLASS_STARTTLS_STRIPPED,
		    "STARTTLS is masked in the server's capabilities (a middlebox strips "
		    "it); the server answered: %s",
		    reply);
	}
	if (s->caps & CAP_STARTTLS) {
		return mp_step_fail(st, CLASS_STARTTLS_REFUSED, "STARTTLS offered but refused: %s",
				    reply);
	}
	return mp_step_fail(st, CLASS_STARTTLS_UNSUPPORTED,
			    "the server does not offer STARTTLS: %s", reply);
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
		return mp_step_fail(st, CLASS_PROTOCOL_ERROR, "not a valid %s reply: \"%s\"", proto,
				    esc);
	}
	if (spoken != NULL && strcmp(spoken, proto) != 0)
		mp_step_say(st, "the server speaks %s, not %s: \"%s\"", spoken, proto, esc);
	else
		mp_step_say(st, "not a %s greeting: \"%s\"", proto, esc);
	return CLASS_WRONG_PROTOCOL;
}
