/*
 * Discovery: from an e-mail address (or --discover DOMAIN) to the servers a
 * mail client would use, the way clients find them: RFC 6186/8314 SRV
 * records, the domain's autoconfig file (Mozilla config-v1.1.xml over
 * verified HTTPS), and MX-based guesses. Each source is reported with what
 * it returned; the account is then filled with the endpoints to probe.
 */
#ifndef MAILPROBE_DISCOVER_H
#define MAILPROBE_DISCOVER_H

#include "probe/run/account.h"

struct mp_tls_ctx;
struct mp_deadline;

#define MP_FOUND_MAX 16

enum mp_source { SOURCE_SRV, SOURCE_AUTOCONFIG, SOURCE_MX, SOURCE_GUESS, SOURCE_COUNT };

/* Why credentials may go to a discovered host (RFC 6186 section 6): the
 * first that holds, in this order. Plain DNS can be forged by anyone on
 * the path; a certificate that verifies for the forged name proves
 * nothing. */
enum mp_trust {
	TRUST_UNTRUSTED,        /* only unauthenticated DNS names it, outside the domain */
	TRUST_AUTOCONFIG_HTTPS, /* the domain's autoconfig file (verified HTTPS) names it */
	TRUST_IN_DOMAIN,        /* it is the address's domain or ends in .DOMAIN */
	TRUST_DNSSEC,           /* the DNS answer was validated (AD bit, local resolver) */
	TRUST_USER,             /* --trust-discovered */
	TRUST_COUNT
};

struct mp_found {
	enum mp_proto proto;
	uint16_t port;
	enum mp_security security;
	char host[MP_HOST_MAX];
	bool dnssec;         /* from a DNS answer with the AD bit from a local resolver */
	enum mp_trust trust; /* of the host, over every source (mp_discover sets it) */
};

struct mp_source_result {
	enum mp_source source;
	bool ok; /* the source answered with something usable */
	double seconds;
	char message[MP_MESSAGE_MAX];
	int nfound;
	struct mp_found found[MP_FOUND_MAX];
};

struct mp_discovery {
	char domain[MP_HOST_MAX];
	struct mp_source_result sources[SOURCE_COUNT];
	char username_template[64]; /* from autoconfig: "%EMAILADDRESS%", ... */
};

const char *mp_source_str(enum mp_source s);
/* "untrusted", "autoconfig_https", "in_domain", "dnssec", "user". */
const char *mp_trust_str(enum mp_trust t);

/* Whether host is domain itself or a name below it (case-insensitive, a
 * trailing dot ignored). Pure. */
bool mp_host_in_domain(const char *host, const char *domain);

/* Sets every found entry's trust from all sources (pure): a host any
 * autoconfig entry names is autoconfig_https, and so on down the list of
 * enum mp_trust; trust_all (--trust-discovered) turns untrusted into user. */
void mp_discovery_trust(struct mp_discovery *d, bool trust_all);

/* The trust of host (the best of the entries naming it; untrusted when
 * none does). */
enum mp_trust mp_discovery_host_trust(const struct mp_discovery *d, const char *host);

/* Why credentials must not go to host, as a login step message ("not
 * sent: ..."), or false when they may. */
bool mp_discovery_refusal(const struct mp_discovery *d, const char *host, char *buf, size_t len);

/* Parses a config-v1.1.xml document (pure; len bytes, not NUL-terminated
 * necessarily). Placeholders %EMAILDOMAIN% and %EMAILLOCALPART% in host
 * names are replaced. Fills src->found; 0, or -1 with a reason in
 * src->message. */
int mp_autoconfig_parse(const char *xml, size_t len, const char *domain, const char *localpart,
			struct mp_source_result *src, char *user_tmpl, size_t user_tmpl_len);

/* Runs every source for domain under the deadline, then
 * mp_discovery_trust(out, trust_all). */
void mp_discover(const char *domain, const char *localpart, struct mp_tls_ctx *tls,
		 const struct mp_deadline *dl, bool trust_all, struct mp_discovery *out);

/* Fills a's endpoints (and their hosts) from the discovery: per direction
 * the first source with endpoints (autoconfig, which came over verified
 * HTTPS and so wins over plain DNS; then SRV, MX, guesses), plus the
 * fallback ports providers publish (993/995 incoming, 587/465 outgoing) at
 * the same hosts. Keeps --endpoint choices when the user gave some. 0, or
 * -1 when nothing was found. */
int mp_discovery_apply(const struct mp_discovery *d, struct mp_account *a, bool keep_endpoints);

#endif
