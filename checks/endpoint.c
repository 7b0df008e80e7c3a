/*
 * Runs the steps of one endpoint in the documented order and decides what still
 * runs after a failure. Protocol detail lives in smtp.c, imap.c, pop3.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/session.h"

struct run {
	struct mp_session s;
	const struct mp_check_config *cfg;
	struct mp_endpoint_result *res;
	const struct mp_proto_ops *ops;
	double t0;
	bool cert_failed; /* the tls step failed with a certificate class */
};

static struct mp_step_result *
step_begin(struct run *r, enum mp_step step)
{
	struct mp_step_result *st = &r->res->steps[r->res->nsteps++];

	memset(st, 0, sizeof(*st));
	st->step = step;
	r->t0 = mp_now();
	return st;
}

static bool
step_end(struct run *r, struct mp_step_result *st, enum mp_class cls)
{
	st->seconds = mp_now() - r->t0;
	if (mp_conn_holds_secret(&r->s.conn, st->message, strlen(st->message)))
		mp_step_say(st, "(withheld: the server's reply holds the password as it was sent)");
	st->cls = cls;
	st->ok = cls == CLASS_NONE;
	return st->ok;
}

/* A connect that an ICMP error ended: who sent it and what it means (a
 * port unreachable or an administrative prohibition is a firewall's reject
 * rule; a closed port answers with a TCP reset). */
static void
say_icmp(struct mp_step_result *st, enum mp_class cls, const struct mp_connect_icmp *icmp)
{
	char why[MP_MESSAGE_MAX];

	snprintf(st->icmp_from, sizeof(st->icmp_from), "%s", icmp->from);
	if (cls == CLASS_CONNECT_REFUSED) {
		mp_step_say(st,
			    "refused by an ICMP port unreachable from %s: a firewall's reject "
			    "rule (a port where nothing listens answers with a TCP reset)",
			    icmp->from);
	} else if (icmp->prohibited) {
		mp_step_say(st,
			    "rejected by an ICMP administratively prohibited from %s: a "
			    "firewall's reject rule",
			    icmp->from);
	} else {
		snprintf(why, sizeof(why), "%s", st->message);
		mp_step_say(st, "%s (ICMP from %s)", why, icmp->from);
	}
}

static bool
run_connect(struct run *r)
{
	struct mp_step_result *st = step_begin(r, STEP_CONNECT);
	int fd = -1;
	bool reset = false;
	struct mp_connect_icmp icmp;
	enum mp_class cls = mp_connect(&r->cfg->addr, r->cfg->spec.port, r->cfg->dl, &fd, &reset,
				       st->message, sizeof(st->message), &icmp);

	mp_conn_init(&r->s.conn, fd, r->cfg->dl);
	r->s.conn.reset_pending = reset;
	if (cls == CLASS_NONE)
		mp_step_say(st, "connected to %s port %u", r->cfg->addr.str,
			    (unsigned)r->cfg->spec.port);
	else if (icmp.from[0] != '\0')
		say_icmp(st, cls, &icmp);
	mp_conn_note(&r->s.conn, "connect %s port %u: %s", r->cfg->addr.str,
		     (unsigned)r->cfg->spec.port, st->message);
	return step_end(r, st, cls);
}

/* The tls step; true when the endpoint goes on (ok or a certificate class). */
static bool
run_tls(struct run *r)
{
	struct mp_step_result *st = step_begin(r, STEP_TLS);
	enum mp_class cls = mp_tls_handshake(&r->s.conn, r->cfg->tls, r->cfg->host, st);

	step_end(r, st, cls);
	if (r->s.conn.ssl != NULL)
		r->s.tls_up = true;
	r->cert_failed = mp_class_is_cert(cls);
	return cls == CLASS_NONE || r->cert_failed;
}

static bool
run_op(struct run *r, enum mp_step step,
       enum mp_class (*op)(struct mp_session *, struct mp_step_result *))
{
	struct mp_step_result *st = step_begin(r, step);

