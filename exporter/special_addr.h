/*
 * Special-purpose IP address blocks (the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries, plus multicast, IPv6 site-local and the IETF-reserved
 * ::/8) and the IPv4 address embedded in IPv6 forms (mapped, compatible,
 * NAT64, 6to4, Teredo). Pure; no I/O.
 */
#ifndef MAILPROBE_EXPORTER_SPECIAL_ADDR_H
#define MAILPROBE_EXPORTER_SPECIAL_ADDR_H

#include <stdbool.h>
#include <stddef.h>

/* How an IPv6 block carries an IPv4 address (judged by that address). */
enum special_embed {
	EMBED_NONE,
	EMBED_LAST32, /* ::ffff:a.b.c.d, 64:ff9b::a.b.c.d (RFC 4291, RFC 6052) */
	EMBED_6TO4,   /* 2002:AABB:CCDD::/48 (RFC 3056) */
	EMBED_TEREDO  /* 2001:0:SERVER:..:~CLIENT (RFC 4380): both are judged */
};

struct special_block {
	const char *prefix; /* "100.64.0.0/10" */
	const char *name;   /* the registry's name */
	bool global;        /* IANA "Globally Reachable": true */
	enum special_embed embed;
};

/* The table, for tests: *n rows. */
const struct special_block *special_table(int *n);

/* True when addr (a numeric IPv4 or IPv6 address) must not be probed
 * unless listed: its most specific block is not globally reachable, or the
 * IPv4 address it embeds is such. why gets "100.64.0.0/10 Shared Address
 * Space" (or "... embeds 127.0.0.1: 127.0.0.0/8 Loopback"). A string that
 * is no address is restricted too ("not an IP address"). */
bool special_addr(const char *addr, char *why, size_t len);

#endif
