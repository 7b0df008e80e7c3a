/*
 * One login attempt per (protocol, port) and run, incoming endpoints first,
 * none after a rejection: one wrong password costs one failed attempt.
 */
#ifndef MAILPROBE_LOGIN_GATE_H
#define MAILPROBE_LOGIN_GATE_H

#include <pthread.h>

#include "checks/endpoint.h"

struct gate_slot {
	enum mp_proto proto;
	uint16_t port;
	bool incoming;
	bool ready;   /* past connect */
	bool settled; /* logged in, skipped, or finished */
	bool claimer; /* this job holds the (proto, port) login */
};

struct mp_gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool busy;     /* a login is in progress */
	bool rejected; /* an auth_failed happened */
	int n;
	struct gate_slot *slots; /* one per job, by mp_check_config.index */
	const struct mp_deadline *dl;
	struct mp_login_gate ops;
};

/* 0, or -1 when out of memory. */
int mp_gate_init(struct mp_gate *g, int njobs, const struct mp_deadline *dl);
/* Job i's endpoint, before the jobs start. */
void mp_gate_set(struct mp_gate *g, int i, const struct mp_endpoint_spec *spec);
void mp_gate_cleanup(struct mp_gate *g);

#endif
