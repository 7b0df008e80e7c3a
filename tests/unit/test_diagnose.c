/*
 * The diagnosis without sockets: each scenario builds the facts of a run by
 * hand (endpoints with their steps, resolve, discovery, delivery), runs
 * mp_diagnose, and checks the findings (id and severity, worst first), their
 * evidence and the status (= the exit code). Every finding id of mailprobe-reference(7)
 * appears in at least one scenario; the last test checks that.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/delivery.h"
#include "checks/path.h"
#include "fixtures.h"
#include "harness.h"
#include "probe/diagnose/diagnose.h"
#include "probe/run/account.h"
#include "probe/run/discover.h"
#include "probe/words/words.h"

#define MAXEP 16
#define ADDR "192.0.2.10"
#define ADDR2 "192.0.2.11"
#define ADDR6 "2001:db8::10"
#define NOW 1795678354 /* the run's start: 2026-11-26 */
#define DAY 86400

struct world {
	struct mp_account a;
	struct mp_run run;
	struct mp_endpoint_result eps[MAXEP];
	struct mp_discovery disc;
	struct mp_delivery_result delivery;
};

static void
world_init(struct world *w, bool credentials)
{
	memset(w, 0, sizeof(*w));
	mp_account_init(&w->a);
	snprintf(w->a.host, sizeof(w->a.host), "mail.example.com");
	if (credentials) {
		snprintf(w->a.user, sizeof(w->a.user), "alice@example.com");
		w->a.password = mp_secret_from_mem("pw", 2);
	}
	w->run.account = &w->a;
	snprintf(w->run.host, sizeof(w->run.host), "mail.example.com");
	w->run.started_at = NOW;
	w->run.duration = 1.0;
	w->run.resolve.ok = true;
	w->run.endpoints = w->eps;
	w->run.delivery_endpoint = -1;
}

static void
world_free(struct world *w)
{
	mp_account_cleanup(&w->a);
}

/* A verified certificate valid for `days` more days. */
static void
cert(struct mp_step_result *t, int days)
{
	t->cert.present = true;
	t->cert.verified = true;
	t->cert.hostname_match = true;
	t->cert.days_left = days;
	t->cert.not_after = NOW + (time_t)days * DAY;
	snprintf(t->cert.subject, sizeof(t->cert.subject), "CN=mail.example.com");
	snprintf(t->cert.issuer, sizeof(t->cert.issuer), "CN=Example CA");
	snprintf(t->tls_version, sizeof(t->tls_version), "TLSv1.3");
	t->aead = true;
}

/* An endpoint "proto:port:security" at addr whose steps all work up to
 * fail_at, which fails with cls (STEP_COUNT: nothing fails). The login
 * step exists when the account has credentials. Returns the endpoint. */
static struct mp_endpoint_result *
ep(struct world *w, const char *spec, const char *addr, enum mp_step fail_at, enum mp_class cls)
{
	struct mp_endpoint_result *e = &w->eps[w->run.nendpoints++];
	static const enum mp_step order_tls[] = {STEP_CONNECT, STEP_TLS, STEP_GREETING,
						 STEP_CAPABILITIES, STEP_LOGIN};
	static const enum mp_step order_starttls[] = {
	    STEP_CONNECT, STEP_GREETING, STEP_STARTTLS, STEP_TLS, STEP_CAPABILITIES, STEP_LOGIN};
	const enum mp_step *order;
	int n;
	char err[128];

	mp_endpoint_parse(spec, &e->spec, err, sizeof(err));
	snprintf(e->address, sizeof(e->address), "%s", addr);
	snprintf(e->host, sizeof(e->host), "mail.example.com");
	order = e->spec.security == SEC_TLS ? order_tls : order_starttls;
	n = e->spec.security == SEC_TLS ? 5 : 6;
	e->ok = true;
	for (int i = 0; i < n; i++) {
		bool fails = order[i] == fail_at;
		struct mp_step_result *st;

		if (order[i] == STEP_LOGIN && (w->a.password == NULL || e->spec.port == 25))
			break;
		st = add_step(e, order[i], !fails,
			      fails && cls == CLASS_CONNECT_TIMEOUT ? 10.0 : 0.01,
			      fails ? cls : CLASS_NONE, fails ? "failed here" : "ok");
		if (order[i] == STEP_TLS)
			cert(st, 200);
		if (fails) {
			e->ok = false;
			if (order[i] != STEP_TLS || !mp_class_is_cert(cls))
				break;
		}
	}
	return e;
}

/* Endpoint e's step s (the scenarios only ask for steps they built; a
 * missing one yields a scratch step that no rule reads). */
static struct mp_step_result *
step_of(struct mp_endpoint_result *e, enum mp_step s)
{
	static struct mp_step_result scratch;

	for (int i = 0; i < e->nsteps; i++)
		if (e->steps[i].step == s)
			return &e->steps[i];
	CHECK(false, "a scenario asks for a step it did not build");
	return &scratch;
}

/* The default four endpoints at ADDR, all working. */
static void
four_ok(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

/* --- scenarios ------------------------------------------------------------ */

static void
sc_ok(struct world *w)
{
	four_ok(w);
}

static void
sc_no_credentials(struct world *w)
{
	world_free(w);
	world_init(w, false);
	four_ok(w);
}

static void
sc_dns(struct world *w)
{
	w->run.resolve.ok = false;
	w->run.resolve.cls = CLASS_DNS_NXDOMAIN;
	snprintf(w->run.resolve.message, sizeof(w->run.resolve.message), "no such name");
	for (int i = 0; i < 4; i++) {
		struct mp_endpoint_result *e = &w->eps[w->run.nendpoints++];
		char err[64];

		mp_endpoint_parse(i == 0 ? "imap:993:tls" : "smtp:465:tls", &e->spec, err,
				  sizeof(err));
	}
}

static void
sc_unreachable(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "pop3:995:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:587:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
}

static void
sc_587_dropped(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:25:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
}

static void
sc_outgoing_blocked(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
}

static void
sc_wrong_mode(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:tls", ADDR, STEP_TLS, CLASS_TLS_PLAINTEXT_PORT);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
sc_stripped(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_STARTTLS, CLASS_STARTTLS_STRIPPED);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
sc_intercepted(struct world *w)
{
	four_ok(w);
	w->eps[2].ok = false;
	step_of(&w->eps[2], STEP_TLS)->ok = false;
	step_of(&w->eps[2], STEP_TLS)->cls = CLASS_TLS_UNTRUSTED;
	step_of(&w->eps[2], STEP_TLS)->cert.verified = false;
}

static void
sc_chain(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_TLS, CLASS_TLS_UNTRUSTED);
	step_of(&w->eps[0], STEP_TLS)->cert.verified = false;
	step_of(&w->eps[0], STEP_TLS)->cert.issuer_missing = true;
}

static void
sc_expired(struct world *w)
{
	struct mp_step_result *t;

	four_ok(w);
	t = step_of(&w->eps[0], STEP_TLS);
	t->ok = false;
	t->cls = CLASS_TLS_EXPIRED;
	t->cert.days_left = -30;
	t->cert.not_after = NOW - 30 * DAY;
	w->eps[0].ok = false;
}

static void
sc_clock(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_TLS, CLASS_TLS_NOT_YET_VALID);
	ep(w, "smtp:465:tls", ADDR, STEP_TLS, CLASS_TLS_NOT_YET_VALID);
}

