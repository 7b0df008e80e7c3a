/*
 * Resolve and connect under a deadline. The getaddrinfo call runs through
 * mp_bg_call, so a slow resolver cannot hold a run past its deadline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bg.h"
#include "checks/net.h"
#include "checks/path.h"
#include "checks/platform.h"

/* The getaddrinfo call, run by mp_bg_call. */
struct lookup {
	char host[MP_NAME_MAX];
	int family;
	int rc;
	struct addrinfo *res;
};

static void
lookup_run(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints = {
	    .ai_family = l->family, .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};

	l->rc = getaddrinfo(l->host, NULL, &hints, &l->res);
}

static void
lookup_cleanup(void *arg)
{
	struct lookup *l = arg;

	if (l->res != NULL)
		freeaddrinfo(l->res);
}

int
mp_resolve_abandoned(void)
{
	return mp_bg_abandoned();
}

static void
addr_fill_str(struct mp_addr *a)
{
	const void *p;

	if (a->ss.ss_family == AF_INET6)
		p = &((struct sockaddr_in6 *)&a->ss)->sin6_addr;
	else
		p = &((struct sockaddr_in *)&a->ss)->sin_addr;
	if (inet_ntop(a->ss.ss_family, p, a->str, sizeof(a->str)) == NULL)
		a->str[0] = '\0';
}

static void
resolved_add(struct mp_resolved *out, const struct sockaddr *sa, socklen_t len)
{
	struct mp_addr a;

	if (out->n >= MP_RESOLVE_MAX || (size_t)len > sizeof(a.ss))
		return;
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return;
	memset(&a, 0, sizeof(a));
	memcpy(&a.ss, sa, len);
	a.len = len;
	addr_fill_str(&a);
	for (int i = 0; i < out->n; i++)
		if (strcmp(out->addrs[i].str, a.str) == 0)
			return;
	out->addrs[out->n++] = a;
}

static enum mp_class
resolve_fail(struct mp_resolved *out, enum mp_class cls, const char *host, const char *why)
{
	out->cls = cls;
	snprintf(out->message, sizeof(out->message), "%s: %s", host, why);
	return cls;
}

static enum mp_class
gai_class(int rc)
{
	switch (rc) {
	case EAI_NONAME:
		return CLASS_DNS_NXDOMAIN;
	default:
		return CLASS_DNS_ERROR;
	}
}

static enum mp_class
resolve_collect(const struct lookup *l, struct mp_resolved *out)
{
	if (l->rc != 0)
		return resolve_fail(out, gai_class(l->rc), l->host, gai_strerror(l->rc));
	for (struct addrinfo *ai = l->res; ai != NULL; ai = ai->ai_next)
		resolved_add(out, ai->ai_addr, ai->ai_addrlen);
	if (out->n == 0)
		return resolve_fail(out, CLASS_DNS_ERROR, l->host, "no usable address");
	return CLASS_NONE;
}

/* An address literal of the family asked for is its own answer (what
 * getaddrinfo returns for it), without a lookup thread. */
static bool
resolve_literal(const char *host, int family, struct mp_resolved *out)
{
	struct mp_addr a;

	if (strchr(host, '[') != NULL || mp_addr_parse(host, &a) < 0 ||
	    (family != AF_UNSPEC && family != a.ss.ss_family))
		return false;
	out->addrs[0] = a;
	out->n = 1;
	return true;
}

enum mp_class
mp_resolve(const char *host, int family, const struct mp_deadline *dl, struct mp_resolved *out)
{
	struct lookup l = {.family = family};
	double t0 = mp_now();
	enum mp_bg_rc rc;
	enum mp_class cls;

	memset(out, 0, sizeof(*out));
	if (resolve_literal(host, family, out))
		return CLASS_NONE;
	snprintf(l.host, sizeof(l.host), "%s", host);
	rc = mp_bg_call(lookup_run, lookup_cleanup, &l, sizeof(l), dl);
	out->seconds = mp_now() - t0;
	if (rc == BG_REFUSED)
		return resolve_fail(out, CLASS_DNS_TIMEOUT, host,
				    "too many earlier lookups still unanswered");
	if (rc == BG_TIMEOUT)
		return resolve_fail(out, CLASS_DNS_TIMEOUT, host, "no answer before the deadline");
	cls = resolve_collect(&l, out);
	lookup_cleanup(&l);
	return cls;
}

