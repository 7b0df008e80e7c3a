/*
 * The protocol table: one row per protocol mailprobe speaks, holding its
 * names, direction, default ports and dialog. Everything that depends on
 * the protocol asks this table; nothing falls back to SMTP. No I/O here.
 */
#ifndef MAILPROBE_PROTOCOLS_H
#define MAILPROBE_PROTOCOLS_H

#include <stdbool.h>
#include <stdint.h>

/* One value per row of the table in protocols.c, same order. */
enum mp_proto { PROTO_SMTP, PROTO_IMAP, PROTO_POP3, PROTO_COUNT };

enum mp_security {
	SEC_TLS,      /* implicit TLS: TLS from the first byte */
	SEC_STARTTLS, /* plaintext session upgraded with STARTTLS / STLS */
	SEC_NONE,     /* plaintext only */
	SEC_COUNT
};

enum mp_direction {
	DIR_INCOMING, /* a mailbox the client reads (IMAP, POP3) */
	DIR_OUTGOING  /* a server the client submits mail through (SMTP) */
};

#define MP_PROTO_PORTS_MAX 4

/* One endpoint kind: "imap:993:tls". */
struct mp_endpoint_spec {
	enum mp_proto proto;
	uint16_t port;
	enum mp_security security;
};

/* A published SRV service (RFC 6186, RFC 8314) and the endpoint it names. */
struct mp_srv_service {
	const char *label; /* "_imaps._tcp" */
	enum mp_proto proto;
	enum mp_security security;
};

/* A port a client uses for the protocol. */
struct mp_proto_port {
	uint16_t port; /* 0 ends the list */
	enum mp_security security;
	bool in_default_set; /* probed by default; the others with --all */
	const char *srv;     /* RFC 6186/8314 SRV service label, NULL: none */
};

struct mp_proto_ops; /* the dialog (checks/session.h) */

struct mp_protocol {
	enum mp_proto id;
	const char *name;  /* "smtp": JSON, metric labels, --endpoint */
	const char *upper; /* "SMTP": sentences, error messages */
	enum mp_direction direction;
	uint16_t relay_port; /* a port where no client logs in (SMTP 25), 0: none */
	struct mp_proto_port ports[MP_PROTO_PORTS_MAX]; /* the order clients prefer */
	const struct mp_proto_ops *ops;
};

/* The row of p. p must be a protocol of the table: anything else is a
 * programming error and aborts (no fallback). */
const struct mp_protocol *mp_protocol(enum mp_proto p);
/* The row named name ("smtp"), or NULL when there is none. */
const struct mp_protocol *mp_protocol_find(const char *name);

/* True for a protocol a client sends mail through. */
bool mp_proto_is_outgoing(enum mp_proto p);
/* True when no client logs in at (p, port): SMTP's relay port 25. */
bool mp_proto_is_relay_port(enum mp_proto p, uint16_t port);

/* The ports of every protocol of direction dir that are (default_set) or
 * are not (!default_set) in the default set, in table order, into out (at
 * most max); returns how many. */
int mp_proto_ports(enum mp_direction dir, bool default_set, struct mp_endpoint_spec *out, int max);
/* The SRV services of every protocol, implicit TLS first within each, into
 * out (at most max); returns how many. */
int mp_proto_srv_services(struct mp_srv_service *out, int max);

#endif
