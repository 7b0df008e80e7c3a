/*
 * Path measurement (checks/path.c, probe/run/paths.c): the bookkeeping of
 * answers per TTL, the error-queue parser against well-formed and hostile
 * control messages, the AUTO rule, and real measurements on loopback (TTL 1
 * reaches it: a SYN-ACK from a listener, a reset from a closed port), the
 * raw-socket parser against well-formed and hostile ICMP(v6), and the raw
 * method on loopback (or its skip without CAP_NET_RAW). Routed
 * paths with routers are tested in the routed lab (tests/lab/test_path.py).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "checks/path.h"
#include "probe/diagnose/diagnose.h"
#include "probe/render/render.h"
#include "probe/run/paths.h"
#include "tests/unit/harness.h"

static void
test_record_route(void)
{
	struct mp_path_result r;

	mp_path_start(&r, "192.0.2.1", 587);
	CHECK(!mp_path_record(&r, 16, 1, HOP_TIME_EXCEEDED, "10.0.0.1", 0, 1.0), "1 of 4");
	CHECK(!mp_path_record(&r, 16, 4, HOP_SYN_ACK, "192.0.2.1", 0, 4.0), "hop 2, 3 missing");
	CHECK(!mp_path_record(&r, 16, 3, HOP_TIME_EXCEEDED, "10.0.0.3", 0, 3.0), "hop 2 missing");
	CHECK(mp_path_record(&r, 16, 2, HOP_TIME_EXCEEDED, "10.0.0.2", 0, 2.0), "complete");
	CHECK(mp_path_record(&r, 16, 5, HOP_SYN_ACK, "192.0.2.1", 0, 5.0), "past the end: still");
	mp_path_finish(&r, 16);
	CHECK(r.reached == 4 && r.last_hop == 4 && r.nhops == 4, "reached at 4");
	CHECK_STR(r.hops[1].addr, "10.0.0.2", "hop 2's address");
	CHECK(r.hops[1].ttl == 2 && r.hops[1].answer == HOP_TIME_EXCEEDED, "hop 2");
	CHECK(r.hops[4].ttl == 0 && r.hops[4].addr[0] == '\0', "nothing kept past the end");
}

static void
test_record_blocked(void)
{
	struct mp_path_result r;

	mp_path_start(&r, "192.0.2.1", 587);
	mp_path_record(&r, 16, 1, HOP_TIME_EXCEEDED, "10.0.0.1", 0, 1.0);
	mp_path_record(&r, 16, 1, HOP_UNREACHABLE, "10.9.9.9", 13, 1.0); /* second answer */
	CHECK(!mp_path_record(&r, 16, 2, HOP_NONE, "10.0.0.2", 0, 1.0), "none is no answer");
	mp_path_finish(&r, 16);
	CHECK(r.reached == 0 && r.last_hop == 1 && r.nhops == 2, "dropped after hop 1");
	CHECK_STR(r.hops[0].addr, "10.0.0.1", "the first answer stays");
	CHECK(r.hops[1].answer == HOP_NONE && r.hops[1].addr[0] == '\0', "hop 2: nothing");

	mp_path_start(&r, "192.0.2.1", 587);
	mp_path_finish(&r, 16);
	CHECK(r.reached == 0 && r.last_hop == 0 && r.nhops == 1, "nothing answered");

	mp_path_start(&r, "192.0.2.1", 587);
	mp_path_record(&r, 16, 1, HOP_TIME_EXCEEDED, "10.0.0.1", 0, 1.0);
	mp_path_record(&r, 16, 2, HOP_UNREACHABLE, "10.0.0.2", 13, 1.0);
	mp_path_record(&r, 16, 3, HOP_UNREACHABLE, "10.0.0.2", 13, 1.0);
	mp_path_finish(&r, 16);
	CHECK(r.reached == 0 && r.last_hop == 2 && r.nhops == 2, "admin-prohibited at hop 2");
	CHECK(r.hops[1].icmp_code == 13, "its code");

	mp_path_start(&r, "192.0.2.1", 587);
	mp_path_record(&r, 16, 2, HOP_RESET, "192.0.2.1", 0, 1.0);
	mp_path_finish(&r, 16);
	CHECK(r.reached == 2 && r.last_hop == 2 && r.nhops == 2, "a reset at hop 2");

	mp_path_start(&r, "192.0.2.1", 587);
	CHECK(!mp_path_record(&r, 99, 0, HOP_SYN_ACK, "x", 0, 1.0), "TTL 0 ignored");
	CHECK(!mp_path_record(&r, 3, 17, HOP_SYN_ACK, "x", 0, 1.0), "TTL past max ignored");
	for (int t = 1; t <= 3; t++)
		mp_path_record(&r, 3, t, HOP_TIME_EXCEEDED, "10.0.0.1", 0, -5.0);
	mp_path_finish(&r, 3);
	CHECK(r.nhops == 3 && r.last_hop == 3 && r.reached == 0, "longer than max hops");
	CHECK(r.hops[0].ms == 0, "negative time clamped");
}

