/*
 * --format json: the run as one object with exactly the fields of mailprobe-reference(7)
 * (schema "mailprobe/1", see schema/mailprobe.schema.json). Pure output over
 * cJSON; never the password, the user only in recommended.username.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks/delivery.h"
#include "checks/path.h"
#include "probe/diagnose/diagnose.h"
#include "probe/run/discover.h"
#include "probe/render/render.h"

#define SCHEMA_ID "mailprobe/1"
#define SHOWN_MAX 2048

/* Counts failed additions (out of memory) while a tree is built. */
struct jb {
	int bad;
};

static void
check(struct jb *b, const void *added)
{
	if (added == NULL)
		b->bad++;
}

/* Seconds to the microsecond, so cJSON prints 0.012345, not 17 digits. */
static double
secs(double s)
{
	if (!(s > 0.0))
		return 0.0;
	return (double)(long long)(s * 1e6 + 0.5) / 1e6;
}

static void
put_str(struct jb *b, cJSON *o, const char *k, const char *v)
{
	check(b, cJSON_AddStringToObject(o, k, v));
}

/* A string from the network: cleaned, secrets masked. */
static void
put_msg(struct jb *b, cJSON *o, const char *k, const struct mp_account *a, const char *v)
{
	char buf[SHOWN_MAX];

	mp_render_message(a, v, buf, sizeof(buf));
	put_str(b, o, k, buf);
}

static void
put_num(struct jb *b, cJSON *o, const char *k, double v)
{
	check(b, cJSON_AddNumberToObject(o, k, v));
}

static void
put_bool(struct jb *b, cJSON *o, const char *k, bool v)
{
	check(b, cJSON_AddBoolToObject(o, k, v));
}

/* Adds item (owned from here on, freed when it cannot be added). */
static void
put_item(struct jb *b, cJSON *o, const char *k, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(o, k, item)) {
		cJSON_Delete(item);
		b->bad++;
	}
}

static void
push(struct jb *b, cJSON *arr, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		b->bad++;
	}
}

static cJSON *
cert_json(struct jb *b, const struct mp_cert *c)
{
	cJSON *o = cJSON_CreateObject();
	char when[32], buf[SHOWN_MAX];

	mp_render_clean(c->subject, buf, sizeof(buf), false);
	put_str(b, o, "subject", buf);
	mp_render_clean(c->issuer, buf, sizeof(buf), false);
	put_str(b, o, "issuer", buf);
	mp_render_time(c->not_after, when, sizeof(when));
	put_str(b, o, "not_after", when);
	put_num(b, o, "days_left", c->days_left);
	put_bool(b, o, "verified", c->verified);
	put_bool(b, o, "hostname_match", c->hostname_match);
	mp_render_clean(c->sha256, buf, sizeof(buf), false);
	put_str(b, o, "sha256", buf);
	put_num(b, o, "chain_length", c->chain_length);
	return o;
}

/* The '\n'-separated capabilities as an array of strings. */
static cJSON *
caps_json(struct jb *b, const struct mp_account *a, const char *caps)
{
	cJSON *arr = cJSON_CreateArray();
	char line[MP_CAPS_MAX], shown[SHOWN_MAX];
	const char *p = caps, *nl;
	size_t n;

	while (arr != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = '\0';
			mp_render_message(a, line, shown, sizeof(shown));
			push(b, arr, cJSON_CreateString(shown));
		}
		p += n + (nl != NULL);
	}
	return arr;
}

static cJSON *
step_json(struct jb *b, const struct mp_account *a, const struct mp_step_result *s)
{
	cJSON *o = cJSON_CreateObject();

	put_str(b, o, "step", mp_step_str(s->step));
	put_bool(b, o, "ok", s->ok);
	put_num(b, o, "seconds", secs(s->seconds));
	if (!s->ok && s->cls != CLASS_NONE)
		put_str(b, o, "class", mp_class_str(s->cls));
	put_msg(b, o, "message", a, s->message);
	if (s->step == STEP_TLS && s->tls_version[0] != '\0')
		put_msg(b, o, "tls_version", NULL, s->tls_version);
	if (s->step == STEP_TLS && s->cipher[0] != '\0')
		put_msg(b, o, "cipher", NULL, s->cipher);
	if (s->step == STEP_TLS && s->cert.present)
		put_item(b, o, "cert", cert_json(b, &s->cert));
	if (s->has_capabilities)
		put_item(b, o, "capabilities", caps_json(b, a, s->capabilities));
	if (s->step == STEP_LOGIN && s->mechanism[0] != '\0')
		put_msg(b, o, "mechanism", NULL, s->mechanism);
	if (s->step == STEP_LOGIN && s->oauth_status[0] != '\0')
		put_msg(b, o, "oauth_status", NULL, s->oauth_status);
	if (s->step == STEP_CONNECT && s->icmp_from[0] != '\0')
		put_str(b, o, "icmp_from", s->icmp_from);
	return o;
}

