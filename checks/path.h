/*
 * How far a TCP connection attempt to address:port gets: one non-blocking
 * connect per IP TTL / IPv6 hop limit 1..max, all at once, under the run's
 * deadline. A router that drops a packet whose TTL ran out answers with ICMP
 * time-exceeded; Linux queues that answer on the socket's error queue
 * (IP_RECVERR / IPV6_RECVERR), which needs no privileges on an ordinary TCP
 * socket. The server itself answers with a SYN-ACK (connected) or a reset.
 *
 * Where the error queue cannot be had (setting IP_RECVERR fails: a kernel or
 * sandbox without it), the answers are read from a raw ICMP/ICMPv6 socket
 * instead (checks/path_raw.c), which needs CAP_NET_RAW; without it the
 * measurement is skipped with the reason. MP_PATH_NO_ERRQUEUE_ENV=1 is a test
 * switch that treats the error queue as unavailable, so the raw method runs
 * on a Linux that has both (the routed lab compares the two).
 */
#ifndef MAILPROBE_PATH_H
#define MAILPROBE_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/deadline.h"
#include "checks/net.h" /* and checks/platform.h: struct sockaddr_in6 */
#include "checks/result.h"

#define MP_PATH_MAX_HOPS 16
#define MP_PATH_NO_ERRQUEUE_ENV "MAILPROBE_TEST_NO_ERRQUEUE"

/* Where the ICMP answers were read. */
enum mp_path_method {
	PATH_ERRQUEUE, /* the TCP sockets' error queues, no privileges */
	PATH_RAW       /* a raw ICMP(v6) socket, CAP_NET_RAW */
};

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
	int last_hop;               /* last TTL that got any answer; 0 = none */
	enum mp_path_method method; /* used, or (skipped) the last one tried */
	bool skipped;
	char skip_reason[192];
};

/* Measures the path to addr:port with TTL 1..max_hops (at most
 * MP_PATH_MAX_HOPS). Returns once every TTL up to the first final answer
 * (SYN-ACK, reset, unreachable) answered, a short grace after that final
 * answer, or at the deadline. Always fills *out; closes every socket. */
void mp_path_measure(const struct mp_addr *addr, uint16_t port, int max_hops,
		     const struct mp_deadline *dl, struct mp_path_result *out);

const char *mp_hop_answer_str(enum mp_hop_answer a);
const char *mp_path_method_str(enum mp_path_method m); /* "error_queue", "raw_socket" */

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

/* Turns the ICMP error queue (IP_RECVERR / IPV6_RECVERR) of socket fd of
 * family af on or off: 0, or -1 with errno (always -1 on Windows). Off
 * again once a connection is up: with it on, Linux makes any later ICMP
 * error end the connection instead of only noting it. */
int mp_errqueue_set(int fd, int af, bool on);

/* Reads fd's error queue (without waiting) until an ICMP time-exceeded or
 * unreachable message: 0 with *answer, *code and addr (the ICMP sender)
 * filled, -1 when there is none (always -1 on Windows). */
int mp_errqueue_read(int fd, int af, enum mp_hop_answer *answer, int *code, char *addr,
		     size_t addrlen);

/* An ICMP (af AF_INET) or ICMPv6 type as a hop's answer: v4 11 / v6 3 time
 * exceeded, v4 3 / v6 1 unreachable, anything else HOP_NONE. */
enum mp_hop_answer mp_path_icmp_answer(int af, int type);

/* An ICMP(v6) error read from a raw socket: the answer, its code, the
 * sender, and the TCP segment it quotes (addresses in network order, 4 or
 * 16 bytes by family; ports in host order). */
struct mp_path_icmp {
	enum mp_hop_answer answer;
	int code;
	char sender[MP_ADDR_MAX];
	unsigned char src[16], dst[16];
	uint16_t sport, dport;
};

/* Parses what a raw socket of family af read: AF_INET with the outer IPv4
 * header (the kernel's raw IPv4 format), AF_INET6 from the ICMPv6 header on
 * with the sender from recvfrom (from6). 0 for a time-exceeded or
 * unreachable message quoting a TCP segment; -1 for anything else or
 * anything cut short. Every length is checked against len. */
int mp_path_parse_icmp(int af, const void *buf, size_t len, const struct sockaddr_in6 *from6,
		       struct mp_path_icmp *out);

/* checks/path_raw.c for checks/path.c: a non-blocking raw ICMP(v6) socket
 * that passes only time-exceeded and unreachable messages, or -1 with the
 * reason in why. */
int mp_path_raw_open(int af, char *why, size_t whylen);

#endif