/* A control buffer with one cmsg of level/type carrying ee and an offender
 * of family fam (or a cut one of datalen bytes when datalen > 0). */
static size_t
make_cmsg(char *buf, size_t buflen, int level, int type, const struct sock_extended_err *ee,
	  int fam, const char *addr, size_t datalen)
{
	struct msghdr m = {.msg_control = buf, .msg_controllen = buflen};
	struct cmsghdr *c;
	unsigned char data[sizeof(*ee) + sizeof(struct sockaddr_in6)];
	size_t full = sizeof(*ee) +
		      (fam == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));

	memset(buf, 0, buflen);
	memset(data, 0, sizeof(data));
	memcpy(data, ee, sizeof(*ee));
	if (fam == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)(void *)(data + sizeof(*ee));

		sin->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &sin->sin_addr);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)(data + sizeof(*ee));

		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
	}
	if (datalen == 0)
		datalen = full;
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(datalen);
	memcpy(CMSG_DATA(c), data, datalen);
	return CMSG_SPACE(datalen);
}

/* Parses one well-formed ICMP error-queue message of family fam, ICMP type
 * and code from sender: true when it gives want and code. */
static bool
parses_as(int fam, int type, int code, const char *sender, enum mp_hop_answer want)
{
	char buf[256], addr[MP_ADDR_MAX] = "";
	struct sock_extended_err ee = {.ee_errno = EHOSTUNREACH,
				       .ee_origin =
					   fam == AF_INET ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6,
				       .ee_type = (uint8_t)type,
				       .ee_code = (uint8_t)code};
	enum mp_hop_answer a = HOP_NONE;
	int got = -1;
	size_t n = make_cmsg(buf, sizeof(buf), fam == AF_INET ? SOL_IP : SOL_IPV6,
			     fam == AF_INET ? IP_RECVERR : IPV6_RECVERR, &ee, fam, sender, 0);

	return mp_path_parse_errqueue(fam, buf, n, &a, &got, addr, sizeof(addr)) == 0 &&
	       a == want && got == code && strcmp(addr, sender) == 0;
}

static void
test_errqueue(void)
{
	CHECK(parses_as(AF_INET, 11, 0, "198.19.1.1", HOP_TIME_EXCEEDED), "v4 time exceeded");
	CHECK(parses_as(AF_INET, 3, 13, "198.19.2.2", HOP_UNREACHABLE), "v4 admin-prohibited");
	CHECK(parses_as(AF_INET6, 3, 0, "fd00::1", HOP_TIME_EXCEEDED), "v6 time exceeded");
	CHECK(parses_as(AF_INET6, 1, 1, "fd00::2", HOP_UNREACHABLE), "v6 admin-prohibited");
}