static void
sc_expiring(struct world *w)
{
	four_ok(w);
	step_of(&w->eps[1], STEP_TLS)->cert.days_left = 5;
}

static void
sc_expiring_critical(struct world *w)
{
	four_ok(w);
	step_of(&w->eps[1], STEP_TLS)->cert.days_left = 2;
}

static void
sc_outdated(struct world *w)
{
	struct mp_step_result *t;

	four_ok(w);
	t = step_of(&w->eps[3], STEP_TLS);
	snprintf(t->tls_version, sizeof(t->tls_version), "TLSv1.2");
	t->aead = false;
	step_of(&w->eps[0], STEP_TLS)->cert.sha1_signature = true;
}

static void
sc_login_rejected(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	ep(w, "smtp:465:tls", ADDR, STEP_LOGIN, CLASS_AUTH_SKIPPED);
	snprintf(step_of(&w->eps[1], STEP_LOGIN)->message, MP_MESSAGE_MAX,
		 "not retried after a rejection");
}

static void
sc_outgoing_only(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:465:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
}

static void
sc_oauth(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	snprintf(step_of(&w->eps[0], STEP_LOGIN)->message, MP_MESSAGE_MAX,
		 "535 5.7.139 Authentication unsuccessful, basic authentication is disabled");
}

/* A token the server refused in the RFC 7628 dialog: its own finding, not a
 * wrong password and not a provider that wants OAuth. */
static void
sc_oauth_token(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	l = step_of(&w->eps[0], STEP_LOGIN);
	snprintf(l->mechanism, sizeof(l->mechanism), "OAUTHBEARER");
	snprintf(l->oauth_status, sizeof(l->oauth_status), "invalid_token");
	snprintf(l->message, MP_MESSAGE_MAX,
		 "the server refused the token (invalid_token): a1 NO [AUTHENTICATIONFAILED] "
		 "Authentication failed.");
}

/* The exporter got no access token (its token endpoint is down): the
 * login step failed before anything was sent. */
static void
sc_oauth_unavailable(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_TOKEN_UNAVAILABLE);
	l = step_of(&w->eps[0], STEP_LOGIN);
	snprintf(l->message, MP_MESSAGE_MAX,
		 "no OAuth2 access token: connection refused (connect_refused)");
	w->a.oauth2 = true;
	mp_secret_free(w->a.password); /* no token: the exporter had none to give */
	w->a.password = NULL;
	snprintf(w->a.oauth2_unavailable, sizeof(w->a.oauth2_unavailable), "%s", l->message);
}

/* A token without the scope for mail (RFC 7628 insufficient_scope). */
static void
sc_oauth_scope(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "smtp:465:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	l = step_of(&w->eps[0], STEP_LOGIN);
	snprintf(l->mechanism, sizeof(l->mechanism), "XOAUTH2");
	snprintf(l->oauth_status, sizeof(l->oauth_status), "insufficient_scope");
	snprintf(l->message, MP_MESSAGE_MAX,
		 "the server refused the token (insufficient_scope): 535 5.7.8 Error");
}

/* XOAUTH2 refused with a plain 535 (no challenge): still the token's. */
static void
sc_oauth_token_plain(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "smtp:587:starttls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	l = step_of(&w->eps[0], STEP_LOGIN);
	snprintf(l->mechanism, sizeof(l->mechanism), "XOAUTH2");
	snprintf(l->message, MP_MESSAGE_MAX,
		 "535 5.7.139 Authentication unsuccessful, basic authentication is disabled");
}

/* The token check down (lab: introspection unreachable): IMAP says so
 * ([UNAVAILABLE]), SMTP through Postfix only a bare 535, no RFC 7628
 * status: the server's temporary trouble, not an invalid token. */
static void
sc_oauth_check_down(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_ERROR);
	ep(w, "smtp:465:tls", ADDR, STEP_LOGIN, CLASS_AUTH_FAILED);
	l = step_of(&w->eps[1], STEP_LOGIN);
	snprintf(l->mechanism, sizeof(l->mechanism), "OAUTHBEARER");
	snprintf(l->message, MP_MESSAGE_MAX,
		 "535 5.7.8 Error: authentication failed: (reason unavailable)");
}

static void
sc_sending(struct world *w)
{
	struct mp_endpoint_result *e;

	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	e = ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
	add_step(e, STEP_SEND, false, 0.01, CLASS_RECIPIENT_REJECTED, "554 5.7.1 Relay denied");
	e->ok = false;
}

