/*
 * Wiring of the delivery check: choose the endpoints from the run's facts
 * (the recommended outgoing endpoint, a working IMAP one), run it, and keep
 * its result in the run. The diagnosis reads it like any other fact.
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
	c->oauth2 = a->oauth2;
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

/* The endpoint index the failure names (r->endpoint), or -1. */
static int
failed_at(const struct mp_run *run, const struct mp_delivery_result *r,
	  const struct mp_endpoint_result *out, const struct mp_endpoint_result *in)
{
	const struct mp_endpoint_result *cand[2] = {out, in};
	char spec[48], name[MP_ADDR_MAX + 64];

	for (int k = 0; k < 2; k++) {
		if (cand[k] == NULL)
			continue;
		mp_endpoint_spec_str(&cand[k]->spec, spec, sizeof(spec));
		snprintf(name, sizeof(name), "%s@%s", spec, cand[k]->address);
		if (strcmp(name, r->endpoint) == 0)
			return (int)(cand[k] - run->endpoints);
	}
	return -1;
}

static void
not_possible(struct mp_delivery_result *r, const char *why)
{
	r->ran = true;
	r->cls = CLASS_AUTH_SKIPPED;
	snprintf(r->message, sizeof(r->message), "%s", why);
}

void
mp_run_delivery(struct mp_run *run, struct mp_tls_ctx *tls, const atomic_int *cancel)
{
	struct mp_recommended rec;
	const struct mp_endpoint_result *out, *in;
	const char *address = own_address(run->account);
	struct mp_check_config sc, ic;
	struct mp_deadline dl = {.cancel = cancel};
	struct mp_delivery_result *r = calloc(1, sizeof(*r));

	run->delivery_endpoint = -1;
	if ((run->delivery = r) == NULL)
		return;
	mp_recommend(run, &rec);
	out = pick_outgoing(run, &rec.outgoing);
	in = pick_imap(run);
	if (address == NULL)
		not_possible(r, "no address to send to: give the e-mail address or --mail-from");
	else if (out == NULL)
		not_possible(r, "no working outgoing endpoint to send from");
	else if (in == NULL)
		not_possible(r, "no working IMAP endpoint to look for the message");
	if (r->ran)
		return;
	config_for(run, out, tls, &sc);
	config_for(run, in, tls, &ic);
	sc.dl = ic.dl = &dl;
	mp_delivery_run(&sc, &ic, address, run->account->deliver_timeout, r);
	if (!r->ok)
		run->delivery_endpoint = failed_at(run, r, out, in);
}
