/*
 * The engine's address filter (struct mp_run_options.addr_filter): it sees
 * every resolved address before any connection, the addresses it lets pass
 * are exactly the ones probed, and one refusal means no connection at all.
 * Runs against "localhost" on port 9 (nothing listens: connect_refused).
 */
#include <stdlib.h>
#include <string.h>

#include "checks/net.h"
#include "checks/tls.h"
#include "probe/run/runner.h"
#include "tests/unit/harness.h"

struct seen {
	int n;
	char addrs[MP_MAX_ADDRS][MP_ADDR_MAX];
	int verdict; /* what the filter answers */
};

static int
record(void *ctx, const char *host, const struct mp_addr *addr)
{
	struct seen *s = ctx;

	CHECK(strcmp(host, "localhost") == 0, "the filter is told the host");
	if (s->n < MP_MAX_ADDRS)
		snprintf(s->addrs[s->n++], MP_ADDR_MAX, "%s", addr->str);
	return s->verdict;
}

static bool
was_seen(const struct seen *s, const char *addr)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->addrs[i], addr) == 0)
			return true;
	return false;
}

static void
run(struct mp_tls_ctx *tls, struct seen *s, struct mp_run *r)
{
	struct mp_run_options opt = {.tls = tls, .addr_filter = record, .filter_ctx = s};
	struct mp_account a;
	char err[256];

	mp_account_init(&a);
	snprintf(a.host, sizeof(a.host), "localhost");
	a.nendpoints = 1;
	CHECK(mp_endpoint_parse("imap:9:tls", &a.endpoints[0], err, sizeof(err)) == 0,
	      "endpoint parses");
	a.timeout = 5;
	CHECK(mp_run_account(&a, &opt, r, err, sizeof(err)) == 0, "the run runs");
	mp_account_cleanup(&a);
}

static void
test_allowed(struct mp_tls_ctx *tls)
{
	struct seen s = {.verdict = 0};
	struct mp_run r;
	bool all_seen = true;

	run(tls, &s, &r);
	CHECK(s.n >= 1 && r.nendpoints == s.n, "one endpoint per address the filter passed");
	for (int i = 0; i < r.nendpoints; i++) {
		all_seen = all_seen && was_seen(&s, r.endpoints[i].address);
		CHECK(r.endpoints[i].nsteps > 0, "a passed address is probed");
	}
	CHECK(all_seen, "every probed address went through the filter");
	mp_run_cleanup(&r);
}

static void
test_refused(struct mp_tls_ctx *tls)
{
	struct seen s = {.verdict = -1};
	struct mp_run r;
	int steps = 0;

	run(tls, &s, &r);
	CHECK(s.n == 1, "the first refusal ends the filtering");
	for (int i = 0; i < r.nendpoints; i++)
		steps += r.endpoints[i].nsteps + (r.endpoints[i].address[0] != '\0');
	CHECK(r.nendpoints == 1 && steps == 0, "a refused host: no address, no connection");
	mp_run_cleanup(&r);
}

int
main(void)
{
	char err[256];
	struct mp_tls_ctx *tls = mp_tls_ctx_new("", err, sizeof(err));

	CHECK(tls != NULL, "TLS context");
	if (tls != NULL) {
		test_allowed(tls);
		test_refused(tls);
		mp_tls_ctx_free(tls);
	}
	return test_report();
}
