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

struct mp_found {
	enum mp_proto proto;
	uint16_t port;
	enum mp_security security;
	char host[MP_HOST_MAX];
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

/* Parses a config-v1.1.xml document (pure; len bytes, not NUL-terminated
 * necessarily). Placeholders %EMAILDOMAIN% and %EMAILLOCALPART% in host
 * names are replaced. Fills src->found; 0, or -1 with a reason in
 * src->message. */
int mp_autoconfig_parse(const char *xml, size_t len, const char *domain, const char *localpart,
			struct mp_source_result *src, char *user_tmpl, size_t user_tmpl_len);

/* Runs every source for domain under the deadline. */
void mp_discover(const char *domain, const char *localpart, struct mp_tls_ctx *tls,
		 const struct mp_deadline *dl, struct mp_discovery *out);

/* Fills a's endpoints (and their hosts) from the discovery: per direction
 * the first source with endpoints (SRV, autoconfig, MX, guesses), plus the
 * fallback ports providers publish (993/995 incoming, 587/465 outgoing) at
 * the same hosts. Keeps --endpoint choices when the user gave some. 0, or
 * -1 when nothing was found. */
int mp_discovery_apply(const struct mp_discovery *d, struct mp_account *a, bool keep_endpoints);

#endif
