/*
 * Who a client is, for the per-client limits of the web side: an IPv4
 * address (IPv4-mapped IPv6 unwrapped) or an IPv6 /64, which one host
 * usually owns whole. Also the count of open connections per client.
 */
#ifndef MAILPROBE_EXPORTER_CLIENTS_H
#define MAILPROBE_EXPORTER_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct client_key {
	unsigned char b[8];
	unsigned char len; /* 4: IPv4, 8: IPv6 /64, 0: another family */
};

/* The client a socket address belongs to. */
void client_key_of(const struct sockaddr *sa, struct client_key *k);
bool client_key_eq(const struct client_key *a, const struct client_key *b);
/* "192.0.2.1" or "2001:db8:1:2::/64". */
void client_key_str(const struct client_key *k, char *out, size_t len);

/* Open connections per client, for at most max clients at once. Thread-safe. */
struct client_table;

struct client_table *clients_new(int max);
void clients_free(struct client_table *t);
/* The connections k has open now. */
int clients_count(struct client_table *t, const struct client_key *k);
/* A connection of k opened (-1 when the table is full) or closed. */
int clients_opened(struct client_table *t, const struct client_key *k);
void clients_closed(struct client_table *t, const struct client_key *k);

#endif
