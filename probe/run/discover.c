/*
 * Discovery from a domain: SRV records, the autoconfig file and MX-based
 * guesses, each reported; then the endpoints to probe. All under the run's
 * deadline. DNS through checks/dns.c and net.c, HTTPS through
 * checks/https.c, XML through autoconfig.c.
 */
#include <pthread.h>

#include "checks/fiber.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/dns.h"
#include "checks/https.h"
#include "checks/net.h"
#include "probe/run/discover.h"

#define AUTOCONFIG_MAX (256 * 1024)

const char *
mp_source_str(enum mp_source s)
{
	static const char *const names[SOURCE_COUNT] = {"srv", "autoconfig", "mx", "guess"};

	return (unsigned)s < SOURCE_COUNT ? names[s] : "";
}

const char *
mp_trust_str(enum mp_trust t)
{
	static const char *const names[TRUST_COUNT] = {[TRUST_UNTRUSTED] = "untrusted",
						       [TRUST_AUTOCONFIG_HTTPS] =
							   "autoconfig_https",
						       [TRUST_IN_DOMAIN] = "in_domain",
						       [TRUST_DNSSEC] = "dnssec",
						       [TRUST_USER] = "user"};

	return (unsigned)t < TRUST_COUNT ? names[t] : "";
}

static struct mp_found *
found_add(struct mp_source_result *s, enum mp_proto proto, uint16_t port, enum mp_security sec,
	  const char *host)
{
	struct mp_found *f;

	if (s->nfound >= MP_FOUND_MAX)
		return NULL;
	f = &s->found[s->nfound++];
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->port = port;
	f->security = sec;
	snprintf(f->host, sizeof(f->host), "%s", host);
	return f;
}

#define NSRV_MAX (PROTO_COUNT * MP_PROTO_PORTS_MAX)

struct srv_job {
	struct mp_srv_service svc;
	char name[MP_HOST_MAX + 32];
	const struct mp_deadline *dl;
	struct mp_dns_answer answer;
	struct mp_task task;
};

static void *
srv_main(void *arg)
{
	struct srv_job *j = arg;

	mp_dns_lookup(j->name, DNS_SRV, j->dl, &j->answer);
	return NULL;
}

/* The SRV lookups at once: a slow resolver costs one wait, not six. */
static void
srv_lookups(const char *domain, const struct mp_deadline *dl, struct srv_job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		snprintf(jobs[i].name, sizeof(jobs[i].name), "%s.%s", jobs[i].svc.label, domain);
		jobs[i].dl = dl;
		if (!mp_task_start(&jobs[i].task, srv_main, &jobs[i], 0, MP_TASK_ANY))
			srv_main(&jobs[i]);
	}
	for (int i = 0; i < n; i++)
		mp_task_join(&jobs[i].task);
}

static void
srv_add(struct mp_source_result *s, const struct mp_srv_service *svc, const struct mp_dns_answer *a)
{
	struct mp_found *f =
	    found_add(s, svc->proto, a->records[0].port, svc->security, a->records[0].target);

	if (f != NULL)
		f->dnssec = a->authenticated;
}

static void
discover_srv(const char *domain, const struct mp_deadline *dl, struct mp_source_result *s)
{
	struct srv_job jobs[NSRV_MAX];
	struct mp_srv_service svc[NSRV_MAX];
	int errors = 0, n = mp_proto_srv_services(svc, NSRV_MAX);

	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < n; i++)
		jobs[i].svc = svc[i];
	srv_lookups(domain, dl, jobs, n);
	for (int i = 0; i < n; i++) {
		const struct mp_dns_answer a = jobs[i].answer;

		if (a.cls != CLASS_NONE) {
			if (errors++ == 0)
				snprintf(s->message, sizeof(s->message), "%s", a.message);
			continue;
		}
		if (a.n > 0) /* the most preferred record */
			srv_add(s, &jobs[i].svc, &a);
	}
	s->ok = s->nfound > 0;
	if (s->nfound == 0 && errors == 0)
		snprintf(s->message, sizeof(s->message), "no SRV records for %s", domain);
	else if (s->nfound > 0)
		snprintf(s->message, sizeof(s->message), "%d SRV records", s->nfound);
}

