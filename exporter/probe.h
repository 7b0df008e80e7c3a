/*
 * One probe as the exporter runs it, for /probe and for the scheduler:
 * the account from a module and (for configured targets only) a target's
 * pins and credentials, the run through the engine under the cancel flag
 * (for names reached through `allow`, the allow-list is the engine's
 * address filter, so the addresses checked are the ones probed), and the
 * diagnosis.
 */
#ifndef MAILPROBE_EXPORTER_PROBE_H
#define MAILPROBE_EXPORTER_PROBE_H

#include <stdatomic.h>

#include "probe/diagnose/diagnose.h"
#include "exporter/config.h"

struct probe_req {
	const struct config *cfg;
	const struct cfg_target *target; /* NULL: not a configured target, no credentials */
	const struct cfg_module *module;
	char host[MP_HOST_MAX];
	bool check_addrs; /* a name reached through allow: check what it resolves to */
	bool no_login;    /* in login back-off: leave the credentials out */
	double timeout;   /* seconds for everything, DNS included */
	const atomic_int *cancel;
	struct mp_bg_budget *dns_budget; /* the caller's share of abandoned lookups */
};

struct probe_res {
	int http_status;  /* 200, or 403 from the address check, 500 */
	char reason[256]; /* when not 200 */
	struct mp_account account;
	struct mp_run run;
	struct mp_diagnosis *diag; /* owned */
	bool auth_failed;          /* a login was rejected */
	bool login_ok;             /* a login succeeded */
	bool login_tried;          /* credentials were sent on some endpoint */
};

/* Whether the probe would send credentials (a configured target with its
 * own, or with its module's for a host in the module's credential_hosts). */
bool probe_uses_credentials(const struct probe_req *rq);

/* Runs the probe into *res (which it initialises); always leaves res fit
 * for probe_res_cleanup. */
void probe_execute(const struct probe_req *rq, struct probe_res *res);
void probe_res_cleanup(struct probe_res *res);
/* Whether the run's result counts as success (probe_success 1). */
bool probe_res_success(const struct probe_res *res);
/* The diagnosis' status (critical when there is none: out of memory). */
enum mp_status probe_res_status(const struct probe_res *res);

#endif
