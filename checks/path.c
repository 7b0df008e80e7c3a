/*
 * Path measurement: one non-blocking TCP connect per TTL, read back through
 * the socket error queue. No raw socket, no privileges: the kernel matches
 * an ICMP answer to the connection it quotes (addresses, ports, sequence
 * number in the window) before it queues it, so a forged ICMP must guess the
 * connection; what reaches us is still parsed with bounds checked. Without
 * the error queue, a raw ICMP socket (checks/path_raw.c) reads the answers
 * and they are matched to the attempts here by the ports they quote.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/path.h"
#include "checks/platform.h"

/* After the first final answer, how long the TTLs below it may still
 * answer: past the first SYN retransmit (1 s), whose ICMP answer makes up
 * for one the kernel's ICMP rate limit swallowed. */
#define FINAL_GRACE_S 1.2
/* Error-queue messages read per wake-up of one socket. */
#define ERRQUEUE_READS 4

/* Raw-socket messages read per wake-up (others wait for the next poll). */
#define RAW_READS 16

struct probe {
	int fd; /* -1: done or never opened */
	double sent;
	uint16_t lport;          /* our source port, what an ICMP answer quotes */
	unsigned char laddr[16]; /* our source address (4 or 16 bytes) */
};

/* One measurement: the attempts, one per TTL, and how answers come back. */
struct measure {
	struct probe pr[MP_PATH_MAX_HOPS];
	int n;
	const struct mp_addr *addr;
	uint16_t port;
	int raw; /* PATH_RAW: the raw ICMP socket, else -1 */
	struct mp_path_result *r;
};

const char *
mp_path_method_str(enum mp_path_method m)
{
	return m == PATH_RAW ? "raw_socket" : "error_queue";
}

const char *
mp_hop_answer_str(enum mp_hop_answer a)
{
	switch (a) {
	case HOP_TIME_EXCEEDED:
		return "time_exceeded";
	case HOP_UNREACHABLE:
		return "unreachable";
	case HOP_SYN_ACK:
		return "syn_ack";
	case HOP_RESET:
		return "reset";
	case HOP_NONE:
		break;
	}
	return "none";
}

static bool
answer_is_final(enum mp_hop_answer a)
{
	return a == HOP_UNREACHABLE || a == HOP_SYN_ACK || a == HOP_RESET;
}

void
mp_path_start(struct mp_path_result *r, const char *address, uint16_t port)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->address, sizeof(r->address), "%s", address);
	r->port = port;
	for (int i = 0; i < MP_PATH_MAX_HOPS; i++)
		r->hops[i].ttl = i + 1;
}

/* The first TTL with a final answer, 0 = none. */
static int
first_final(const struct mp_path_result *r, int max_hops)
{
	for (int i = 0; i < max_hops; i++)
		if (answer_is_final(r->hops[i].answer))
			return i + 1;
	return 0;
}

static bool
path_complete(const struct mp_path_result *r, int max_hops)
{
	int fin = first_final(r, max_hops);
	int upto = fin > 0 ? fin - 1 : max_hops;

	for (int i = 0; i < upto; i++)
		if (r->hops[i].answer == HOP_NONE)
			return false;
	return true;
}

static int
clamp_hops(int max_hops)
{
	return max_hops < 1 ? 1 : max_hops > MP_PATH_MAX_HOPS ? MP_PATH_MAX_HOPS : max_hops;
}

bool
mp_path_record(struct mp_path_result *r, int max_hops, int ttl, enum mp_hop_answer answer,
	       const char *addr, int icmp_code, double ms)
{
	struct mp_path_hop *h;

	max_hops = clamp_hops(max_hops);
	if (ttl >= 1 && ttl <= max_hops && answer != HOP_NONE &&
	    r->hops[ttl - 1].answer == HOP_NONE) {
		h = &r->hops[ttl - 1];
		h->answer = answer;
		h->icmp_code = answer == HOP_UNREACHABLE ? icmp_code : 0;
		h->ms = ms < 0 ? 0 : ms;
		snprintf(h->addr, sizeof(h->addr), "%s", addr != NULL ? addr : "");
	}
	return path_complete(r, max_hops);
}