static void
test_errqueue_hostile(void)
{
	char buf[256], addr[MP_ADDR_MAX];
	struct sock_extended_err ee = {.ee_origin = SO_EE_ORIGIN_ICMP, .ee_type = 11};
	enum mp_hop_answer a;
	int code;
	size_t n;

	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET6, "fd00::1", 0);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "offender of the other family");
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET, "198.19.1.1",
		      sizeof(ee) + 2);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "offender cut short");
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET, "198.19.1.1", 6);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "extended error cut short");
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_TTL, &ee, AF_INET, "198.19.1.1", 0);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "another cmsg type");
	ee.ee_origin = SO_EE_ORIGIN_LOCAL;
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET, "198.19.1.1", 0);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "a local error is no hop");
	ee.ee_origin = SO_EE_ORIGIN_ICMP;
	ee.ee_type = 0; /* echo reply: no path answer */
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET, "198.19.1.1", 0);
	CHECK(mp_path_parse_errqueue(AF_INET, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "an ICMP type that is no answer");
	ee.ee_type = 11;
	n = make_cmsg(buf, sizeof(buf), SOL_IP, IP_RECVERR, &ee, AF_INET, "198.19.1.1", 0);
	CHECK(mp_path_parse_errqueue(AF_INET6, buf, n, &a, &code, addr, sizeof(addr)) < 0,
	      "a v4 message on a v6 socket");
	CHECK(mp_path_parse_errqueue(AF_INET, NULL, 0, &a, &code, addr, sizeof(addr)) < 0,
	      "no control data");
	CHECK(mp_path_parse_errqueue(AF_INET, buf, 3, &a, &code, addr, sizeof(addr)) < 0,
	      "control data shorter than a header");
	for (size_t cut = 0; cut < n; cut++) /* every cut of a good message: no overread */
		mp_path_parse_errqueue(AF_INET, buf, cut, &a, &code, addr, sizeof(addr));
	CHECK(1, "every cut parsed without a crash");
}

/* A quoted TCP header's ports: from 40000 to dport. */
static void
put_ports(unsigned char *q, int dport)
{
	q[0] = 40000 >> 8;
	q[1] = 40000 & 255;
	q[2] = (unsigned char)(dport >> 8);
	q[3] = (unsigned char)(dport & 255);
}

/* What a raw IPv4 ICMP socket reads: outer IPv4 header from sender, ICMP
 * type/code, the quoted IPv4 header (protocol proto) and 8 bytes of TCP
 * from 198.19.1.2:40000 to 198.19.4.10:587. Returns the length. */
static size_t
make_icmp4(unsigned char *b, int type, int code, const char *sender, int proto)
{
	memset(b, 0, 56);
	b[0] = 0x45;
	b[9] = 1;
	inet_pton(AF_INET, sender, b + 12);
	b[20] = (unsigned char)type;
	b[21] = (unsigned char)code;
	b[28] = 0x45;
	b[37] = (unsigned char)proto;
	inet_pton(AF_INET, "198.19.1.2", b + 40);
	inet_pton(AF_INET, "198.19.4.10", b + 44);
	put_ports(b + 48, 587);
	return 56;
}

/* ICMPv6 as a raw ICMPv6 socket reads it: type/code, the quoted IPv6
 * header (next header nh) and 8 bytes of TCP, fd00::2:40000 -> fd00::10:465. */
static size_t
make_icmp6(unsigned char *b, int type, int code, int nh)
{
	memset(b, 0, 56);
	b[0] = (unsigned char)type;
	b[1] = (unsigned char)code;
	b[8] = 0x60;
	b[14] = (unsigned char)nh;
	inet_pton(AF_INET6, "fd00::2", b + 16);
	inet_pton(AF_INET6, "fd00::10", b + 32);
	put_ports(b + 48, 465);
	return 56;
}