static cJSON *
endpoint_json(struct jb *b, const struct mp_account *a, const struct mp_endpoint_result *e)
{
	cJSON *o = cJSON_CreateObject(), *steps = cJSON_CreateArray();

	put_str(b, o, "protocol", mp_proto_str(e->spec.proto));
	put_num(b, o, "port", e->spec.port);
	put_str(b, o, "security", mp_security_str(e->spec.security));
	if (e->host[0] != '\0') {
		char host[SHOWN_MAX];

		mp_render_clean(e->host, host, sizeof(host), false);
		put_str(b, o, "host", host);
	}
	if (e->address[0] == '\0')
		check(b, cJSON_AddNullToObject(o, "address"));
	else
		put_str(b, o, "address", e->address);
	put_bool(b, o, "ok", e->ok);
	for (int i = 0; steps != NULL && i < e->nsteps && i < STEP_COUNT; i++)
		push(b, steps, step_json(b, a, &e->steps[i]));
	put_item(b, o, "steps", steps);
	return o;
}

static cJSON *
resolve_json(struct jb *b, const struct mp_resolve_result *r)
{
	cJSON *o = cJSON_CreateObject(), *addrs = cJSON_CreateArray();

	put_bool(b, o, "ok", r->ok);
	put_num(b, o, "seconds", secs(r->seconds));
	for (int i = 0; addrs != NULL && i < r->naddr && i < MP_MAX_ADDRS; i++)
		push(b, addrs, cJSON_CreateString(r->addrs[i]));
	put_item(b, o, "addresses", addrs);
	if (!r->ok && r->cls != CLASS_NONE)
		put_str(b, o, "class", mp_class_str(r->cls));
	return o;
}

/* One recommended setting, or null. */
static cJSON *
setting_json(struct jb *b, const struct mp_setting *st)
{
	cJSON *o;
	char host[SHOWN_MAX];

	if (st == NULL || !st->present)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	put_str(b, o, "protocol", mp_proto_str(st->proto));
	mp_render_clean(st->host, host, sizeof(host), false);
	put_str(b, o, "host", host);
	put_num(b, o, "port", st->port);
	put_str(b, o, "security", mp_security_str(st->security));
	return o;
}

static cJSON *
recommended_json(struct jb *b, const struct mp_run *run, const struct mp_diagnosis *d)
{
	const struct mp_recommended *r = &d->recommended;
	cJSON *o = cJSON_CreateObject();
	char user[MP_HOST_MAX + 8], shown[SHOWN_MAX];

	put_item(b, o, "incoming", setting_json(b, r != NULL ? &r->incoming : NULL));
	put_item(b, o, "outgoing", setting_json(b, r != NULL ? &r->outgoing : NULL));
	mp_render_user(run->account, user, sizeof(user));
	mp_render_clean(user, shown, sizeof(shown), false);
	if (shown[0] == '\0')
		check(b, cJSON_AddNullToObject(o, "username"));
	else
		put_str(b, o, "username", shown);
	return o;
}

static cJSON *
evidence_json(struct jb *b, const struct mp_run *run, const struct mp_evidence *ev)
{
	cJSON *o = cJSON_CreateObject();
	char raw[MP_MESSAGE_MAX + 32], name[SHOWN_MAX];

	mp_evidence_name(run, ev, raw, sizeof(raw));
	mp_render_clean(raw, name, sizeof(name), false);
	if (name[0] == '\0') /* not an endpoint's (resolve) */
		check(b, cJSON_AddNullToObject(o, "endpoint"));
	else
		put_str(b, o, "endpoint", name);
	if (ev->kind == EV_DISCOVERY)
		put_str(b, o, "step", "discover");
	else if (ev->has_step)
		put_str(b, o, "step", mp_step_str(ev->step));
	else
		check(b, cJSON_AddNullToObject(o, "step"));
	if (ev->cls != CLASS_NONE)
		put_str(b, o, "class", mp_class_str(ev->cls));
	else
		check(b, cJSON_AddNullToObject(o, "class"));
	mp_evidence_message(run, ev, raw, sizeof(raw));
	put_msg(b, o, "message", run->account, raw);
	return o;
}

