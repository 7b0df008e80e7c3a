/*
 * SMTP (RFC 5321) as a mail client speaks it on 587/465/25: greeting, EHLO,
 * STARTTLS (RFC 3207), EHLO again, AUTH PLAIN or LOGIN (RFC 4954), MAIL
 * FROM / RCPT TO without DATA, QUIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "checks/parse.h"
#include "checks/session.h"

#define SMTP_REPLY_LINES_MAX 200

struct smtp_reply {
	int code;
	unsigned caps;              /* EHLO keyword flags of lines after the first */
	char first[MP_MESSAGE_MAX]; /* the first line, escaped; an error reply's (4xx/5xx)
				     * further lines follow it after " / " */
};

/* An error reply's reason may sit on a later line (Postfix in front of a
 * SASL server: "535-5.7.8 Error: ..." then "535 5.7.139 ..."): its text is
 * kept after the first line, as far as it fits. */
static void
smtp_keep_more(struct smtp_reply *r, const char *line, size_t n)
{
	size_t used = strlen(r->first);

	if (n <= 4 || used + 4 >= sizeof(r->first))
		return;
	memcpy(r->first + used, " / ", 4);
	used += 3;
	mp_escape(line + 4, n - 4, r->first + used, sizeof(r->first) - used);
}

/* Reads one complete (multi-line) reply. caps_st, when set, collects the
 * EHLO keywords as facts. */
static enum mp_class
smtp_read(struct mp_session *s, enum mp_step step, struct mp_step_result *st, struct smtp_reply *r,
	  struct mp_step_result *caps_st)
{
	char line[MP_LINE_MAX + 1];
	size_t n;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < SMTP_REPLY_LINES_MAX; i++) {
		enum mp_io io = mp_conn_readline(&s->conn, line, sizeof(line), &n);
		int code;
		bool last;

		if (io != IO_OK)
			return mp_io_class(s, io, step, st);
		if (mp_smtp_parse_line(line, n, &code, &last) < 0 || mp_is_binary(line, n) ||
		    (i > 0 && code != r->code))
			return mp_bad_line(s, st, i == 0 ? step : STEP_CAPABILITIES, line, n);
		if (i == 0) {
			r->code = code;
			mp_escape(line, n, r->first, sizeof(r->first));
		} else if (code >= 400) {
			smtp_keep_more(r, line, n);
		} else if (n > 4) {
			r->caps |= mp_smtp_ehlo_caps(line + 4, n - 4);
			if (caps_st != NULL)
				mp_caps_add(caps_st, line + 4, n - 4);
		}
		if (last)
			return CLASS_NONE;
	}
	return mp_step_fail(st, CLASS_LINE_TOO_LONG, "a reply of more than %d lines",
			    SMTP_REPLY_LINES_MAX);
}

/* Sends cmd and reads the reply. */
static enum mp_class
smtp_cmd(struct mp_session *s, enum mp_step step, struct mp_step_result *st, const char *cmd,
	 struct smtp_reply *r)
{
	enum mp_io io = mp_conn_writeline(&s->conn, cmd, NULL);

	if (io != IO_OK)
		return mp_io_class(s, io, step, st);
	return smtp_read(s, step, st, r, NULL);
}