static void
sc_family(struct world *w)
{
	four_ok(w);
	ep(w, "imap:993:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "pop3:995:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:587:starttls", ADDR6, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
}

static void
sc_address_down(struct world *w)
{
	four_ok(w);
	ep(w, "imap:993:tls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "pop3:995:tls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:587:starttls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
}

static void
found(struct mp_source_result *s, enum mp_proto p, uint16_t port, enum mp_security sec,
      const char *host)
{
	struct mp_found *f = &s->found[s->nfound++];

	*f = (struct mp_found){.proto = p, .port = port, .security = sec};
	snprintf(f->host, sizeof(f->host), "%s", host);
	s->ok = true;
}

static void
sc_discovery_conflict(struct world *w)
{
	four_ok(w);
	w->run.discovery = &w->disc;
	snprintf(w->disc.domain, sizeof(w->disc.domain), "example.com");
	w->disc.sources[SOURCE_SRV].source = SOURCE_SRV;
	w->disc.sources[SOURCE_AUTOCONFIG].source = SOURCE_AUTOCONFIG;
	found(&w->disc.sources[SOURCE_SRV], PROTO_SMTP, 587, SEC_STARTTLS, "smtp.example.com");
	found(&w->disc.sources[SOURCE_AUTOCONFIG], PROTO_SMTP, 587, SEC_STARTTLS,
	      "mail.example.com");
}

static void
sc_endpoint_failed(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_GREETING, CLASS_SERVER_REJECTED);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

/* A failed delivery check while a certificate expires in 5 days: the
 * critical finding comes first, whatever order the rules ran in. */
static void
sc_delivery_after_warning(struct world *w)
{
	four_ok(w);
	step_of(&w->eps[0], STEP_TLS)->cert.days_left = 5;
	w->run.delivery = &w->delivery;
	w->delivery.ran = true;
	w->delivery.cls = CLASS_READ_TIMEOUT;
	snprintf(w->delivery.message, sizeof(w->delivery.message), "the message did not arrive");
	w->run.delivery_endpoint = 0;
}

static void
sc_delivery_rejected(struct world *w)
{
	four_ok(w);
	w->run.delivery = &w->delivery;
	w->delivery.ran = true;
	w->delivery.cls = CLASS_SENDER_REJECTED;
	w->run.delivery_endpoint = 2;
}

static void
sc_port25_only(struct world *w)
{
	four_ok(w);
	ep(w, "smtp:25:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
}

/* --- issue 13: verdicts that hold on every server and topology ----------- */

#define SMTP_HOST "smtp.example.net"

/* The endpoints following it are at another host (split topology). */
static void
at_host(struct world *w, int from, const char *host)
{
	for (int i = from; i < w->run.nendpoints; i++)
		snprintf(w->eps[i].host, sizeof(w->eps[i].host), "%s", host);
}

static void
sc_smtp_down(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:465:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
}

/* 587 and 465 refused by an ICMP port unreachable from `from`. */
static void
smtp_icmp_refused(struct world *w, const char *from)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
	for (int k = 0; k < 2; k++) {
		struct mp_endpoint_result *e = ep(w, k == 0 ? "smtp:587:starttls" : "smtp:465:tls",
						  ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);

		snprintf(step_of(e, STEP_CONNECT)->icmp_from, MP_ADDR_MAX, "%s", from);
	}
}

static void
sc_smtp_server_firewall(struct world *w)
{
	smtp_icmp_refused(w, ADDR);
}

#define LOCAL_ADDR "198.51.100.7"

static void
sc_smtp_local_firewall(struct world *w)
{
	w->run.env.nlocal = 2;
	snprintf(w->run.env.local[0], MP_ADDR_MAX, "2001:db8:1::7");
	snprintf(w->run.env.local[1], MP_ADDR_MAX, LOCAL_ADDR);
	smtp_icmp_refused(w, LOCAL_ADDR);
}

static void
sc_smtp_router_rejects(struct world *w)
{
	smtp_icmp_refused(w, "203.0.113.1");
}

/* Every port administratively prohibited (ICMP) by the server's own
 * address, as firewalld rejects a port it does not open. */
static void
sc_all_prohibited_by_server(struct world *w)
{
	static const char *const specs[] = {"imap:993:tls", "pop3:995:tls", "smtp:587:starttls",
					    "smtp:465:tls"};

	for (int k = 0; k < 4; k++) {
		struct mp_endpoint_result *e =
		    ep(w, specs[k], ADDR, STEP_CONNECT, CLASS_CONNECT_UNREACHABLE);

		snprintf(step_of(e, STEP_CONNECT)->icmp_from, MP_ADDR_MAX, "%s", ADDR);
	}
}

/* 587 by the server's firewall, 465 by a reset: the server either way. */
static void
sc_smtp_firewall_and_reset(struct world *w)
{
	smtp_icmp_refused(w, ADDR);
	step_of(&w->eps[3], STEP_CONNECT)->icmp_from[0] = '\0';
}

static void
sc_587_refused(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
sc_v6_refused(struct world *w)
{
	four_ok(w);
	ep(w, "imap:993:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "pop3:995:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:587:starttls", ADDR6, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:465:tls", ADDR6, STEP_CONNECT, CLASS_CONNECT_REFUSED);
}

static void
sc_split_587_dropped(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR2, STEP_COUNT, CLASS_NONE);
	at_host(w, 2, SMTP_HOST);
}

static void
sc_split_smtp_dropped(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:587:starttls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	ep(w, "smtp:465:tls", ADDR2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	at_host(w, 1, SMTP_HOST);
}

static void
sc_srv_587_dropped(struct world *w)
{
	sc_587_dropped(w);
	w->run.discovery = &w->disc;
	snprintf(w->disc.domain, sizeof(w->disc.domain), "example.com");
	w->disc.sources[SOURCE_SRV].source = SOURCE_SRV;
	found(&w->disc.sources[SOURCE_SRV], PROTO_SMTP, 587, SEC_STARTTLS, "mail.example.com");
	found(&w->disc.sources[SOURCE_SRV], PROTO_IMAP, 993, SEC_TLS, "mail.example.com");
}

static void
sc_classes_per_port(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:587:starttls", ADDR, STEP_STARTTLS, CLASS_STARTTLS_UNSUPPORTED);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
sc_temporary(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_ERROR);
	snprintf(step_of(&w->eps[0], STEP_LOGIN)->message, MP_MESSAGE_MAX,
		 "NO [UNAVAILABLE] Temporary problem, please try again later");
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

/* The English summary and advice of finding id, or "" when absent. */
static void
words_of(const struct world *w, const struct mp_diagnosis *d, const char *id, enum mp_lang l,
	 char *said, size_t len)
{
	const struct mp_finding *f = mp_diagnosis_find(d, id);
	char advice[2048];

	said[0] = '\0';
	if (f == NULL)
		return;
	mp_words_finding(&w->run, f, l, said, len, advice, sizeof(advice));
	strncat(said, " / ", len - strlen(said) - 1);
	strncat(said, advice, len - strlen(said) - 1);
}

/* --control: the same port at a host known to accept it. */
static void
with_control(struct world *w, uint16_t port, bool ok)
{
	static struct mp_control_result c[2];

	memset(c, 0, sizeof(c));
	snprintf(c[0].host, sizeof(c[0].host), "control.example.org");
	snprintf(c[0].address, sizeof(c[0].address), "198.51.100.7");
	c[0].port = port;
	c[0].ok = ok;
	c[0].cls = ok ? CLASS_NONE : CLASS_CONNECT_TIMEOUT;
	c[1] = c[0];
	c[1].port = 993; /* another port: no evidence for 587 */
	c[1].ok = true;
	c[1].cls = CLASS_NONE;
	w->run.control = c;
	w->run.ncontrol = 2;
}

static void
sc_587_network(struct world *w)
{
	sc_587_dropped(w);
	with_control(w, 587, false);
}

static void
sc_587_server(struct world *w)
{
	sc_587_dropped(w);
	with_control(w, 587, true);
}

static void
check_587_network(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];
	int controls = 0;

	CHECK(f != NULL && f->cause == CAUSE_NETWORK && f->basis == BASIS_CONTROL,
	      "control fails too: cause network, basis control");
	for (int k = 0; f != NULL && k < f->nevidence; k++)
		controls += f->evidence[k].kind == EV_CONTROL;
	CHECK(controls == 1, "the control connection of that port is evidence, no other");
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "This network blocks port 587") != NULL &&
		  strstr(said, "control.example.org") != NULL,
	      "control fails too: 'this network blocks', naming the control host");
}

static void
check_587_server(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_CONTROL,
	      "control works: cause server, basis control");
	words_of(w, d, "outgoing_port_blocked", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Vergleichsserver") != NULL && strstr(said, "Mailserver") != NULL,
	      "control works: German words name the mail server's side");
}

