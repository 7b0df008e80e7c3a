/*
 * The words of a finding, at output time: the facts its texts mention
 * (ports, host, dates, the class) are read from its structured evidence and
 * the run, and put into the language's summary and advice. No I/O here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checks/path.h"
#include "probe/run/discover.h"
#include "probe/words/words.h"

/* What the texts of one finding may mention. */
struct params {
	char ports[64];         /* "587" or "993, 995" */
	char port_classes[512]; /* "port 993 (connect_refused), port 587 (...)" */
	char server[MP_HOST_MAX];
	char control[256]; /* the control hosts in the evidence */
	char hop[16];      /* the blocked port's last hop that answered */
	char hop_addr[MP_ADDR_MAX];
	char server_hop[16]; /* the hop at which a working port reached the server */
	int npaths;
	char address[MP_ADDR_MAX];
	char message[MP_MESSAGE_MAX];
	char oauth_status[96]; /* the RFC 7628 statuses in the evidence, ", " list */
	char days[16];
	char date[32];
	char seconds[32]; /* the slowest step in the evidence, "8.20 s" */
	enum mp_class first_cls;
	bool plaintext_port;
	bool token; /* the credential is an OAuth2 access token */
	bool refused;
	bool v6;
	bool sha1;
	double slowest;
};

struct texts {
	const char *id;
	enum mp_word summary, advice;
};

static const struct texts texts[] = {
    {"dns_failure", W_F_DNS_FAILURE_SUMMARY, W_F_DNS_FAILURE_ADVICE},
    {"host_unreachable", W_F_HOST_UNREACHABLE_SUMMARY, W_F_HOST_UNREACHABLE_ADVICE},
    {"outgoing_blocked", W_F_OUTGOING_BLOCKED_SUMMARY, W_F_OUTGOING_BLOCKED_ADVICE},
    {"outgoing_port_blocked", W_F_OUTGOING_PORT_BLOCKED_SUMMARY, W_F_OUTGOING_PORT_BLOCKED_ADVICE},
    {"port25_blocked", W_F_PORT25_BLOCKED_SUMMARY, W_F_PORT25_BLOCKED_ADVICE},
    {"wrong_security_mode", W_F_WRONG_SECURITY_MODE_SUMMARY, W_F_WRONG_SECURITY_MODE_ADVICE},
    {"starttls_stripped", W_F_STARTTLS_STRIPPED_SUMMARY, W_F_STARTTLS_STRIPPED_ADVICE},
    {"tls_intercepted", W_F_TLS_INTERCEPTED_SUMMARY, W_F_TLS_INTERCEPTED_ADVICE},
    {"cert_chain_incomplete", W_F_CERT_CHAIN_INCOMPLETE_SUMMARY, W_F_CERT_CHAIN_INCOMPLETE_ADVICE},
    {"cert_expired", W_F_CERT_EXPIRED_SUMMARY, W_F_CERT_EXPIRED_ADVICE},
    {"clock_skew", W_F_CLOCK_SKEW_SUMMARY, W_F_CLOCK_SKEW_ADVICE},
    {"cert_expiring", W_F_CERT_EXPIRING_SUMMARY, W_F_CERT_EXPIRING_ADVICE},
    {"tls_outdated", W_F_TLS_OUTDATED_SUMMARY, W_F_TLS_OUTDATED_ADVICE},
    {"login_rejected", W_F_LOGIN_REJECTED_SUMMARY, W_F_LOGIN_REJECTED_ADVICE},
    {"login_rejected_outgoing_only", W_F_LOGIN_REJECTED_OUTGOING_ONLY_SUMMARY,
     W_F_LOGIN_REJECTED_OUTGOING_ONLY_ADVICE},
    {"oauth_required", W_F_OAUTH_REQUIRED_SUMMARY, W_F_OAUTH_REQUIRED_ADVICE},
    {"oauth_token_invalid", W_F_OAUTH_TOKEN_INVALID_SUMMARY, W_F_OAUTH_TOKEN_INVALID_ADVICE},
    {"oauth_token_unavailable", W_F_OAUTH_TOKEN_UNAVAILABLE_SUMMARY,
     W_F_OAUTH_TOKEN_UNAVAILABLE_ADVICE},
    {"login_not_tested", W_F_LOGIN_NOT_TESTED_SUMMARY, W_F_LOGIN_NOT_TESTED_ADVICE},
    {"sending_rejected", W_F_SENDING_REJECTED_SUMMARY, W_F_SENDING_REJECTED_ADVICE},
    {"address_family_broken", W_F_ADDRESS_FAMILY_BROKEN_SUMMARY, W_F_ADDRESS_FAMILY_BROKEN_ADVICE},
    {"address_down", W_F_ADDRESS_DOWN_SUMMARY, W_F_ADDRESS_DOWN_ADVICE},
    {"discovery_conflict", W_F_DISCOVERY_CONFLICT_SUMMARY, W_F_DISCOVERY_CONFLICT_ADVICE},
    {"login_timeout", W_F_LOGIN_TIMEOUT_SUMMARY, W_F_LOGIN_TIMEOUT_ADVICE},
    {"greeting_slow", W_F_GREETING_SLOW_SUMMARY, W_F_GREETING_SLOW_ADVICE},
    {"discovery_untrusted", W_F_DISCOVERY_UNTRUSTED_SUMMARY, W_F_DISCOVERY_UNTRUSTED_ADVICE},
    {"endpoint_failed", W_F_ENDPOINT_FAILED_SUMMARY, W_F_ENDPOINT_FAILED_ADVICE},
};

