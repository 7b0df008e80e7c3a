/*
 * The recommended settings: what works from here, in the order providers
 * publish them (IMAP 993 SSL/TLS, then POP3 995; SMTP 587 STARTTLS, else 465
 * SSL/TLS). A pure function of the run's facts; no I/O here.
 */
#include <stdio.h>
#include <string.h>

#include "probe/run/run.h"

struct pref {
	enum mp_proto proto;
	int port; /* 0: any port but 25 */
	enum mp_security security;
};

static const struct pref incoming[] = {
    {PROTO_IMAP, 993, SEC_TLS},      {PROTO_POP3, 995, SEC_TLS},    {PROTO_IMAP, 143, SEC_STARTTLS},
    {PROTO_POP3, 110, SEC_STARTTLS}, {PROTO_IMAP, 0, SEC_TLS},      {PROTO_POP3, 0, SEC_TLS},
    {PROTO_IMAP, 0, SEC_STARTTLS},   {PROTO_POP3, 0, SEC_STARTTLS},
};

static const struct pref outgoing[] = {
    {PROTO_SMTP, 587, SEC_STARTTLS},
    {PROTO_SMTP, 465, SEC_TLS},
    {PROTO_SMTP, 0, SEC_STARTTLS},
    {PROTO_SMTP, 0, SEC_TLS},
};

/* The server setting works from here: nothing failed before the login (a
 * rejected password is the account's problem, a slow or temporarily
 * failing login the server's, not the setting's), and the server is not
 * one that only unauthenticated DNS named (the login was not sent there:
 * recommending it would hand the password to whoever forged the answer). */
static bool
usable(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *f = mp_endpoint_failure(e);
	const struct mp_step_result *l = mp_endpoint_step(e, STEP_LOGIN);

	if (e->address[0] == '\0' || e->spec.port == 25)
		return false;
	if (l != NULL && l->cls == CLASS_AUTH_SKIPPED && l->skip == SKIP_UNTRUSTED)
		return false; /* never recommend a server nobody vouched for */
	return f == NULL || f->step == STEP_SEND ||
	       (f->step == STEP_LOGIN &&
		(f->cls == CLASS_AUTH_FAILED || f->cls == CLASS_AUTH_SKIPPED ||
		 f->cls == CLASS_READ_TIMEOUT || f->cls == CLASS_AUTH_ERROR));
}

static bool
matches(const struct mp_endpoint_result *e, const struct pref *p)
{
	return e->spec.proto == p->proto && e->spec.security == p->security &&
	       (p->port == 0 || e->spec.port == p->port);
}

static void
pick(const struct mp_run *run, const struct pref *prefs, size_t n, struct mp_setting *out)
{
	for (size_t k = 0; k < n; k++) {
		for (int i = 0; i < run->nendpoints; i++) {
			const struct mp_endpoint_result *e = &run->endpoints[i];

			if (!matches(e, &prefs[k]) || !usable(e))
				continue;
			out->present = true;
			out->proto = e->spec.proto;
			out->port = e->spec.port;
			out->security = e->spec.security;
			snprintf(out->host, sizeof(out->host), "%s",
				 e->host[0] ? e->host : run->host);
			return;
		}
	}
}

void
mp_recommend(const struct mp_run *run, struct mp_recommended *r)
{
	const struct mp_account *a = run->account;

	memset(r, 0, sizeof(*r));
	pick(run, incoming, sizeof(incoming) / sizeof(incoming[0]), &r->incoming);
	pick(run, outgoing, sizeof(outgoing) / sizeof(outgoing[0]), &r->outgoing);
	if (a->user[0] != '\0')
		snprintf(r->username, sizeof(r->username), "%s", a->user);
	else if (a->address[0] != '\0')
		snprintf(r->username, sizeof(r->username), "%s", a->address);
}
