/*
 * The delivery check (--deliver): send a small tagged message to the
 * account itself over a working outgoing endpoint, find it over IMAP,
 * delete it. Its own deadline (--deliver-timeout), not the run's.
 */
#ifndef MAILPROBE_DELIVERY_H
#define MAILPROBE_DELIVERY_H

#include "checks/endpoint.h"

struct mp_delivery_result {
	bool ran;
	bool ok;
	double seconds; /* from the message accepted to found over IMAP */
	enum mp_class cls;
	char message[MP_MESSAGE_MAX];
	char endpoint[MP_ADDR_MAX + 64]; /* where it failed: "smtp:587:starttls@..." */
};

/* Runs the check with copies of the two endpoint configurations (their
 * deadlines and gates are replaced). address is sender and recipient. */
void mp_delivery_run(const struct mp_check_config *smtp, const struct mp_check_config *imap,
		     const char *address, double timeout, struct mp_delivery_result *out);

#endif
