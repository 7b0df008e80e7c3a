/*
 * --deliver: after the endpoints, send a tagged message to the account over
 * the recommended outgoing endpoint and find it over IMAP. The result is a
 * fact of the run (run->delivery); the diagnosis judges it.
 */
#ifndef MAILPROBE_DELIVER_H
#define MAILPROBE_DELIVER_H

#include <stdatomic.h>

#include "probe/run/run.h"

struct mp_tls_ctx;

/* Runs the delivery check for run (whose account asks for it) and records
 * it in run->delivery (owned by the run) and run->delivery_endpoint. */
void mp_run_delivery(struct mp_run *run, struct mp_tls_ctx *tls, const atomic_int *cancel);

#endif