/* Paths: 465 reaches the server at hop 4; 587's packets are last seen at
 * hop `last` (0: no router answered). */
static void
with_paths(struct world *w, int last)
{
	static struct mp_path_result p[2];

	memset(p, 0, sizeof(p));
	for (int k = 0; k < 2; k++) {
		snprintf(p[k].address, sizeof(p[k].address), ADDR);
		p[k].port = k == 0 ? 465 : 587;
	}
	for (int h = 0; h < 4; h++) {
		p[0].hops[h].ttl = h + 1;
		p[0].hops[h].answer = h < 3 ? HOP_TIME_EXCEEDED : HOP_SYN_ACK;
		snprintf(p[0].hops[h].addr, MP_ADDR_MAX, h < 3 ? "10.0.%d.1" : ADDR, h + 1);
		p[1].hops[h] = p[0].hops[h];
		if (h >= last) {
			p[1].hops[h].answer = HOP_NONE;
			p[1].hops[h].addr[0] = '\0';
		}
	}
	p[0].nhops = p[0].reached = p[0].last_hop = 4;
	p[1].nhops = last + 1;
	p[1].last_hop = last;
	w->run.paths = p;
	w->run.npaths = 2;
}

static void
sc_path_network(struct world *w)
{
	sc_587_dropped(w);
	with_paths(w, 2);
}

static void
sc_path_own_router(struct world *w)
{
	sc_587_dropped(w);
	with_paths(w, 1);
}

static void
sc_path_server(struct world *w)
{
	sc_587_dropped(w);
	with_paths(w, 3);
}

/* 587's path skipped (no error queue, no CAP_NET_RAW): no cause from it. */
static void
sc_path_skipped(struct world *w)
{
	sc_587_dropped(w);
	with_paths(w, 2);
	w->run.paths[1].skipped = true;
	w->run.paths[1].method = PATH_RAW;
	snprintf(w->run.paths[1].skip_reason, sizeof(w->run.paths[1].skip_reason),
		 "the socket error queue is not available (x) and a raw ICMP socket needs "
		 "CAP_NET_RAW");
}

static void
check_path_skipped(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096], msg[512] = "";

	CHECK(f != NULL && f->cause == CAUSE_UNKNOWN && f->basis == BASIS_NONE,
	      "skipped path: cause unknown, basis none");
	for (int i = 0; f != NULL && i < f->nevidence; i++)
		if (f->evidence[i].kind == EV_PATH)
			mp_evidence_message(&w->run, &f->evidence[i], msg, sizeof(msg));
	CHECK(strstr(msg, "port 587: not measured:") != NULL && strstr(msg, "CAP_NET_RAW") != NULL,
	      "skipped path: the evidence says what was skipped and why");
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "unconfirmed") != NULL && strstr(said, "--control") != NULL,
	      "skipped path: the words stay unconfirmed, with how to confirm");
}

static void
check_path_network(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_NETWORK && f->basis == BASIS_PATH,
	      "path stops at hop 2 of 4: cause network, basis path");
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "hop 2 (10.0.2.1)") != NULL && strstr(said, "hop 4") != NULL,
	      "path: names the last hop and where the working port reaches the server");
}

static void
check_path_own_router(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	(void)d;
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "your own router (hop 1, 10.0.1.1)") != NULL,
	      "path stops at hop 1: 'your own router'");
}

static void
check_path_server(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_PATH,
	      "path reaches hop N-1 like the working port's: cause server, basis path");
	words_of(w, d, "outgoing_port_blocked", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Netzrand") != NULL, "path: German words name the server's edge");
}

/* SRV (plain DNS) names a host outside the domain: checked without login. */
static void
sc_untrusted(struct world *w)
{
	struct mp_step_result *l;

	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_SKIPPED);
	snprintf(w->eps[0].host, sizeof(w->eps[0].host), "mail.attacker.example");
	l = step_of(&w->eps[0], STEP_LOGIN);
	l->skip = SKIP_UNTRUSTED;
	w->eps[0].ok = true;
	w->run.discovery = &w->disc;
	snprintf(w->disc.domain, sizeof(w->disc.domain), "example.com");
	w->disc.sources[SOURCE_SRV].source = SOURCE_SRV;
	found(&w->disc.sources[SOURCE_SRV], PROTO_IMAP, 993, SEC_TLS, "mail.attacker.example");
}

static void
check_untrusted(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "discovery_untrusted", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "mail.attacker.example") != NULL &&
		  strstr(said, "example.com") != NULL && strstr(said, "--trust-discovered") != NULL,
	      "untrusted: names the host, the domain and how to confirm it");
}

/* A token given, the server offers no OAuth mechanism: nothing was sent. */
static void
sc_token_unsupported(struct world *w)
{
	w->a.oauth2 = true;
	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_AUTH_UNSUPPORTED);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
check_token_unsupported(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "endpoint_failed", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "no OAuth2 login") != NULL && strstr(said, "no password login") == NULL,
	      "token, no OAuth mechanism: the advice speaks of OAuth2, not of a password login");
}

/* Courier waits 5 s after a failed login, Dovecot's penalty grows: the
 * logins behind it time out or are never sent, every port connected. */
static void
sc_login_slow(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_LOGIN, CLASS_READ_TIMEOUT);
	ep(w, "pop3:995:tls", ADDR, STEP_LOGIN, CLASS_AUTH_SKIPPED);
	step_of(&w->eps[1], STEP_LOGIN)->skip = SKIP_DEADLINE;
	ep(w, "smtp:587:starttls", ADDR, STEP_LOGIN, CLASS_AUTH_SKIPPED);
	step_of(&w->eps[2], STEP_LOGIN)->skip = SKIP_DEADLINE;
	ep(w, "smtp:465:tls", ADDR, STEP_LOGIN, CLASS_AUTH_SKIPPED);
	step_of(&w->eps[3], STEP_LOGIN)->skip = SKIP_DEADLINE;
	for (int i = 1; i < 4; i++)
		w->eps[i].ok = true; /* a login not tested leaves the endpoint ok */
}

static void
check_login_slow(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "login_timeout", LANG_EN, said, sizeof(said));
	CHECK(mp_diagnosis_find(d, "host_unreachable") == NULL &&
		  mp_diagnosis_find(d, "endpoint_failed") == NULL &&
		  strstr(said, "no outage") != NULL,
	      "slow login: no outage, no endpoint_failed");
	CHECK(d->recommended.incoming.present && d->recommended.outgoing.present,
	      "slow login: the settings still work (not 'nothing works from here')");
}

/* Exim with `delay = 6s` before its greeting on 587 and 465 (a lookup of
 * the client's address, or an anti-spam delay), 4.9 s on 993: the two ports
 * at 5 s or more are named, with their seconds, and nothing failed. */
static void
sc_greeting_slow(struct world *w)
{
	four_ok(w);
	step_of(&w->eps[0], STEP_GREETING)->seconds = 4.9;
	step_of(&w->eps[2], STEP_GREETING)->seconds = 6.02;
	step_of(&w->eps[3], STEP_GREETING)->seconds = 6.4;
}

