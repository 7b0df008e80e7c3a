/*
 * Unit tests of the /probe allow-list (exporter/allow.c): IP spellings,
 * special-purpose address blocks (every row), name patterns, the verdicts for configured,
 * listed and unlisted targets, ports in targets, and the check of the
 * addresses a listed name resolves to.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exporter/allow.h"
#include "exporter/special_addr.h"
#include "harness.h"

static void
norm(const char *in, const char *want)
{
	char out[MP_ADDR_MAX] = "";
	int rc = allow_ip_normalise(in, out, sizeof(out));

	if (want == NULL) {
		CHECK(rc == 0, in);
		return;
	}
	CHECK(rc == 1, in);
	CHECK_STR(out, want, in);
}

static void
test_normalise(void)
{
	norm("127.0.0.1", "127.0.0.1");
	norm("2130706433", "127.0.0.1");
	norm("0x7f000001", "127.0.0.1");
	norm("0177.0.0.1", "127.0.0.1");
	norm("127.1", "127.0.0.1");
	norm("::ffff:127.0.0.1", "127.0.0.1");
	norm("[::ffff:7f00:1]", "127.0.0.1");
	norm("[2001:DB8::0:1]", "2001:db8::1");
	norm("::1", "::1");
	norm("mail.example.com", NULL);
	norm("1.2.3.4 x", NULL);
	norm("", NULL);
	norm("12ab", NULL);
}

struct vec {
	const char *addr;
	bool restricted;
	const char *row; /* the table row it is inside of, or NULL (outside) */
};

/* Per row an address inside and, where the edge means something, one just
 * outside; embedded IPv4 forms with a special and a public address. */
static const struct vec vecs[] = {
    {"0.1.2.3", true, "0.0.0.0/8"},
    {"0.0.0.0", true, "0.0.0.0/32"},
    {"1.0.0.0", false, NULL},
    {"10.255.255.255", true, "10.0.0.0/8"},
    {"9.255.255.255", false, NULL},
    {"11.0.0.0", false, NULL},
    {"100.64.0.1", true, "100.64.0.0/10"},
    {"100.127.255.255", true, "100.64.0.0/10"},
    {"100.63.255.255", false, NULL},
    {"100.128.0.0", false, NULL},
    {"127.0.0.1", true, "127.0.0.0/8"},
    {"128.0.0.1", false, NULL},
    {"169.254.1.1", true, "169.254.0.0/16"},
    {"169.253.255.255", false, NULL},
    {"169.255.0.0", false, NULL},
    {"172.16.0.1", true, "172.16.0.0/12"},
    {"172.31.255.255", true, "172.16.0.0/12"},
    {"172.15.255.255", false, NULL},
    {"172.32.0.1", false, NULL},
    {"192.0.0.100", true, "192.0.0.0/24"},
    {"192.0.1.0", false, NULL},
    {"191.255.255.255", false, NULL},
    {"192.0.0.7", true, "192.0.0.0/29"},
    {"192.0.0.8", true, "192.0.0.8/32"},
    {"192.0.0.9", false, "192.0.0.9/32"},
    {"192.0.0.10", false, "192.0.0.10/32"},
    {"192.0.0.11", true, "192.0.0.0/24"},
    {"192.0.0.170", true, "192.0.0.170/32"},
    {"192.0.0.171", true, "192.0.0.171/32"},
    {"192.0.2.1", true, "192.0.2.0/24"},
    {"192.0.3.0", false, NULL},
    {"192.31.196.1", false, "192.31.196.0/24"},
    {"192.52.193.1", false, "192.52.193.0/24"},
    {"192.88.99.1", true, "192.88.99.0/24"},
    {"192.88.100.0", false, NULL},
    {"192.168.1.1", true, "192.168.0.0/16"},
    {"192.169.0.0", false, NULL},
    {"192.175.48.1", false, "192.175.48.0/24"},
    {"198.18.0.10", true, "198.18.0.0/15"},
    {"198.19.255.255", true, "198.18.0.0/15"},
    {"198.17.255.255", false, NULL},
    {"198.20.0.0", false, NULL},
    {"198.51.100.7", true, "198.51.100.0/24"},
    {"198.51.101.0", false, NULL},
    {"203.0.113.9", true, "203.0.113.0/24"},
    {"203.0.114.0", false, NULL},
    {"240.0.0.1", true, "240.0.0.0/4"},
    {"255.255.255.254", true, "240.0.0.0/4"},
    {"255.255.255.255", true, "255.255.255.255/32"},
    {"224.0.0.1", true, "224.0.0.0/4"},
    {"239.255.255.255", true, "224.0.0.0/4"},
    {"223.255.255.255", false, NULL},
    {"8.8.8.8", false, NULL},
    {"::1", true, "::1/128"},
    {"::", true, "::/128"},
    {"::ffff:127.0.0.1", true, "::ffff:0:0/96"},
    {"::ffff:100.64.0.1", true, "100.64.0.0/10"},
    {"::ffff:8.8.8.8", false, "::ffff:0:0/96"},
    {"64:ff9b::7f00:1", true, "64:ff9b::/96"}, /* NAT64 of 127.0.0.1 */
    {"64:ff9b::198.18.0.1", true, "198.18.0.0/15"},
    {"64:ff9b::8.8.8.8", false, "64:ff9b::/96"},
    {"64:ff9b:1::7f00:1", true, "64:ff9b:1::/48"},
    {"64:ff9b:1:ffff::8.8.8.8", true, "64:ff9b:1::/48"},
    {"64:ff9b:2::8.8.8.8", true, "::/0"},
    {"100::1", true, "100::/64"},
    {"100:0:0:1::1", true, "::/0"},
    {"2001:1ff::1", true, "2001::/23"},
    {"2001:200::1", false, NULL},
    {"2001:0:808:808::fefd:fcfb", false, "2001::/32"}, /* Teredo 8.8.8.8, 1.2.3.4 */
    {"2001:0:808:808::80ff:fffe", true, "2001::/32"},  /* client 127.0.0.1 */
    {"2001:0:a00:1::fefd:fcfb", true, "10.0.0.0/8"},   /* server 10.0.0.1 */
    {"2001:1::1", false, "2001:1::1/128"},
    {"2001:1::2", false, "2001:1::2/128"},
    {"2001:1::3", false, "2001:1::3/128"},
    {"2001:1::4", true, "2001::/23"},
    {"2001:2::1", true, "2001:2::/48"},
    {"2001:3::1", false, "2001:3::/32"},
    {"2001:4:112::1", false, "2001:4:112::/48"},
    {"2001:4:113::1", true, "2001::/23"},
    {"2001:10::1", true, "2001:10::/28"},
    {"2001:20::1", false, "2001:20::/28"},
    {"2001:30::1", false, "2001:30::/28"},
    {"2001:db8::1", true, "2001:db8::/32"},
    {"2001:db9::1", false, NULL},
    {"2002:c0a8:101::1", true, "2002::/16"}, /* 6to4 of 192.168.1.1 */
    {"2002:7f00:1::", true, "127.0.0.0/8"},
    {"2002:808:808::1", false, "2002::/16"},
    {"2620:4f:8000::1", false, "2620:4f:8000::/48"},
    {"3fff::1", true, "3fff::/20"},
    {"3fff:1000::1", false, NULL},
    {"5f00::1", true, "5f00::/16"},
    {"fc00::1", true, "fc00::/7"},
    {"fdff:ffff::1", true, "fc00::/7"},
    {"fe80::1", true, "fe80::/10"},
    {"febf::1", true, "fe80::/10"},
    {"fec0::1", true, "fec0::/10"},
    {"feff::1", true, "fec0::/10"},
    {"ff02::1", true, "ff00::/8"},
    {"::8.8.8.8", true, "::/96"},
    {"::a00:1", true, "::/96"},
    {"2000::1", false, "2000::/3"},
    {"3fff:ffff::1", false, "2000::/3"},
    {"1fff:ffff::1", true, "::/0"},
    {"4000::1", true, "::/0"},
    {"2606:4700::1111", false, NULL},
    {"nonsense", true, NULL},
};

