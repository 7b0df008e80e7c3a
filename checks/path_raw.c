/*
 * The raw-socket way to read a path's ICMP answers, for when the TCP
 * sockets' error queue cannot be had: one raw ICMP (ICMPv6) socket sees
 * every time-exceeded and unreachable message that reaches this host, and
 * checks/path.c keeps those that quote one of its own SYNs (the quoted
 * source address and port, destination address and port: unique among live
 * connections). Needs CAP_NET_RAW. Everything read is parsed with bounds
 * checked: the socket sees any host's ICMP, forged ones included.
 */
#ifndef _WIN32 /* Linux only: Windows measures no paths (checks/platform_win.c) */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/path.h"

#define IP4_MIN_HDR 20
#define IP6_HDR 40
#define ICMP_HDR 8
#define TCP_PORTS 4 /* source and destination port: all an answer must quote */
#define PROTO_TCP 6

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The quoted TCP ports at q (TCP_PORTS bytes, checked by the caller). */
static void
quoted_ports(const unsigned char *q, struct mp_path_icmp *out)
{
	out->sport = get16(q);
	out->dport = get16(q + 2);
}

static int
parse_v4(const unsigned char *b, size_t len, struct mp_path_icmp *out)
{
	size_t outer, inner;
	const unsigned char *icmp, *ip;

	if (len < IP4_MIN_HDR || (b[0] >> 4) != 4 ||
	    (outer = (size_t)(b[0] & 15) * 4) < IP4_MIN_HDR || len < outer + ICMP_HDR + IP4_MIN_HDR)
		return -1;
	icmp = b + outer;
	ip = icmp + ICMP_HDR;
	if ((ip[0] >> 4) != 4 || (inner = (size_t)(ip[0] & 15) * 4) < IP4_MIN_HDR ||
	    len < outer + ICMP_HDR + inner + TCP_PORTS || ip[9] != PROTO_TCP)
		return -1;
	if ((out->answer = mp_path_icmp_answer(AF_INET, icmp[0])) == HOP_NONE)
		return -1;
	out->code = icmp[1];
	memcpy(out->src, ip + 12, 4);
	memcpy(out->dst, ip + 16, 4);
	quoted_ports(ip + inner, out);
	return inet_ntop(AF_INET, b + 12, out->sender, sizeof(out->sender)) != NULL ? 0 : -1;
}

/* ICMPv6 from its header on; only a TCP segment right after the quoted
 * IPv6 header (no extension headers: a SYN carries none). */
static int
parse_v6(const unsigned char *b, size_t len, const struct sockaddr_in6 *from6,
	 struct mp_path_icmp *out)
{
	const unsigned char *ip = b + ICMP_HDR;

	if (from6 == NULL || from6->sin6_family != AF_INET6 ||
	    len < ICMP_HDR + IP6_HDR + TCP_PORTS || (ip[0] >> 4) != 6 || ip[6] != PROTO_TCP)
		return -1;
	if ((out->answer = mp_path_icmp_answer(AF_INET6, b[0])) == HOP_NONE)
		return -1;
	out->code = b[1];
	memcpy(out->src, ip + 8, 16);
	memcpy(out->dst, ip + 24, 16);
	quoted_ports(ip + IP6_HDR, out);
	return inet_ntop(AF_INET6, &from6->sin6_addr, out->sender, sizeof(out->sender)) != NULL
		   ? 0
		   : -1;
}

int
mp_path_parse_icmp(int af, const void *buf, size_t len, const struct sockaddr_in6 *from6,
		   struct mp_path_icmp *out)
{
	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -1;
	if (af == AF_INET)
		return parse_v4(buf, len, out);
	if (af == AF_INET6)
		return parse_v6(buf, len, from6, out);
	return -1;
}

/* Only time-exceeded and unreachable reach the socket (fewer wake-ups on a
 * busy host); the parser checks the type again. */
static int
raw_filter(int fd, int af)
{
	if (af == AF_INET) {
		struct icmp_filter f = {.data = ~((1U << 3) | (1U << 11))};

		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	}
	struct icmp6_filter f6;

	ICMP6_FILTER_SETBLOCKALL(&f6);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f6);
	ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f6);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof(f6));
}

int
mp_path_raw_open(int af, char *why, size_t whylen)
{
	int fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);

	if (fd < 0) {
		snprintf(why, whylen, "%s",
			 errno == EPERM || errno == EACCES ? "a raw ICMP socket needs CAP_NET_RAW"
							   : strerror(errno));
		return -1;
	}
	if (raw_filter(fd, af) < 0) {
		snprintf(why, whylen, "no ICMP filter on the raw socket: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
#endif
