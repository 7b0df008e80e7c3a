/*
 * DNS record lookups beyond addresses: SRV (RFC 2782, RFC 6186/8314) and MX,
 * with libresolv's res_nquery under the run's deadline (mp_bg_call).
 */
#ifndef MAILPROBE_DNS_H
#define MAILPROBE_DNS_H

#include <stdint.h>

#include "checks/deadline.h"
#include "checks/platform.h"
#include "checks/result.h"

#define MP_DNS_RECORDS_MAX 8

struct mp_dns_record {
	char target[MP_NAME_MAX]; /* SRV target or MX exchange, no trailing dot */
	uint16_t port;            /* SRV only */
	uint16_t priority;        /* SRV priority or MX preference */
	uint16_t weight;          /* SRV only */
};

struct mp_dns_answer {
	int n; /* records, sorted by priority (then weight, heavier first) */
	struct mp_dns_record records[MP_DNS_RECORDS_MAX];
	bool nodata;        /* the name or record type does not exist: not an error */
	bool ad;            /* the reply's AD bit: the resolver says it validated it */
	bool authenticated; /* ad, and every resolver is on this host (127.0.0.0/8, ::1):
			       nobody on the path could have set the bit (RFC 6840 5.7) */
	enum mp_class cls;  /* dns_timeout / dns_error when the lookup failed */
	char message[MP_MESSAGE_MAX];
};

enum mp_dns_type { DNS_SRV, DNS_MX };

/* Looks up name's SRV or MX records. Returns the class (CLASS_NONE also for
 * "no such record", with nodata set). An SRV target of "." (service not
 * offered, RFC 2782) is left out. */
enum mp_class mp_dns_lookup(const char *name, enum mp_dns_type type, const struct mp_deadline *dl,
			    struct mp_dns_answer *out);

/* Whether a resolver at sa is on this host: 127.0.0.0/8, ::1, or
 * ::ffff:127.0.0.0/104. Only such a resolver's AD bit can be believed. */
bool mp_dns_resolver_local(const struct sockaddr *sa);

/* For the lookups of each platform (dns.c, platform_dns_win.c): sorts the
 * records by priority, heavier weight first; fills cls and message
 * ("name: why") and returns cls. */
void mp_dns_sort(struct mp_dns_answer *out);
enum mp_class mp_dns_fail(struct mp_dns_answer *out, enum mp_class cls, const char *name,
			  const char *why);

/* Parses a DNS reply (len bytes) into out; for tests and fuzzing.
 * 0, or -1 when the message is malformed. */
int mp_dns_parse(const unsigned char *msg, int len, enum mp_dns_type type,
		 struct mp_dns_answer *out);

#endif