	return step_end(r, st, op(&r->s, st));
}

static bool
has_credentials(const struct mp_check_config *cfg)
{
	return cfg->user != NULL && cfg->user[0] != '\0' &&
	       (cfg->password != NULL || cfg->login_unavailable != NULL);
}

/* Why credentials must not be sent here (SKIP_NONE when they may). */
static enum mp_skip
login_forbidden(const struct run *r)
{
	if (r->cfg->login_refused != NULL)
		return SKIP_UNTRUSTED;
	if (r->cfg->insecure_login)
		return SKIP_NONE;
	if (r->cert_failed)
		return SKIP_CERT;
	if (!r->s.tls_up)
		return SKIP_PLAINTEXT;
	return SKIP_NONE;
}

/* A login step that was not attempted: auth_skipped, "not tested". */
static bool
skip_login(struct run *r, enum mp_skip why, const char *login_on)
{
	struct mp_step_result *st = step_begin(r, STEP_LOGIN);

	st->skip = why;
	switch (why) {
	case SKIP_CERT:
		mp_step_say(st, "not sent: the server's certificate did not verify "
				"(--insecure-login to send anyway)");
		break;
	case SKIP_UNTRUSTED:
		mp_step_say(st, "%s", r->cfg->login_refused);
		break;
	case SKIP_PLAINTEXT:
		mp_step_say(st, "not sent over an unencrypted connection (--insecure-login to send "
				"anyway)");
		break;
	case SKIP_DEADLINE:
		mp_step_say(st, "not tested: the deadline passed before the login (nothing sent)");
		break;
	case SKIP_ELSEWHERE:
		snprintf(st->login_on, sizeof(st->login_on), "%s", login_on);
		mp_step_say(st, "login checked on %s", login_on);
		break;
	default:
		mp_step_say(st, "not retried after a rejection on another endpoint");
	}
	return step_end(r, st, CLASS_AUTH_SKIPPED);
}

/* The login itself. A login that sent nothing (the deadline passed on the
 * way) was not tested; one the server did not answer in time says so. */
static bool
attempt_login(struct run *r)
{
	size_t sent = r->s.conn.sent;
	struct mp_step_result *st;
	bool ok;

	if (mp_deadline_expired(r->cfg->dl))
		return skip_login(r, SKIP_DEADLINE, NULL);
	ok = run_op(r, STEP_LOGIN, r->ops->login);
	st = &r->res->steps[r->res->nsteps - 1];
	if (st->cls != CLASS_READ_TIMEOUT)
		return ok;
	if (r->s.conn.sent == sent) {
		r->res->nsteps--;
		return skip_login(r, SKIP_DEADLINE, NULL);
	}
	mp_step_say(st,
		    "the server did not answer the login before the deadline (%.0f ms): slow or "
		    "penalised authentication",
		    st->seconds * 1000.0);
	return false;
}

/* The login step with the run's gate; true when logged in. */
static bool
run_login(struct run *r)
{
	const struct mp_login_gate *g = r->cfg->gate;
	enum mp_skip why = login_forbidden(r);
	enum mp_login_decision d = LOGIN_GO;
	char login_on[MP_ADDR_MAX] = "";
	bool ok;

	if (why != SKIP_NONE)
		return skip_login(r, why, NULL);
	if (r->cfg->login_unavailable != NULL) {
		struct mp_step_result *st = step_begin(r, STEP_LOGIN);

		mp_step_say(st, "%s", r->cfg->login_unavailable);
		return step_end(r, st, CLASS_AUTH_TOKEN_UNAVAILABLE);
	}
	if (g != NULL)
		d = g->begin(g->ctx, r->cfg, login_on);
	if (d == LOGIN_NOT_HERE)
		return skip_login(r, SKIP_ELSEWHERE, login_on);
	if (d == LOGIN_SKIP)
		return skip_login(r, SKIP_REJECTION, NULL);
	if (d == LOGIN_DEADLINE)
		return skip_login(r, SKIP_DEADLINE, NULL);
	ok = attempt_login(r);
	if (g != NULL)
		g->end(g->ctx, r->cfg, r->res->steps[r->res->nsteps - 1].cls);
	return ok;
}