static void
discover_autoconfig(const char *domain, const char *localpart, struct mp_tls_ctx *tls,
		    const struct mp_deadline *dl, struct mp_discovery *d)
{
	struct mp_source_result *s = &d->sources[SOURCE_AUTOCONFIG];
	const char *fmt[] = {"https://autoconfig.%s/mail/config-v1.1.xml",
			     "https://%s/.well-known/autoconfig/mail/config-v1.1.xml"};

	for (size_t i = 0; i < 2 && !s->ok; i++) {
		char url[MP_HOST_MAX + 64];
		struct mp_http_response r;

		snprintf(url, sizeof(url), fmt[i], domain);
		if (mp_https_get(url, tls, dl, AUTOCONFIG_MAX, &r) != CLASS_NONE) {
			snprintf(s->message, sizeof(s->message), "%.200s: %.250s", url, r.message);
		} else if (r.status != 200) {
			snprintf(s->message, sizeof(s->message), "%s: HTTP %d", url, r.status);
		} else if (mp_autoconfig_parse(r.body, r.len, domain, localpart, s,
					       d->username_template,
					       sizeof(d->username_template)) == 0) {
			s->ok = s->nfound > 0;
			snprintf(s->message, sizeof(s->message), "%s: %d servers", url, s->nfound);
		}
		mp_http_response_free(&r);
	}
}

/* The default-set ports of one direction at host. */
static void
add_direction_ports(struct mp_source_result *s, enum mp_direction dir, const char *host)
{
	struct mp_endpoint_spec e[MP_FOUND_MAX];
	int n = mp_proto_ports(dir, true, e, MP_FOUND_MAX);

	for (int i = 0; host != NULL && i < n; i++)
		found_add(s, e[i].proto, e[i].port, e[i].security, host);
}

static void
add_default_ports(struct mp_source_result *s, const char *in_host, const char *out_host)
{
	add_direction_ports(s, DIR_INCOMING, in_host);
	add_direction_ports(s, DIR_OUTGOING, out_host);
}

static void
discover_mx(const char *domain, const struct mp_deadline *dl, struct mp_source_result *s)
{
	struct mp_dns_answer a;

	if (mp_dns_lookup(domain, DNS_MX, dl, &a) != CLASS_NONE) {
		snprintf(s->message, sizeof(s->message), "%s", a.message);
		return;
	}
	if (a.n == 0) {
		snprintf(s->message, sizeof(s->message), "no MX record for %s", domain);
		return;
	}
	add_default_ports(s, a.records[0].target, a.records[0].target);
	for (int i = 0; i < s->nfound; i++)
		s->found[i].dnssec = a.authenticated;
	s->ok = true;
	snprintf(s->message, sizeof(s->message), "MX %s (preference %u)", a.records[0].target,
		 (unsigned)a.records[0].priority);
}

/* The first of the conventional names that resolves. */
static bool
resolves(const char *name, const struct mp_deadline *dl)
{
	struct mp_resolved r;

	return mp_resolve(name, AF_UNSPEC, dl, &r) == CLASS_NONE;
}

static void
discover_guess(const char *domain, const struct mp_deadline *dl, struct mp_source_result *s)
{
	char in[MP_HOST_MAX + 8], out[MP_HOST_MAX + 8], mail[MP_HOST_MAX + 8];
	bool has_in, has_out, has_mail;

	snprintf(in, sizeof(in), "imap.%s", domain);
	snprintf(out, sizeof(out), "smtp.%s", domain);
	snprintf(mail, sizeof(mail), "mail.%s", domain);
	has_mail = resolves(mail, dl);
	has_in = resolves(in, dl);
	has_out = resolves(out, dl);
	add_default_ports(s,
			  has_in     ? in
			  : has_mail ? mail
				     : NULL,
			  has_out    ? out
			  : has_mail ? mail
				     : NULL);
	s->ok = s->nfound > 0;
	if (!s->ok) {
		snprintf(s->message, sizeof(s->message), "none of %.150s, %.150s, %.150s resolves",
			 mail, in, out);
		return;
	}
	snprintf(s->message, sizeof(s->message), "resolves:%s%.150s%s%.150s%s%.150s",
		 has_mail ? " " : "", has_mail ? mail : "", has_in ? " " : "", has_in ? in : "",
		 has_out ? " " : "", has_out ? out : "");
}

struct source_job {
	enum mp_source source;
	const char *domain, *localpart;
	struct mp_tls_ctx *tls;
	const struct mp_deadline *dl;
	struct mp_discovery *d; /* each job writes only its own source */
	struct mp_task task;
};

