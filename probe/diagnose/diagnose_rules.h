/*
 * Internal to the diagnosis: the working state of one mp_diagnose() call,
 * endpoint queries, and the rule groups (diagnose_*.c).
 */
#ifndef MAILPROBE_DIAGNOSE_RULES_H
#define MAILPROBE_DIAGNOSE_RULES_H

#include "probe/diagnose/diagnose.h"

struct dx {
	const struct mp_run *run;
	struct mp_diagnosis *out;
	bool *explained; /* per endpoint: its failure is accounted for */
};

const struct mp_step_result *dx_failure(const struct mp_endpoint_result *e);
bool dx_failed_at(const struct mp_endpoint_result *e, enum mp_step step);
bool dx_connected(const struct mp_endpoint_result *e);
bool dx_is(const struct mp_endpoint_result *e, enum mp_proto p, int port, enum mp_security s);
bool dx_port25(const struct mp_endpoint_result *e);
bool dx_client(const struct mp_endpoint_result *e);

/* The finding with this id (created on first use; severity only rises). */
struct mp_finding *dx_add(struct dx *x, const char *id, enum mp_severity sev);
/* Evidence from endpoint i (st NULL: its failing step); marks it explained. */
void dx_evidence(struct dx *x, struct mp_finding *f, int i, const struct mp_step_result *st);
/* Adds ev to f unless it is there already. */
void dx_evidence_add(struct mp_finding *f, const struct mp_evidence *ev);

/* diagnose_reach.c: dns_failure, host_unreachable, outgoing_blocked,
 * outgoing_port_blocked, port25_blocked, address_family_broken,
 * address_down, wrong_security_mode. */
void dx_rules_reach(struct dx *x);
/* diagnose_tls.c: starttls_stripped, tls_intercepted, cert_chain_incomplete,
 * cert_expired, clock_skew, cert_expiring, tls_outdated. */
void dx_rules_tls(struct dx *x);
/* diagnose_login.c: oauth_token_unavailable, oauth_token_invalid, oauth_required, login_rejected,
 * login_rejected_outgoing_only, login_not_tested, sending_rejected. */
void dx_rules_login(struct dx *x);
/* diagnose_discovery.c: discovery_conflict. */
void dx_rules_discovery(struct dx *x);
/* diagnose_cause.c: cause and basis of blocked-port findings from the
 * control host (after every rule). */
void dx_rules_cause(struct dx *x);
/* diagnose.c: endpoint_failed for whatever is left. */
void dx_rules_rest(struct dx *x);
/* diagnose_delivery.c: a failed delivery check (sending_rejected or
 * endpoint_failed). */
void dx_rules_delivery(struct dx *x);

#endif