static void
test_special_vec(const struct vec *v)
{
	char why[256];
	bool got = special_addr(v->addr, why, sizeof(why));

	CHECK(got == v->restricted, v->addr);
	if (got != v->restricted)
		fprintf(stderr, "     %s: got %d (%s)\n", v->addr, got, why);
	if (v->restricted && v->row != NULL && strstr(why, v->row) == NULL) {
		CHECK(false, v->addr);
		fprintf(stderr, "     %s: \"%s\" does not name %s\n", v->addr, why, v->row);
	}
	if (!v->restricted)
		CHECK(why[0] == '\0', v->addr);
}

/* Every row of the table has an address inside it among the vectors. */
static void
test_special(void)
{
	int n;
	const struct special_block *t = special_table(&n);

	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		test_special_vec(&vecs[i]);
	for (int r = 0; r < n; r++) {
		bool seen = false;

		for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]) && !seen; i++)
			seen = vecs[i].row != NULL && strcmp(vecs[i].row, t[r].prefix) == 0;
		CHECK(seen, t[r].prefix);
	}
	CHECK(n >= 50, "the table has the registry rows");
}

static void
test_patterns(void)
{
	CHECK(allow_pattern_match("*.example.net", "mx.example.net"), "wildcard: one label");
	CHECK(allow_pattern_match("*.example.net", "a.b.EXAMPLE.net."), "wildcard: deeper, case");
	CHECK(!allow_pattern_match("*.example.net", "example.net"), "wildcard: not the apex");
	CHECK(!allow_pattern_match("*.example.net", "badexample.net"), "wildcard: label boundary");
	CHECK(allow_pattern_match("mail.example.com", "MAIL.example.com."), "exact, case, dot");
	CHECK(!allow_pattern_match("mail.example.com", "x.mail.example.com"), "exact only");
}