static void
run_hook(struct run *r)
{
	struct mp_step_result *st = step_begin(r, STEP_SEND);

	step_end(r, st, r->cfg->after_login(&r->s, r->cfg->after_login_arg, st));
}

static bool
wants_send(const struct run *r)
{
	const struct mp_check_config *cfg = r->cfg;

	return r->ops->send != NULL && mp_proto_is_outgoing(cfg->spec.proto) &&
	       !mp_proto_is_relay_port(cfg->spec.proto, cfg->spec.port) && cfg->mail_from != NULL &&
	       cfg->mail_from[0] != '\0' && cfg->rcpt_to != NULL && cfg->rcpt_to[0] != '\0';
}

/* Everything after the session is up: capabilities, login, send. */
static void
run_session(struct run *r)
{
	if (!run_op(r, STEP_CAPABILITIES, r->ops->capabilities))
		return;
	if (!has_credentials(r->cfg) ||
	    mp_proto_is_relay_port(r->cfg->spec.proto, r->cfg->spec.port))
		return;
	if (!run_login(r))
		return;
	if (r->cfg->after_login != NULL)
		run_hook(r);
	else if (wants_send(r))
		run_op(r, STEP_SEND, r->ops->send);
}

/* The steps up to an established session, in the order of the mode. */
static bool
run_opening(struct run *r)
{
	enum mp_security sec = r->cfg->spec.security;

	if (!run_connect(r))
		return false;
	if (r->cfg->gate != NULL && r->cfg->gate->ready != NULL)
		r->cfg->gate->ready(r->cfg->gate->ctx, r->cfg);
	if (sec == SEC_TLS && !run_tls(r))
		return false;
	if (!run_op(r, STEP_GREETING, r->ops->greeting))
		return false;
	if (sec == SEC_STARTTLS) {
		if (!run_op(r, STEP_STARTTLS, r->ops->starttls))
			return false;
		if (!run_tls(r))
			return false;
	}
	return true;
}

/* The logout step. After a failed login the server may already have hung up
 * (Courier after "Temporary problem, please try again later"): there is then
 * nothing left to log out of, which is no failure of its own. */
static void
run_logout(struct run *r)
{
	const struct mp_step_result *login = mp_endpoint_step(r->res, STEP_LOGIN);
	struct mp_step_result *st = step_begin(r, STEP_LOGOUT);
	enum mp_class cls = r->ops->logout(&r->s, st);

	if (login != NULL && !login->ok && (cls == CLASS_PEER_CLOSED || cls == CLASS_PEER_RESET)) {
		mp_step_say(st, "the server had closed the connection after the failed login");
		cls = CLASS_NONE;
	}
	step_end(r, st, cls);
}

static void
finish(struct run *r)
{
	struct mp_endpoint_result *res = r->res;

	res->ok = mp_endpoint_is_ok(res);
	res->transcript = mp_conn_take_transcript(&r->s.conn);
	mp_conn_close(&r->s.conn);
	if (r->cfg->gate != NULL && r->cfg->gate->finished != NULL)
		r->cfg->gate->finished(r->cfg->gate->ctx, r->cfg);
}

void
mp_endpoint_run(const struct mp_check_config *cfg, struct mp_endpoint_result *res)
{
	struct run r = {.cfg = cfg, .res = res, .ops = mp_protocol(cfg->spec.proto)->ops};

	memset(res, 0, sizeof(*res));
	res->spec = cfg->spec;
	snprintf(res->host, sizeof(res->host), "%s", cfg->host);
	snprintf(res->address, sizeof(res->address), "%s", cfg->addr.str);
	r.s.cfg = cfg;
	r.s.conn.fd = -1;
	if (run_opening(&r)) {
		run_session(&r);
		if (!mp_deadline_expired(cfg->dl))
			run_logout(&r);
	}
	finish(&r);
}