static void *
source_main(void *arg)
{
	struct source_job *j = arg;
	struct mp_source_result *s = &j->d->sources[j->source];
	double t0 = mp_now();

	switch (j->source) {
	case SOURCE_SRV:
		discover_srv(j->domain, j->dl, s);
		break;
	case SOURCE_AUTOCONFIG:
		discover_autoconfig(j->domain, j->localpart, j->tls, j->dl, j->d);
		break;
	case SOURCE_MX:
		discover_mx(j->domain, j->dl, s);
		break;
	default:
		discover_guess(j->domain, j->dl, s);
	}
	s->seconds = mp_now() - t0;
	return NULL;
}

void
mp_discover(const char *domain, const char *localpart, struct mp_tls_ctx *tls,
	    const struct mp_deadline *dl, bool trust_all, struct mp_discovery *out)
{
	struct source_job jobs[SOURCE_COUNT];

	memset(out, 0, sizeof(*out));
	snprintf(out->domain, sizeof(out->domain), "%s", domain);
	for (int i = 0; i < SOURCE_COUNT; i++) {
		out->sources[i].source = (enum mp_source)i;
		jobs[i] = (struct source_job){.source = (enum mp_source)i,
					      .domain = domain,
					      .localpart = localpart,
					      .tls = tls,
					      .dl = dl,
					      .d = out};
		if (!mp_task_start(&jobs[i].task, source_main, &jobs[i], 0, MP_TASK_ANY))
			source_main(&jobs[i]);
	}
	for (int i = 0; i < SOURCE_COUNT; i++)
		mp_task_join(&jobs[i].task);
	mp_discovery_trust(out, trust_all);
}

/* --- which hosts get credentials (RFC 6186 section 6) ---------------------- */

bool
mp_host_in_domain(const char *host, const char *domain)
{
	size_t hn = mp_host_len(host), dn = mp_host_len(domain);

	if (dn == 0 || hn < dn || strncasecmp(host + hn - dn, domain, dn) != 0)
		return false;
	return hn == dn || host[hn - dn - 1] == '.';
}

/* What one entry says for its host by itself. */
static enum mp_trust
entry_trust(const struct mp_discovery *d, enum mp_source src, const struct mp_found *f)
{
	if (src == SOURCE_AUTOCONFIG)
		return TRUST_AUTOCONFIG_HTTPS;
	if (mp_host_in_domain(f->host, d->domain))
		return TRUST_IN_DOMAIN;
	return f->dnssec ? TRUST_DNSSEC : TRUST_UNTRUSTED;
}

/* The best of two reasons: any reason beats none, earlier ones later. */
static enum mp_trust
better(enum mp_trust a, enum mp_trust b)
{
	if (a == TRUST_UNTRUSTED)
		return b;
	return b == TRUST_UNTRUSTED || a < b ? a : b;
}

static enum mp_trust
host_trust(const struct mp_discovery *d, const char *host)
{
	enum mp_trust t = TRUST_UNTRUSTED;

	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int i = 0; i < d->sources[s].nfound; i++)
			if (strcasecmp(d->sources[s].found[i].host, host) == 0)
				t = better(
				    t, entry_trust(d, (enum mp_source)s, &d->sources[s].found[i]));
	return t;
}

void
mp_discovery_trust(struct mp_discovery *d, bool trust_all)
{
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int i = 0; i < d->sources[s].nfound; i++) {
			struct mp_found *f = &d->sources[s].found[i];

			f->trust = host_trust(d, f->host);
			if (f->trust == TRUST_UNTRUSTED && trust_all)
				f->trust = TRUST_USER;
		}
}

enum mp_trust
mp_discovery_host_trust(const struct mp_discovery *d, const char *host)
{
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int i = 0; i < d->sources[s].nfound; i++)
			if (strcasecmp(d->sources[s].found[i].host, host) == 0)
				return d->sources[s].found[i].trust;
	/* no source named it: the domain itself, when discovery found nothing */
	return mp_host_in_domain(host, d->domain) ? TRUST_IN_DOMAIN : TRUST_UNTRUSTED;
}

/* The sources that name host, as "SRV, MX". */
static void
sources_naming(const struct mp_discovery *d, const char *host, char *buf, size_t len)
{
	static const char *const upper[SOURCE_COUNT] = {"SRV", "autoconfig", "MX", "guess"};
	size_t used = 0;

	buf[0] = '\0';
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int i = 0; i < d->sources[s].nfound; i++) {
			if (strcasecmp(d->sources[s].found[i].host, host) != 0)
				continue;
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used > 0 ? ", " : "", upper[s]);
			break;
		}
}

