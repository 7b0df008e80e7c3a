/*
 * Wiring of the delivery check: choose the endpoints from the run, run it,
 * and turn a failure into a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/delivery.h"
#include "probe/run/deliver.h"

/* Nothing failed before the send step. */
static bool
usable(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *f = mp_endpoint_failure(e);

	return e->address[0] != '\0' && (f == NULL || f->step == STEP_SEND);
}

static const struct mp_endpoint_result *
pick_outgoing(const struct mp_run *run, const struct mp_setting *want)
{
	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &run->endpoints[i];

		if (want->present && e->spec.proto == want->proto && e->spec.port == want->port &&
		    e->spec.security == want->security && usable(e))
			return e;
	}
	return NULL;
}

static const struct mp_endpoint_result *
pick_imap(const struct mp_run *run)
{
	const struct mp_endpoint_result *best = NULL;

	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &run->endpoints[i];

		if (e->spec.proto != PROTO_IMAP || !usable(e))
			continue;
		if (best == NULL || (e->spec.security == SEC_TLS && best->spec.security != SEC_TLS))
			best = e;
	}
	return best;
}

static void
config_for(const struct mp_run *run, const struct mp_endpoint_result *e, struct mp_tls_ctx *tls,
	   struct mp_check_config *c)
{
	const struct mp_account *a = run->account;

	memset(c, 0, sizeof(*c));
	c->spec = e->spec;
	c->host = e->host[0] ? e->host : run->host;
	mp_addr_parse(e->address, &c->addr);
	c->user = a->user;
	c->password = a->password;
	c->insecure_login = a->insecure_login;
	c->helo = a->helo;
	c->tls = tls;
}

/* The account's own address: the address argument, a user name that is
 * one, or --mail-from. */
static const char *
own_address(const struct mp_account *a)
{
	if (a->address[0] != '\0')
		return a->address;
	if (strchr(a->user, '@') != NULL)
		return a->user;
	return a->mail_from[0] != '\0' ? a->mail_from : NULL;
}

static void
record_finding(const struct mp_run *run, struct mp_diagnosis *d, const struct mp_delivery_result *r)
{
	bool refused = r->cls == CLASS_SENDER_REJECTED || r->cls == CLASS_RECIPIENT_REJECTED;
	const char *id = refused ? "sending_rejected" : "endpoint_failed";
	struct mp_finding *f = (struct mp_finding *)mp_diagnosis_find(d, id);
	struct mp_evidence *ev;

	if (f == NULL) {
		if ((f = mp_diagnosis_add(d)) == NULL)
			return;
		f->id = id;
		f->severity = SEV_CRITICAL;
	}
	if (f->nevidence < MP_MAX_EVIDENCE) {
		ev = &f->evidence[f->nevidence++];
		snprintf(ev->endpoint, sizeof(ev->endpoint), "%s", r->endpoint);
		ev->has_step = r->endpoint[0] != '\0';
		ev->step = STEP_SEND;
		ev->cls = r->cls;
		snprintf(ev->message, sizeof(ev->message), "delivery check: %.400s", r->message);
	}
	mp_finding_say(run, f);
	d->status = STATUS_CRITICAL;
}

static void
not_possible(struct mp_delivery_result *r, const char *why)
{
	r->ran = true;
	r->cls = CLASS_AUTH_SKIPPED;
	snprintf(r->message, sizeof(r->message), "%s", why);
}

void
mp_run_delivery(struct mp_run *run, struct mp_diagnosis *d, struct mp_tls_ctx *tls,
		const atomic_int *cancel)
{
	const struct mp_endpoint_result *out = pick_outgoing(run, &d->recommended.outgoing);
	const struct mp_endpoint_result *in = pick_imap(run);
	const char *address = own_address(run->account);
	struct mp_check_config sc, ic;
	struct mp_deadline dl = {.cancel = cancel};
	struct mp_delivery_result *r = calloc(1, sizeof(*r));

	if ((run->delivery = r) == NULL)
		return;
	if (address == NULL)
		not_possible(r, "no address to send to: give the e-mail address or --mail-from");
	else if (out == NULL)
		not_possible(r, "no working outgoing endpoint to send from");
	else if (in == NULL)
		not_possible(r, "no working IMAP endpoint to look for the message");
	if (r->ran) {
		record_finding(run, d, r);
		return;
	}
	config_for(run, out, tls, &sc);
	config_for(run, in, tls, &ic);
	sc.dl = ic.dl = &dl;
	mp_delivery_run(&sc, &ic, address, run->account->deliver_timeout, r);
	if (!r->ok)
		record_finding(run, d, r);
}
