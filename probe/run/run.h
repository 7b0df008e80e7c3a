/*
 * One run of the engine over an account: resolve once, every endpoint at
 * every address concurrently under one deadline, then a status. The run owns
 * its endpoint results.
 */
#ifndef MAILPROBE_RUN_H
#define MAILPROBE_RUN_H

#include "probe/run/account.h"

#define MP_MAX_ADDRS 16

enum mp_status { STATUS_OK = 0, STATUS_WARNING = 1, STATUS_CRITICAL = 2, STATUS_UNKNOWN = 3 };

struct mp_resolve_result {
	bool ok;
	double seconds;
	enum mp_class cls;
	char message[MP_MESSAGE_MAX];
	int naddr;
	char addrs[MP_MAX_ADDRS][MP_ADDR_MAX];
};

struct mp_diagnosis;
struct mp_discovery;
struct mp_delivery_result;

struct mp_run {
	const struct mp_account *account;    /* the caller's, or owned_account */
	struct mp_account *owned_account;    /* after discovery: the account probed */
	struct mp_discovery *discovery;      /* owned; NULL without discovery */
	struct mp_delivery_result *delivery; /* owned; NULL without --deliver */
	char host[MP_HOST_MAX];
	time_t started_at; /* wall clock, UTC */
	double duration;   /* seconds */
	struct mp_resolve_result resolve;
	int nendpoints;
	struct mp_endpoint_result *endpoints; /* owned */
	enum mp_status status;
	/* Set by mp_diagnose() callers (main, exporter); NULL before. Owned by
	 * whoever set it. */
	const struct mp_diagnosis *diag;
};

#endif