bool
mp_discovery_refusal(const struct mp_discovery *d, const char *host, char *buf, size_t len)
{
	char srcs[64];

	if (mp_discovery_host_trust(d, host) != TRUST_UNTRUSTED)
		return false;
	sources_naming(d, host, srcs, sizeof(srcs));
	snprintf(buf, len,
		 "not sent: %.200s came from unauthenticated DNS (%s) and is outside %.200s "
		 "(--trust-discovered to send anyway)",
		 host, srcs[0] != '\0' ? srcs : "discovery", d->domain);
	return true;
}

/* --- from the sources to the account -------------------------------------- */

static bool
has_endpoint(const struct mp_account *a, const struct mp_found *f)
{
	for (int i = 0; i < a->nendpoints; i++)
		if (a->endpoints[i].proto == f->proto && a->endpoints[i].port == f->port &&
		    a->endpoints[i].security == f->security &&
		    strcasecmp(mp_account_host_of(a, i), f->host) == 0)
			return true;
	return false;
}

static void
account_add(struct mp_account *a, const struct mp_found *f)
{
	int i = a->nendpoints;

	if (i >= MP_MAX_ENDPOINTS || has_endpoint(a, f))
		return;
	a->endpoints[i] = (struct mp_endpoint_spec){f->proto, f->port, f->security};
	snprintf(a->endpoint_hosts[i], sizeof(a->endpoint_hosts[i]), "%s", f->host);
	a->nendpoints++;
}

/* The first source with endpoints of this direction: the autoconfig file
 * came over verified HTTPS, so it wins over plain DNS (a forged SRV answer
 * must not pick the servers); then SRV, MX and guesses. */
static const struct mp_source_result *
first_with(const struct mp_discovery *d, bool outgoing)
{
	static const enum mp_source order[SOURCE_COUNT] = {SOURCE_AUTOCONFIG, SOURCE_SRV, SOURCE_MX,
							   SOURCE_GUESS};

	for (int k = 0; k < SOURCE_COUNT; k++) {
		const struct mp_source_result *src = &d->sources[order[k]];

		for (int i = 0; i < src->nfound; i++)
			if (mp_proto_is_outgoing(src->found[i].proto) == outgoing)
				return src;
	}
	return NULL;
}

/* Adds src's endpoints of one direction, then the published fallbacks at
 * the same host. */
static void
apply_direction(struct mp_account *a, const struct mp_source_result *src, bool outgoing)
{
	const char *host = NULL;
	struct mp_source_result extra = {.nfound = 0};

	for (int i = 0; i < src->nfound; i++) {
		if (mp_proto_is_outgoing(src->found[i].proto) != outgoing)
			continue;
		account_add(a, &src->found[i]);
		if (host == NULL)
			host = src->found[i].host;
	}
	add_default_ports(&extra, outgoing ? NULL : host, outgoing ? host : NULL);
	for (int i = 0; i < extra.nfound; i++)
		account_add(a, &extra.found[i]);
}

static void
apply_user(const struct mp_discovery *d, struct mp_account *a)
{
	const char *at = strchr(a->address, '@');

	if (a->user[0] != '\0' && strcmp(a->user, a->address) != 0)
		return; /* --user given */
	if (strcmp(d->username_template, "%EMAILLOCALPART%") == 0 && at != NULL)
		snprintf(a->user, sizeof(a->user), "%.*s", (int)(at - a->address), a->address);
}

int
mp_discovery_apply(const struct mp_discovery *d, struct mp_account *a, bool keep_endpoints)
{
	const struct mp_source_result *in = first_with(d, false), *out = first_with(d, true);

	if (in == NULL && out == NULL)
		return -1;
	apply_user(d, a);
	if (keep_endpoints) {
		const char *host = (in != NULL ? in : out)->found[0].host;

		snprintf(a->host, sizeof(a->host), "%s", host);
		return 0;
	}
	a->nendpoints = 0;
	memset(a->endpoint_hosts, 0, sizeof(a->endpoint_hosts));
	if (in != NULL)
		apply_direction(a, in, false);
	if (out != NULL)
		apply_direction(a, out, true);
	return 0;
}
