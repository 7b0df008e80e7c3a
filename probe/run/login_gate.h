/*
 * One login attempt per (protocol, port) and run, on a fixed address (IPv6
 * before IPv4, then numeric order: the first of them that gets to its login),
 * incoming endpoints first, none after a rejection and none after the
 * deadline: one wrong password costs one failed attempt, and the login series
 * of a port stay on one address from run to run.
 */
#ifndef MAILPROBE_LOGIN_GATE_H
#define MAILPROBE_LOGIN_GATE_H

#include <pthread.h>

#include "checks/endpoint.h"
#include "checks/fiber.h"

struct gate_slot {
	bool used; /* a job of the run (mp_gate_set) */
	enum mp_proto proto;
	uint16_t port;
	struct mp_addr addr;
	int rank; /* the address's place in its (protocol, port): 0 logs in first */
	bool incoming;
	bool ready;   /* past connect */
	bool settled; /* logged in, skipped, or finished */
	bool claimer; /* this job holds the (proto, port) login */
};

struct mp_gate {
	pthread_mutex_t mu;
	struct mp_cond cv;
	bool busy;     /* a login is in progress */
	bool rejected; /* an auth_failed happened */
	int n;
	struct gate_slot *slots; /* one per job, by mp_check_config.index */
	const struct mp_deadline *dl;
	struct mp_login_gate ops;
};

/* 0, or -1 when out of memory. */
int mp_gate_init(struct mp_gate *g, int njobs, const struct mp_deadline *dl);
/* Job i's endpoint and address, before the jobs start. */
void mp_gate_set(struct mp_gate *g, int i, const struct mp_endpoint_spec *spec,
		 const struct mp_addr *addr);
/* Fixes which address of each (protocol, port) logs in, after every
 * mp_gate_set and before the jobs start. */
void mp_gate_rank(struct mp_gate *g);
/* -1, 0 or 1: the fixed login order of two addresses (IPv6 first, then the
 * address bytes). */
int mp_gate_addr_order(const struct mp_addr *a, const struct mp_addr *b);
void mp_gate_cleanup(struct mp_gate *g);

#endif