static void
test_icmp_parse(void)
{
	unsigned char b[64], want[16];
	struct sockaddr_in6 from = {.sin6_family = AF_INET6};
	struct mp_path_icmp ic;
	size_t n = make_icmp4(b, 11, 0, "198.19.2.2", 6);

	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) == 0, "v4 time exceeded parses");
	CHECK(ic.answer == HOP_TIME_EXCEEDED && ic.sport == 40000 && ic.dport == 587,
	      "v4: answer and quoted ports");
	CHECK_STR(ic.sender, "198.19.2.2", "v4: the sender is the outer source");
	inet_pton(AF_INET, "198.19.4.10", want);
	CHECK(memcmp(ic.dst, want, 4) == 0, "v4: the quoted destination");
	n = make_icmp4(b, 3, 13, "198.19.3.3", 6);
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) == 0 && ic.answer == HOP_UNREACHABLE &&
		  ic.code == 13,
	      "v4 admin-prohibited");
	inet_pton(AF_INET6, "fd00::1", &from.sin6_addr);
	n = make_icmp6(b, 3, 0, 6);
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, &from, &ic) == 0 &&
		  ic.answer == HOP_TIME_EXCEEDED && ic.dport == 465 && ic.sport == 40000,
	      "v6 time exceeded parses");
	CHECK_STR(ic.sender, "fd00::1", "v6: the sender from recvfrom");
	inet_pton(AF_INET6, "fd00::2", want);
	CHECK(memcmp(ic.src, want, 16) == 0, "v6: the quoted source");
	n = make_icmp6(b, 1, 1, 6);
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, &from, &ic) == 0 && ic.answer == HOP_UNREACHABLE &&
		  ic.code == 1,
	      "v6 admin-prohibited");
}

static void
test_icmp_hostile(void)
{
	unsigned char b[64];
	struct sockaddr_in6 from = {.sin6_family = AF_INET6};
	struct mp_path_icmp ic;
	size_t n = make_icmp4(b, 11, 0, "198.19.2.2", 6);
	int cut_ok = 0;

	for (size_t cut = 0; cut < n - 4; cut++) /* 52 bytes: the quoted ports complete */
		cut_ok += mp_path_parse_icmp(AF_INET, b, cut, NULL, &ic) == 0;
	CHECK(cut_ok == 0, "v4: every cut before the quoted ports is refused");
	CHECK(mp_path_parse_icmp(AF_INET, b, n - 4, NULL, &ic) == 0, "v4: the ports suffice");
	b[28] = 0x4f; /* a quoted header of 60 bytes, longer than what came */
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: quoted header past the end");
	b[28] = 0x44;
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: quoted header too short");
	make_icmp4(b, 11, 0, "198.19.2.2", 6);
	b[0] = 0x4f;
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: outer header past the end");
	n = make_icmp4(b, 11, 0, "198.19.2.2", 17);
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: a quoted UDP datagram");
	n = make_icmp4(b, 0, 0, "198.19.2.2", 6);
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: an echo reply");
	n = make_icmp4(b, 11, 0, "198.19.2.2", 6);
	b[0] = 0x65;
	CHECK(mp_path_parse_icmp(AF_INET, b, n, NULL, &ic) < 0, "v4: not IPv4");
	CHECK(mp_path_parse_icmp(AF_INET, NULL, 56, NULL, &ic) < 0, "no buffer");
	CHECK(mp_path_parse_icmp(AF_UNIX, b, n, NULL, &ic) < 0, "another family");
	n = make_icmp6(b, 3, 0, 6);
	cut_ok = 0;
	for (size_t cut = 0; cut < n - 4; cut++)
		cut_ok += mp_path_parse_icmp(AF_INET6, b, cut, &from, &ic) == 0;
	CHECK(cut_ok == 0, "v6: every cut before the quoted ports is refused");
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, NULL, &ic) < 0, "v6: no sender");
	n = make_icmp6(b, 3, 0, 0);
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, &from, &ic) < 0, "v6: an extension header");
	n = make_icmp6(b, 128, 0, 6);
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, &from, &ic) < 0, "v6: an echo request");
	n = make_icmp6(b, 3, 0, 6);
	b[8] = 0x40;
	CHECK(mp_path_parse_icmp(AF_INET6, b, n, &from, &ic) < 0, "v6: quoted header not IPv6");
}

