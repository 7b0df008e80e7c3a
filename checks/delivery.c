/*
 * The delivery check: two endpoint runs with an after-login hook each (SMTP
 * DATA, IMAP search and delete), under one deadline of their own.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "checks/delivery.h"
#include "checks/session.h"

struct delivery_ctx {
	const char *address;
	char tag[40];
	double found_at;
};

static enum mp_class
send_hook(struct mp_session *s, void *arg, struct mp_step_result *st)
{
	struct delivery_ctx *d = arg;

	return mp_smtp_deliver(s, st, d->address, d->address, d->tag);
}

static enum mp_class
find_hook(struct mp_session *s, void *arg, struct mp_step_result *st)
{
	struct delivery_ctx *d = arg;

	return mp_imap_find_delete(s, st, d->tag, &d->found_at);
}

static void
make_tag(char *tag, size_t len)
{
	unsigned char r[12];

	if (RAND_bytes(r, sizeof(r)) != 1)
		memset(r, 0x5a, sizeof(r)); /* still unique enough per second */
	snprintf(tag, len, "mp-%lx-", (unsigned long)time(NULL));
	for (size_t i = 0; i < sizeof(r) && strlen(tag) + 3 < len; i++)
		snprintf(tag + strlen(tag), len - strlen(tag), "%02x", r[i]);
}

static void
leg_fail(struct mp_delivery_result *out, const struct mp_endpoint_result *res, enum mp_class cls,
	 const char *message)
{
	char spec[48];

	mp_endpoint_spec_str(&res->spec, spec, sizeof(spec));
	snprintf(out->endpoint, sizeof(out->endpoint), "%s@%s", spec, res->address);
	out->cls = cls;
	snprintf(out->message, sizeof(out->message), "%s", message);
}

/* Runs one endpoint with the hook (as its send step); false, with out
 * filled, when the hook did not succeed. */
static bool
leg(const struct mp_check_config *base, const struct mp_deadline *dl,
    enum mp_class (*hook)(struct mp_session *, void *, struct mp_step_result *),
    struct delivery_ctx *d, struct mp_delivery_result *out)
{
	struct mp_check_config c = *base;
	struct mp_endpoint_result res;
	const struct mp_step_result *sent, *f;

	c.dl = dl;
	c.gate = NULL;
	c.mail_from = c.rcpt_to = NULL;
	c.after_login = hook;
	c.after_login_arg = d;
	mp_endpoint_run(&c, &res);
	sent = mp_endpoint_step(&res, STEP_SEND);
	f = mp_endpoint_failure(&res);
	if (sent == NULL && f != NULL)
		leg_fail(out, &res, f->cls, f->message);
	else if (sent == NULL)
		leg_fail(out, &res, CLASS_AUTH_SKIPPED,
			 "no login, so nothing was sent or searched");
	else if (!sent->ok)
		leg_fail(out, &res, sent->cls, sent->message);
	mp_endpoint_result_cleanup(&res);
	return out->cls == CLASS_NONE && sent != NULL;
}

void
mp_delivery_run(const struct mp_check_config *smtp, const struct mp_check_config *imap,
		const char *address, double timeout, struct mp_delivery_result *out)
{
	struct delivery_ctx d = {.address = address};
	struct mp_deadline dl;
	double sent_at;

	memset(out, 0, sizeof(*out));
	out->ran = true;
	mp_deadline_in(&dl, timeout);
	dl.cancel = smtp->dl != NULL ? smtp->dl->cancel : NULL;
	make_tag(d.tag, sizeof(d.tag));
	if (!leg(smtp, &dl, send_hook, &d, out))
		return;
	sent_at = mp_now();
	if (!leg(imap, &dl, find_hook, &d, out))
		return;
	out->ok = true;
	out->seconds = d.found_at - sent_at;
	snprintf(out->message, sizeof(out->message), "delivered and found in %.2f s (tag %s)",
		 out->seconds, d.tag);
}
