/*
 * Unit tests of discovery trust (RFC 6186 section 6): which discovered
 * hosts get credentials (autoconfig over HTTPS, in the domain, DNSSEC from
 * a local resolver, --trust-discovered), the login step's message for the
 * others, autoconfig winning over plain DNS for the endpoints, and the AD
 * bit of a DNS reply. No network.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dns.h"
#include "probe/run/discover.h"
#include "harness.h"

static void
add(struct mp_discovery *d, enum mp_source s, enum mp_proto p, uint16_t port, enum mp_security sec,
    const char *host, bool dnssec)
{
	struct mp_source_result *src = &d->sources[s];
	struct mp_found *f = &src->found[src->nfound++];

	*f = (struct mp_found){.proto = p, .port = port, .security = sec, .dnssec = dnssec};
	snprintf(f->host, sizeof(f->host), "%s", host);
	src->ok = true;
}

static struct mp_discovery *
discovery(const char *domain)
{
	struct mp_discovery *d = calloc(1, sizeof(*d));

	snprintf(d->domain, sizeof(d->domain), "%s", domain);
	for (int i = 0; i < SOURCE_COUNT; i++)
		d->sources[i].source = (enum mp_source)i;
	return d;
}

static void
test_in_domain(void)
{
	CHECK(mp_host_in_domain("example.com", "example.com"), "domain itself");
	CHECK(mp_host_in_domain("imap.EXAMPLE.com.", "example.com"), "below, any case, dot");
	CHECK(mp_host_in_domain("a.b.example.com", "example.com."), "two levels below");
	CHECK(!mp_host_in_domain("badexample.com", "example.com"), "not a label boundary");
	CHECK(!mp_host_in_domain("example.com.evil.net", "example.com"), "domain as a prefix");
	CHECK(!mp_host_in_domain("com", "example.com"), "a parent is outside");
	CHECK(!mp_host_in_domain("example.com", ""), "empty domain");
}

static void
test_trust_reasons(void)
{
	struct mp_discovery *d = discovery("example.com");

	add(d, SOURCE_SRV, PROTO_IMAP, 993, SEC_TLS, "mail.provider.net", false);
	add(d, SOURCE_SRV, PROTO_SMTP, 587, SEC_STARTTLS, "smtp.example.com", false);
	add(d, SOURCE_SRV, PROTO_POP3, 995, SEC_TLS, "pop.signed.net", true);
	add(d, SOURCE_MX, PROTO_IMAP, 993, SEC_TLS, "mx.attacker.net", false);
	add(d, SOURCE_AUTOCONFIG, PROTO_IMAP, 993, SEC_TLS, "MAIL.provider.net", false);
	mp_discovery_trust(d, false);
	CHECK(d->sources[SOURCE_SRV].found[0].trust == TRUST_AUTOCONFIG_HTTPS,
	      "an SRV host autoconfig also names: autoconfig_https");
	CHECK(d->sources[SOURCE_SRV].found[1].trust == TRUST_IN_DOMAIN, "in the domain");
	CHECK(d->sources[SOURCE_SRV].found[2].trust == TRUST_DNSSEC, "validated answer: dnssec");
	CHECK(d->sources[SOURCE_MX].found[0].trust == TRUST_UNTRUSTED, "plain MX outside");
	CHECK(mp_discovery_host_trust(d, "mx.attacker.net") == TRUST_UNTRUSTED, "host: untrusted");
	CHECK(mp_discovery_host_trust(d, "example.com") == TRUST_IN_DOMAIN,
	      "the domain itself when no source named it");
	CHECK(mp_discovery_host_trust(d, "other.net") == TRUST_UNTRUSTED, "unknown host");
	CHECK_STR(mp_trust_str(TRUST_AUTOCONFIG_HTTPS), "autoconfig_https", "trust names");
	CHECK_STR(mp_trust_str(TRUST_UNTRUSTED), "untrusted", "trust names (untrusted)");
	mp_discovery_trust(d, true);
	CHECK(d->sources[SOURCE_MX].found[0].trust == TRUST_USER, "--trust-discovered: user");
	CHECK(d->sources[SOURCE_SRV].found[1].trust == TRUST_IN_DOMAIN,
	      "--trust-discovered keeps the better reason");
	free(d);
}

static void
test_refusal(void)
{
	struct mp_discovery *d = discovery("example.com");
	char why[MP_MESSAGE_MAX] = "";

	add(d, SOURCE_SRV, PROTO_IMAP, 993, SEC_TLS, "imap.attacker.net", false);
	add(d, SOURCE_MX, PROTO_IMAP, 993, SEC_TLS, "imap.attacker.net", false);
	add(d, SOURCE_GUESS, PROTO_IMAP, 993, SEC_TLS, "mail.example.com", false);
	mp_discovery_trust(d, false);
	CHECK(mp_discovery_refusal(d, "imap.attacker.net", why, sizeof(why)), "refused");
	CHECK_STR(why,
		  "not sent: imap.attacker.net came from unauthenticated DNS (SRV, MX) and is "
		  "outside example.com (--trust-discovered to send anyway)",
		  "refusal names host, sources and domain");
	CHECK(!mp_discovery_refusal(d, "mail.example.com", why, sizeof(why)), "in domain: sent");
	mp_discovery_trust(d, true);
	CHECK(!mp_discovery_refusal(d, "imap.attacker.net", why, sizeof(why)),
	      "--trust-discovered: sent");
	free(d);
}

static void
test_autoconfig_wins(void)
{
	struct mp_discovery *d = discovery("example.com");
	struct mp_account a;

	mp_account_init(&a);
	add(d, SOURCE_SRV, PROTO_IMAP, 993, SEC_TLS, "imap.attacker.net", false);
	add(d, SOURCE_SRV, PROTO_SMTP, 587, SEC_STARTTLS, "smtp.attacker.net", false);
	add(d, SOURCE_AUTOCONFIG, PROTO_IMAP, 993, SEC_TLS, "imap.provider.net", false);
	mp_discovery_trust(d, false);
	CHECK(mp_discovery_apply(d, &a, false) == 0, "applied");
	CHECK(a.nendpoints == 4, "993 + 995 from autoconfig, 587 + 465 from SRV");
	for (int i = 0; i < a.nendpoints; i++)
		CHECK_STR(mp_account_host_of(&a, i),
			  a.endpoints[i].proto == PROTO_SMTP ? "smtp.attacker.net"
							     : "imap.provider.net",
			  "incoming from autoconfig, outgoing from the only source with it");
	mp_account_cleanup(&a);
	free(d);
}

/* A DNS reply with one SRV answer; ad sets the AD bit. */
static int
srv_reply(unsigned char *m, bool ad)
{
	static const unsigned char name[] = "\x05_imap\x04_tcp\x07"
					    "example\x03"
					    "com";
	static const unsigned char target[] = "\x04mail\x07"
					      "example\x03"
					      "com";
	int n = 0;

	memset(m, 0, 512);
	m[2] = 0x81;                                    /* QR, RD */
	m[3] = (unsigned char)(0x80 | (ad ? 0x20 : 0)); /* RA, AD */
	m[5] = 1;                                       /* QDCOUNT */
	m[7] = 1;                                       /* ANCOUNT */
	n = 12;
	memcpy(m + n, name, sizeof(name)); /* with its final 0 */
	n += (int)sizeof(name);
	m[n + 1] = 33; /* SRV */
	m[n + 3] = 1;  /* IN */
	n += 4;
	m[n++] = 0xc0; /* pointer to the question's name */
	m[n++] = 12;
	m[n + 1] = 33;
	m[n + 3] = 1;
	m[n + 7] = 60; /* TTL */
	m[n + 9] = (unsigned char)(6 + sizeof(target));
	n += 10;
	m[n + 1] = 10; /* priority */
	m[n + 3] = 1;  /* weight */
	m[n + 4] = 993 >> 8;
	m[n + 5] = 993 & 0xff;
	n += 6;
	memcpy(m + n, target, sizeof(target));
	return n + (int)sizeof(target);
}