void
mp_path_finish(struct mp_path_result *r, int max_hops)
{
	int fin;

	max_hops = clamp_hops(max_hops);
	fin = first_final(r, max_hops);
	r->last_hop = 0;
	for (int i = 0; i < (fin > 0 ? fin : max_hops); i++)
		if (r->hops[i].answer != HOP_NONE)
			r->last_hop = i + 1;
	r->reached = fin > 0 && (r->hops[fin - 1].answer == HOP_SYN_ACK ||
				 r->hops[fin - 1].answer == HOP_RESET)
			 ? fin
			 : 0;
	r->nhops = fin > 0 ? fin : r->last_hop < max_hops ? r->last_hop + 1 : max_hops;
	for (int i = r->nhops; i < MP_PATH_MAX_HOPS; i++) /* nothing past the end */
		memset(&r->hops[i], 0, sizeof(r->hops[i]));
}

/* Linux only from here: the socket error queue (IP_RECVERR) and the raw
 * ICMP fallback. On Windows, checks/platform_win.c's mp_path_measure says
 * why there is no path. */
#ifndef _WIN32
#include <linux/errqueue.h>

enum mp_hop_answer
mp_path_icmp_answer(int af, int type)
{
	if (af == AF_INET)
		return type == 11 ? HOP_TIME_EXCEEDED : type == 3 ? HOP_UNREACHABLE : HOP_NONE;
	return type == 3 ? HOP_TIME_EXCEEDED : type == 1 ? HOP_UNREACHABLE : HOP_NONE;
}

/* The ICMP sender from SO_EE_OFFENDER, bounded by the message's length. */
static int
offender_str(int af, const struct sock_extended_err *ee, size_t datalen, char *addr, size_t addrlen)
{
	const struct sockaddr *off = SO_EE_OFFENDER(ee);
	size_t need = sizeof(*ee) +
		      (af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	const void *p;

	if (datalen < need || off->sa_family != af)
		return -1;
	if (af == AF_INET)
		p = &((const struct sockaddr_in *)off)->sin_addr;
	else
		p = &((const struct sockaddr_in6 *)off)->sin6_addr;
	return inet_ntop(af, p, addr, (socklen_t)addrlen) != NULL ? 0 : -1;
}

int
mp_path_parse_errqueue(int af, const void *control, size_t controllen, enum mp_hop_answer *answer,
		       int *code, char *addr, size_t addrlen)
{
	struct msghdr m = {.msg_control = (void *)control, .msg_controllen = controllen};
	int level = af == AF_INET ? SOL_IP : SOL_IPV6;
	int type = af == AF_INET ? IP_RECVERR : IPV6_RECVERR;
	int origin = af == AF_INET ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6;

	if (control == NULL || (af != AF_INET && af != AF_INET6))
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		struct sock_extended_err ee;
		size_t datalen;

		size_t room = controllen - (size_t)((const char *)c - (const char *)control);

		if (c->cmsg_len > room) /* cut short (MSG_CTRUNC) */
			break;
		if (c->cmsg_level != level || c->cmsg_type != type ||
		    c->cmsg_len < CMSG_LEN(sizeof(ee)))
			continue;
		datalen = c->cmsg_len - CMSG_LEN(0);
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin != origin || mp_path_icmp_answer(af, ee.ee_type) == HOP_NONE)
			continue;
		if (offender_str(af, (const struct sock_extended_err *)(void *)CMSG_DATA(c),
				 datalen, addr, addrlen) < 0)
			continue;
		*answer = mp_path_icmp_answer(af, ee.ee_type);
		*code = ee.ee_code;
		return 0;
	}
	return -1;
}

