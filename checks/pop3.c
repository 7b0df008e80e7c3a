/*
 * POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH) as a mail
 * client speaks it on 995/110: greeting, CAPA, STLS, AUTH PLAIN or
 * USER/PASS, QUIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/parse.h"
#include "checks/session.h"

#define POP3_CAPA_LINES_MAX 200

/* Reads one status line: *ok is +OK, else -ERR; words into st. */
static enum mp_class
pop3_status(struct mp_session *s, enum mp_step step, struct mp_step_result *st, bool *ok,
	    bool *continuation)
{
	char line[MP_LINE_MAX + 1];
	size_t n;
	enum mp_io io = mp_conn_readline(&s->conn, line, sizeof(line), &n);
	int rc;

	if (io != IO_OK)
		return mp_io_class(s, io, step, st);
	if (continuation != NULL)
		*continuation = n >= 1 && line[0] == '+' && (n == 1 || line[1] == ' ');
	rc = mp_is_binary(line, n) ? -1 : mp_pop3_status(line, n);
	mp_step_words(st, line, n);
	if (rc < 0 && (continuation == NULL || !*continuation))
		return mp_bad_line(s, st, step, line, n);
	*ok = rc == 1;
	return CLASS_NONE;
}

static enum mp_class
pop3_cmd(struct mp_session *s, enum mp_step step, struct mp_step_result *st, const char *cmd,
	 const char *shown, bool *ok, bool *continuation)
{
	enum mp_io io = mp_conn_writeline(&s->conn, cmd, shown);

	if (io != IO_OK)
		return mp_io_class(s, io, step, st);
	return pop3_status(s, step, st, ok, continuation);
}

static enum mp_class
pop3_greeting(struct mp_session *s, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_status(s, STEP_GREETING, st, &ok, NULL);

	if (cls != CLASS_NONE)
		return cls;
	return ok ? CLASS_NONE : CLASS_SERVER_REJECTED;
}

/* The multi-line CAPA body up to ".". */
static enum mp_class
pop3_capa_body(struct mp_session *s, enum mp_step step, struct mp_step_result *st)
{
	char line[MP_LINE_MAX + 1];
	size_t n;

	for (int i = 0; i < POP3_CAPA_LINES_MAX; i++) {
		enum mp_io io = mp_conn_readline(&s->conn, line, sizeof(line), &n);
		const char *p = line;

		if (io != IO_OK)
			return mp_io_class(s, io, step, st);
		if (n == 1 && line[0] == '.')
			return CLASS_NONE;
		if (mp_is_binary(line, n)) {
			snprintf(st->message, sizeof(st->message), "binary data in the CAPA list");
			return CLASS_PROTOCOL_ERROR;
		}
		if (n >= 2 && line[0] == '.') { /* dot-stuffed */
			p++;
			n--;
		}
		s->caps |= mp_pop3_capa_caps(p, n);
		mp_caps_add(st, p, n);
	}
	snprintf(st->message, sizeof(st->message), "a CAPA list of more than %d lines",
		 POP3_CAPA_LINES_MAX);
	return CLASS_LINE_TOO_LONG;
}

/* CAPA into st; a -ERR answer means no capabilities, not a failure. */
static enum mp_class
pop3_capa(struct mp_session *s, enum mp_step step, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_cmd(s, step, st, "CAPA", NULL, &ok, NULL);

	s->caps = 0;
	st->has_capabilities = true;
	if (cls != CLASS_NONE)
		return cls;
	if (!ok) {
		s->caps_known = false;
		snprintf(st->message, sizeof(st->message), "no CAPA (USER/PASS assumed)");
		return CLASS_NONE;
	}
	s->caps_known = true;
	cls = pop3_capa_body(s, step, st);
	if (cls == CLASS_NONE)
		snprintf(st->message, sizeof(st->message), "+OK capability list");
	return cls;
}

static enum mp_class
pop3_starttls(struct mp_session *s, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_capa(s, STEP_STARTTLS, st);
	char reply[MP_MESSAGE_MAX];

	if (cls != CLASS_NONE)
		return cls;
	/* STLS is tried even when CAPA failed or did not list it. */
	if ((cls = pop3_cmd(s, STEP_STARTTLS, st, "STLS", NULL, &ok, NULL)) != CLASS_NONE)
		return cls;
	if (!ok) {
		memcpy(reply, st->message, sizeof(reply));
		return mp_starttls_denied(s, st, reply);
	}
	return mp_starttls_injection(s, st);
}