static void
test_working_peer(void)
{
	struct mp_path_probe_state st[] = {
	    {"192.0.2.1", 587, 2, false, false}, {"192.0.2.1", 993, 0, true, false},
	    {"192.0.2.1", 465, 2, true, false},  {"2001:db8::1", 587, 2, false, true},
	    {"2001:db8::1", 587, 2, true, true}, {"192.0.2.2", 993, 0, false, true},
	};
	int n = (int)(sizeof(st) / sizeof(st[0]));

	CHECK(mp_path_working_peer(st, n, 0, false) == -1, "pending, not yet suspect");
	CHECK(mp_path_working_peer(st, n, 0, true) == 2, "suspect: 465 (same protocol) first");
	CHECK(mp_path_working_peer(st, n, 1, true) == -1, "a connected port is not blocked");
	CHECK(mp_path_working_peer(st, n, 3, false) == -1, "the same port is no peer");
	CHECK(mp_path_working_peer(st, n, 5, false) == -1, "no working port at that address");
	st[0].finished = true;
	CHECK(mp_path_working_peer(st, n, 0, false) == 2, "failed at connect: at once");
	st[2].connected = false;
	CHECK(mp_path_working_peer(st, n, 0, false) == 1, "else another protocol's port");
	CHECK(mp_path_working_peer(st, n, 9, true) == -1, "index out of range");
	CHECK(mp_path_suspect_after(10) == MP_PATH_SUSPECT_S, "suspect after 1.5 s");
	CHECK(mp_path_suspect_after(2) < 0.81 && mp_path_suspect_after(2) > 0.79,
	      "at most 40 % of a short timeout");
}

