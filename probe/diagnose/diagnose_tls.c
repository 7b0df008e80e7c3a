/*
 * Diagnosis rules about encryption: stripped STARTTLS, interception,
 * incomplete chains, expiry, clock skew and outdated TLS. No I/O here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe/diagnose/diagnose_rules.h"

static const struct mp_endpoint_result *
ep(const struct dx *x, int i)
{
	return &x->run->endpoints[i];
}

static const struct mp_step_result *
tls_step(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *t = mp_endpoint_step(e, STEP_TLS);

	return t != NULL && t->cert.present ? t : NULL;
}

/* Some endpoint of the host offers STARTTLS (a pre-TLS list saying so, or a
 * working upgrade). */
static bool
starttls_offered_elsewhere(const struct dx *x, int self)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *s = mp_endpoint_step(ep(x, i), STEP_STARTTLS);

		if (i != self && s != NULL && s->ok)
			return true;
	}
	return false;
}

static void
rule_stripped(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *f = dx_failure(ep(x, i));

		if (f == NULL || !dx_client(ep(x, i)))
			continue;
		if (f->cls == CLASS_STARTTLS_STRIPPED ||
		    (f->cls == CLASS_STARTTLS_UNSUPPORTED && starttls_offered_elsewhere(x, i)))
			dx_evidence(x, dx_add(x, "starttls_stripped", SEV_CRITICAL), i, NULL);
	}
}

/* Untrusted here, trusted elsewhere: interception. A leaf whose issuer was
 * not sent is an incomplete chain instead. */
static void
rule_intercepted(struct dx *x)
{
	bool trusted = false;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));

		trusted |= dx_client(ep(x, i)) && t != NULL && t->cert.verified;
	}
	if (!trusted)
		return;
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));

		if (dx_client(ep(x, i)) && t != NULL && t->cls == CLASS_TLS_UNTRUSTED &&
		    !t->cert.issuer_missing)
			dx_evidence(x, dx_add(x, "tls_intercepted", SEV_CRITICAL), i, t);
	}
}

static void
rule_chain(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));

		if (dx_client(ep(x, i)) && t != NULL && t->cls == CLASS_TLS_UNTRUSTED &&
		    t->cert.issuer_missing && !x->explained[i])
			dx_evidence(x, dx_add(x, "cert_chain_incomplete", SEV_WARNING), i, t);
	}
}

/* Every certificate seen is not yet valid, or expired by under a day. */
static bool
clock_suspect(const struct dx *x)
{
	int n = 0;
	time_t now = x->run->started_at; /* the run's clock: a pure function */

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));

		if (t == NULL || !dx_client(ep(x, i)))
			continue;
		n++;
		if (t->cls == CLASS_TLS_NOT_YET_VALID)
			continue;
		if (t->cls == CLASS_TLS_EXPIRED && now - t->cert.not_after < 86400)
			continue;
		return false;
	}
	return n > 0;
}

static void
rule_dates(struct dx *x)
{
	bool skew = clock_suspect(x);

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));

		if (t == NULL || !dx_client(ep(x, i)))
			continue;
		if (t->cls == CLASS_TLS_EXPIRED)
			dx_evidence(x, dx_add(x, "cert_expired", SEV_CRITICAL), i, t);
		if (skew) { /* a hint, the failure stays unexplained: nothing works */
			bool was = x->explained[i];

			dx_evidence(x, dx_add(x, "clock_skew", SEV_WARNING), i, t);
			x->explained[i] = was || t->cls == CLASS_TLS_EXPIRED;
		}
	}
}

static void
rule_expiring(struct dx *x)
{
	const struct mp_account *a = x->run->account;

	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));
		enum mp_severity sev;

		if (t == NULL || !dx_client(ep(x, i)) || !t->cert.verified ||
		    t->cert.days_left < 0 || t->cert.days_left >= a->cert_warn_days)
			continue;
		sev = t->cert.days_left < a->cert_crit_days ? SEV_CRITICAL : SEV_WARNING;
		dx_evidence(x, dx_add(x, "cert_expiring", sev), i, t);
	}
}

static void
rule_outdated(struct dx *x)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_step_result *t = tls_step(ep(x, i));
		bool weak;

		if (t == NULL || !dx_client(ep(x, i)))
			continue;
		weak =
		    (strcmp(t->tls_version, "TLSv1.2") == 0 && !t->aead) || t->cert.sha1_signature;
		if (weak)
			dx_evidence(x, dx_add(x, "tls_outdated", SEV_WARNING), i, t);
	}
}

void
dx_rules_tls(struct dx *x)
{
	rule_stripped(x);
	rule_intercepted(x);
	rule_chain(x);
	rule_dates(x);
	rule_expiring(x);
	rule_outdated(x);
}
