/*
 * Name resolution and TCP connect, both under the run's deadline, with every
 * failure classed (dns_*, connect_*). getaddrinfo has no timeout of its own:
 * it runs in a detached thread the deadline can abandon, and the number of
 * abandoned lookups is bounded (over the bound: dns_timeout at once).
 */
#ifndef MAILPROBE_NET_H
#define MAILPROBE_NET_H

#include "checks/deadline.h"
#include "checks/platform.h"
#include "checks/result.h"

#define MP_RESOLVE_MAX 16

struct mp_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char str[MP_ADDR_MAX]; /* "192.0.2.1" or "2001:db8::1" */
};

struct mp_resolved {
	int n;
	struct mp_addr addrs[MP_RESOLVE_MAX];
	enum mp_class cls; /* CLASS_NONE when n > 0 */
	char message[MP_MESSAGE_MAX];
	double seconds;
};

/* Resolves host to every A/AAAA address (family AF_UNSPEC, AF_INET or
 * AF_INET6), IPv6 and IPv4 in the resolver's order, duplicates removed.
 * Returns the class (CLASS_NONE on success). */
enum mp_class mp_resolve(const char *host, int family, const struct mp_deadline *dl,
			 struct mp_resolved *out);

/* Parses a numeric address ("192.0.2.1", "::1", "[::1]"). 0 or -1. */
int mp_addr_parse(const char *s, struct mp_addr *out);

/* The ICMP error that ended a failed connect (Linux: the socket's error
 * queue; never on Windows). */
struct mp_connect_icmp {
	char from[MP_ADDR_MAX]; /* its sender; "" = none came (a refusal was then a
				   TCP reset, or the system has no error queue) */
	bool prohibited;        /* administratively prohibited: a firewall's reject */
};

/* Connects to addr:port. On success *fd is a connected non-blocking socket
 * and CLASS_NONE is returned; else a connect_* class and a message. A
 * connection reset right after it was accepted is a success with *reset
 * set: the peer_reset belongs to the first read. icmp (or NULL): what an
 * ICMP error that ended a failed attempt said. */
enum mp_class mp_connect(const struct mp_addr *addr, uint16_t port, const struct mp_deadline *dl,
			 int *fd, bool *reset, char *msg, size_t msglen,
			 struct mp_connect_icmp *icmp);

/* Lookups abandoned by their deadline and still running (for tests). */
int mp_resolve_abandoned(void);

#endif