/* Findings in English (JSON stays English whatever --lang says). */
static cJSON *
findings_json(struct jb *b, const struct mp_run *run, const struct mp_diagnosis *d)
{
	cJSON *arr = cJSON_CreateArray();
	char summary[MP_MESSAGE_MAX * 2], advice[MP_MESSAGE_MAX * 2];

	for (int i = 0; arr != NULL && i < d->nfindings; i++) {
		const struct mp_finding *f = &d->findings[i];
		cJSON *o = cJSON_CreateObject(), *ev = cJSON_CreateArray();

		mp_words_finding(run, f, LANG_EN, summary, sizeof(summary), advice, sizeof(advice));
		put_str(b, o, "id", f->id);
		put_str(b, o, "severity", mp_severity_str(f->severity));
		put_msg(b, o, "summary", run->account, summary);
		put_msg(b, o, "advice", run->account, advice);
		if (f->cause != CAUSE_NONE) {
			put_str(b, o, "cause", mp_cause_str(f->cause));
			put_str(b, o, "basis", mp_basis_str(f->basis));
		}
		for (int k = 0; ev != NULL && k < f->nevidence; k++)
			push(b, ev, evidence_json(b, run, &f->evidence[k]));
		put_item(b, o, "evidence", ev);
		push(b, arr, o);
	}
	return arr;
}

/* A found server, and whether credentials may go to its host and why. */
static cJSON *
found_json(struct jb *b, const struct mp_found *f)
{
	struct mp_setting st = {
	    .present = true, .proto = f->proto, .port = f->port, .security = f->security};
	cJSON *o;

	snprintf(st.host, sizeof(st.host), "%s", f->host);
	o = setting_json(b, &st);
	put_bool(b, o, "trusted", f->trust != TRUST_UNTRUSTED);
	put_str(b, o, "trust", mp_trust_str(f->trust));
	return o;
}

/* With an address argument or --discover: each source and what it found. */
static cJSON *
discovery_json(struct jb *b, const struct mp_run *run)
{
	const struct mp_discovery *d = run->discovery;
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	char shown[SHOWN_MAX];

	mp_render_clean(d->domain, shown, sizeof(shown), false);
	put_str(b, o, "domain", shown);
	for (int i = 0; arr != NULL && i < SOURCE_COUNT; i++) {
		const struct mp_source_result *s = &d->sources[i];
		cJSON *so = cJSON_CreateObject(), *found = cJSON_CreateArray();

		put_str(b, so, "source", mp_source_str(s->source));
		put_bool(b, so, "ok", s->ok);
		put_num(b, so, "seconds", secs(s->seconds));
		for (int k = 0; found != NULL && k < s->nfound; k++)
			push(b, found, found_json(b, &s->found[k]));
		put_item(b, so, "found", found);
		put_msg(b, so, "message", run->account, s->message);
		push(b, arr, so);
	}
	put_item(b, o, "sources", arr);
	return o;
}

static cJSON *
delivery_json(struct jb *b, const struct mp_run *run)
{
	const struct mp_delivery_result *d = run->delivery;
	cJSON *o = cJSON_CreateObject();

	put_bool(b, o, "ok", d->ok);
	put_num(b, o, "seconds", secs(d->seconds));
	if (!d->ok)
		put_str(b, o, "class", mp_class_str(d->cls));
	put_msg(b, o, "message", run->account, d->message);
	return o;
}

static void
put_null_or_str(struct jb *b, cJSON *o, const char *k, const char *v)
{
	if (v == NULL || v[0] == '\0')
		check(b, cJSON_AddNullToObject(o, k));
	else
		put_str(b, o, k, v);
}

/* One control connection (--control). */
static cJSON *
control_item_json(struct jb *b, const struct mp_account *a, const struct mp_control_result *c)
{
	cJSON *o = cJSON_CreateObject();
	char host[SHOWN_MAX];

	mp_render_clean(c->host, host, sizeof(host), false);
	put_str(b, o, "host", host);
	put_null_or_str(b, o, "address", c->address);
	put_num(b, o, "port", c->port);
	put_bool(b, o, "ok", c->ok);
	put_null_or_str(b, o, "class", c->ok ? NULL : mp_class_str(c->cls));
	put_num(b, o, "ms", round(c->seconds * 1e6) / 1e3);
	put_bool(b, o, "tls", c->tls);
	if (c->tls && c->ok)
		put_bool(b, o, "cert_verified", c->cert_verified);
	else
		check(b, cJSON_AddNullToObject(o, "cert_verified"));
	put_msg(b, o, "message", a, c->message);
	return o;
}