int
mp_addr_parse(const char *s, struct mp_addr *out)
{
	char buf[MP_ADDR_MAX];
	size_t n = strlen(s);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->ss;

	memset(out, 0, sizeof(*out));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		out->len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		out->len = sizeof(*v6);
	} else {
		return -1;
	}
	addr_fill_str(out);
	return 0;
}

static enum mp_class
connect_errno_class(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case ECONNRESET:
		return CLASS_CONNECT_REFUSED;
	case ETIMEDOUT:
		return CLASS_CONNECT_TIMEOUT;
	default:
		return CLASS_CONNECT_UNREACHABLE;
	}
}

static enum mp_class
connect_fail(int e, char *msg, size_t msglen)
{
	enum mp_class cls = connect_errno_class(e);

	if (cls == CLASS_CONNECT_REFUSED)
		snprintf(msg, msglen, "connection refused (nothing listens, or a filter resets)");
	else
		snprintf(msg, msglen, "%s", mp_strerror(e));
	return cls;
}

/* The ICMP unreachable on fd's error queue: its sender ("" when none) and
 * whether it was administratively prohibited (v4 codes 9, 10, 13; v6 code
 * 1, and 5 and 6: a source or route policy rejects). */
static void
icmp_heard(int fd, int af, struct mp_connect_icmp *icmp)
{
	enum mp_hop_answer answer;
	int code;

	if (mp_errqueue_read(fd, af, &answer, &code, icmp->from, sizeof(icmp->from)) < 0 ||
	    answer != HOP_UNREACHABLE) {
		icmp->from[0] = '\0';
		return;
	}
	icmp->prohibited = af == AF_INET ? code == 9 || code == 10 || code == 13
					 : code == 1 || code == 5 || code == 6;
}

/* Waits for the non-blocking connect on fd; 0, or the errno. */
static int
connect_wait(int fd, const struct mp_deadline *dl)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	for (;;) {
		int ms = mp_deadline_poll_ms(dl);
		int rc;

		if (ms == 0)
			return ETIMEDOUT;
		rc = mp_poll(&pfd, 1, ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return errno;
		if (rc > 0)
			break;
	}
	return mp_sock_error(fd);
}

enum mp_class
mp_connect(const struct mp_addr *addr, uint16_t port, const struct mp_deadline *dl, int *fd,
	   bool *reset, char *msg, size_t msglen, struct mp_connect_icmp *icmp)
{
	struct sockaddr_storage ss = addr->ss;
	int s, e;
	bool queue;

	*fd = -1;
	*reset = false;
	if (icmp != NULL)
		*icmp = (struct mp_connect_icmp){.from = ""};
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	s = mp_sock_open(ss.ss_family);
	if (s < 0)
		return connect_fail(errno, msg, msglen);
	queue = icmp != NULL && mp_errqueue_set(s, ss.ss_family, true) == 0;
	if ((e = mp_sock_connect(s, (struct sockaddr *)&ss, addr->len)) == EINPROGRESS)
		e = connect_wait(s, dl);
	if (e == 0 || e == ECONNRESET) { /* reset: it was accepted first */
		if (queue)
			mp_errqueue_set(s, ss.ss_family, false);
		*fd = s;
		*reset = e == ECONNRESET;
		return CLASS_NONE;
	}
	if (queue)
		icmp_heard(s, ss.ss_family, icmp);
	mp_sock_close(s);
	if (e == ETIMEDOUT) {
		snprintf(msg, msglen, "no answer to the connection attempt (dropped or filtered)");
		return CLASS_CONNECT_TIMEOUT;
	}
	return connect_fail(e, msg, msglen);
}
