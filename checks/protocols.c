/*
 * The protocol table. Adding a protocol (say ManageSieve, RFC 5804) is one
 * file with its dialog (checks/sieve.c defining mp_sieve_ops) plus one row
 * here and its enum constant in protocols.h:
 *
 *   {PROTO_SIEVE, "sieve", "SIEVE", DIR_INCOMING, 0,
 *    {{4190, SEC_STARTTLS, false, "_sieve._tcp"}}, &mp_sieve_ops},
 *
 * Row layout: id, name, upper name, direction, relay port (no login there,
 * 0: none), ports {port, security, in the default set, SRV label} in the
 * order clients prefer them, dialog ops.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "checks/protocols.h"

extern const struct mp_proto_ops mp_smtp_ops;
extern const struct mp_proto_ops mp_imap_ops;
extern const struct mp_proto_ops mp_pop3_ops;

static const struct mp_protocol table[PROTO_COUNT] = {
    {PROTO_SMTP,
     "smtp",
     "SMTP",
     DIR_OUTGOING,
     25,
     {{587, SEC_STARTTLS, true, "_submission._tcp"},
      {465, SEC_TLS, true, "_submissions._tcp"},
      {25, SEC_STARTTLS, false, NULL}},
     &mp_smtp_ops},
    {PROTO_IMAP,
     "imap",
     "IMAP",
     DIR_INCOMING,
     0,
     {{993, SEC_TLS, true, "_imaps._tcp"}, {143, SEC_STARTTLS, false, "_imap._tcp"}},
     &mp_imap_ops},
    {PROTO_POP3,
     "pop3",
     "POP3",
     DIR_INCOMING,
     0,
     {{995, SEC_TLS, true, "_pop3s._tcp"}, {110, SEC_STARTTLS, false, "_pop3._tcp"}},
     &mp_pop3_ops},
};

const struct mp_protocol *
mp_protocol(enum mp_proto p)
{
	if ((unsigned)p >= PROTO_COUNT || table[p].id != p)
		abort(); /* not a protocol: a bug in the caller */
	return &table[p];
}

const struct mp_protocol *
mp_protocol_find(const char *name)
{
	for (int i = 0; name != NULL && i < PROTO_COUNT; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

bool
mp_proto_is_outgoing(enum mp_proto p)
{
	return mp_protocol(p)->direction == DIR_OUTGOING;
}

bool
mp_proto_is_relay_port(enum mp_proto p, uint16_t port)
{
	const struct mp_protocol *row = mp_protocol(p);

	return row->relay_port != 0 && row->relay_port == port;
}

int
mp_proto_ports(enum mp_direction dir, bool default_set, struct mp_endpoint_spec *out, int max)
{
	int n = 0;

	for (int i = 0; i < PROTO_COUNT; i++) {
		const struct mp_proto_port *pp = table[i].ports;

		if (table[i].direction != dir)
			continue;
		for (int k = 0; k < MP_PROTO_PORTS_MAX && pp[k].port != 0 && n < max; k++)
			if (pp[k].in_default_set == default_set)
				out[n++] = (struct mp_endpoint_spec){table[i].id, pp[k].port,
								     pp[k].security};
	}
	return n;
}

int
mp_proto_srv_services(struct mp_srv_service *out, int max)
{
	int n = 0;

	for (int i = 0; i < PROTO_COUNT; i++)
		for (int tls = 1; tls >= 0; tls--)
			for (int k = 0; k < MP_PROTO_PORTS_MAX && n < max; k++) {
				const struct mp_proto_port *pp = &table[i].ports[k];

				if (pp->port != 0 && pp->srv != NULL &&
				    (pp->security == SEC_TLS) == (tls == 1))
					out[n++] = (struct mp_srv_service){pp->srv, table[i].id,
									   pp->security};
			}
	return n;
}