static cJSON *
control_json(struct jb *b, const struct mp_run *run)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; arr != NULL && i < run->ncontrol; i++)
		push(b, arr, control_item_json(b, run->account, &run->control[i]));
	return arr;
}

static cJSON *
hop_json(struct jb *b, const struct mp_path_hop *h)
{
	cJSON *o = cJSON_CreateObject();

	put_num(b, o, "ttl", h->ttl);
	if (h->addr[0] != '\0')
		put_str(b, o, "address", h->addr);
	else
		check(b, cJSON_AddNullToObject(o, "address"));
	put_str(b, o, "answer", mp_hop_answer_str(h->answer));
	if (h->answer == HOP_UNREACHABLE)
		put_num(b, o, "icmp_code", h->icmp_code);
	put_num(b, o, "ms", (double)(long long)(h->ms * 1000 + 0.5) / 1000);
	return o;
}

/* The paths measured (checks/path.h): hops up to where packets stop. */
static cJSON *
paths_json(struct jb *b, const struct mp_run *run)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; arr != NULL && i < run->npaths; i++) {
		const struct mp_path_result *p = &run->paths[i];
		cJSON *o = cJSON_CreateObject(), *hops = cJSON_CreateArray();

		put_str(b, o, "address", p->address);
		put_num(b, o, "port", p->port);
		for (int k = 0; hops != NULL && k < p->nhops; k++)
			push(b, hops, hop_json(b, &p->hops[k]));
		put_item(b, o, "hops", hops);
		put_num(b, o, "reached", p->reached);
		put_num(b, o, "last_hop", p->last_hop);
		put_str(b, o, "method", mp_path_method_str(p->method));
		put_bool(b, o, "skipped", p->skipped);
		if (p->skipped)
			put_str(b, o, "reason", p->skip_reason);
		push(b, arr, o);
	}
	return arr;
}

static cJSON *
endpoints_json(struct jb *b, const struct mp_run *run)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; arr != NULL && i < run->nendpoints; i++)
		push(b, arr, endpoint_json(b, run->account, &run->endpoints[i]));
	return arr;
}

struct cJSON *
mp_render_json_tree(const struct mp_run *run, const struct mp_diagnosis *d)
{
	struct jb b = {0};
	cJSON *o = cJSON_CreateObject();
	char when[32], host[SHOWN_MAX];

	if (o == NULL)
		return NULL;
	put_str(&b, o, "schema", SCHEMA_ID);
	mp_render_clean(run->host, host, sizeof(host), false);
	put_str(&b, o, "host", host);
	mp_render_time(run->started_at, when, sizeof(when));
	put_str(&b, o, "started_at", when);
	put_num(&b, o, "duration_seconds", secs(run->duration));
	put_item(&b, o, "resolve", resolve_json(&b, &run->resolve));
	put_item(&b, o, "endpoints", endpoints_json(&b, run));
	put_item(&b, o, "findings", findings_json(&b, run, d));
	put_item(&b, o, "recommended", recommended_json(&b, run, d));
	if (run->discovery != NULL)
		put_item(&b, o, "discovery", discovery_json(&b, run));
	if (run->delivery != NULL)
		put_item(&b, o, "delivery", delivery_json(&b, run));
	if (run->account != NULL && run->account->ncontrols > 0)
		put_item(&b, o, "control", control_json(&b, run));
	if (run->npaths > 0)
		put_item(&b, o, "paths", paths_json(&b, run));
	put_str(&b, o, "status", mp_render_status_word(d->status));
	if (b.bad > 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
mp_render_json(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d)
{
	cJSON *o = mp_render_json_tree(run, d);
	char *s = o != NULL ? cJSON_Print(o) : NULL;
	int rc = -1;

	if (s != NULL && fputs(s, out) >= 0 && fputc('\n', out) != EOF && fflush(out) == 0)
		rc = 0;
	cJSON_free(s);
	cJSON_Delete(o);
	return rc;
}
