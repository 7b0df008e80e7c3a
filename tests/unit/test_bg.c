/*
 * Budgets of abandoned background calls (checks/bg.h): a call its deadline
 * abandons counts against its own budget only; a full budget refuses at
 * once while another budget still runs calls.
 */
#include <stdatomic.h>
#include <unistd.h>

#include "checks/bg.h"
#include "tests/unit/harness.h"

static atomic_int release; /* the slow call returns once this is set */

static void
slow(void *data)
{
	for (int i = 0; i < 500 && !atomic_load(&release); i++) /* 5 s at most */
		usleep(10 * 1000);
	*(int *)data = 1;
}

static void
quick(void *data)
{
	*(int *)data = 2;
}

int
main(void)
{
	struct mp_bg_budget probes = MP_BG_BUDGET_INIT(1), sched = MP_BG_BUDGET_INIT(1);
	struct mp_deadline dl;
	int v = 0;

	mp_deadline_in(&dl, 0.05);
	dl.budget = &probes;
	CHECK(mp_bg_call(slow, NULL, &v, sizeof(v), &dl) == BG_TIMEOUT,
	      "the slow call is abandoned");
	CHECK(atomic_load(&probes.abandoned) == 1, "counted in its own budget");
	mp_deadline_in(&dl, 5);
	dl.budget = &probes;
	CHECK(mp_bg_call(quick, NULL, &v, sizeof(v), &dl) == BG_REFUSED, "its full budget refuses");
	dl.budget = &sched;
	CHECK(mp_bg_call(quick, NULL, &v, sizeof(v), &dl) == BG_DONE && v == 2,
	      "another budget still runs calls");
	dl.budget = NULL;
	v = 0;
	CHECK(mp_bg_call(quick, NULL, &v, sizeof(v), &dl) == BG_DONE && v == 2 &&
		  mp_bg_abandoned() == 0,
	      "the process-wide budget is untouched");
	atomic_store(&release, 1);
	for (int i = 0; i < 500 && atomic_load(&probes.abandoned) > 0; i++)
		usleep(10 * 1000);
	CHECK(atomic_load(&probes.abandoned) == 0, "the abandoned call gives its slot back");
	return test_report();
}
