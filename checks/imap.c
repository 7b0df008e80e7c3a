/*
 * IMAP4rev1 (RFC 3501) as a mail client speaks it on 993/143: greeting,
 * CAPABILITY, STARTTLS, AUTHENTICATE PLAIN (SASL-IR when offered, RFC 4959)
 * or LOGIN unless LOGINDISABLED, LOGOUT. Literals are bounded and skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "checks/fiber.h"
#include "checks/parse.h"
#include "checks/session.h"

#define IMAP_RESPONSE_LINES_MAX 1000
#define IMAP_LITERAL_MAX (64 * 1024)

struct imap_reply {
	enum mp_imap_status status; /* of the tagged line */
	char text[MP_MESSAGE_MAX];  /* the tagged line, escaped */
	char code[64];              /* its response code, e.g. UNAVAILABLE */
	bool continuation;          /* a "+" came instead */
};

/* Records a capability list as facts and flags. */
static void
imap_take_caps(struct mp_session *s, struct mp_step_result *st, const char *list, size_t n)
{
	const char *p = list, *end = list + n;

	s->caps = mp_imap_caps(list, n);
	s->caps_known = true;
	st->has_capabilities = true;
	st->capabilities[0] = '\0';
	while (p < end) {
		const char *w = p;

		while (p < end && *p != ' ')
			p++;
		if (p > w)
			mp_caps_add(st, w, (size_t)(p - w));
		while (p < end && *p == ' ')
			p++;
	}
}

/* Skips a literal announced at the end of a line and the rest of the same
 * response after it (RFC 3501 4.3: the response goes on after the literal's
 * bytes, and may announce further literals), within the bounds. */
static enum mp_class
imap_literal(struct mp_session *s, enum mp_step step, struct mp_step_result *st, long long n)
{
	char rest[MP_LINE_MAX + 1];
	size_t len;
	long long total = 0;

	for (int i = 0; n >= 0 && i < IMAP_RESPONSE_LINES_MAX; i++) {
		enum mp_io io;

		total += n;
		if (total > IMAP_LITERAL_MAX) {
			return mp_step_fail(
			    st, CLASS_LINE_TOO_LONG,
			    "the server announced literals of %lld bytes (limit %d)", total,
			    IMAP_LITERAL_MAX);
		}
		if ((io = mp_conn_skip(&s->conn, (size_t)n)) != IO_OK ||
		    (io = mp_conn_readline(&s->conn, rest, sizeof(rest), &len)) != IO_OK)
			return mp_io_class(s, io, step, st);
		n = mp_imap_trailing_literal(rest, len);
	}
	if (n < 0)
		return CLASS_NONE;
	return mp_step_fail(st, CLASS_LINE_TOO_LONG,
			    "the server chained more than %d literals in one response",
			    IMAP_RESPONSE_LINES_MAX);
}

/* Handles one untagged line: capabilities, BYE. A BYE while the login is
 * under way is the server giving up on it (Courier's "Temporary problem,
 * please try again later" with its account database down), not a password
 * verdict and not a dropped connection. */
static enum mp_class
imap_untagged(struct mp_session *s, enum mp_step step, struct mp_step_result *st, const char *line,
	      const struct mp_imap_line *l, struct mp_step_result *caps_st)
{
	if (l->caps_len > 0 && caps_st != NULL)
		imap_take_caps(s, caps_st, line + l->caps_off, l->caps_len);
	if (strncasecmp(line, "* SEARCH", 8) == 0)
		snprintf(s->imap_search, sizeof(s->imap_search), "%.200s", line + 8);
	if (l->status == IMAP_BYE) {
		mp_step_words(st, line, strlen(line));
		return step == STEP_LOGIN ? CLASS_AUTH_ERROR : CLASS_PEER_CLOSED;
	}
	return CLASS_NONE;
}