static void
probe_close(struct probe *p, bool connected)
{
	if (p->fd < 0)
		return;
	if (connected) { /* a reset, not a FIN: nothing lingers at the server */
		struct linger lg = {.l_onoff = 1, .l_linger = 0};

		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(p->fd);
	p->fd = -1;
}

int
mp_errqueue_set(int fd, int af, bool on)
{
	int v = on ? 1 : 0;

	if (af == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, sizeof(v));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &v, sizeof(v));
}

int
mp_errqueue_read(int fd, int af, enum mp_hop_answer *answer, int *code, char *addr, size_t addrlen)
{
	for (int k = 0; k < ERRQUEUE_READS; k++) {
		char data[256], control[512];
		struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
		struct msghdr m = {.msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = control,
				   .msg_controllen = sizeof(control)};

		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return -1;
		if (mp_path_parse_errqueue(af, control, m.msg_controllen, answer, code, addr,
					   addrlen) == 0)
			return 0;
	}
	return -1;
}

/* Which way answers come back: the error queue when a TCP socket of family
 * af takes IP_RECVERR (and the test switch does not turn it off), else a
 * raw socket. -1 with the reason when neither can be had. */
static int
choose_method(struct measure *m, char *why, size_t whylen)
{
	int af = m->addr->ss.ss_family, fd;
	const char *off = getenv(MP_PATH_NO_ERRQUEUE_ENV);
	char eq[64], raw[96];

	m->r->method = PATH_ERRQUEUE;
	if (off != NULL && strcmp(off, "1") == 0) {
		snprintf(eq, sizeof(eq), "turned off by %s", MP_PATH_NO_ERRQUEUE_ENV);
	} else {
		if ((fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
			snprintf(why, whylen, "no socket: %s", strerror(errno));
			return -1;
		}
		if (mp_errqueue_set(fd, af, true) == 0) {
			close(fd);
			return 0;
		}
		snprintf(eq, sizeof(eq), "%s", strerror(errno));
		close(fd);
	}
	m->r->method = PATH_RAW;
	if ((m->raw = mp_path_raw_open(af, raw, sizeof(raw))) >= 0)
		return 0;
	snprintf(why, whylen, "the socket error queue is not available (%.50s) and %.90s", eq, raw);
	return -1;
}

/* Our end of p's connection, for matching the raw socket's answers. */
static void
probe_local(struct probe *p, int af)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) < 0 || ss.ss_family != af)
		return;
	if (af == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;

		p->lport = ntohs(s4->sin_port);
		memcpy(p->laddr, &s4->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;

		p->lport = ntohs(s6->sin6_port);
		memcpy(p->laddr, &s6->sin6_addr, 16);
	}
}

/* One socket per TTL: 0, 1 when refused at once (a reset before the first
 * poll), or -1 with the reason (the same for every TTL). */