static enum mp_class
smtp_greeting(struct mp_session *s, struct mp_step_result *st)
{
	struct smtp_reply r;
	enum mp_class cls = smtp_read(s, STEP_GREETING, st, &r, NULL);

	if (cls != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	return r.code == 220 ? CLASS_NONE : CLASS_SERVER_REJECTED;
}

/* EHLO (HELO if EHLO is refused); the keywords become facts of st. */
static enum mp_class
smtp_ehlo(struct mp_session *s, enum mp_step step, struct mp_step_result *st)
{
	char cmd[300];
	struct smtp_reply r;
	enum mp_class cls;
	enum mp_io io;

	snprintf(cmd, sizeof(cmd), "EHLO %s", s->cfg->helo ? s->cfg->helo : "localhost");
	if ((io = mp_conn_writeline(&s->conn, cmd, NULL)) != IO_OK)
		return mp_io_class(s, io, step, st);
	st->has_capabilities = true;
	if ((cls = smtp_read(s, step, st, &r, st)) != CLASS_NONE)
		return cls;
	s->caps = r.caps;
	s->caps_known = true;
	mp_step_say(st, "%s", r.first);
	if (r.code == 250)
		return CLASS_NONE;
	snprintf(cmd, sizeof(cmd), "HELO %s", s->cfg->helo ? s->cfg->helo : "localhost");
	if ((cls = smtp_cmd(s, step, st, cmd, &r)) != CLASS_NONE)
		return cls;
	s->caps = 0;
	mp_step_say(st, "%s", r.first);
	return r.code == 250 ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
}

static enum mp_class
smtp_starttls(struct mp_session *s, struct mp_step_result *st)
{
	struct smtp_reply r;
	enum mp_class cls = smtp_ehlo(s, STEP_STARTTLS, st);

	if (cls != CLASS_NONE)
		return cls;
	if ((cls = smtp_cmd(s, STEP_STARTTLS, st, "STARTTLS", &r)) != CLASS_NONE)
		return cls;
	if (r.code != 220)
		return mp_starttls_denied(s, st, r.first);
	mp_step_say(st, "%s", r.first);
	return mp_starttls_injection(s, st);
}

static enum mp_class
smtp_capabilities(struct mp_session *s, struct mp_step_result *st)
{
	s->caps = 0;
	return smtp_ehlo(s, STEP_CAPABILITIES, st);
}

static enum mp_class
auth_class(int code)
{
	if (code == 504 || code == 530 || code == 538)
		return CLASS_AUTH_UNSUPPORTED;
	if (code >= 400 && code < 500)
		return CLASS_AUTH_ERROR;
	return CLASS_AUTH_FAILED;
}

/* Sends a credential line and reads the reply. */
static enum mp_class
smtp_cred(struct mp_session *s, struct mp_step_result *st, const char *prefix,
	  enum mp_cred_form form, const char *shown, struct smtp_reply *r)
{
	enum mp_class cls = mp_send_cred(s, st, prefix, form, shown);

	return cls != CLASS_NONE ? cls : smtp_read(s, STEP_LOGIN, st, r, NULL);
}

static enum mp_class
smtp_auth_login(struct mp_session *s, struct mp_step_result *st, struct smtp_reply *r)
{
	enum mp_class cls = smtp_cmd(s, STEP_LOGIN, st, "AUTH LOGIN", r);

	if (cls != CLASS_NONE || r->code != 334)
		return cls;
	cls = smtp_cred(s, st, "", CRED_USER_B64, NULL, r);
	if (cls != CLASS_NONE || r->code != 334)
		return cls;
	return smtp_cred(s, st, "", CRED_PASSWORD_B64, "***", r);
}

static enum mp_class
smtp_no_mechanism(struct mp_session *s, struct mp_step_result *st)
{
	if (s->caps & CAP_AUTH_OAUTH)
		mp_step_say(
		    st, "the server offers only OAuth (XOAUTH2/OAUTHBEARER), no password login");
	else if (s->caps & CAP_AUTH)
		mp_step_say(st, "the server offers neither AUTH PLAIN nor AUTH LOGIN");
	else
		mp_step_say(st, "the server offers no AUTH here");
	return CLASS_AUTH_UNSUPPORTED;
}

/* AUTH OAUTHBEARER/XOAUTH2 with the initial response; a 334 challenge is
 * the RFC 7628 failure dialog: its status noted, the client's reply sent,
 * the final reply read. */
static enum mp_class
smtp_oauth(struct mp_session *s, struct mp_step_result *st)
{
	char prefix[48], shown[48];
	enum mp_cred_form form;
	struct smtp_reply r;
	enum mp_class cls;

	if (!mp_oauth_form(s, st, &form))
		return CLASS_AUTH_UNSUPPORTED;
	snprintf(prefix, sizeof(prefix), "AUTH %s ", st->mechanism);
	snprintf(shown, sizeof(shown), "AUTH %s ***", st->mechanism);
	if ((cls = smtp_cred(s, st, prefix, form, shown, &r)) != CLASS_NONE)
		return cls;
	if (r.code == 334) {
		const char *b64 = strlen(r.first) > 4 ? r.first + 4 : "";
		const char *reply = mp_oauth_challenge(st, form, b64, strlen(b64));

		if ((cls = smtp_cmd(s, STEP_LOGIN, st, reply, &r)) != CLASS_NONE)
			return cls;
	}
	if (r.code == 235) {
		mp_step_say(st, "%s", r.first);
		return CLASS_NONE;
	}
	return mp_oauth_refused(st, auth_class(r.code), r.first);
}

static enum mp_class
smtp_login(struct mp_session *s, struct mp_step_result *st)
{
	struct smtp_reply r;
	enum mp_class cls;

	if (s->cfg->oauth2)
		return smtp_oauth(s, st);
	if (s->caps & CAP_AUTH_PLAIN) {
		snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
		cls = smtp_cred(s, st, "AUTH PLAIN ", CRED_SASL_PLAIN, "AUTH PLAIN ***", &r);
	} else if (s->caps & CAP_AUTH_LOGIN) {
		snprintf(st->mechanism, sizeof(st->mechanism), "LOGIN");
		cls = smtp_auth_login(s, st, &r);
	} else {
		return smtp_no_mechanism(s, st);
	}
	if (cls != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	return r.code == 235 ? CLASS_NONE : auth_class(r.code);
}

static bool
ci_has(const char *hay, const char *needle)
{
	for (size_t n = strlen(needle); *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* A RCPT TO rejection. Servers that delay rejections (Postfix's default
 * smtpd_delay_reject) refuse the sender only here, naming it. */
static enum mp_class
rcpt_class(const char *reply)
{
	return ci_has(reply, "sender") ? CLASS_SENDER_REJECTED : CLASS_RECIPIENT_REJECTED;
}

static enum mp_class smtp_envelope(struct mp_session *s, struct mp_step_result *st,
				   const char *from, const char *to);

static enum mp_class
smtp_send(struct mp_session *s, struct mp_step_result *st)
{
	struct smtp_reply r;
	enum mp_class cls = smtp_envelope(s, st, s->cfg->mail_from, s->cfg->rcpt_to);
	char words[MP_MESSAGE_MAX];

	if (cls != CLASS_NONE)
		return cls;
	/* Never DATA: reset the transaction, keep RCPT's words. */
	memcpy(words, st->message, sizeof(words));
	cls = smtp_cmd(s, STEP_SEND, st, "RSET", &r);
	memcpy(st->message, words, sizeof(words));
	return cls;
}

/* MAIL FROM and RCPT TO. */
static enum mp_class
smtp_envelope(struct mp_session *s, struct mp_step_result *st, const char *from, const char *to)
{
	char cmd[MP_NAME_MAX + 32];
	struct smtp_reply r;
	enum mp_class cls;

	snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", from);
	if ((cls = smtp_cmd(s, STEP_SEND, st, cmd, &r)) != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	if (r.code != 250)
		return CLASS_SENDER_REJECTED;
	snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", to);
	if ((cls = smtp_cmd(s, STEP_SEND, st, cmd, &r)) != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	return r.code == 250 || r.code == 251 ? CLASS_NONE : rcpt_class(r.first);
}

/* The test message: headers and a short body, each line sent on its own. */
static enum mp_class
smtp_message(struct mp_session *s, struct mp_step_result *st, const char *from, const char *to,
	     const char *tag)
{
	char date[64], lines[8][MP_NAME_MAX + 64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(lines[0], sizeof(lines[0]), "From: <%s>", from);
	snprintf(lines[1], sizeof(lines[1]), "To: <%s>", to);
	snprintf(lines[2], sizeof(lines[2]), "Subject: mailprobe delivery check %s", tag);
	snprintf(lines[3], sizeof(lines[3]), "Date: %s", date);
	snprintf(lines[4], sizeof(lines[4]), "Message-ID: <%s@mailprobe.invalid>", tag);
	snprintf(lines[5], sizeof(lines[5]), "X-Mailprobe-Tag: %s", tag);
	snprintf(lines[6], sizeof(lines[6]), "%s", "");
	snprintf(lines[7], sizeof(lines[7]), "%s",
		 "This message checks delivery; mailprobe deletes it when it arrives.");
	for (int i = 0; i < 8; i++) {
		enum mp_io io = mp_conn_writeline(&s->conn, lines[i], NULL);

		if (io != IO_OK)
			return mp_io_class(s, io, STEP_SEND, st);
	}
	return CLASS_NONE;
}

enum mp_class
mp_smtp_deliver(struct mp_session *s, struct mp_step_result *st, const char *from, const char *to,
		const char *tag)
{
	struct smtp_reply r;
	enum mp_class cls = smtp_envelope(s, st, from, to);

	if (cls != CLASS_NONE)
		return cls;
	if ((cls = smtp_cmd(s, STEP_SEND, st, "DATA", &r)) != CLASS_NONE)
		return cls;
	if (r.code != 354) {
		return mp_step_fail(st, CLASS_RECIPIENT_REJECTED, "%s", r.first);
	}
	if ((cls = smtp_message(s, st, from, to, tag)) != CLASS_NONE)
		return cls;
	if ((cls = smtp_cmd(s, STEP_SEND, st, ".", &r)) != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	return r.code == 250 ? CLASS_NONE : CLASS_RECIPIENT_REJECTED;
}

static enum mp_class
smtp_logout(struct mp_session *s, struct mp_step_result *st)
{
	struct smtp_reply r;
	enum mp_class cls = smtp_cmd(s, STEP_LOGOUT, st, "QUIT", &r);

	if (cls != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.first);
	return r.code == 221 ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
}

const struct mp_proto_ops mp_smtp_ops = {
    .greeting = smtp_greeting,
    .starttls = smtp_starttls,
    .capabilities = smtp_capabilities,
    .login = smtp_login,
    .send = smtp_send,
    .logout = smtp_logout,
};