static void
check_greeting_slow(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "greeting_slow");
	char said[4096], de[4096];

	CHECK(f != NULL && f->nevidence == 2 && f->evidence[0].step == STEP_GREETING,
	      "slow greeting: one finding, the two ports at 5 s or more as evidence");
	words_of(w, d, "greeting_slow", LANG_EN, said, sizeof(said));
	words_of(w, d, "greeting_slow", LANG_DE, de, sizeof(de));
	CHECK(strstr(said, "6.40 s") != NULL && strstr(said, "587, 465") != NULL &&
		  strstr(said, "another network") != NULL && strstr(said, "port 113") != NULL,
	      "slow greeting: the slowest seconds, both ports, both causes and how to tell");
	CHECK(strstr(de, "6,40 s") != NULL && strstr(de, "anderen Netz") != NULL,
	      "slow greeting: German with a decimal comma");
	CHECK(mp_diagnosis_find(d, "endpoint_failed") == NULL && d->recommended.incoming.present &&
		  d->recommended.outgoing.present,
	      "slow greeting: nothing failed, the settings still work");
}

static void
check_smtp_down(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_REFUSED_BY_SERVER,
	      "smtp down: cause server, refused by the server");
	words_of(w, d, "outgoing_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "refuses") != NULL && strstr(said, "your network") == NULL &&
		  strstr(said, "This network") == NULL && strstr(said, "relay") == NULL,
	      "smtp down: not blamed on this network, no relay advice");
}

static void
check_server_firewall(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_blocked");
	char said[4096], de[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_SERVER_FIREWALL,
	      "server firewall: cause server, basis server_firewall");
	words_of(w, d, "outgoing_blocked", LANG_EN, said, sizeof(said));
	words_of(w, d, "outgoing_blocked", LANG_DE, de, sizeof(de));
	CHECK(strstr(said, "A firewall at mail.example.com rejects") != NULL &&
		  strstr(said, "may well run") != NULL &&
		  strstr(said, "block this network's address") != NULL &&
		  strstr(said, "This network blocks") == NULL,
	      "server firewall: the server's firewall, the service may run, ask about a block of "
	      "this network's address");
	CHECK(strstr(de, "Eine Firewall bei mail.example.com") != NULL &&
		  strstr(de, "Adresse dieses Netzes") != NULL,
	      "server firewall: in German too");
}

static void
check_local_firewall(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_NETWORK && f->basis == BASIS_LOCAL_FIREWALL,
	      "local firewall: cause network, basis local_firewall");
	words_of(w, d, "outgoing_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "firewall on this computer") != NULL &&
		  strstr(said, "never left this computer") != NULL &&
		  strstr(said, "provider") == NULL,
	      "local firewall: this computer's firewall, not the provider");
}

static void
check_router_rejects(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_UNKNOWN && f->basis == BASIS_NONE,
	      "ICMP from a router: cause unknown (this network or the server's edge)");
	words_of(w, d, "outgoing_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "refuses") == NULL && strstr(said, "--control") != NULL,
	      "ICMP from a router: the server is not said to refuse; how to tell the causes apart");
}

static void
check_all_prohibited(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "host_unreachable");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_SERVER_FIREWALL,
	      "all prohibited by the server: cause server, basis server_firewall");
	words_of(w, d, "host_unreachable", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "administratively prohibited") != NULL &&
		  strstr(said, "A firewall at mail.example.com") != NULL,
	      "all prohibited by the server: the server's firewall, in words");
}

static void
check_firewall_and_reset(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_blocked");

	(void)w;
	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_REFUSED_BY_SERVER,
	      "firewall and reset: cause server, refused by the server");
}

static void
check_587_refused(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_SERVER, "587 refused: cause server");
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "Your network blocks") == NULL && strstr(said, "refuse") != NULL,
	      "587 refused: not 'your network blocks'");
}

static void
check_dropped_both(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "outgoing_port_blocked");
	char said[4096];

	CHECK(f != NULL && f->cause == CAUSE_UNKNOWN && f->basis == BASIS_NONE,
	      "587 dropped: cause unknown without a control host");
	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "either by this network") != NULL && strstr(said, "server") != NULL &&
		  strstr(said, "another network") != NULL,
	      "587 dropped: both causes named and how to tell them apart");
}

static void
check_v6_refused(const struct world *w, const struct mp_diagnosis *d)
{
	const struct mp_finding *f = mp_diagnosis_find(d, "address_down");

	(void)w;
	CHECK(mp_diagnosis_find(d, "address_family_broken") == NULL,
	      "v6 refused: not address_family_broken");
	CHECK(f != NULL && f->cause == CAUSE_SERVER, "v6 refused: address_down, cause server");
}

static void
check_split(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "outgoing_port_blocked", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, SMTP_HOST) != NULL, "split: the outgoing host is named");
	CHECK(mp_diagnosis_find(d, "endpoint_failed") == NULL, "split: no endpoint_failed");
}

static void
check_srv_dropped(const struct world *w, const struct mp_diagnosis *d)
{
	(void)w;
	CHECK(mp_diagnosis_find(d, "discovery_conflict") == NULL,
	      "SRV + dropped 587: no discovery_conflict");
}

/* The English (or German) words of every finding with id, one after the other. */
static void
all_words_of(const struct world *w, const struct mp_diagnosis *d, const char *id, enum mp_lang l,
	     char *said, size_t len)
{
	char s[2048], a[2048];

	said[0] = '\0';
	for (int i = 0; i < d->nfindings; i++) {
		if (strcmp(d->findings[i].id, id) != 0)
			continue;
		mp_words_finding(&w->run, &d->findings[i], l, s, sizeof(s), a, sizeof(a));
		snprintf(said + strlen(said), len - strlen(said), "%s / %s | ", s, a);
	}
}

/* A refused 993 and a 587 without STARTTLS: one endpoint_failed each, each
 * with the advice for its own class (not "nothing listens" for 587). */
static void
check_classes(const struct world *w, const struct mp_diagnosis *d)
{
	char said[8192];
	int n = 0;

	for (int i = 0; i < d->nfindings; i++)
		n += strcmp(d->findings[i].id, "endpoint_failed") == 0;
	CHECK(n == 2, "a finding per class");
	words_of(w, d, "endpoint_failed", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "port 993 (connect_refused)") != NULL &&
		  strstr(said, "starttls") == NULL && strstr(said, "Nothing listens") != NULL,
	      "the refused port with its own advice");
	all_words_of(w, d, "endpoint_failed", LANG_EN, said, sizeof(said));
	CHECK(
	    strstr(said, "port 587 (starttls_unsupported). / The server does not offer STARTTLS") !=
		    NULL &&
		strstr(said, "another network") != NULL,
	    "587 with the STARTTLS advice, both causes said");
	all_words_of(w, d, "endpoint_failed", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Port 993 (connect_refused)") != NULL &&
		  strstr(said, "kein STARTTLS") != NULL && strstr(said, "ist gescheitert") == NULL,
	      "German: each port with its class and advice");
}

