/*
 * How far a TCP connection attempt to address:port gets: one non-blocking
 * connect per IP TTL / IPv6 hop limit 1..max, all at once, under the run's
 * deadline. A router that drops a packet whose TTL ran out answers with ICMP
 * time-exceeded; Linux queues that answer on the socket's error queue
 * (IP_RECVERR / IPV6_RECVERR), which needs no privileges on an ordinary TCP
 * socket. The server itself answers with a SYN-ACK (connected) or a reset.
 */
#ifndef MAILPROBE_PATH_H
#define MAILPROBE_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/deadline.h"
#include "checks/net.h"
#include "checks/result.h"

#define MP_PATH_MAX_HOPS 16

/* What came back for one TTL. */
enum mp_hop_answer {
	HOP_NONE,          /* nothing within the deadline */
	HOP_TIME_EXCEEDED, /* a router on the way: ICMP time exceeded */
	HOP_UNREACHABLE,   /* ICMP destination unreachable (icmp_code says why) */
	HOP_SYN_ACK,       /* the connection was accepted */
	HOP_RESET          /* a TCP reset in the server's name */
};

struct mp_path_hop {
	int ttl;
	char addr[MP_ADDR_MAX]; /* who answered; "" = no answer */
	double ms;              /* from the attempt to the answer; 0 = no answer */
	enum mp_hop_answer answer;
	int icmp_code; /* HOP_UNREACHABLE: the ICMP(v6) code (v4 13 / v6 1: admin) */
};

struct mp_path_result {
	char address[MP_ADDR_MAX];
	uint16_t port;
	int nhops; /* hops[0..nhops-1] are TTL 1..nhops */
	struct mp_path_hop hops[MP_PATH_MAX_HOPS];
	/* TTL at which a TCP answer in the server's name (SYN-ACK or reset)
	 * came back; 0 = never. A reset at a lower TTL than another port's
	 * reached came from a middlebox at that hop. */
	int reached;
	int last_hop; /* last TTL that got any answer; 0 = none */
	bool skipped;
	char skip_reason[128];
};

/* Measures the path to addr:port with TTL 1..max_hops (at most
 * MP_PATH_MAX_HOPS). Returns once every TTL up to the first final answer
 * (SYN-ACK, reset, unreachable) answered, a short grace after that final
 * answer, or at the deadline. Always fills *out; closes every socket. */
void mp_path_measure(const struct mp_addr *addr, uint16_t port, int max_hops,
		     const struct mp_deadline *dl, struct mp_path_result *out);

const char *mp_hop_answer_str(enum mp_hop_answer a);

/* The pure parts, for tests. mp_path_record keeps the first answer for a
 * TTL in 1..max_hops (others are ignored) and returns true once the
 * measurement is complete: every TTL below the first final answer (SYN-ACK,
 * reset, unreachable) answered, or every TTL answered. mp_path_finish sets
 * nhops (up to the first final answer, else one past the last answer),
 * reached and last_hop. Both need r->hops[i].ttl = i + 1 (mp_path_start). */
void mp_path_start(struct mp_path_result *r, const char *address, uint16_t port);
bool mp_path_record(struct mp_path_result *r, int max_hops, int ttl, enum mp_hop_answer answer,
		    const char *addr, int icmp_code, double ms);
void mp_path_finish(struct mp_path_result *r, int max_hops);

/* Reads one error-queue message of a socket of family af out of the control
 * buffer of a recvmsg(MSG_ERRQUEUE): an ICMP time-exceeded or unreachable
 * answer gives 0 with *answer, *code and addr (the ICMP sender) filled;
 * anything else (another origin, a truncated or foreign message) -1. */
int mp_path_parse_errqueue(int af, const void *control, size_t controllen,
			   enum mp_hop_answer *answer, int *code, char *addr, size_t addrlen);

#endif