/* Reads until the tagged reply for tag (or a continuation when allowed). */
static enum mp_class
imap_read(struct mp_session *s, enum mp_step step, struct mp_step_result *st, const char *tag,
	  struct imap_reply *r, struct mp_step_result *caps_st)
{
	char line[MP_LINE_MAX + 1];
	struct mp_imap_line l;
	size_t n;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < IMAP_RESPONSE_LINES_MAX; i++) {
		enum mp_io io = mp_conn_readline(&s->conn, line, sizeof(line), &n);
		enum mp_class cls;

		if (io != IO_OK)
			return mp_io_class(s, io, step, st);
		if (mp_is_binary(line, n) || mp_imap_parse_line(line, n, &l) < 0)
			return mp_bad_line(s, st, STEP_CAPABILITIES, line, n);
		if (l.literal >= 0 && (cls = imap_literal(s, step, st, l.literal)) != CLASS_NONE)
			return cls;
		if (l.kind == IMAP_CONTINUATION) {
			r->continuation = true;
			mp_step_words(st, line, n);
			return CLASS_NONE;
		}
		if (l.kind == IMAP_UNTAGGED) {
			if ((cls = imap_untagged(s, step, st, line, &l, caps_st)) != CLASS_NONE)
				return cls;
			continue;
		}
		if (strcmp(l.tag, tag) != 0) {
			return mp_step_fail(st, CLASS_PROTOCOL_ERROR,
					    "reply with tag %s, expected %s", l.tag, tag);
		}
		r->status = l.status;
		mp_escape(line, n, r->text, sizeof(r->text));
		mp_imap_resp_code(line + l.text_off, n - l.text_off, r->code, sizeof(r->code));
		if (l.caps_len > 0 && caps_st != NULL)
			imap_take_caps(s, caps_st, line + l.caps_off, l.caps_len);
		return CLASS_NONE;
	}
	return mp_step_fail(st, CLASS_LINE_TOO_LONG, "a response of more than %d lines",
			    IMAP_RESPONSE_LINES_MAX);
}

/* The next command tag ("a3") into tag. */
static void
imap_next_tag(struct mp_session *s, char *tag, size_t len)
{
	snprintf(tag, len, "a%d", ++s->tag);
}

/* The tag of the command sent last. */
static const char *
tag_of(const struct mp_session *s, char *tag, size_t len)
{
	snprintf(tag, len, "a%d", s->tag);
	return tag;
}

/* Sends "TAG cmd" and reads the reply. */
static enum mp_class
imap_cmd(struct mp_session *s, enum mp_step step, struct mp_step_result *st, const char *cmd,
	 struct imap_reply *r, struct mp_step_result *caps_st)
{
	char tag[16], line[MP_LINE_MAX];
	enum mp_io io;

	imap_next_tag(s, tag, sizeof(tag));
	snprintf(line, sizeof(line), "%s %s", tag, cmd);
	if ((io = mp_conn_writeline(&s->conn, line, NULL)) != IO_OK)
		return mp_io_class(s, io, step, st);
	return imap_read(s, step, st, tag, r, caps_st);
}

/* Sends "TAG cmd CREDENTIAL" (shown as "TAG cmd ***") and reads the reply. */
static enum mp_class
imap_cred(struct mp_session *s, struct mp_step_result *st, const char *cmd, enum mp_cred_form form,
	  struct imap_reply *r)
{
	char tag[16], prefix[MP_LINE_MAX], shown[MP_LINE_MAX];
	enum mp_class cls;

	imap_next_tag(s, tag, sizeof(tag));
	snprintf(prefix, sizeof(prefix), "%s %s ", tag, cmd);
	snprintf(shown, sizeof(shown), "%s %s ***", tag, cmd);
	if ((cls = mp_send_cred(s, st, prefix, form, shown)) != CLASS_NONE)
		return cls;
	return imap_read(s, STEP_LOGIN, st, tag, r, NULL);
}

static enum mp_class
imap_greeting(struct mp_session *s, struct mp_step_result *st)
{
	char line[MP_LINE_MAX + 1];
	struct mp_imap_line l;
	size_t n;
	enum mp_io io = mp_conn_readline(&s->conn, line, sizeof(line), &n);

	if (io != IO_OK)
		return mp_io_class(s, io, STEP_GREETING, st);
	if (mp_is_binary(line, n) || mp_imap_parse_line(line, n, &l) < 0 ||
	    l.kind != IMAP_UNTAGGED || l.status == IMAP_OTHER || l.status == IMAP_NO ||
	    l.status == IMAP_BAD)
		return mp_bad_line(s, st, STEP_GREETING, line, n);
	mp_step_words(st, line, n);
	if (l.status == IMAP_BYE)
		return CLASS_SERVER_REJECTED;
	if (l.caps_len > 0) {
		imap_take_caps(s, st, line + l.caps_off, l.caps_len);
		s->greeting_caps = true;
		s->greeting_capflags = s->caps;
	}
	return CLASS_NONE;
}

