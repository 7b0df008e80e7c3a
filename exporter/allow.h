/*
 * Which hosts /probe may reach (mailprobe_exporter(1), allow): a configured
 * target's host, or a host the allow-list matches. IP literals are
 * normalised first (decimal, hex, octal, short and ::ffff:-mapped spellings
 * become the canonical address) and must be listed as such; a name that
 * resolves to a special-purpose address (special_addr.h: loopback, private,
 * shared, benchmarking, multicast, NAT64 or 6to4 of such, ...) is refused
 * unless those addresses are listed. Pure, but for the resolved
 * answer the caller passes in.
 */
#ifndef MAILPROBE_EXPORTER_ALLOW_H
#define MAILPROBE_EXPORTER_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/net.h"
#include "exporter/config.h"

enum allow_verdict {
	ALLOW_CONFIGURED, /* a configured target's host: its pins and credentials apply */
	ALLOW_LISTED,     /* an IP literal the allow-list names: probe it as it is */
	ALLOW_NAME,       /* a name the allow-list matches: check its addresses first */
	ALLOW_BAD,        /* 400: not a host, or a port in it */
	ALLOW_DENIED      /* 403 */
};

struct allow_result {
	enum allow_verdict verdict;
	char host[MP_HOST_MAX];          /* the host to probe, normalised */
	const struct cfg_target *target; /* ALLOW_CONFIGURED */
	char reason[256];                /* ALLOW_BAD, ALLOW_DENIED */
};

/* 1 when s is an IP literal in any spelling the resolver accepts, with the
 * canonical form in out; 0 when it is no IP literal. */
int allow_ip_normalise(const char *s, char *out, size_t len);
/* Host names compare without case and without one final dot. */
bool allow_host_eq(const char *a, const char *b);
/* "*.example.net" matches names under example.net (not itself); any other
 * pattern matches the same name. */
bool allow_pattern_match(const char *pattern, const char *host);

/* The checks that need no DNS, for /probe?target=raw. */
void allow_check(const struct config *c, const char *raw, struct allow_result *out);
/* For ALLOW_NAME: 0 when a resolved address (any spelling) may be probed,
 * else -1 with the reason naming it. */
int allow_check_addr(const struct config *c, const char *addr, char *why, size_t len);

#endif
