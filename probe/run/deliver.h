/*
 * --deliver: after the run and its diagnosis, send a tagged message to the
 * account over the recommended outgoing endpoint and find it over IMAP.
 * A failure becomes a finding (sending_rejected or endpoint_failed) and can
 * raise the status.
 */
#ifndef MAILPROBE_DELIVER_H
#define MAILPROBE_DELIVER_H

#include <stdatomic.h>

#include "probe/diagnose/diagnose.h"

struct mp_tls_ctx;

/* Runs the delivery check for run (whose account asks for it) and records
 * it in run->delivery (owned by the run) and in d. */
void mp_run_delivery(struct mp_run *run, struct mp_diagnosis *d, struct mp_tls_ctx *tls,
		     const atomic_int *cancel);

#endif