/* CAPABILITY into st, unless the greeting already said it (over the same
 * transport: plaintext for starttls, TLS for tls). */
static enum mp_class
imap_caps_into(struct mp_session *s, enum mp_step step, struct mp_step_result *st,
	       const struct mp_step_result *greet)
{
	struct imap_reply r;
	enum mp_class cls;

	if (s->greeting_caps && greet != NULL) {
		s->caps = s->greeting_capflags;
		memcpy(st->capabilities, greet->capabilities, sizeof(st->capabilities));
		st->has_capabilities = true;
		mp_step_say(st, "capabilities from the greeting");
		return CLASS_NONE;
	}
	st->has_capabilities = true;
	if ((cls = imap_cmd(s, step, st, "CAPABILITY", &r, st)) != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.text);
	return r.status == IMAP_OK ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
}

/* The greeting step's result lives just before the current step. */
static const struct mp_step_result *
greeting_of(struct mp_step_result *st)
{
	for (struct mp_step_result *p = st - 1;; p--) {
		if (p->step == STEP_GREETING)
			return p;
		if (p->step == STEP_CONNECT)
			return NULL;
	}
}

static enum mp_class
imap_starttls(struct mp_session *s, struct mp_step_result *st)
{
	struct imap_reply r;
	enum mp_class cls = imap_caps_into(s, STEP_STARTTLS, st, greeting_of(st));

	s->greeting_caps = false; /* those were plaintext capabilities */
	if (cls != CLASS_NONE)
		return cls;
	if ((cls = imap_cmd(s, STEP_STARTTLS, st, "STARTTLS", &r, NULL)) != CLASS_NONE)
		return cls;
	if (r.status != IMAP_OK)
		return mp_starttls_denied(s, st, r.text);
	mp_step_say(st, "%s", r.text);
	return mp_starttls_injection(s, st);
}

static enum mp_class
imap_capabilities(struct mp_session *s, struct mp_step_result *st)
{
	s->caps = 0;
	return imap_caps_into(s, STEP_CAPABILITIES, st, greeting_of(st));
}

static enum mp_class
imap_auth_class(const struct imap_reply *r)
{
	if (r->status == IMAP_OK)
		return CLASS_NONE;
	if (r->status == IMAP_BAD || strcmp(r->code, "UNAVAILABLE") == 0 ||
	    strcmp(r->code, "SERVERBUG") == 0 || strcmp(r->code, "INUSE") == 0 ||
	    strcmp(r->code, "LIMIT") == 0)
		return CLASS_AUTH_ERROR;
	return CLASS_AUTH_FAILED;
}

static enum mp_class
imap_authenticate(struct mp_session *s, struct mp_step_result *st, struct imap_reply *r)
{
	char tag[16];
	enum mp_class cls;

	if (s->caps & CAP_SASL_IR)
		return imap_cred(s, st, "AUTHENTICATE PLAIN", CRED_SASL_PLAIN, r);
	cls = imap_cmd(s, STEP_LOGIN, st, "AUTHENTICATE PLAIN", r, NULL);
	if (cls != CLASS_NONE || !r->continuation)
		return cls;
	snprintf(tag, sizeof(tag), "a%d", s->tag);
	if ((cls = mp_send_cred(s, st, "", CRED_SASL_PLAIN, "***")) != CLASS_NONE)
		return cls;
	return imap_read(s, STEP_LOGIN, st, tag, r, NULL);
}

/* AUTHENTICATE with the token's mechanism (initial response with SASL-IR);
 * a continuation after the token is the RFC 7628 failure challenge. */
static enum mp_class
imap_oauth_exchange(struct mp_session *s, struct mp_step_result *st, enum mp_cred_form form,
		    struct imap_reply *r)
{
	char cmd[48], tag[16], challenge[MP_MESSAGE_MAX];
	enum mp_class cls;
	enum mp_io io;