/* endpoint_failed: the advice for the class of its first failure. */
static const struct {
	enum mp_class cls;
	enum mp_word advice;
} class_advice[] = {
    {CLASS_CONNECT_TIMEOUT, W_A_CONNECT_TIMEOUT},
    {CLASS_CONNECT_REFUSED, W_A_CONNECT_REFUSED},
    {CLASS_CONNECT_UNREACHABLE, W_A_CONNECT_UNREACHABLE},
    {CLASS_TLS_UNTRUSTED, W_A_TLS_UNTRUSTED},
    {CLASS_TLS_HOSTNAME_MISMATCH, W_A_TLS_HOSTNAME_MISMATCH},
    {CLASS_TLS_NOT_YET_VALID, W_A_TLS_NOT_YET_VALID},
    {CLASS_TLS_VERSION_TOO_OLD, W_A_TLS_VERSION_TOO_OLD},
    {CLASS_AUTH_UNSUPPORTED, W_A_AUTH_UNSUPPORTED},
    {CLASS_AUTH_ERROR, W_A_AUTH_ERROR},
    {CLASS_SERVER_REJECTED, W_A_SERVER_REJECTED},
    {CLASS_WRONG_PROTOCOL, W_A_WRONG_PROTOCOL},
    {CLASS_STARTTLS_UNSUPPORTED, W_A_STARTTLS_UNSUPPORTED},
    {CLASS_TLS_HANDSHAKE_FAILED, W_A_TLS_HANDSHAKE_FAILED},
    {CLASS_GREETING_TIMEOUT, W_A_NO_ANSWER},
    {CLASS_READ_TIMEOUT, W_A_NO_ANSWER},
};

