/*
 * Per-target in-flight slots of /probe: a host gets at most max, other
 * hosts are not affected, a slot given back can be taken again.
 */
#include "exporter/inflight.h"
#include "tests/unit/harness.h"

int
main(void)
{
	struct inflight *f = inflight_new();
	int taken = 0;

	CHECK(f != NULL, "new");
	if (f == NULL)
		return test_report();
	for (int i = 0; i < 5; i++)
		taken += inflight_take(f, "slow.example", 3) == 0;
	CHECK(taken == 3 && inflight_count(f, "slow.example") == 3, "at most max for one host");
	CHECK(inflight_take(f, "SLOW.example", 3) < 0, "host names compare without case");
	CHECK(inflight_take(f, "fast.example", 3) == 0, "another host still gets a slot");
	inflight_give(f, "slow.example");
	CHECK(inflight_take(f, "slow.example", 3) == 0, "a slot given back is free again");
	for (int i = 0; i < 3; i++)
		inflight_give(f, "slow.example");
	inflight_give(f, "fast.example");
	CHECK(inflight_count(f, "slow.example") == 0 && inflight_count(f, "fast.example") == 0,
	      "all given back");
	for (int i = 0; i < 40; i++) {
		char host[32];

		snprintf(host, sizeof(host), "h%d.example", i);
		taken += inflight_take(f, host, 1) == 0;
	}
	CHECK(taken == 43 && inflight_count(f, "h39.example") == 1, "many hosts at once");
	CHECK(inflight_take(f, "zero.example", 0) < 0, "max 0 takes nothing");
	inflight_free(f);
	return test_report();
}