/* OpenSMTPD 6.8 on OpenSSL 3 ends every handshake with an "internal error"
 * alert; a silent server after the connection was accepted: neither is
 * "nothing listens". */
static void
sc_server_faults(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
	ep(w, "smtp:465:tls", ADDR, STEP_TLS, CLASS_TLS_HANDSHAKE_FAILED);
	ep(w, "smtp:587:starttls", ADDR, STEP_GREETING, CLASS_GREETING_TIMEOUT);
	ep(w, "pop3:995:tls", ADDR, STEP_COUNT, CLASS_NONE);
}

static void
check_server_faults(const struct world *w, const struct mp_diagnosis *d)
{
	char said[8192];

	all_words_of(w, d, "endpoint_failed", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "port 465 (tls_handshake_failed). / The TLS handshake failed") != NULL &&
		  strstr(said, "fault in the server's TLS setup") != NULL,
	      "TLS alert: the server's TLS setup, the other cause said");
	CHECK(strstr(said, "port 587 (greeting_timeout). / The connection was accepted") != NULL,
	      "greeting timeout: accepted, nothing sent");
	CHECK(strstr(said, "port 465 (tls_handshake_failed). / Nothing listens") == NULL &&
		  strstr(said, "port 587 (greeting_timeout). / Nothing listens") == NULL,
	      "no 'nothing listens' for a port that connected");
}

/* Port 25 refused by the server's address: no "from this network". */
static void
sc_port25_refused(struct world *w)
{
	ep(w, "imap:993:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:465:tls", ADDR, STEP_COUNT, CLASS_NONE);
	ep(w, "smtp:25:starttls", ADDR, STEP_CONNECT, CLASS_CONNECT_REFUSED);
}

static void
check_port25_refused(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];
	const struct mp_finding *f = mp_diagnosis_find(d, "port25_blocked");

	words_of(w, d, "port25_blocked", LANG_EN, said, sizeof(said));
	CHECK(f != NULL && f->cause == CAUSE_SERVER && strstr(said, "refuses") != NULL &&
		  strstr(said, "this network") == NULL && strstr(said, "home") == NULL,
	      "port 25 refused: the server's, not this network's");
}

/* The ICMP sender of endpoint i's refused connect. */
static void
icmp_from(struct world *w, int i, const char *from)
{
	snprintf(step_of(&w->eps[i], STEP_CONNECT)->icmp_from, MP_ADDR_MAX, "%s", from);
}

/* Port 25 rejected by the server's firewall (ICMP from its address). */
static void
sc_port25_firewall(struct world *w)
{
	sc_port25_refused(w);
	icmp_from(w, 2, ADDR);
}

static void
check_port25_firewall(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];
	const struct mp_finding *f = mp_diagnosis_find(d, "port25_blocked");

	words_of(w, d, "port25_blocked", LANG_EN, said, sizeof(said));
	CHECK(f != NULL && f->basis == BASIS_SERVER_FIREWALL &&
		  strstr(said, "A firewall at mail.example.com rejects port 25") != NULL &&
		  strstr(said, "nothing accepts") == NULL,
	      "port 25 rejected by the server's firewall: said so, not 'nothing accepts'");
}

/* The IPv6 address rejects every port by its firewall, IPv4 works. */
static void
sc_v6_firewall(struct world *w)
{
	sc_v6_refused(w);
	for (int i = 4; i < 8; i++)
		icmp_from(w, i, ADDR6);
}

static void
check_v6_firewall(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];
	const struct mp_finding *f = mp_diagnosis_find(d, "address_down");

	words_of(w, d, "address_down", LANG_EN, said, sizeof(said));
	CHECK(f != NULL && f->cause == CAUSE_SERVER && f->basis == BASIS_SERVER_FIREWALL &&
		  strstr(said, "A firewall at the server address " ADDR6) != NULL &&
		  strstr(said, "Nothing accepts") == NULL,
	      "IPv6 rejected by its firewall: said so, not 'nothing accepts'");
}

static void
check_temporary(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "endpoint_failed", LANG_EN, said, sizeof(said));
	CHECK(mp_diagnosis_find(d, "login_rejected") == NULL && strstr(said, "temporary") != NULL &&
		  strstr(said, "password") == NULL,
	      "temporary failure: the provider's problem, not the password");
}

static void
check_token_advice(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "oauth_token_invalid", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "Renew the token") != NULL &&
		  strstr(said, "--oauth2-token-file") != NULL,
	      "oauth_token_invalid: advice renews the token, names the token options");
	words_of(w, d, "oauth_token_invalid", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Erneuern Sie das Token") != NULL, "oauth_token_invalid: German advice");
	CHECK(strstr(said, "mit dem Status invalid_token abgelehnt (Port 993)") != NULL &&
		  strstr(said, "abgelaufen oder wurde widerrufen") != NULL,
	      "oauth_token_invalid: German summary names the status invalid_token");
	words_of(w, d, "oauth_token_invalid", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "with the status invalid_token (port 993): the token has expired or "
			   "was revoked") != NULL,
	      "oauth_token_invalid: summary names the status invalid_token and its meaning");
}

static void
check_unavailable_words(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "oauth_token_unavailable", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "not tried (port 993): no OAuth2 access token: connection refused") !=
		      NULL &&
		  strstr(said, "oauth2_token_url") != NULL,
	      "oauth_token_unavailable: the reason and the token endpoint advice");
	words_of(w, d, "oauth_token_unavailable", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Token-Endpunkt") != NULL, "oauth_token_unavailable: German");
	CHECK(mp_diagnosis_find(d, "login_not_tested") == NULL,
	      "oauth_token_unavailable: no login_not_tested besides");
}

static void
check_scope_words(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "oauth_token_invalid", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "with the status insufficient_scope (port 465): the token lacks the "
			   "scope") != NULL,
	      "insufficient_scope: the summary says so");
	words_of(w, d, "oauth_token_invalid", LANG_DE, said, sizeof(said));
	CHECK(strstr(said, "Status insufficient_scope") != NULL &&
		  strstr(said, "fehlt die Berechtigung") != NULL,
	      "insufficient_scope: German summary");
}

static void
check_plain_token_words(const struct world *w, const struct mp_diagnosis *d)
{
	char said[4096];

	words_of(w, d, "oauth_token_invalid", LANG_EN, said, sizeof(said));
	CHECK(strstr(said, "status") == NULL && strstr(said, "has expired, was revoked") != NULL,
	      "no RFC 7628 status: the general summary, no empty status");
}

struct want {
	const char *id;
	enum mp_severity severity;
};