	snprintf(cmd, sizeof(cmd), "AUTHENTICATE %s", st->mechanism);
	if (s->caps & CAP_SASL_IR) {
		cls = imap_cred(s, st, cmd, form, r);
	} else {
		cls = imap_cmd(s, STEP_LOGIN, st, cmd, r, NULL);
		if (cls != CLASS_NONE || !r->continuation)
			return cls;
		if ((cls = mp_send_cred(s, st, "", form, "***")) == CLASS_NONE)
			cls = imap_read(s, STEP_LOGIN, st, tag_of(s, tag, sizeof(tag)), r, NULL);
	}
	if (cls != CLASS_NONE || !r->continuation)
		return cls;
	memcpy(challenge, st->message, sizeof(challenge));
	io = mp_conn_writeline(
	    &s->conn, mp_oauth_challenge(st, form, challenge + 1, strlen(challenge + 1)), NULL);
	if (io != IO_OK)
		return mp_io_class(s, io, STEP_LOGIN, st);
	return imap_read(s, STEP_LOGIN, st, tag_of(s, tag, sizeof(tag)), r, NULL);
}

static enum mp_class
imap_oauth(struct mp_session *s, struct mp_step_result *st)
{
	struct imap_reply r;
	enum mp_cred_form form;
	enum mp_class cls;

	if (!mp_oauth_form(s, st, &form))
		return CLASS_AUTH_UNSUPPORTED;
	if ((cls = imap_oauth_exchange(s, st, form, &r)) != CLASS_NONE)
		return cls;
	if (r.continuation)
		return mp_step_fail(st, CLASS_AUTH_ERROR, "unexpected continuation request");
	if (r.status == IMAP_OK) {
		mp_step_say(st, "%s", r.text);
		return CLASS_NONE;
	}
	return mp_oauth_refused(st, imap_auth_class(&r), r.text);
}

static bool
has_8bit(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return true;
	return false;
}

/* LOGIN "user" {n} with the password as a literal: a quoted string carries
 * 7-bit characters only (RFC 3501 4.3, 9). The transcript shows neither the
 * password nor its length. */
static enum mp_class
imap_login_literal(struct mp_session *s, struct mp_step_result *st, const char *user,
		   struct imap_reply *r)
{
	char tag[16], line[MP_LINE_MAX], shown[MP_LINE_MAX];
	enum mp_class cls;
	enum mp_io io;

	imap_next_tag(s, tag, sizeof(tag));
	snprintf(line, sizeof(line), "%s LOGIN %s {%zu}", tag, user, s->cfg->password->len);
	snprintf(shown, sizeof(shown), "%s LOGIN %s {***}", tag, user);
	if ((io = mp_conn_writeline(&s->conn, line, shown)) != IO_OK)
		return mp_io_class(s, io, STEP_LOGIN, st);
	cls = imap_read(s, STEP_LOGIN, st, tag, r, NULL);
	if (cls != CLASS_NONE || !r->continuation)
		return cls;
	if ((cls = mp_send_cred(s, st, "", CRED_PASSWORD, "***")) != CLASS_NONE)
		return cls;
	return imap_read(s, STEP_LOGIN, st, tag, r, NULL);
}

/* LOGIN "user" "password" (RFC 3501 6.2.3), the password as a literal when
 * it has 8-bit bytes. */
static enum mp_class
imap_login_cmd(struct mp_session *s, struct mp_step_result *st, struct imap_reply *r)
{
	char *user = mp_imap_quoted(s->cfg->user, strlen(s->cfg->user)), cmd[MP_LINE_MAX];
	enum mp_class cls;

	if (user == NULL)
		return mp_step_fail(
		    st, CLASS_AUTH_UNSUPPORTED,
		    "the user name holds characters the LOGIN command cannot carry");
	if (has_8bit(s->cfg->password->buf, s->cfg->password->len)) {
		cls = imap_login_literal(s, st, user, r);
	} else {
		snprintf(cmd, sizeof(cmd), "LOGIN %s", user);
		cls = imap_cred(s, st, cmd, CRED_PASSWORD_QUOTED, r);
	}
	free(user);
	return cls;
}

static enum mp_class
imap_login(struct mp_session *s, struct mp_step_result *st)
{
	struct imap_reply r;
	enum mp_class cls;

	if (s->cfg->oauth2)
		return imap_oauth(s, st);
	if (s->caps & CAP_AUTH_PLAIN) {
		snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
		cls = imap_authenticate(s, st, &r);
	} else if (!(s->caps & CAP_LOGINDISABLED)) {
		snprintf(st->mechanism, sizeof(st->mechanism), "LOGIN");
		cls = imap_login_cmd(s, st, &r);
	} else {
		return mp_step_fail(
		    st, CLASS_AUTH_UNSUPPORTED, "%s",
		    (s->caps & CAP_AUTH_OAUTH)
			? "the server offers only OAuth (XOAUTH2/OAUTHBEARER), no password login"
			: "LOGINDISABLED and no AUTH=PLAIN offered");
	}
	if (cls != CLASS_NONE)
		return cls;
	if (r.continuation) {
		return mp_step_fail(st, CLASS_AUTH_ERROR, "unexpected continuation request");
	}
	mp_step_say(st, "%s", r.text);
	return imap_auth_class(&r);
}