static void
test_dns_ad(void)
{
	unsigned char m[512];
	struct mp_dns_answer a;
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	int n;

	n = srv_reply(m, true);
	memset(&a, 0, sizeof(a));
	CHECK(mp_dns_parse(m, n, DNS_SRV, &a) == 0 && a.n == 1 && a.ad, "AD bit read");
	CHECK(a.n == 1 && a.records[0].port == 993 &&
		  strcmp(a.records[0].target, "mail.example.com") == 0,
	      "the SRV record itself");
	n = srv_reply(m, false);
	memset(&a, 0, sizeof(a));
	CHECK(mp_dns_parse(m, n, DNS_SRV, &a) == 0 && a.n == 1 && !a.ad, "no AD bit");

	inet_pton(AF_INET, "127.0.0.53", &v4.sin_addr);
	CHECK(mp_dns_resolver_local((struct sockaddr *)&v4), "127.0.0.53 is local");
	inet_pton(AF_INET, "192.0.2.1", &v4.sin_addr);
	CHECK(!mp_dns_resolver_local((struct sockaddr *)&v4), "192.0.2.1 is not");
	inet_pton(AF_INET6, "::1", &v6.sin6_addr);
	CHECK(mp_dns_resolver_local((struct sockaddr *)&v6), "::1 is local");
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &v6.sin6_addr);
	CHECK(mp_dns_resolver_local((struct sockaddr *)&v6), "::ffff:127.0.0.1 is local");
	inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
	CHECK(!mp_dns_resolver_local((struct sockaddr *)&v6), "2001:db8::1 is not");
	CHECK(!mp_dns_resolver_local(NULL), "no resolver is not local");
}

int
main(void)
{
	test_in_domain();
	test_trust_reasons();
	test_refusal();
	test_autoconfig_wins();
	test_dns_ad();
	return test_report();
}