struct scenario {
	const char *name;
	void (*build)(struct world *w);
	enum mp_status status;
	struct want findings[4]; /* worst first; ends at id NULL */
	void (*check)(const struct world *w, const struct mp_diagnosis *d); /* or NULL */
};

static const struct scenario scenarios[] = {
    {"all ok", sc_ok, STATUS_OK, {{NULL, 0}}, NULL},
    {"no credentials", sc_no_credentials, STATUS_OK, {{"login_not_tested", SEV_INFO}}, NULL},
    {"dns", sc_dns, STATUS_CRITICAL, {{"dns_failure", SEV_CRITICAL}}, NULL},
    {"unreachable", sc_unreachable, STATUS_CRITICAL, {{"host_unreachable", SEV_CRITICAL}}, NULL},
    {"587 dropped",
     sc_587_dropped,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}, {"port25_blocked", SEV_INFO}},
     NULL},
    {"outgoing blocked",
     sc_outgoing_blocked,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     NULL},
    {"wrong mode", sc_wrong_mode, STATUS_WARNING, {{"wrong_security_mode", SEV_WARNING}}, NULL},
    {"stripped", sc_stripped, STATUS_CRITICAL, {{"starttls_stripped", SEV_CRITICAL}}, NULL},
    {"intercepted", sc_intercepted, STATUS_CRITICAL, {{"tls_intercepted", SEV_CRITICAL}}, NULL},
    {"chain", sc_chain, STATUS_WARNING, {{"cert_chain_incomplete", SEV_WARNING}}, NULL},
    {"expired", sc_expired, STATUS_CRITICAL, {{"cert_expired", SEV_CRITICAL}}, NULL},
    {"clock",
     sc_clock,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}, {"clock_skew", SEV_WARNING}},
     NULL},
    {"expiring", sc_expiring, STATUS_WARNING, {{"cert_expiring", SEV_WARNING}}, NULL},
    {"expiring soon",
     sc_expiring_critical,
     STATUS_CRITICAL,
     {{"cert_expiring", SEV_CRITICAL}},
     NULL},
    {"outdated", sc_outdated, STATUS_WARNING, {{"tls_outdated", SEV_WARNING}}, NULL},
    {"login rejected",
     sc_login_rejected,
     STATUS_CRITICAL,
     {{"login_rejected", SEV_CRITICAL}},
     NULL},
    {"outgoing only",
     sc_outgoing_only,
     STATUS_CRITICAL,
     {{"login_rejected_outgoing_only", SEV_CRITICAL}},
     NULL},
    {"oauth", sc_oauth, STATUS_CRITICAL, {{"oauth_required", SEV_CRITICAL}}, NULL},
    {"oauth token refused",
     sc_oauth_token,
     STATUS_CRITICAL,
     {{"oauth_token_invalid", SEV_CRITICAL}},
     check_token_advice},
    {"oauth token refused without a challenge",
     sc_oauth_token_plain,
     STATUS_CRITICAL,
     {{"oauth_token_invalid", SEV_CRITICAL}},
     check_plain_token_words},
    {"oauth token unavailable",
     sc_oauth_unavailable,
     STATUS_CRITICAL,
     {{"oauth_token_unavailable", SEV_CRITICAL}},
     check_unavailable_words},
    {"oauth token without the scope",
     sc_oauth_scope,
     STATUS_CRITICAL,
     {{"oauth_token_invalid", SEV_CRITICAL}},
     check_scope_words},
    {"oauth token check down",
     sc_oauth_check_down,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}},
     NULL},
    {"sending", sc_sending, STATUS_CRITICAL, {{"sending_rejected", SEV_CRITICAL}}, NULL},
    {"family", sc_family, STATUS_WARNING, {{"address_family_broken", SEV_WARNING}}, NULL},
    {"address down", sc_address_down, STATUS_WARNING, {{"address_down", SEV_WARNING}}, NULL},
    {"discovery conflict",
     sc_discovery_conflict,
     STATUS_WARNING,
     {{"discovery_conflict", SEV_WARNING}},
     NULL},
    {"endpoint failed",
     sc_endpoint_failed,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}},
     NULL},
    {"delivery after a warning",
     sc_delivery_after_warning,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}, {"cert_expiring", SEV_WARNING}},
     NULL},
    {"delivery rejected",
     sc_delivery_rejected,
     STATUS_CRITICAL,
     {{"sending_rejected", SEV_CRITICAL}},
     NULL},
    {"port 25 only", sc_port25_only, STATUS_OK, {{"port25_blocked", SEV_INFO}}, NULL},
    {"587 dropped, both causes",
     sc_587_dropped,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_dropped_both},
    {"smtp down, imap up",
     sc_smtp_down,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     check_smtp_down},
    {"587 and 465 refused by the server's firewall (ICMP)",
     sc_smtp_server_firewall,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     check_server_firewall},
    {"587 and 465 refused by this computer's firewall (ICMP)",
     sc_smtp_local_firewall,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     check_local_firewall},
    {"587 and 465 refused by a router on the way (ICMP)",
     sc_smtp_router_rejects,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     check_router_rejects},
    {"every port administratively prohibited by the server (ICMP)",
     sc_all_prohibited_by_server,
     STATUS_CRITICAL,
     {{"host_unreachable", SEV_CRITICAL}},
     check_all_prohibited},
    {"587 refused by the server's firewall, 465 reset",
     sc_smtp_firewall_and_reset,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     check_firewall_and_reset},
    {"587 refused",
     sc_587_refused,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_587_refused},
    {"IPv6 rejected by its firewall (ICMP)",
     sc_v6_firewall,
     STATUS_WARNING,
     {{"address_down", SEV_WARNING}},
     check_v6_firewall},
    {"IPv6 refused",
     sc_v6_refused,
     STATUS_WARNING,
     {{"address_down", SEV_WARNING}},
     check_v6_refused},
    {"split hosts, 587 dropped",
     sc_split_587_dropped,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_split},
    {"split hosts, smtp dropped",
     sc_split_smtp_dropped,
     STATUS_CRITICAL,
     {{"outgoing_blocked", SEV_CRITICAL}},
     NULL},
    {"SRV, 587 dropped",
     sc_srv_587_dropped,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_srv_dropped},
    {"server faults, a finding per class",
     sc_server_faults,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL},
      {"endpoint_failed", SEV_CRITICAL},
      {"endpoint_failed", SEV_CRITICAL}},
     check_server_faults},
    {"port 25 refused by the server",
     sc_port25_refused,
     STATUS_OK,
     {{"port25_blocked", SEV_INFO}},
     check_port25_refused},
    {"port 25 rejected by the server's firewall (ICMP)",
     sc_port25_firewall,
     STATUS_OK,
     {{"port25_blocked", SEV_INFO}},
     check_port25_firewall},
    {"a class per port",
     sc_classes_per_port,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}, {"endpoint_failed", SEV_CRITICAL}},
     check_classes},
    {"587 dropped, control fails too",
     sc_587_network,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_587_network},
    {"587 dropped, control works",
     sc_587_server,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_587_server},
    {"587 path stops on the way",
     sc_path_network,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_path_network},
    {"587 path stops at the own router",
     sc_path_own_router,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_path_own_router},
    {"587 path skipped",
     sc_path_skipped,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_path_skipped},
    {"587 path reaches the server's edge",
     sc_path_server,
     STATUS_WARNING,
     {{"outgoing_port_blocked", SEV_WARNING}},
     check_path_server},
    {"untrusted discovered host",
     sc_untrusted,
     STATUS_WARNING,
     {{"discovery_untrusted", SEV_WARNING}},
     check_untrusted},
    {"token, no OAuth mechanism",
     sc_token_unsupported,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}},
     check_token_unsupported},
    {"slow login",
     sc_login_slow,
     STATUS_WARNING,
     {{"login_timeout", SEV_WARNING}},
     check_login_slow},
    {"temporary login failure",
     sc_temporary,
     STATUS_CRITICAL,
     {{"endpoint_failed", SEV_CRITICAL}},
     check_temporary},
    {"slow greeting",
     sc_greeting_slow,
     STATUS_WARNING,
     {{"greeting_slow", SEV_WARNING}},
     check_greeting_slow},
};

