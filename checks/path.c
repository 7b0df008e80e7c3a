/*
 * Path measurement: one non-blocking TCP connect per TTL, read back through
 * the socket error queue. No raw socket, no privileges: the kernel matches
 * an ICMP answer to the connection it quotes (addresses, ports, sequence
 * number in the window) before it queues it, so a forged ICMP must guess the
 * connection; what reaches us is still parsed with bounds checked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/path.h"

/* After the first final answer, how long the TTLs below it may still
 * answer: past the first SYN retransmit (1 s), whose ICMP answer makes up
 * for one the kernel's ICMP rate limit swallowed. */
#define FINAL_GRACE_S 1.2
/* Error-queue messages read per wake-up of one socket. */
#define ERRQUEUE_READS 4

struct probe {
	int fd; /* -1: done or never opened */
	double sent;
};

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

static enum mp_hop_answer
icmp_answer(int af, int type)
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
		if (ee.ee_origin != origin || icmp_answer(af, ee.ee_type) == HOP_NONE)
			continue;
		if (offender_str(af, (const struct sock_extended_err *)(void *)CMSG_DATA(c),
				 datalen, addr, addrlen) < 0)
			continue;
		*answer = icmp_answer(af, ee.ee_type);
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

/* One socket per TTL: 0, 1 when refused at once (a reset before the first
 * poll), or -1 with the reason (the same for every TTL). */
static int
probe_open(struct probe *p, const struct mp_addr *addr, uint16_t port, int ttl, char *why,
	   size_t whylen)
{
	int af = addr->ss.ss_family, on = 1;
	struct sockaddr_storage ss = addr->ss;
	int rc;

	p->fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		snprintf(why, whylen, "no socket: %s", strerror(errno));
		return -1;
	}
	if (af == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		rc = setsockopt(p->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		rc = rc == 0 ? setsockopt(p->fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) : rc;
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		rc = setsockopt(p->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		rc = rc == 0 ? setsockopt(p->fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on)) : rc;
	}
	if (rc < 0) {
		snprintf(why, whylen, "the socket error queue is not available: %s",
			 strerror(errno));
		probe_close(p, false);
		return -1;
	}
	p->sent = mp_now();
	if (connect(p->fd, (struct sockaddr *)&ss, addr->len) == 0 || errno == EINPROGRESS)
		return 0; /* an instant connection shows up at the first poll */
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
	for (int k = 0; k < ERRQUEUE_READS; k++) {
		char data[256], control[512], addr[MP_ADDR_MAX];
		struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
		struct msghdr m = {.msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = control,
				   .msg_controllen = sizeof(control)};
		enum mp_hop_answer answer;
		int code;

		if (recvmsg(p->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return false;
		if (mp_path_parse_errqueue(af, control, m.msg_controllen, &answer, &code, addr,
					   sizeof(addr)) == 0) {
			mp_path_record(r, max_hops, ttl, answer, addr, code,
				       (mp_now() - p->sent) * 1000.0);
			return true;
		}
	}
	return false;
}

/* A wake-up of the socket for ttl: an ICMP answer, a connection, a reset,
 * or a local error (the probe ends without an answer). */
static void
probe_event(struct probe *p, int af, int ttl, short revents, struct mp_path_result *r, int max_hops,
	    const char *server)
{
	int err = 0;
	socklen_t len = sizeof(err);
	double ms = (mp_now() - p->sent) * 1000.0;

	if (read_errqueue(p, af, ttl, r, max_hops)) {
		probe_close(p, false);
		return;
	}
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0 && (revents & POLLOUT) && !(revents & (POLLERR | POLLHUP))) {
		mp_path_record(r, max_hops, ttl, HOP_SYN_ACK, server, 0, ms);
		probe_close(p, true);
	} else if (err == ECONNREFUSED) {
		mp_path_record(r, max_hops, ttl, HOP_RESET, server, 0, ms);
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

static void
probe_loop(struct probe *pr, int n, const struct mp_addr *addr, const struct mp_deadline *dl,
	   struct mp_path_result *r)
{
	double final_at = 0;

	for (;;) {
		struct pollfd pfd[MP_PATH_MAX_HOPS];
		int map[MP_PATH_MAX_HOPS], np = 0, ms;

		for (int i = 0; i < n; i++)
			if (pr[i].fd >= 0) {
				pfd[np] = (struct pollfd){.fd = pr[i].fd, .events = POLLOUT};
				map[np++] = i;
			}
		if (np == 0 || path_complete(r, n))
			return;
		if (final_at == 0 && first_final(r, n) > 0)
			final_at = mp_now();
		if ((ms = wait_ms(dl, final_at)) <= 0 || mp_deadline_expired(dl))
			return;
		if (poll(pfd, (nfds_t)np, ms) < 0 && errno != EINTR)
			return;
		for (int k = 0; k < np; k++)
			if (pfd[k].revents != 0)
				probe_event(&pr[map[k]], addr->ss.ss_family, map[k] + 1,
					    pfd[k].revents, r, n, addr->str);
	}
}

void
mp_path_measure(const struct mp_addr *addr, uint16_t port, int max_hops,
		const struct mp_deadline *dl, struct mp_path_result *out)
{
	struct probe pr[MP_PATH_MAX_HOPS];
	int n = clamp_hops(max_hops);

	mp_path_start(out, addr->str, port);
	for (int i = 0; i < n; i++)
		pr[i].fd = -1;
	if (addr->ss.ss_family != AF_INET && addr->ss.ss_family != AF_INET6) {
		out->skipped = true;
		snprintf(out->skip_reason, sizeof(out->skip_reason), "not an IP address");
	}
	for (int i = 0; i < n && !out->skipped; i++) {
		int rc = probe_open(&pr[i], addr, port, i + 1, out->skip_reason,
				    sizeof(out->skip_reason));

		if (rc < 0)
			out->skipped = true;
		if (rc == 1) {
			mp_path_record(out, n, i + 1, HOP_RESET, addr->str, 0,
				       (mp_now() - pr[i].sent) * 1000.0);
			probe_close(&pr[i], false);
		}
	}
	if (!out->skipped)
		probe_loop(pr, n, addr, dl, out);
	for (int i = 0; i < n; i++)
		probe_close(&pr[i], false);
	if (out->skipped) { /* no half answers next to a skip */
		char why[sizeof(out->skip_reason)];

		memcpy(why, out->skip_reason, sizeof(why));
		mp_path_start(out, addr->str, port);
		out->skipped = true;
		memcpy(out->skip_reason, why, sizeof(why));
		return;
	}
	mp_path_finish(out, n);
}
