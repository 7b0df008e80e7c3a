/*
 * The special-purpose address table and its longest-prefix match. Rows are
 * the IANA IPv4 and IPv6 Special-Purpose Address Registries (name and
 * "Globally Reachable" as there), plus blocks from other registries that a
 * probe must not reach either: IPv4 and IPv6 multicast, IPv6 site-local
 * (RFC 3879), IPv4-compatible ::/96 (deprecated, RFC 4291 2.5.5.1) and all
 * IPv6 space outside 2000::/3. Pure; no I/O.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter/special_addr.h"

#define ROW(p, n, g)                                                                               \
	{                                                                                          \
		p, n, g, EMBED_NONE                                                                \
	}

/* Blocks with an embed kind are judged by the IPv4 address they carry
 * (their own "global" is the registry's, kept for reference). */
static const struct special_block table[] = {
    /* IANA IPv4 Special-Purpose Address Registry */
    ROW("0.0.0.0/8", "\"This network\"", false),
    ROW("0.0.0.0/32", "\"This host on this network\"", false),
    ROW("10.0.0.0/8", "Private-Use", false),
    ROW("100.64.0.0/10", "Shared Address Space", false),
    ROW("127.0.0.0/8", "Loopback", false),
    ROW("169.254.0.0/16", "Link Local", false),
    ROW("172.16.0.0/12", "Private-Use", false),
    ROW("192.0.0.0/24", "IETF Protocol Assignments", false),
    ROW("192.0.0.0/29", "IPv4 Service Continuity Prefix", false),
    ROW("192.0.0.8/32", "IPv4 dummy address", false),
    ROW("192.0.0.9/32", "Port Control Protocol Anycast", true),
    ROW("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", true),
    ROW("192.0.0.170/32", "NAT64/DNS64 Discovery", false),
    ROW("192.0.0.171/32", "NAT64/DNS64 Discovery", false),
    ROW("192.0.2.0/24", "Documentation (TEST-NET-1)", false),
    ROW("192.31.196.0/24", "AS112-v4", true),
    ROW("192.52.193.0/24", "AMT", true),
    ROW("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", false),
    ROW("192.168.0.0/16", "Private-Use", false),
    ROW("192.175.48.0/24", "Direct Delegation AS112 Service", true),
    ROW("198.18.0.0/15", "Benchmarking", false),
    ROW("198.51.100.0/24", "Documentation (TEST-NET-2)", false),
    ROW("203.0.113.0/24", "Documentation (TEST-NET-3)", false),
    ROW("240.0.0.0/4", "Reserved", false),
    ROW("255.255.255.255/32", "Limited Broadcast", false),
    /* IANA IPv4 Multicast Address Space Registry (RFC 5771) */
    ROW("224.0.0.0/4", "Multicast", false),
    /* IANA IPv6 Special-Purpose Address Registry */
    ROW("::1/128", "Loopback Address", false),
    ROW("::/128", "Unspecified Address", false),
    {"::ffff:0:0/96", "IPv4-mapped Address", false, EMBED_LAST32},
    {"64:ff9b::/96", "IPv4-IPv6 Translat.", true, EMBED_LAST32},
    ROW("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)", false),
    ROW("100::/64", "Discard-Only Address Block", false),
    ROW("2001::/23", "IETF Protocol Assignments", false),
    {"2001::/32", "TEREDO", false, EMBED_TEREDO},
    ROW("2001:1::1/128", "Port Control Protocol Anycast", true),
    ROW("2001:1::2/128", "Traversal Using Relays around NAT Anycast", true),
    ROW("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", true),
    ROW("2001:2::/48", "Benchmarking", false),
    ROW("2001:3::/32", "AMT", true),
    ROW("2001:4:112::/48", "AS112-v6", true),
    ROW("2001:10::/28", "Deprecated (previously ORCHID)", false),
    ROW("2001:20::/28", "ORCHIDv2", true),
    ROW("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", true),
    ROW("2001:db8::/32", "Documentation", false),
    {"2002::/16", "6to4", false, EMBED_6TO4},
    ROW("2620:4f:8000::/48", "Direct Delegation AS112 Service", true),
    ROW("3fff::/20", "Documentation", false),
    ROW("5f00::/16", "Segment Routing (SRv6) SIDs", false),
    ROW("fc00::/7", "Unique-Local", false),
    ROW("fe80::/10", "Link-Local Unicast", false),
    /* IANA IPv6 Address Space and Multicast registries; RFC 4291 */
    ROW("::/96", "IPv4-compatible Address (deprecated)", false),
    ROW("fec0::/10", "Site-Local (deprecated)", false),
    ROW("ff00::/8", "Multicast", false),
    ROW("2000::/3", "Global Unicast", true),
    ROW("::/0", "Reserved by IETF or unassigned (outside 2000::/3)", false),
};