/* Whether every finding has evidence pointing into the run, and words in
 * every language (no unfilled placeholder). */
static bool
evidence_and_words_fit(const struct world *w, const struct mp_diagnosis *d)
{
	char s[2048], a[2048];

	for (int i = 0; i < d->nfindings; i++) {
		const struct mp_finding *f = &d->findings[i];

		for (int k = 0; k < f->nevidence; k++) {
			const struct mp_evidence *ev = &f->evidence[k];

			if (ev->kind == EV_ENDPOINT &&
			    (ev->endpoint < 0 || ev->endpoint >= w->run.nendpoints))
				return false;
		}
		for (int l = 0; l < LANG_COUNT; l++) {
			mp_words_finding(&w->run, f, (enum mp_lang)l, s, sizeof(s), a, sizeof(a));
			if (s[0] == '\0' || a[0] == '\0' || strchr(s, '{') != NULL ||
			    strchr(a, '{') != NULL)
				return false;
		}
	}
	return true;
}

static void
check_scenario(const struct scenario *sc)
{
	struct world w;
	struct mp_diagnosis d, again;
	char name[160];
	int n = 0;

	world_init(&w, true);
	sc->build(&w);
	mp_diagnose(&w.run, &d);
	while (n < 4 && sc->findings[n].id != NULL)
		n++;
	for (int i = 0; i < n; i++) {
		const struct mp_finding *f = mp_diagnosis_find(&d, sc->findings[i].id);

		snprintf(name, sizeof(name), "%s: %s (%s)", sc->name, sc->findings[i].id,
			 mp_severity_str(sc->findings[i].severity));
		CHECK(f != NULL && f->severity == sc->findings[i].severity, name);
	}
	snprintf(name, sizeof(name), "%s: worst first, %s", sc->name,
		 n > 0 ? sc->findings[0].id : "none");
	CHECK(n == 0 ? d.nfindings == 0 || d.findings[0].severity == SEV_INFO
		     : d.nfindings > 0 && strcmp(d.findings[0].id, sc->findings[0].id) == 0,
	      name);
	for (int i = 1; i < d.nfindings; i++)
		if (d.findings[i].severity > d.findings[i - 1].severity)
			CHECK(false, "severities never rise down the list");
	snprintf(name, sizeof(name), "%s: status %s (exit %d)", sc->name,
		 sc->status == STATUS_OK        ? "ok"
		 : sc->status == STATUS_WARNING ? "warning"
						: "critical",
		 (int)sc->status);
	CHECK(d.status == sc->status, name);
	snprintf(name, sizeof(name), "%s: evidence points into the run, worded in every language",
		 sc->name);
	CHECK(evidence_and_words_fit(&w, &d), name);
	if (sc->check != NULL)
		sc->check(&w, &d);
	mp_diagnose(&w.run, &again);
	snprintf(name, sizeof(name), "%s: a pure function (same findings again)", sc->name);
	CHECK(again.nfindings == d.nfindings && again.status == d.status &&
		  (d.nfindings == 0 || memcmp(again.findings, d.findings,
					      (size_t)d.nfindings * sizeof(*d.findings)) == 0),
	      name);
	mp_diagnosis_cleanup(&again);
	mp_diagnosis_cleanup(&d);
	world_free(&w);
}

/* Every finding id the words know appears in some scenario. */
static void
check_coverage(void)
{
	static const char *const ids[] = {"outgoing_port_blocked",
					  "outgoing_blocked",
					  "host_unreachable",
					  "dns_failure",
					  "port25_blocked",
					  "wrong_security_mode",
					  "starttls_stripped",
					  "tls_intercepted",
					  "cert_chain_incomplete",
					  "cert_expiring",
					  "cert_expired",
					  "clock_skew",
					  "tls_outdated",
					  "login_rejected",
					  "login_rejected_outgoing_only",
					  "oauth_required",
					  "login_not_tested",
					  "sending_rejected",
					  "discovery_conflict",
					  "address_family_broken",
					  "address_down",
					  "endpoint_failed",
					  "login_timeout",
					  "discovery_untrusted",
					  "oauth_token_invalid",
					  "oauth_token_unavailable",
					  "greeting_slow"};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		bool seen = false;
		char name[96];

		for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++)
			for (int k = 0; k < 4 && scenarios[s].findings[k].id != NULL; k++)
				seen |= strcmp(scenarios[s].findings[k].id, ids[i]) == 0;
		snprintf(name, sizeof(name), "a scenario covers %s", ids[i]);
		CHECK(seen, name);
	}
}

/* The evidence of the delivery failure names the endpoint and the message. */
static void
check_delivery_evidence(void)
{
	struct world w;
	struct mp_diagnosis d;
	char buf[MP_MESSAGE_MAX + 32];
	const struct mp_finding *f;

	world_init(&w, true);
	sc_delivery_after_warning(&w);
	mp_diagnose(&w.run, &d);
	f = mp_diagnosis_find(&d, "endpoint_failed");
	CHECK(f != NULL && f->nevidence == 1 && f->evidence[0].kind == EV_DELIVERY,
	      "delivery evidence is the run's delivery result");
	if (f != NULL && f->nevidence == 1) {
		mp_evidence_name(&w.run, &f->evidence[0], buf, sizeof(buf));
		CHECK_STR(buf, "imap:993:tls@" ADDR, "delivery evidence names the endpoint");
		mp_evidence_message(&w.run, &f->evidence[0], buf, sizeof(buf));
		CHECK_STR(buf, "delivery check: the message did not arrive", "and its message");
	}
	mp_diagnosis_cleanup(&d);
	world_free(&w);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		check_scenario(&scenarios[i]);
	check_coverage();
	check_delivery_evidence();
	return test_report();
}
