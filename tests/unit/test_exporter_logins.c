/*
 * The login limiter of /probe: one login per module and host per interval;
 * in between the last login's result and its age; a probe that reached no
 * login step gives its slot back.
 */
#include <stdlib.h>

#include "exporter/logins.h"
#include "tests/unit/harness.h"

static bool
take(struct logins *l, const char *module, const char *host, double now, struct login_last *last)
{
	free(last->samples);
	return logins_take(l, module, host, 60, now, last);
}

int
main(void)
{
	struct logins *l = logins_new();
	struct login_last last = {0};

	CHECK(l != NULL, "new");
	if (l == NULL)
		return test_report();
	CHECK(take(l, "corp", "mail.example", 100, &last), "the first login goes");
	CHECK(!take(l, "corp", "mail.example", 101, &last) && !last.have,
	      "a second one while the first runs: no login, no result yet");
	logins_done(l, "corp", "mail.example", true, true, "login 1\n", 102);
	CHECK(!take(l, "corp", "MAIL.example", 130, &last) && last.have && last.ok &&
		  last.age == 28 && last.samples != NULL && strcmp(last.samples, "login 1\n") == 0,
	      "within the interval: the last result, its age and samples");
	CHECK(take(l, "other", "mail.example", 130, &last), "another module: its own limit");
	CHECK(take(l, "corp", "mx.example", 130, &last), "another host: its own limit");
	CHECK(take(l, "corp", "mail.example", 160, &last), "after the interval: a login again");
	logins_done(l, "corp", "mail.example", false, false, NULL, 161);
	CHECK(!take(l, "corp", "mail.example", 159.5, &last) && last.samples != NULL,
	      "no login step ran: the earlier login counts again, its result kept");
	CHECK(take(l, "corp", "mail.example", 161, &last), "and its interval ends as before");
	logins_done(l, "corp", "mail.example", true, false, NULL, 162);
	CHECK(!take(l, "corp", "mail.example", 170, &last) && last.have && !last.ok &&
		  last.samples == NULL,
	      "a failed login is reported as failed");
	free(last.samples);
	logins_free(l);
	return test_report();
}