static int
probe_open(struct measure *m, struct probe *p, int ttl, char *why, size_t whylen)
{
	int af = m->addr->ss.ss_family;
	struct sockaddr_storage ss = m->addr->ss;
	int rc;

	p->fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		snprintf(why, whylen, "no socket: %s", strerror(errno));
		return -1;
	}
	if (af == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(m->port);
		rc = setsockopt(p->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(m->port);
		rc = setsockopt(p->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
	}
	if (rc == 0 && m->raw < 0)
		rc = mp_errqueue_set(p->fd, af, true);
	if (rc < 0) {
		snprintf(why, whylen, "no TTL or error queue on the socket: %s", strerror(errno));
		probe_close(p, false);
		return -1;
	}
	p->sent = mp_now();
	if (connect(p->fd, (struct sockaddr *)&ss, m->addr->len) == 0 || errno == EINPROGRESS) {
		probe_local(p, af);
		return 0; /* an instant connection shows up at the first poll */
	}
	if (errno == ECONNREFUSED)
		return 1;
	snprintf(why, whylen, "connect failed at once: %s", strerror(errno));
	probe_close(p, false);
	return -1;
}

/* An ICMP answer from the error queue: true when one was recorded. */
static bool
read_errqueue(struct probe *p, int af, int ttl, struct mp_path_result *r, int max_hops)
{
	char addr[MP_ADDR_MAX];
	enum mp_hop_answer answer;
	int code;

	if (mp_errqueue_read(p->fd, af, &answer, &code, addr, sizeof(addr)) < 0)
		return false;
	mp_path_record(r, max_hops, ttl, answer, addr, code, (mp_now() - p->sent) * 1000.0);
	return true;
}

/* The TTL whose attempt the answer quotes, 0 = none of ours. */
static int
raw_match(const struct measure *m, const struct mp_path_icmp *ic)
{
	int af = m->addr->ss.ss_family;
	size_t alen = af == AF_INET ? 4 : 16;
	const void *dst =
	    af == AF_INET ? (const void *)&((const struct sockaddr_in *)&m->addr->ss)->sin_addr
			  : (const void *)&((const struct sockaddr_in6 *)&m->addr->ss)->sin6_addr;

	if (ic->dport != m->port || memcmp(ic->dst, dst, alen) != 0)
		return 0;
	for (int i = 0; i < m->n; i++)
		if (m->pr[i].lport != 0 && m->pr[i].lport == ic->sport &&
		    memcmp(m->pr[i].laddr, ic->src, alen) == 0)
			return i + 1;
	return 0;
}

/* Answers waiting on the raw socket, each kept when it quotes one of our
 * attempts. */
static void
read_raw(struct measure *m)
{
	int af = m->addr->ss.ss_family;

	for (int k = 0; k < RAW_READS; k++) {
		unsigned char buf[512];
		struct sockaddr_in6 from;
		socklen_t flen = sizeof(from);
		struct mp_path_icmp ic;
		ssize_t len;
		int ttl;

		memset(&from, 0, sizeof(from));
		len = recvfrom(m->raw, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
			       &flen);
		if (len < 0)
			return;
		if (mp_path_parse_icmp(af, buf, (size_t)len, &from, &ic) < 0 ||
		    (ttl = raw_match(m, &ic)) == 0)
			continue;
		mp_path_record(m->r, m->n, ttl, ic.answer, ic.sender, ic.code,
			       (mp_now() - m->pr[ttl - 1].sent) * 1000.0);
	}
}

/* A wake-up of the socket for ttl: an ICMP answer, a connection, a reset,
 * or a local error (the probe ends without an answer; with the raw socket,
 * the ICMP answer that ended it is read there). */
static void
probe_event(struct measure *m, int ttl, short revents)
{
	struct probe *p = &m->pr[ttl - 1];
	int err = 0;
	socklen_t len = sizeof(err);
	double ms = (mp_now() - p->sent) * 1000.0;

	if (m->raw < 0 && read_errqueue(p, m->addr->ss.ss_family, ttl, m->r, m->n)) {
		probe_close(p, false);
		return;
	}
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0 && (revents & POLLOUT) && !(revents & (POLLERR | POLLHUP))) {
		mp_path_record(m->r, m->n, ttl, HOP_SYN_ACK, m->addr->str, 0, ms);
		probe_close(p, true);
	} else if (err == ECONNREFUSED) {
		/* an ICMP port unreachable refuses a connect too: its copy on
		 * the raw socket is there already and names the sender */
		if (m->raw >= 0)
			read_raw(m);
		mp_path_record(m->r, m->n, ttl, HOP_RESET, m->addr->str, 0, ms);
		probe_close(p, false);
	} else if (err != 0 || (revents & (POLLERR | POLLHUP))) {
		probe_close(p, false); /* a local error: no answer from the path */
	}
}

/* When to stop: the deadline, or FINAL_GRACE_S after the first final
 * answer, whichever comes first. */
static int
wait_ms(const struct mp_deadline *dl, double final_at)
{
	int ms = mp_deadline_poll_ms(dl);

	if (final_at > 0) {
		double left = (final_at + FINAL_GRACE_S - mp_now()) * 1000.0;
		int g = left <= 0 ? 0 : (int)left + 1;

		ms = g < ms ? g : ms;
	}
	return ms;
}

