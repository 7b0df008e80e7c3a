/*
 * The engine: resolve the account's host once, run every endpoint at every
 * address concurrently under one deadline, coordinate logins, run the
 * delivery check. Judges and renders nothing.
 */
#ifndef MAILPROBE_RUNNER_H
#define MAILPROBE_RUNNER_H

#include <stdatomic.h>

#include "probe/run/run.h"

struct mp_tls_ctx;
struct mp_addr;
struct mp_bg_budget;

struct mp_run_hooks {
	void *ctx;
	/* An endpoint finished (called from its worker, one at a time). */
	void (*endpoint_done)(void *ctx, const struct mp_run *run,
			      const struct mp_endpoint_result *e);
	/* About every 200 ms while endpoints run, on the calling thread:
	 * done of total finished, seconds since the start. */
	void (*tick)(void *ctx, const struct mp_run *run, int done, int total, double elapsed);
};

/* Called with each resolved address of host before any connection (pinned
 * addresses are not resolved and not passed): 0 to probe it, -1 to refuse
 * it. One refused address refuses its host as a whole: the run then makes
 * no connection at all (every endpoint is left without an address), so the
 * caller can answer for the refusal it recorded in ctx. */
typedef int (*mp_addr_filter)(void *ctx, const char *host, const struct mp_addr *addr);

struct mp_run_options {
	struct mp_tls_ctx *tls;           /* required */
	const atomic_int *cancel;         /* may be NULL */
	const struct mp_run_hooks *hooks; /* may be NULL */
	mp_addr_filter addr_filter;       /* may be NULL: every address is probed */
	void *filter_ctx;
	/* The run's share of abandoned DNS lookups (checks/bg.h); NULL: the
	 * process-wide one. */
	struct mp_bg_budget *dns_budget;
};

/* Runs the account into *run (which it initialises): discovery, resolve,
 * every endpoint, then the delivery check when the account asks for it. 0,
 * or -1 with a one-line reason in err (internal trouble only: a failed check
 * is a result). */
int mp_run_account(const struct mp_account *a, const struct mp_run_options *opt, struct mp_run *run,
		   char *err, size_t errlen);
void mp_run_cleanup(struct mp_run *run);

/* The status before diagnosis: critical when resolve or any endpoint (port
 * 25 aside) failed, else ok. */
enum mp_status mp_run_base_status(const struct mp_run *run);

#endif