#define NTABLE ((int)(sizeof(table) / sizeof(table[0])))

const struct special_block *
special_table(int *n)
{
	*n = NTABLE;
	return table;
}

/* AF_INET or AF_INET6 with the address bytes in b, or 0. */
static int
parse_addr(const char *s, unsigned char *b)
{
	if (inet_pton(AF_INET, s, b) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, b) == 1)
		return AF_INET6;
	return 0;
}

/* Prefix length of a's block row, or -1 when a is not inside it. */
static int
match_len(const unsigned char *a, int af, const char *prefix)
{
	char net[64];
	unsigned char p[16];
	const char *slash = strchr(prefix, '/');
	size_t n = (size_t)(slash - prefix);
	int bits = atoi(slash + 1), full = bits / 8, rest = bits % 8;

	memcpy(net, prefix, n);
	net[n] = '\0';
	if (parse_addr(net, p) != af || memcmp(a, p, (size_t)full) != 0)
		return -1;
	if (rest != 0 && ((a[full] ^ p[full]) & (0xff00 >> rest) & 0xff) != 0)
		return -1;
	return bits;
}

static const struct special_block *
most_specific(const unsigned char *a, int af)
{
	const struct special_block *best = NULL;
	int best_len = -1;

	for (int i = 0; i < NTABLE; i++) {
		int len = match_len(a, af, table[i].prefix);

		if (len > best_len) {
			best = &table[i];
			best_len = len;
		}
	}
	return best;
}

/* The IPv4 addresses a block of b's kind carries in a: count, into v4. */
static int
embedded(const struct special_block *b, const unsigned char *a, unsigned char v4[2][4])
{
	switch (b->embed) {
	case EMBED_LAST32:
		memcpy(v4[0], a + 12, 4);
		return 1;
	case EMBED_6TO4:
		memcpy(v4[0], a + 2, 4);
		return 1;
	case EMBED_TEREDO:
		memcpy(v4[0], a + 4, 4); /* the Teredo server */
		for (int i = 0; i < 4; i++)
			v4[1][i] = (unsigned char)(a[12 + i] ^ 0xff); /* the client, obfuscated */
		return 2;
	case EMBED_NONE:
		break;
	}
	return 0;
}

static bool judge(const unsigned char *a, int af, char *why, size_t len);

static bool
judge_embedded(const struct special_block *b, const unsigned char *a, char *why, size_t len)
{
	unsigned char v4[2][4];
	char inner[160], s[INET_ADDRSTRLEN];
	int n = embedded(b, a, v4);

	for (int i = 0; i < n; i++)
		if (judge(v4[i], AF_INET, inner, sizeof(inner))) {
			inet_ntop(AF_INET, v4[i], s, sizeof(s));
			snprintf(why, len, "%s %s embeds %s: %s", b->prefix, b->name, s, inner);
			return true;
		}
	return false;
}

static bool
judge(const unsigned char *a, int af, char *why, size_t len)
{
	const struct special_block *b = most_specific(a, af);

	if (b == NULL) /* IPv4 outside every row */
		return false;
	if (b->embed != EMBED_NONE)
		return judge_embedded(b, a, why, len);
	if (!b->global)
		snprintf(why, len, "%s %s", b->prefix, b->name);
	return !b->global;
}

bool
special_addr(const char *addr, char *why, size_t len)
{
	unsigned char a[16];
	int af = parse_addr(addr, a);

	if (len > 0)
		why[0] = '\0';
	if (af == 0) {
		snprintf(why, len, "not an IP address");
		return true;
	}
	return judge(a, af, why, len);
}