static enum mp_class
imap_logout(struct mp_session *s, struct mp_step_result *st)
{
	struct imap_reply r;
	char line[MP_LINE_MAX + 1];
	struct mp_imap_line l;
	size_t n;
	char tag[16];
	enum mp_io io;

	snprintf(tag, sizeof(tag), "a%d", ++s->tag);
	snprintf(line, sizeof(line), "%s LOGOUT", tag);
	if ((io = mp_conn_writeline(&s->conn, line, NULL)) != IO_OK)
		return mp_io_class(s, io, STEP_LOGOUT, st);
	/* "* BYE" comes first; read up to our tagged OK. */
	for (int i = 0; i < 8; i++) {
		if ((io = mp_conn_readline(&s->conn, line, sizeof(line), &n)) != IO_OK)
			return mp_io_class(s, io, STEP_LOGOUT, st);
		if (mp_imap_parse_line(line, n, &l) == 0 && l.kind == IMAP_TAGGED &&
		    strcmp(l.tag, tag) == 0) {
			r.status = l.status;
			mp_step_words(st, line, n);
			return r.status == IMAP_OK ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
		}
	}
	return mp_step_fail(st, CLASS_PROTOCOL_ERROR, "no tagged reply to LOGOUT");
}

/* A simple command that must answer OK. */
static enum mp_class
imap_simple(struct mp_session *s, struct mp_step_result *st, const char *cmd)
{
	struct imap_reply r;
	enum mp_class cls = imap_cmd(s, STEP_SEND, st, cmd, &r, NULL);

	if (cls != CLASS_NONE)
		return cls;
	mp_step_say(st, "%s", r.text);
	return r.status == IMAP_OK ? CLASS_NONE : CLASS_PROTOCOL_ERROR;
}

/* Sleeps up to seconds, never past the deadline. */
static void
nap(const struct mp_deadline *dl, double seconds)
{
	double left = mp_deadline_left(dl);

	mp_sleep(left < seconds ? left : seconds);
}

/* The first UID in the last SEARCH answer, or 0. */
static unsigned long
search_hit(const struct mp_session *s)
{
	return strtoul(s->imap_search, NULL, 10);
}

enum mp_class
mp_imap_find_delete(struct mp_session *s, struct mp_step_result *st, const char *tag,
		    double *found_at)
{
	char cmd[160];
	enum mp_class cls = imap_simple(s, st, "SELECT INBOX");
	unsigned long uid = 0;

	snprintf(cmd, sizeof(cmd), "UID SEARCH HEADER X-Mailprobe-Tag \"%s\"", tag);
	for (int i = 0; cls == CLASS_NONE && i < 1200 && uid == 0; i++) {
		if (i > 0)
			nap(s->cfg->dl, 0.25);
		if (mp_deadline_expired(s->cfg->dl)) {
			return mp_step_fail(st, CLASS_READ_TIMEOUT,
					    "the message did not arrive before the deadline");
		}
		s->imap_search[0] = '\0';
		cls = imap_simple(s, st, cmd);
		uid = search_hit(s);
	}
	if (cls != CLASS_NONE)
		return cls;
	*found_at = mp_now();
	snprintf(cmd, sizeof(cmd), "UID STORE %lu +FLAGS.SILENT (\\Deleted)", uid);
	if ((cls = imap_simple(s, st, cmd)) == CLASS_NONE)
		cls = imap_simple(s, st, "EXPUNGE");
	if (cls == CLASS_NONE)
		mp_step_say(st, "found as UID %lu and deleted", uid);
	return cls;
}

const struct mp_proto_ops mp_imap_ops = {
    .greeting = imap_greeting,
    .starttls = imap_starttls,
    .capabilities = imap_capabilities,
    .login = imap_login,
    .send = NULL,
    .logout = imap_logout,
};