static enum mp_class
pop3_capabilities(struct mp_session *s, struct mp_step_result *st)
{
	return pop3_capa(s, STEP_CAPABILITIES, st);
}

/* Words servers use for a temporary failure when they send no response code
 * (Courier: "-ERR Temporary problem, please try again later"). */
static const char *const pop3_temporary_words[] = {"temporar", "try again later"};

static bool
contains_nocase(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, word, n) == 0)
			return true;
	return false;
}

/* -ERR [SYS/TEMP] and [IN-USE] (RFC 3206), or a server that says in words
 * that the failure is temporary, are the server's trouble, not the password's. */
static enum mp_class
pop3_auth_class(const struct mp_step_result *st)
{
	if (strstr(st->message, "[SYS/TEMP]") != NULL || strstr(st->message, "[IN-USE]") != NULL)
		return CLASS_AUTH_ERROR;
	if (strstr(st->message, "[AUTH]") != NULL || strstr(st->message, "[SYS/PERM]") != NULL)
		return CLASS_AUTH_FAILED;
	for (size_t i = 0; i < sizeof(pop3_temporary_words) / sizeof(pop3_temporary_words[0]); i++)
		if (contains_nocase(st->message, pop3_temporary_words[i]))
			return CLASS_AUTH_ERROR;
	return CLASS_AUTH_FAILED;
}

static enum mp_class
pop3_auth_plain(struct mp_session *s, struct mp_step_result *st, bool *ok)
{
	char *b64;
	bool cont = false;
	enum mp_class cls = pop3_cmd(s, STEP_LOGIN, st, "AUTH PLAIN", NULL, ok, &cont);

	if (cls != CLASS_NONE || !cont)
		return cls;
	if ((b64 = mp_sasl_plain(s->cfg->user, s->cfg->password)) == NULL) {
		snprintf(st->message, sizeof(st->message), "out of memory");
		return CLASS_AUTH_ERROR;
	}
	cls = pop3_cmd(s, STEP_LOGIN, st, b64, "***", ok, NULL);
	mp_wipe(b64, strlen(b64));
	free(b64);
	return cls;
}

static enum mp_class
pop3_user_pass(struct mp_session *s, struct mp_step_result *st, bool *ok)
{
	const struct mp_secret *pw = s->cfg->password;
	size_t n = strlen(s->cfg->user) + pw->len + 8;
	char *cmd = malloc(n);
	enum mp_class cls;

	if (cmd == NULL) {
		snprintf(st->message, sizeof(st->message), "out of memory");
		return CLASS_AUTH_ERROR;
	}
	snprintf(cmd, n, "USER %s", s->cfg->user);
	cls = pop3_cmd(s, STEP_LOGIN, st, cmd, NULL, ok, NULL);
	if (cls == CLASS_NONE && *ok) {
		snprintf(cmd, n, "PASS %s", pw->buf);
		cls = pop3_cmd(s, STEP_LOGIN, st, cmd, "PASS ***", ok, NULL);
	}
	mp_wipe(cmd, n);
	free(cmd);
	return cls;
}

static enum mp_class
pop3_login(struct mp_session *s, struct mp_step_result *st)
{
	bool ok = false;
	enum mp_class cls;

	if (s->caps & CAP_AUTH_PLAIN) {
		snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
		cls = pop3_auth_plain(s, st, &ok);
	} else if ((s->caps & CAP_USER) || !s->caps_known || !(s->caps & CAP_AUTH_OAUTH)) {
		snprintf(st->mechanism, sizeof(st->mechanism), "USER");
		cls = pop3_user_pass(s, st, &ok);
	} else {
		snprintf(st->message, sizeof(st->message),
			 "the server offers only OAuth (XOAUTH2/OAUTHBEARER), no password login");
		return CLASS_AUTH_UNSUPPORTED;
	}
	if (cls != CLASS_NONE)
		return cls;
	return ok ? CLASS_NONE : pop3_auth_class(st);
}

static enum mp_class
pop3_logout(struct mp_session *s, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_cmd(s, STEP_LOGOUT, st, "QUIT", NULL, &ok, NULL);

	if (cls != CLASS_NONE)
		return cls;
	return ok ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
}

const struct mp_proto_ops mp_pop3_ops = {
    .greeting = pop3_greeting,
    .starttls = pop3_starttls,
    .capabilities = pop3_capabilities,
    .login = pop3_login,
    .send = NULL,
    .logout = pop3_logout,
};
