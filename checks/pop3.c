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
	 bool *ok, bool *continuation)
{
	enum mp_io io = mp_conn_writeline(&s->conn, cmd, NULL);

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
			return mp_step_fail(st, CLASS_PROTOCOL_ERROR,
					    "binary data in the CAPA list");
		}
		if (n >= 2 && line[0] == '.') { /* dot-stuffed */
			p++;
			n--;
		}
		s->caps |= mp_pop3_capa_caps(p, n);
		mp_caps_add(st, p, n);
	}
	return mp_step_fail(st, CLASS_LINE_TOO_LONG, "a CAPA list of more than %d lines",
			    POP3_CAPA_LINES_MAX);
}

/* CAPA into st; a -ERR answer means no capabilities, not a failure. */
static enum mp_class
pop3_capa(struct mp_session *s, enum mp_step step, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_cmd(s, step, st, "CAPA", &ok, NULL);

	s->caps = 0;
	st->has_capabilities = true;
	if (cls != CLASS_NONE)
		return cls;
	if (!ok) {
		s->caps_known = false;
		mp_step_say(st, "no CAPA (USER/PASS assumed)");
		return CLASS_NONE;
	}
	s->caps_known = true;
	cls = pop3_capa_body(s, step, st);
	if (cls == CLASS_NONE)
		mp_step_say(st, "+OK capability list");
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
	if ((cls = pop3_cmd(s, STEP_STARTTLS, st, "STLS", &ok, NULL)) != CLASS_NONE)
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

/* Sends a credential line and reads the status. */
static enum mp_class
pop3_cred(struct mp_session *s, struct mp_step_result *st, const char *prefix,
	  enum mp_cred_form form, const char *shown, bool *ok)
{
	enum mp_class cls = mp_send_cred(s, st, prefix, form, shown);

	return cls != CLASS_NONE ? cls : pop3_status(s, STEP_LOGIN, st, ok, NULL);
}

static enum mp_class
pop3_auth_plain(struct mp_session *s, struct mp_step_result *st, bool *ok)
{
	bool cont = false;
	enum mp_class cls = pop3_cmd(s, STEP_LOGIN, st, "AUTH PLAIN", ok, &cont);

	if (cls != CLASS_NONE || !cont)
		return cls;
	return pop3_cred(s, st, "", CRED_SASL_PLAIN, "***", ok);
}

static enum mp_class
pop3_user_pass(struct mp_session *s, struct mp_step_result *st, bool *ok)
{
	char cmd[MP_LINE_MAX];
	enum mp_class cls;

	snprintf(cmd, sizeof(cmd), "USER %s", s->cfg->user);
	cls = pop3_cmd(s, STEP_LOGIN, st, cmd, ok, NULL);
	if (cls != CLASS_NONE || !*ok)
		return cls;
	return pop3_cred(s, st, "PASS ", CRED_PASSWORD, "PASS ***", ok);
}

/* AUTH with the token's mechanism and the initial response (RFC 5034); a
 * "+ " challenge after it is the RFC 7628 failure dialog. */
static enum mp_class
pop3_oauth(struct mp_session *s, struct mp_step_result *st)
{
	char prefix[48], shown[48], words[MP_MESSAGE_MAX];
	enum mp_cred_form form;
	bool ok = false, cont = false;
	enum mp_class cls;

	if (!mp_oauth_form(s, st, &form))
		return CLASS_AUTH_UNSUPPORTED;
	snprintf(prefix, sizeof(prefix), "AUTH %s ", st->mechanism);
	snprintf(shown, sizeof(shown), "AUTH %s ***", st->mechanism);
	if ((cls = mp_send_cred(s, st, prefix, form, shown)) != CLASS_NONE ||
	    (cls = pop3_status(s, STEP_LOGIN, st, &ok, &cont)) != CLASS_NONE)
		return cls;
	if (cont) {
		memcpy(words, st->message, sizeof(words));
		cls =
		    pop3_cmd(s, STEP_LOGIN, st,
			     mp_oauth_challenge(st, form, words + 1, strlen(words + 1)), &ok, NULL);
		if (cls != CLASS_NONE)
			return cls;
	}
	if (ok)
		return CLASS_NONE;
	memcpy(words, st->message, sizeof(words));
	return mp_oauth_refused(st, pop3_auth_class(st), words);
}

/* USER/PASS refused for its mechanism by a server whose SASL list has
 * only OAuth (Dovecot still offers USER then): basic authentication is off. */
static enum mp_class
pop3_user_refused(const struct mp_session *s, struct mp_step_result *st)
{
	char words[MP_MESSAGE_MAX];

	if (!s->caps_known || !(s->caps & CAP_AUTH_OAUTH) ||
	    (s->caps & (CAP_AUTH_PLAIN | CAP_AUTH_LOGIN)) ||
	    (!contains_nocase(st->message, "mechanism") &&
	     !contains_nocase(st->message, "disabled")))
		return pop3_auth_class(st);
	memcpy(words, st->message, sizeof(words));
	return mp_step_fail(st, CLASS_AUTH_UNSUPPORTED,
			    "the server offers only OAuth (XOAUTH2/OAUTHBEARER) and refused "
			    "USER/PASS: %s",
			    words);
}

static enum mp_class
pop3_login(struct mp_session *s, struct mp_step_result *st)
{
	bool ok = false;
	enum mp_class cls;

	if (s->cfg->oauth2)
		return pop3_oauth(s, st);
	if (s->caps & CAP_AUTH_PLAIN) {
		snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
		cls = pop3_auth_plain(s, st, &ok);
	} else if ((s->caps & CAP_USER) || !s->caps_known || !(s->caps & CAP_AUTH_OAUTH)) {
		snprintf(st->mechanism, sizeof(st->mechanism), "USER");
		cls = pop3_user_pass(s, st, &ok);
	} else {
		return mp_step_fail(
		    st, CLASS_AUTH_UNSUPPORTED,
		    "the server offers only OAuth (XOAUTH2/OAUTHBEARER), no password login");
	}
	if (cls != CLASS_NONE)
		return cls;
	if (ok)
		return CLASS_NONE;
	return strcmp(st->mechanism, "USER") == 0 ? pop3_user_refused(s, st) : pop3_auth_class(st);
}

static enum mp_class
pop3_logout(struct mp_session *s, struct mp_step_result *st)
{
	bool ok;
	enum mp_class cls = pop3_cmd(s, STEP_LOGOUT, st, "QUIT", &ok, NULL);

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
