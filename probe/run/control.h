/*
 * The control measurement (--control HOST): is a port that fails at the
 * mail server open at a host known to accept it? Started with the
 * endpoints, for every port of the account, because a connect_timeout is
 * only known at the deadline and the control must run under that same
 * deadline; when the endpoints are done, the connections for ports that
 * connected at the mail server are cancelled and thrown away, the others
 * are waited for and kept. TCP connect, plus a TLS handshake without any
 * credential on implicit-TLS ports; nothing else is ever sent.
 */
#ifndef MAILPROBE_CONTROL_H
#define MAILPROBE_CONTROL_H

#include <stdatomic.h>

#include "checks/deadline.h"
#include "probe/run/run.h"

/* Distinct ports tried at a control host (the first ones of the account). */
#define MP_CONTROL_MAX_PORTS 16

struct mp_tls_ctx;
struct mp_control;

/* Starts the control connections of a (its controls x the distinct ports
 * of its endpoints) in the background, under dl's deadline. NULL when a
 * has no control host (or nothing could be allocated: no control). */
struct mp_control *mp_control_start(const struct mp_account *a, struct mp_tls_ctx *tls,
				    const struct mp_deadline *dl);

/* After the endpoints of run ran: cancels the connections of the ports
 * that no endpoint failed to connect to (all of them when *cancel is set),
 * waits for the rest, at most until the deadline, and moves the kept
 * results into run->control / run->ncontrol. Frees c (NULL is fine). */
void mp_control_finish(struct mp_control *c, struct mp_run *run, const atomic_int *cancel);

/* True for connect_timeout, connect_refused and connect_unreachable: the
 * failures that call for a control. */
bool mp_control_wanted(enum mp_class cls);

/* What the control connections of a run say about one port. */
enum mp_control_outcome {
	CONTROL_NOT_TRIED,  /* no control result for the port (no --control, or it
			       connected at the mail server) */
	CONTROL_REACHED,    /* TCP connected at a control host (a TLS failure after
			       the connect still counts: the port got through) */
	CONTROL_BLOCKED,    /* every control connection failed at connect */
	CONTROL_UNRESOLVED, /* the control hosts had no address to try */
};

/* The outcome for port over run->control, counting only results of family
 * (AF_INET, AF_INET6, or AF_UNSPEC for both); a result without an address
 * (the control host did not resolve) counts for every family. */
enum mp_control_outcome mp_control_port_outcome(const struct mp_run *run, uint16_t port,
						int family);

#endif
