/*
 * The allow-list of /probe. A target string is first parsed (a port or a
 * malformed host is a 400), IP spellings are normalised, then matched
 * against configured targets and the allow entries. No I/O here.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "exporter/allow.h"
#include "exporter/special_addr.h"

/* "[v6]" -> "v6" into buf; other strings as they are. */
static const char *
unbracket(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && n - 2 < len) {
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		return buf;
	}
	return s;
}

int
allow_ip_normalise(const char *s, char *out, size_t len)
{
	struct in6_addr a6;
	struct in_addr a4;
	char buf[MP_HOST_MAX];
	const char *v = unbracket(s, buf, sizeof(buf));

	if (strchr(v, ':') != NULL) {
		if (inet_pton(AF_INET6, v, &a6) != 1)
			return 0;
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			memcpy(&a4, a6.s6_addr + 12, 4);
			return inet_ntop(AF_INET, &a4, out, (socklen_t)len) != NULL;
		}
		return inet_ntop(AF_INET6, &a6, out, (socklen_t)len) != NULL;
	}
	/* inet_aton takes what getaddrinfo takes: 2130706433, 0x7f000001, 0177.1 */
	for (const char *p = v; *p != '\0'; p++)
		if (isspace((unsigned char)*p))
			return 0;
	if (v[0] == '\0' || inet_aton(v, &a4) == 0)
		return 0;
	return inet_ntop(AF_INET, &a4, out, (socklen_t)len) != NULL;
}

bool
allow_host_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

bool
allow_pattern_match(const char *pattern, const char *host)
{
	size_t lp, lh = strlen(host);

	if (strncmp(pattern, "*.", 2) != 0)
		return allow_host_eq(pattern, host);
	pattern += 1; /* ".example.net" */
	lp = strlen(pattern);
	if (lh > 0 && host[lh - 1] == '.')
		lh--;
	return lh > lp && strncasecmp(host + lh - lp, pattern, lp) == 0;
}

static bool
ip_listed(const struct config *c, const char *ip)
{
	for (int i = 0; i < c->nallow; i++)
		if (strcmp(c->allow[i], ip) == 0)
			return true;
	return false;
}

static bool
name_listed(const struct config *c, const char *host)
{
	char ip[MP_ADDR_MAX];

	for (int i = 0; i < c->nallow; i++)
		if (allow_ip_normalise(c->allow[i], ip, sizeof(ip)) == 0 &&
		    allow_pattern_match(c->allow[i], host))
			return true;
	return false;
}

static void
verdict(struct allow_result *out, enum allow_verdict v, const char *reason)
{
	out->verdict = v;
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
}

/* A port ("host:25", "[::1]:25") or a malformed host: 400. */
static bool
parse_raw(const char *raw, struct allow_result *out)
{
	size_t n = strlen(raw);
	const char *colon = strchr(raw, ':');

	if (n == 0 || n >= MP_HOST_MAX) {
		verdict(out, ALLOW_BAD, n == 0 ? "target is empty" : "target is too long");
		return false;
	}
	if ((raw[0] == '[' && strstr(raw, "]:") != NULL) ||
	    (colon != NULL && strchr(colon + 1, ':') == NULL)) {
		verdict(out, ALLOW_BAD, "a port in target is not allowed: give the host only");
		return false;
	}
	if (allow_ip_normalise(raw, out->host, sizeof(out->host)) == 1)
		return true;
	if (colon != NULL || raw[0] == '[' || !mp_host_valid(raw)) {
		verdict(out, ALLOW_BAD, "target is not a host name or IP address");
		return false;
	}
	snprintf(out->host, sizeof(out->host), "%s", raw);
	for (char *p = out->host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return true;
}

void
allow_check(const struct config *c, const char *raw, struct allow_result *out)
{
	char ip[MP_ADDR_MAX];

	memset(out, 0, sizeof(*out));
	if (!parse_raw(raw != NULL ? raw : "", out))
		return;
	if ((out->target = config_target_by_host(c, out->host)) != NULL) {
		verdict(out, ALLOW_CONFIGURED, "");
		return;
	}
	if (allow_ip_normalise(out->host, ip, sizeof(ip)) == 1) {
		if (ip_listed(c, ip))
			verdict(out, ALLOW_LISTED, "");
		else
			verdict(out, ALLOW_DENIED, "the address is not in the allow-list");
		return;
	}
	if (name_listed(c, out->host))
		verdict(out, ALLOW_NAME, "");
	else
		verdict(out, ALLOW_DENIED, "the host is neither a configured target nor allowed");
}

int
allow_check_addr(const struct config *c, const char *addr, char *why, size_t len)
{
	char ip[MP_ADDR_MAX], block[256];

	if (allow_ip_normalise(addr, ip, sizeof(ip)) != 1)
		snprintf(ip, sizeof(ip), "%s", addr);
	if (!special_addr(ip, block, sizeof(block)) || ip_listed(c, ip))
		return 0;
	snprintf(why, len,
		 "the host resolves to %s (special-purpose: %s), which the allow-list does not "
		 "name",
		 ip, block);
	return -1;
}