static int
listener(int af, struct mp_addr *a)
{
	int fd = socket(af, SOCK_STREAM, 0);
	socklen_t len = sizeof(a->ss);

	if (fd < 0)
		return -1;
	memset(&a->ss, 0, sizeof(a->ss));
	a->ss.ss_family = (sa_family_t)af;
	if (af == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_addr = in6addr_loopback;
	if (bind(fd, (struct sockaddr *)&a->ss,
		 af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0 ||
	    listen(fd, 16) < 0 || getsockname(fd, (struct sockaddr *)&a->ss, &len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint16_t
port_of(const struct mp_addr *a)
{
	return ntohs(a->ss.ss_family == AF_INET ? ((const struct sockaddr_in *)&a->ss)->sin_port
						: ((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

static void
test_loopback(int af, const char *text)
{
	struct mp_addr a, parsed;
	struct mp_deadline dl;
	struct mp_path_result r;
	int fd = listener(af, &a);
	uint16_t port;

	if (fd < 0) {
		printf("skip: no %s loopback listener\n", text);
		return;
	}
	port = port_of(&a);
	CHECK(mp_addr_parse(text, &parsed) == 0, "loopback parses");
	mp_deadline_in(&dl, 5);
	mp_path_measure(&parsed, port, 16, &dl, &r);
	CHECK(!r.skipped && r.reached == 1 && r.last_hop == 1 && r.nhops == 1,
	      "a listener on loopback answers at TTL 1");
	CHECK(r.hops[0].answer == HOP_SYN_ACK, "with a SYN-ACK");
	CHECK_STR(r.address, text, "the address");
	CHECK(r.port == port, "the port");
	close(fd); /* now nothing listens there */
	mp_deadline_in(&dl, 5);
	mp_path_measure(&parsed, port, 16, &dl, &r);
	CHECK(r.reached == 1 && r.hops[0].answer == HOP_RESET, "a closed port: a reset at 1");
	mp_deadline_in(&dl, 0);
	mp_path_measure(&parsed, port, 16, &dl, &r);
	CHECK(!r.skipped && r.reached == 0 && r.nhops == 1, "an expired deadline: no answer");
}

/* The raw method (the test switch turns the error queue off): with
 * CAP_NET_RAW the loopback listener's SYN-ACK at TTL 1 as before; without it
 * the path is skipped and the reason names CAP_NET_RAW. */
static void
test_loopback_raw(void)
{
	struct mp_addr a, parsed;
	struct mp_deadline dl;
	struct mp_path_result r;
	int fd = listener(AF_INET, &a), probe = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	bool can_raw = probe >= 0;

	if (probe >= 0)
		close(probe);
	if (fd < 0) {
		printf("skip: no loopback listener\n");
		return;
	}
	CHECK(mp_addr_parse("127.0.0.1", &parsed) == 0, "loopback parses");
	setenv(MP_PATH_NO_ERRQUEUE_ENV, "1", 1);
	mp_deadline_in(&dl, 5);
	mp_path_measure(&parsed, port_of(&a), 16, &dl, &r);
	unsetenv(MP_PATH_NO_ERRQUEUE_ENV);
	CHECK(r.method == PATH_RAW, "the switch: the raw method");
	if (can_raw)
		CHECK(!r.skipped && r.reached == 1 && r.hops[0].answer == HOP_SYN_ACK,
		      "raw socket: the listener answers at TTL 1");
	else
		CHECK(r.skipped && strstr(r.skip_reason, "CAP_NET_RAW") != NULL &&
			  strstr(r.skip_reason, MP_PATH_NO_ERRQUEUE_ENV) != NULL,
		      "no CAP_NET_RAW: skipped, and why");
	mp_deadline_in(&dl, 5);
	mp_path_measure(&parsed, port_of(&a), 16, &dl, &r);
	CHECK(r.method == PATH_ERRQUEUE && !r.skipped && r.reached == 1,
	      "without the switch: the error queue");
	close(fd);
}

/* JSON paths: hops with null for no answer, icmp_code only when
 * unreachable, reason only when skipped. */
static void
test_json(void)
{
	struct mp_account a;
	struct mp_run run;
	struct mp_diagnosis d;
	struct mp_path_result p[2];
	cJSON *j, *arr, *hops;

	mp_account_init(&a);
	memset(&run, 0, sizeof(run));
	memset(&d, 0, sizeof(d));
	run.account = &a;
	mp_path_start(&p[0], "192.0.2.1", 587);
	mp_path_record(&p[0], 16, 1, HOP_TIME_EXCEEDED, "10.0.0.1", 0, 1.25);
	mp_path_record(&p[0], 16, 2, HOP_UNREACHABLE, "10.0.0.2", 13, 2.0);
	mp_path_finish(&p[0], 16);
	mp_path_start(&p[1], "192.0.2.1", 465);
	p[1].skipped = true;
	p[1].method = PATH_RAW;
	snprintf(p[1].skip_reason, sizeof(p[1].skip_reason), "no error queue");
	mp_path_finish(&p[1], 16);
	run.paths = p;
	run.npaths = 2;
	j = mp_render_json_tree(&run, &d);
	arr = cJSON_GetObjectItemCaseSensitive(j, "paths");
	CHECK(cJSON_GetArraySize(arr) == 2, "two paths");
	hops = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 0), "hops");
	CHECK(cJSON_GetArraySize(hops) == 2, "two hops");
	CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(hops, 0), "icmp_code") == NULL,
	      "no icmp_code for time exceeded");
	CHECK(cJSON_GetNumberValue(
		  cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(hops, 1), "icmp_code")) == 13,
	      "icmp_code 13");
	CHECK(cJSON_GetNumberValue(
		  cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 0), "last_hop")) == 2,
	      "last_hop 2");
	CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 0), "reason") == NULL,
	      "no reason when measured");
	CHECK_STR(cJSON_GetStringValue(
		      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 1), "method")),
		  "raw_socket", "the method");
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		  cJSON_GetArrayItem(
		      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 1), "hops"), 0),
		  "address")),
	      "a hop without an answer: address null");
	CHECK_STR(cJSON_GetStringValue(
		      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 1), "reason")),
		  "no error queue", "the skip reason");
	cJSON_Delete(j);
	run.npaths = 0;
	j = mp_render_json_tree(&run, &d);
	CHECK(cJSON_GetObjectItemCaseSensitive(j, "paths") == NULL, "no paths: no key");
	cJSON_Delete(j);
	mp_account_cleanup(&a);
}

int
main(void)
{
	test_record_route();
	test_record_blocked();
	test_errqueue();
	test_errqueue_hostile();
	test_working_peer();
	test_json();
	test_loopback(AF_INET, "127.0.0.1");
	test_loopback(AF_INET6, "::1");
	test_icmp_parse();
	test_icmp_hostile();
	test_loopback_raw();
	return test_report();
}
