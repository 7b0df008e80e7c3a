/*
 * Diagnosis rules about logging in and sending: OAuth-only providers,
 * rejected credentials (everywhere or only for sending), untested logins,
 * refused senders or recipients. No I/O here.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "probe/diagnose/diagnose_rules.h"

static const struct mp_endpoint_result *
ep(const struct dx *x, int i)
{
	return &x->run->endpoints[i];
}

static const struct mp_step_result *
login_of(const struct mp_endpoint_result *e)
{
	return mp_endpoint_step(e, STEP_LOGIN);
}

static bool
ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* A rejection that names disabled basic authentication. */
static bool
basic_auth_disabled(const char *msg)
{
	static const char *const marks[] = {
	    "5.7.139",    "5.7.9", "basic auth", "basicauth", "application-specific password",
	    "web browser"};

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ci_contains(msg, marks[i]))
			return true;
	return false;
}

static bool
oauth_case(const struct mp_step_result *l)
{
	if (l->cls == CLASS_AUTH_UNSUPPORTED)
		return strstr(l->message, "OAuth") != NULL;
	return l->cls == CLASS_AUTH_FAILED && basic_auth_disabled(l->message);
}

/* A login with an OAuth2 token the server refused (expired, revoked,
 * without the scope): the RFC 7628 status when it sent one. */
static bool
token_refused(const struct mp_step_result *l)
{
	return l->cls == CLASS_AUTH_FAILED &&
	       (l->oauth_status[0] != '\0' || strcmp(l->mechanism, "OAUTHBEARER") == 0 ||
		strcmp(l->mechanism, "XOAUTH2") == 0);
}

/* A login of the run the server failed temporarily (its own trouble). */
static bool
login_tempfail_in_run(const struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l = login_of(ep(x, i));

		if (l != NULL && l->cls == CLASS_AUTH_ERROR)
			return true;
	}
	return false;
}

static bool
incoming_login_ok(const struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l = login_of(ep(x, i));

		if (l != NULL && l->ok && !mp_proto_is_outgoing(ep(x, i)->spec.proto))
			return true;
	}
	return false;
}

static const char *
login_finding(const struct dx *x, const struct mp_endpoint_result *e,
	      const struct mp_step_result *l)
{
	if (l->cls == CLASS_AUTH_TOKEN_UNAVAILABLE)
		return "oauth_token_unavailable";
	/* Without an RFC 7628 status the refusal need not be the token's:
	 * Postfix answers a bare 535 when Dovecot's token check is down,
	 * while IMAP/POP3 of the same run say it was temporary. */
	if (token_refused(l))
		return l->oauth_status[0] == '\0' && login_tempfail_in_run(x)
			   ? NULL
			   : "oauth_token_invalid";
	if (oauth_case(l))
		return "oauth_required";
	if (l->cls != CLASS_AUTH_FAILED)
		return NULL;
	if (mp_proto_is_outgoing(e->spec.proto) && incoming_login_ok(x))
		return "login_rejected_outgoing_only";
	return "login_rejected";
}

/* Logins skipped after a rejection are explained by that rejection. */
static void
explain_skipped(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l = login_of(ep(x, i));

		if (l != NULL && l->cls == CLASS_AUTH_SKIPPED && dx_failure(ep(x, i)) == l &&
		    l->skip == SKIP_REJECTION)
			dx_evidence(x, NULL, i, l);
	}
}

static void
rule_logins(struct dx *x)
{
	bool rejected = false;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l = login_of(ep(x, i));
		const char *id;

		if (l == NULL || l->ok || !dx_client(ep(x, i)))
			continue;
		if ((id = login_finding(x, ep(x, i), l)) == NULL)
			continue;
		dx_evidence(x, dx_add(x, id, SEV_CRITICAL), i, l);
		rejected = true;
	}
	if (rejected)
		explain_skipped(x);
}

static void
rule_sending(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *s = mp_endpoint_step(ep(x, i), STEP_SEND);

		if (s != NULL && !s->ok &&
		    (s->cls == CLASS_SENDER_REJECTED || s->cls == CLASS_RECIPIENT_REJECTED))
			dx_evidence(x, dx_add(x, "sending_rejected", SEV_CRITICAL), i, s);
	}
}

/* A login the server did not answer before the deadline, or one the
 * deadline left untested: connect and TLS worked, so this is slow or
 * penalised authentication, not an outage. */
static void
rule_login_timeout(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *l = login_of(ep(x, i));

		if (l == NULL || l->ok || !dx_client(ep(x, i)))
			continue;
		if (l->cls == CLASS_READ_TIMEOUT ||
		    (l->cls == CLASS_AUTH_SKIPPED && l->skip == SKIP_DEADLINE))
			dx_evidence(x, dx_add(x, "login_timeout", SEV_WARNING), i, l);
	}
}

void
dx_rules_login(struct dx *x)
{
	const struct mp_account *a = x->run->account;

	rule_logins(x);
	rule_login_timeout(x);
	rule_sending(x);
	if (a->user[0] == '\0' || (a->password == NULL && a->oauth2_unavailable[0] == '\0'))
		dx_add(x, "login_not_tested", SEV_INFO);
}