static void
add_port(char *ports, size_t len, int port)
{
	char one[16];
	size_t n;

	snprintf(one, sizeof(one), "%d", port);
	n = strlen(one);
	for (const char *p = ports; (p = strstr(p, one)) != NULL; p++)
		if ((p == ports || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (ports[0] != '\0')
		strncat(ports, ", ", len - strlen(ports) - 1);
	strncat(ports, one, len - strlen(ports) - 1);
}

static void
cert_params(const struct mp_run *run, const struct mp_finding *f, enum mp_lang l, struct params *p)
{
	int min_days = 1 << 30;

	for (int i = 0; i < f->nevidence; i++) {
		const struct mp_endpoint_result *e = mp_evidence_endpoint(run, &f->evidence[i]);
		const struct mp_step_result *t = e != NULL ? mp_endpoint_step(e, STEP_TLS) : NULL;
		if (t == NULL || !t->cert.present)
			continue;
		p->sha1 |= t->cert.sha1_signature;
		if (t->cert.days_left < min_days) {
			min_days = t->cert.days_left;
			mp_words_day(l, t->cert.not_after, p->date, sizeof(p->date));
		}
	}
	snprintf(p->days, sizeof(p->days), "%d", min_days == 1 << 30 ? 0 : min_days);
}

/* The first path in the evidence is the blocked port's, the second the
 * working port's (diagnose_cause.c adds them in that order). */
static void
path_params(const struct mp_path_result *path, struct params *p)
{
	if (p->npaths == 0) {
		snprintf(p->hop, sizeof(p->hop), "%d", path->last_hop);
		if (path->last_hop > 0 && path->last_hop <= path->nhops)
			snprintf(p->hop_addr, sizeof(p->hop_addr), "%s",
				 path->hops[path->last_hop - 1].addr);
	} else if (p->npaths == 1) {
		snprintf(p->server_hop, sizeof(p->server_hop), "%d", path->reached);
	}
	p->npaths++;
}

/* Appends name to a ", " list once. */
static void
add_name(char *list, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (list[0] != '\0')
		strncat(list, ", ", len - strlen(list) - 1);
	strncat(list, name, len - strlen(list) - 1);
}

/* Each port once with its own class, in the language l. */
static void
add_port_class(char *out, size_t len, enum mp_lang l, int port, enum mp_class cls)
{
	char num[16], one[96];
	struct mp_word_arg args[] = {{"port", num}, {"class", mp_class_str(cls)}};

	snprintf(num, sizeof(num), "%d", port);
	mp_words_expand(mp_word(l, W_F_ENDPOINT_FAILED_PORT), args, 2, one, sizeof(one));
	if (strstr(out, one) != NULL)
		return;
	if (out[0] != '\0')
		strncat(out, ", ", len - strlen(out) - 1);
	strncat(out, one, len - strlen(out) - 1);
}

/* The RFC 7628 status of a refused token (only [A-Za-z0-9_.-], see
 * checks/oauth.c), each once. */
static void
oauth_params(const struct mp_run *run, const struct mp_evidence *ev, struct params *p)
{
	const struct mp_step_result *st = mp_evidence_step(run, ev);

	if (st != NULL && st->oauth_status[0] != '\0')
		add_name(p->oauth_status, sizeof(p->oauth_status), st->oauth_status);
}

/* What the statuses in s mean: one status the texts know, or any. */
static enum mp_word
oauth_meaning(const char *s)
{
	if (strcmp(s, "invalid_token") == 0)
		return W_F_OAUTH_STATUS_INVALID_TOKEN;
	if (strcmp(s, "insufficient_scope") == 0)
		return W_F_OAUTH_STATUS_INSUFFICIENT_SCOPE;
	return W_F_OAUTH_STATUS_OTHER;
}

/* The longest step in the evidence, worded as seconds. */
static void
slowest(const struct mp_run *run, const struct mp_evidence *ev, enum mp_lang l, struct params *p)
{
	const struct mp_step_result *st = mp_evidence_step(run, ev);

	if (st != NULL && st->seconds > p->slowest) {
		p->slowest = st->seconds;
		mp_words_seconds(l, st->seconds, p->seconds, sizeof(p->seconds));
	}
}

static void
params_of(const struct mp_run *run, const struct mp_finding *f, enum mp_lang l, struct params *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->server, sizeof(p->server), "%s", run->host);
	p->token = run->account != NULL && run->account->oauth2;
	for (int i = 0; i < f->nevidence; i++) {
		const struct mp_evidence *ev = &f->evidence[i];
		const struct mp_endpoint_result *e = mp_evidence_endpoint(run, ev);

		if (ev->kind == EV_CONTROL && ev->control >= 0 && ev->control < run->ncontrol)
			add_name(p->control, sizeof(p->control), run->control[ev->control].host);
		if (ev->kind == EV_PATH && ev->path >= 0 && ev->path < run->npaths)
			path_params(&run->paths[ev->path], p);
		if (ev->kind == EV_CONTROL || ev->kind == EV_PATH)
			continue;
		oauth_params(run, ev, p);
		slowest(run, ev, l, p);
		if (e != NULL) {
			add_port(p->ports, sizeof(p->ports), e->spec.port);
			add_port_class(p->port_classes, sizeof(p->port_classes), l, e->spec.port,
				       ev->cls);
		}
		p->plaintext_port |= ev->cls == CLASS_TLS_PLAINTEXT_PORT;
		p->refused |= ev->cls == CLASS_CONNECT_REFUSED;
		if (i > 0)
			continue;
		p->first_cls = ev->cls;
		mp_evidence_message(run, ev, p->message, sizeof(p->message));
		if (e != NULL) {
			snprintf(p->address, sizeof(p->address), "%s", e->address);
			p->v6 = strchr(e->address, ':') != NULL;
			if (e->host[0] != '\0')
				snprintf(p->server, sizeof(p->server), "%s", e->host);
		}
	}
	cert_params(run, f, l, p);
}

static const struct texts *
texts_of(const char *id)
{
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		if (strcmp(texts[k].id, id) == 0)
			return &texts[k];
	return &texts[sizeof(texts) / sizeof(texts[0]) - 1]; /* endpoint_failed */
}

/* Findings about an unreachable port have texts by where the cause lies
 * and what showed it: a refusal from the server's own address, a control
 * host, the path. */
static const struct {
	const char *id;
	enum mp_cause cause;
	enum mp_basis basis;
	enum mp_word summary, advice;
} cause_texts[] = {
    {"host_unreachable", CAUSE_SERVER, BASIS_REFUSED_BY_SERVER,
     W_F_HOST_UNREACHABLE_SUMMARY_REFUSED, W_F_HOST_UNREACHABLE_ADVICE_REFUSED},
    {"port25_blocked", CAUSE_SERVER, BASIS_REFUSED_BY_SERVER, W_F_PORT25_BLOCKED_SUMMARY_REFUSED,
     W_F_PORT25_BLOCKED_ADVICE_REFUSED},
    {"outgoing_blocked", CAUSE_SERVER, BASIS_REFUSED_BY_SERVER,
     W_F_OUTGOING_BLOCKED_SUMMARY_REFUSED, W_F_OUTGOING_BLOCKED_ADVICE_REFUSED},
    {"outgoing_port_blocked", CAUSE_SERVER, BASIS_REFUSED_BY_SERVER,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_REFUSED, W_F_OUTGOING_PORT_BLOCKED_ADVICE_REFUSED},
    {"address_down", CAUSE_SERVER, BASIS_REFUSED_BY_SERVER, W_F_ADDRESS_DOWN_SUMMARY_REFUSED,
     W_F_ADDRESS_DOWN_ADVICE_REFUSED},
    {"host_unreachable", CAUSE_SERVER, BASIS_SERVER_FIREWALL, W_F_HOST_UNREACHABLE_SUMMARY_FIREWALL,
     W_F_HOST_UNREACHABLE_ADVICE_FIREWALL},
    {"port25_blocked", CAUSE_SERVER, BASIS_SERVER_FIREWALL, W_F_PORT25_BLOCKED_SUMMARY_FIREWALL,
     W_F_PORT25_BLOCKED_ADVICE_REFUSED},
    {"outgoing_blocked", CAUSE_SERVER, BASIS_SERVER_FIREWALL, W_F_OUTGOING_BLOCKED_SUMMARY_FIREWALL,
     W_F_OUTGOING_BLOCKED_ADVICE_FIREWALL},
    {"outgoing_port_blocked", CAUSE_SERVER, BASIS_SERVER_FIREWALL,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_FIREWALL, W_F_OUTGOING_PORT_BLOCKED_ADVICE_FIREWALL},
    {"address_down", CAUSE_SERVER, BASIS_SERVER_FIREWALL, W_F_ADDRESS_DOWN_SUMMARY_FIREWALL,
     W_F_ADDRESS_DOWN_ADVICE},
    {"host_unreachable", CAUSE_NETWORK, BASIS_LOCAL_FIREWALL, W_F_HOST_UNREACHABLE_SUMMARY_LOCAL,
     W_F_HOST_UNREACHABLE_ADVICE_LOCAL},
    {"outgoing_blocked", CAUSE_NETWORK, BASIS_LOCAL_FIREWALL, W_F_OUTGOING_BLOCKED_SUMMARY_LOCAL,
     W_F_OUTGOING_BLOCKED_ADVICE_LOCAL},
    {"outgoing_port_blocked", CAUSE_NETWORK, BASIS_LOCAL_FIREWALL,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_LOCAL, W_F_OUTGOING_PORT_BLOCKED_ADVICE_LOCAL},
    {"outgoing_port_blocked", CAUSE_NETWORK, BASIS_CONTROL,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_NETWORK, W_F_OUTGOING_PORT_BLOCKED_ADVICE_NETWORK},
    {"outgoing_port_blocked", CAUSE_SERVER, BASIS_CONTROL, W_F_OUTGOING_PORT_BLOCKED_SUMMARY_SERVER,
     W_F_OUTGOING_PORT_BLOCKED_ADVICE_SERVER},
    {"outgoing_blocked", CAUSE_NETWORK, BASIS_CONTROL, W_F_OUTGOING_BLOCKED_SUMMARY_NETWORK,
     W_F_OUTGOING_BLOCKED_ADVICE_NETWORK},
    {"outgoing_blocked", CAUSE_SERVER, BASIS_CONTROL, W_F_OUTGOING_BLOCKED_SUMMARY_SERVER,
     W_F_OUTGOING_BLOCKED_ADVICE_SERVER},
    {"host_unreachable", CAUSE_NETWORK, BASIS_CONTROL, W_F_HOST_UNREACHABLE_SUMMARY_NETWORK,
     W_F_HOST_UNREACHABLE_ADVICE_NETWORK},
    {"host_unreachable", CAUSE_SERVER, BASIS_CONTROL, W_F_HOST_UNREACHABLE_SUMMARY_SERVER,
     W_F_HOST_UNREACHABLE_ADVICE_SERVER},
    {"outgoing_port_blocked", CAUSE_NETWORK, BASIS_PATH,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_NETWORK, W_F_OUTGOING_PORT_BLOCKED_ADVICE_NETWORK},
    {"outgoing_port_blocked", CAUSE_SERVER, BASIS_PATH,
     W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_SERVER, W_F_OUTGOING_PORT_BLOCKED_ADVICE_PATH_SERVER},
    {"outgoing_blocked", CAUSE_NETWORK, BASIS_PATH, W_F_OUTGOING_BLOCKED_SUMMARY_PATH_NETWORK,
     W_F_OUTGOING_BLOCKED_ADVICE_NETWORK},
    {"outgoing_blocked", CAUSE_SERVER, BASIS_PATH, W_F_OUTGOING_BLOCKED_SUMMARY_PATH_SERVER,
     W_F_OUTGOING_BLOCKED_ADVICE_PATH_SERVER},
};

static void
cause_variant(const struct mp_finding *f, enum mp_word *summary, enum mp_word *advice)
{
	for (size_t k = 0; k < sizeof(cause_texts) / sizeof(cause_texts[0]); k++)
		if (strcmp(cause_texts[k].id, f->id) == 0 && cause_texts[k].cause == f->cause &&
		    cause_texts[k].basis == f->basis) {
			*summary = cause_texts[k].summary;
			*advice = cause_texts[k].advice;
		}
}

/* The variant of the texts the evidence calls for. */
static void
choose(const struct mp_finding *f, const struct params *p, enum mp_word *summary,
       enum mp_word *advice)
{
	const struct texts *t = texts_of(f->id);

	*summary = t->summary;
	*advice = t->advice;
	cause_variant(f, summary, advice);
	if (strcmp(f->id, "wrong_security_mode") == 0 && p->plaintext_port) {
		*summary = W_F_WRONG_SECURITY_MODE_SUMMARY_PLAINTEXT;
		*advice = W_F_WRONG_SECURITY_MODE_ADVICE_PLAINTEXT;
	}
	if (strcmp(f->id, "oauth_token_invalid") == 0 && p->oauth_status[0] != '\0')
		*summary = W_F_OAUTH_TOKEN_INVALID_SUMMARY_STATUS;
	if (strcmp(f->id, "endpoint_failed") == 0)
		for (size_t k = 0; k < sizeof(class_advice) / sizeof(class_advice[0]); k++)
			if (class_advice[k].cls == p->first_cls)
				*advice = class_advice[k].advice;
	if (strcmp(f->id, "endpoint_failed") == 0 && p->first_cls == CLASS_AUTH_UNSUPPORTED &&
	    p->token)
		*advice = W_A_AUTH_UNSUPPORTED_TOKEN;
}

void
mp_words_finding(const struct mp_run *run, const struct mp_finding *f, enum mp_lang l,
		 char *summary, size_t slen, char *advice, size_t alen)
{
	struct params p;
	enum mp_word ws, wa;
	const char *user = run->account != NULL ? run->account->user : "";
	bool no_at = user[0] != '\0' && strchr(user, '@') == NULL;

	params_of(run, f, l, &p);
	choose(f, &p, &ws, &wa);
	struct mp_word_arg args[] = {
	    {"host", run->host},
	    {"server", p.server},
	    {"domain", run->discovery != NULL ? run->discovery->domain : run->host},
	    {"control", p.control},
	    {"ports", p.ports},
	    {"port_classes", p.port_classes},
	    {"class", mp_class_str(p.first_cls)},
	    {"address", p.address},
	    {"message", p.message},
	    {"days", p.days},
	    {"seconds", p.seconds},
	    {"date", p.date},
	    {"family", p.v6 ? "IPv6" : "IPv4"},
	    {"other_family", p.v6 ? "IPv4" : "IPv6"},
	    {"reason",
	     mp_word(l, p.sha1 ? W_F_TLS_OUTDATED_REASON_SHA1 : W_F_TLS_OUTDATED_REASON_AEAD)},
	    {"user_hint", no_at ? mp_word(l, W_F_LOGIN_REJECTED_USER_HINT) : ""},
	    {"hop", p.hop},
	    {"hop_addr", p.hop_addr},
	    {"server_hop", p.server_hop},
	    {"oauth_status", p.oauth_status},
	    {"oauth_meaning", mp_word(l, oauth_meaning(p.oauth_status))},
	    {"where", ""}, /* last: filled below from hop and hop_addr */
	};
	int n = (int)(sizeof(args) / sizeof(args[0]));
	char where[MP_ADDR_MAX + 96];

	mp_words_expand(mp_word(l, strcmp(p.hop, "0") == 0   ? W_F_WHERE_NOWHERE
				   : strcmp(p.hop, "1") == 0 ? W_F_WHERE_OWN_ROUTER
							     : W_F_WHERE_HOP),
			args, n, where, sizeof(where));
	args[n - 1].value = where;
	mp_words_expand(mp_word(l, ws), args, n, summary, slen);
	mp_words_expand(mp_word(l, wa), args, n, advice, alen);
}

void
mp_words_evidence_message(enum mp_lang l, const struct mp_run *run, const struct mp_evidence *ev,
			  char *out, size_t len)
{
	const struct mp_step_result *st = mp_evidence_step(run, ev);

	if (st != NULL)
		mp_words_step_message(l, st, out, len);
	else
		mp_evidence_message(run, ev, out, len);
}
