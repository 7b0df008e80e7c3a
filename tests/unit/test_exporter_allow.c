/*
 * Unit tests of the /probe allow-list (exporter/allow.c): IP spellings,
 * restricted address ranges, name patterns, the verdicts for configured,
 * listed and unlisted targets, ports in targets, and the check of the
 * addresses a listed name resolves to.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exporter/allow.h"
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

static void
test_restricted(void)
{
	const char *yes[] = {"127.0.0.1",   "10.1.2.3",    "172.16.0.1",    "172.31.255.255",
			     "192.168.1.1", "169.254.1.1", "0.0.0.0",       "::1",
			     "::",          "fe80::1",     "fd00:6d70::10", "::ffff:10.0.0.1",
			     "nonsense"};
	const char *no[] = {"172.32.0.1", "8.8.8.8", "198.18.0.10", "192.0.2.1", "2001:db8::1"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK(allow_addr_restricted(yes[i]), yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK(!allow_addr_restricted(no[i]), no[i]);
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
			   "\"127.0.0.1\", \"fd00::1\"]}";

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

	CHECK(allow_check_addr(c, "192.0.2.1", why, sizeof(why)) == 0 &&
		  allow_check_addr(c, "2001:db8::1", why, sizeof(why)) == 0,
	      "public addresses pass");
	CHECK(allow_check_addr(c, "10.0.0.1", why, sizeof(why)) < 0 &&
		  strstr(why, "10.0.0.1") != NULL,
	      "a private address is refused, named");
	CHECK(allow_check_addr(c, "127.0.0.1", why, sizeof(why)) == 0 &&
		  allow_check_addr(c, "fd00::1", why, sizeof(why)) == 0,
	      "listed private addresses pass");
	CHECK(allow_check_addr(c, "::ffff:127.0.0.2", why, sizeof(why)) < 0,
	      "mapped loopback refused");
}

int
main(void)
{
	struct config *c = make_config();

	test_normalise();
	test_restricted();
	test_patterns();
	CHECK(c != NULL, "config loads");
	if (c != NULL) {
		test_verdicts(c);
		test_addrs(c);
	}
	config_put(c);
	return test_report();
}