static struct config *
make_config(void)
{
	struct cfg_report rep;
	const char *text = "{\"targets\": [{\"name\": \"lab\", \"host\": \"mail.lab.test\"},"
			   "{\"name\": \"ip\", \"host\": \"192.0.2.7\"}],"
			   "\"allow\": [\"*.example.net\", \"ok.example.com\", \"198.51.100.1\","
			   "\"127.0.0.1\", \"fd00::1\", \"198.18.0.10\"]}";

	return config_load_text(text, "test.json", "/nonexistent", &rep);
}

static void
verdict(const struct config *c, const char *raw, enum allow_verdict want, const char *host)
{
	struct allow_result r;

	allow_check(c, raw, &r);
	CHECK(r.verdict == want, raw);
	if (r.verdict != want)
		fprintf(stderr, "     verdict %d (%s), want %d\n", r.verdict, r.reason, want);
	if (host != NULL)
		CHECK_STR(r.host, host, raw);
}

static void
test_verdicts(const struct config *c)
{
	verdict(c, "mail.lab.test", ALLOW_CONFIGURED, "mail.lab.test");
	verdict(c, "MAIL.LAB.TEST.", ALLOW_CONFIGURED, NULL);
	verdict(c, "192.0.2.7", ALLOW_CONFIGURED, "192.0.2.7");
	verdict(c, "::ffff:192.0.2.7", ALLOW_CONFIGURED, "192.0.2.7");
	verdict(c, "mx.example.net", ALLOW_NAME, "mx.example.net");
	verdict(c, "ok.example.com", ALLOW_NAME, NULL);
	verdict(c, "198.51.100.1", ALLOW_LISTED, "198.51.100.1");
	verdict(c, "3325256705", ALLOW_LISTED, "198.51.100.1"); /* decimal spelling, listed */
	verdict(c, "0x7f000001", ALLOW_LISTED, "127.0.0.1");
	verdict(c, "127.0.0.2", ALLOW_DENIED, NULL);
	verdict(c, "2130706434", ALLOW_DENIED, NULL);       /* decimal 127.0.0.2 */
	verdict(c, "0x7f000002", ALLOW_DENIED, NULL);       /* hex */
	verdict(c, "::ffff:127.0.0.2", ALLOW_DENIED, NULL); /* mapped */
	verdict(c, "other.example.com", ALLOW_DENIED, NULL);
	verdict(c, "example.net", ALLOW_DENIED, NULL);
	verdict(c, "mail.lab.test:587", ALLOW_BAD, NULL);
	verdict(c, "[fd00::1]:25", ALLOW_BAD, NULL);
	verdict(c, "[fd00::1]", ALLOW_LISTED, "fd00::1");
	verdict(c, "", ALLOW_BAD, NULL);
	verdict(c, "http://mx.example.net/", ALLOW_BAD, NULL);
	verdict(c, "a b", ALLOW_BAD, NULL);
	verdict(c, NULL, ALLOW_BAD, NULL);
}

static void
test_addrs(const struct config *c)
{
	char why[256];

	CHECK(allow_check_addr(c, "8.8.8.8", why, sizeof(why)) == 0 &&
		  allow_check_addr(c, "2606:4700::1111", why, sizeof(why)) == 0,
	      "public addresses pass");
	CHECK(allow_check_addr(c, "10.0.0.1", why, sizeof(why)) < 0 &&
		  strstr(why, "10.0.0.1") != NULL,
	      "a private address is refused, named");
	CHECK(allow_check_addr(c, "127.0.0.1", why, sizeof(why)) == 0 &&
		  allow_check_addr(c, "fd00::1", why, sizeof(why)) == 0,
	      "listed private addresses pass");
	CHECK(allow_check_addr(c, "::ffff:127.0.0.2", why, sizeof(why)) < 0,
	      "mapped loopback refused");
	CHECK(allow_check_addr(c, "64:ff9b::7f00:1", why, sizeof(why)) < 0 &&
		  strstr(why, "Loopback") != NULL,
	      "NAT64 form of 127.0.0.1 refused, the block named");
	CHECK(allow_check_addr(c, "198.18.0.13", why, sizeof(why)) < 0 &&
		  strstr(why, "Benchmarking") != NULL,
	      "benchmarking address (the lab's) refused unless listed");
	CHECK(allow_check_addr(c, "198.18.0.10", why, sizeof(why)) == 0,
	      "a listed benchmarking address passes");
	CHECK(allow_check_addr(c, "100.64.1.1", why, sizeof(why)) < 0 &&
		  allow_check_addr(c, "2002:a00:1::1", why, sizeof(why)) < 0,
	      "shared address space and 6to4 of a private address refused");
}

int
main(void)
{
	struct config *c = make_config();

	test_normalise();
	test_special();
	test_patterns();
	CHECK(c != NULL, "config loads");
	if (c != NULL) {
		test_verdicts(c);
		test_addrs(c);
	}
	config_put(c);
	return test_report();
}
