/*
 * Which paths a run measures, and the threads that measure them (one per
 * (address, port), under the run's deadline).
 *
 * When: a dropped port is only known at the deadline, which is also when
 * the run ends, so waiting for the connect timeout leaves no time. Instead a
 * port is suspected as soon as another port of the same address connected
 * while it did not within MP_PATH_SUSPECT_S (past the first SYN retransmit
 * at 1 s; at most 40 % of the timeout), or as soon as it failed at connect
 * (refused or unreachable: a reset or ICMP may come from a middlebox). Then
 * the suspected port and the working one are measured side by side in the
 * time the hanging connect waits anyway. --path measures every (address,
 * port) from the start; --no-path none.
 */
#ifndef MAILPROBE_PATHS_H
#define MAILPROBE_PATHS_H

#include <pthread.h>

#include "checks/fiber.h"
#include <stdbool.h>
#include <stdint.h>

#include "checks/net.h"
#include "checks/path.h"
#include "probe/run/run.h"

#define MP_PATH_SUSPECT_S 1.5

/* One endpoint as the AUTO rule sees it. */
struct mp_path_probe_state {
	const char *addr;
	uint16_t port;
	int proto;      /* enum mp_proto: a peer of the same protocol is preferred */
	bool connected; /* past connect */
	bool finished;  /* the endpoint's check ended */
};

/* The AUTO rule, pure: when endpoint i looks blocked (not connected, and
 * finished or suspect), the index of a connected endpoint at the same
 * address on another port, one of the same protocol first (465 for 587);
 * else -1. */
int mp_path_working_peer(const struct mp_path_probe_state *st, int n, int i, bool suspect);

/* Seconds after the jobs start from which a port that has not connected is
 * suspect, for a run of timeout seconds. */
double mp_path_suspect_after(double timeout);

struct mp_path_job {
	struct mp_addr addr;
	uint16_t port;
	const struct mp_deadline *dl;
	struct mp_path_result *res;
	struct mp_task task;
};

struct mp_path_set {
	struct mp_run *run;
	const struct mp_deadline *dl;
	int max;
	struct mp_path_job *jobs; /* parallel to run->paths */
};

/* Room for max paths in run->paths. 0, or -1 when out of memory. */
int mp_path_set_init(struct mp_path_set *s, struct mp_run *run, int max,
		     const struct mp_deadline *dl);
/* Starts measuring addr:port in a thread unless it is measured already or
 * the set is full. Not thread-safe: the caller serialises. */
void mp_path_set_start(struct mp_path_set *s, const struct mp_addr *addr, uint16_t port);
/* Joins every measurement (each ends by the deadline) and sorts run->paths
 * by address and port; frees run->paths when none was measured. */
void mp_path_set_finish(struct mp_path_set *s);

#endif