/* The poll set: every open attempt, then the raw socket (map -1). The
 * number of attempts still open goes to *open. */
static int
poll_set(const struct measure *m, struct pollfd *pfd, int *map, int *open)
{
	int np = 0;

	for (int i = 0; i < m->n; i++)
		if (m->pr[i].fd >= 0) {
			pfd[np] = (struct pollfd){.fd = m->pr[i].fd, .events = POLLOUT};
			map[np++] = i;
		}
	*open = np;
	if (m->raw >= 0) {
		pfd[np] = (struct pollfd){.fd = m->raw, .events = POLLIN};
		map[np++] = -1;
	}
	return np;
}

/* Until every TTL answered, the grace after the first final answer ends or
 * the deadline. With the raw socket, attempts that ended in an ICMP error
 * are closed and their answers still read, so the loop runs on while the
 * raw socket is open. */
static void
probe_loop(struct measure *m, const struct mp_deadline *dl)
{
	double final_at = 0;

	for (;;) {
		struct pollfd pfd[MP_PATH_MAX_HOPS + 1];
		int map[MP_PATH_MAX_HOPS + 1], open, np = poll_set(m, pfd, map, &open), ms;

		if ((open == 0 && m->raw < 0) || path_complete(m->r, m->n))
			return;
		if (final_at == 0 && first_final(m->r, m->n) > 0)
			final_at = mp_now();
		if ((ms = wait_ms(dl, final_at)) <= 0 || mp_deadline_expired(dl))
			return;
		if (poll(pfd, (nfds_t)np, ms) < 0 && errno != EINTR)
			return;
		for (int k = 0; k < np; k++) {
			if (pfd[k].revents == 0)
				continue;
			if (map[k] < 0)
				read_raw(m);
			else
				probe_event(m, map[k] + 1, pfd[k].revents);
		}
	}
}

/* Opens every attempt; false (skipped, with the reason) when one cannot be. */
static bool
open_all(struct measure *m)
{
	struct mp_path_result *r = m->r;

	for (int i = 0; i < m->n; i++) {
		int rc = probe_open(m, &m->pr[i], i + 1, r->skip_reason, sizeof(r->skip_reason));

		if (rc < 0)
			return false;
		if (rc == 1) {
			mp_path_record(r, m->n, i + 1, HOP_RESET, m->addr->str, 0,
				       (mp_now() - m->pr[i].sent) * 1000.0);
			probe_close(&m->pr[i], false);
		}
	}
	return true;
}

/* Skipped: the reason and the method tried, no half answers next to it. */
static void
mark_skipped(struct mp_path_result *r, const char *address)
{
	char why[sizeof(r->skip_reason)];
	enum mp_path_method method = r->method;

	memcpy(why, r->skip_reason, sizeof(why));
	mp_path_start(r, address, r->port);
	r->skipped = true;
	r->method = method;
	memcpy(r->skip_reason, why, sizeof(why));
}

void
mp_path_measure(const struct mp_addr *addr, uint16_t port, int max_hops,
		const struct mp_deadline *dl, struct mp_path_result *out)
{
	struct measure m = {
	    .n = clamp_hops(max_hops), .addr = addr, .port = port, .raw = -1, .r = out};
	bool ok;

	mp_path_start(out, addr->str, port);
	for (int i = 0; i < m.n; i++)
		m.pr[i].fd = -1;
	if (addr->ss.ss_family != AF_INET && addr->ss.ss_family != AF_INET6) {
		snprintf(out->skip_reason, sizeof(out->skip_reason), "not an IP address");
		ok = false;
	} else {
		ok = choose_method(&m, out->skip_reason, sizeof(out->skip_reason)) == 0 &&
		     open_all(&m);
	}
	if (ok)
		probe_loop(&m, dl);
	for (int i = 0; i < m.n; i++)
		probe_close(&m.pr[i], false);
	if (m.raw >= 0)
		close(m.raw);
	if (!ok) {
		mark_skipped(out, addr->str);
		return;
	}
	mp_path_finish(out, m.n);
}
#endif
