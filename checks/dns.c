/*
 * SRV and MX lookups with libresolv on Linux (the Windows lookup is in
 * checks/platform_dns_win.c and shares the parts before the guard below).
 * res_nquery has only its own retry timers, so it runs under mp_bg_call;
 * the reply is parsed with ns_parserr and bounded to MP_DNS_RECORDS_MAX
 * records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bg.h"
#include "checks/dns.h"

bool
mp_dns_resolver_local(const struct sockaddr *sa)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >>
			24) == 127;
	if (sa->sa_family != AF_INET6)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		return true;
	return memcmp(s6->sin6_addr.s6_addr, mapped, 12) == 0 && s6->sin6_addr.s6_addr[12] == 127;
}

static int
record_cmp(const void *a, const void *b)
{
	const struct mp_dns_record *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return y->weight - x->weight;
}

void
mp_dns_sort(struct mp_dns_answer *out)
{
	qsort(out->records, (size_t)out->n, sizeof(out->records[0]), record_cmp);
}

enum mp_class
mp_dns_fail(struct mp_dns_answer *out, enum mp_class cls, const char *name, const char *why)
{
	out->cls = cls;
	snprintf(out->message, sizeof(out->message), "%s: %s", name, why);
	return cls;
}

/* Linux (libresolv) only from here: Windows asks DnsQuery
 * (checks/platform_dns_win.c). */
#ifndef _WIN32
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>

#define DNS_REPLY_MAX 4096

struct query {
	char name[MP_NAME_MAX];
	int type;
	int len; /* reply length, or -1 */
	int herr;
	bool local; /* every configured resolver is on this host */
	unsigned char reply[DNS_REPLY_MAX];
};

/* glibc keeps IPv4 resolvers in nsaddr_list and IPv6 ones in _u._ext. */
static bool
resolvers_local(const struct __res_state *rs)
{
	if (rs->nscount <= 0)
		return false;
	for (int i = 0; i < rs->nscount && i < MAXNS; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&rs->nsaddr_list[i];

		if (rs->nsaddr_list[i].sin_family != AF_INET)
			sa = (const struct sockaddr *)rs->_u._ext.nsaddrs[i];
		if (!mp_dns_resolver_local(sa))
			return false;
	}
	return true;
}

static void
query_run(void *arg)
{
	struct query *q = arg;
	struct __res_state rs;

	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) != 0) {
		q->len = -1;
		q->herr = NO_RECOVERY;
		return;
	}
	rs.retrans = 2;
	rs.retry = 2;
	rs.options |= RES_TRUSTAD; /* ask for the AD bit; glibc clears it otherwise */
	q->local = resolvers_local(&rs);
	q->len = res_nquery(&rs, q->name, ns_c_in, q->type, q->reply, sizeof(q->reply));
	q->herr = rs.res_h_errno;
	res_nclose(&rs);
}

static int
rdata_u16(const unsigned char *p)
{
	return (p[0] << 8) | p[1];
}

/* One SRV or MX resource record into rec; 0, or -1 to skip it. */
static int
parse_rr(ns_msg *msg, ns_rr *rr, enum mp_dns_type type, struct mp_dns_record *rec)
{
	const unsigned char *rd = ns_rr_rdata(*rr);
	int rdlen = ns_rr_rdlen(*rr), off = type == DNS_SRV ? 6 : 2;

	if (rdlen < off + 1)
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->priority = (uint16_t)rdata_u16(rd);
	if (type == DNS_SRV) {
		rec->weight = (uint16_t)rdata_u16(rd + 2);
		rec->port = (uint16_t)rdata_u16(rd + 4);
	}
	if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), rd + off, rec->target,
		      sizeof(rec->target)) < 0)
		return -1;
	/* "." (service not offered) expands to "" */
	return rec->target[0] == '\0' ? -1 : 0;
}

int
mp_dns_parse(const unsigned char *reply, int len, enum mp_dns_type type, struct mp_dns_answer *out)
{
	ns_msg msg;
	ns_rr rr;
	int want = type == DNS_SRV ? ns_t_srv : ns_t_mx;

	out->n = 0;
	if (ns_initparse(reply, len, &msg) < 0)
		return -1;
	out->ad = ns_msg_getflag(msg, ns_f_ad) != 0;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && out->n < MP_DNS_RECORDS_MAX; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			return -1;
		if ((int)ns_rr_type(rr) != want || ns_rr_class(rr) != ns_c_in)
			continue;
		if (parse_rr(&msg, &rr, type, &out->records[out->n]) == 0)
			out->n++;
	}
	mp_dns_sort(out);
	return 0;
}

enum mp_class
mp_dns_lookup(const char *name, enum mp_dns_type type, const struct mp_deadline *dl,
	      struct mp_dns_answer *out)
{
	struct query *q = calloc(1, sizeof(*q));
	enum mp_bg_rc rc;
	enum mp_class cls = CLASS_NONE;

	memset(out, 0, sizeof(*out));
	if (q == NULL)
		return mp_dns_fail(out, CLASS_DNS_ERROR, name, "out of memory");
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->type = type == DNS_SRV ? ns_t_srv : ns_t_mx;
	rc = mp_bg_call(query_run, NULL, q, sizeof(*q), dl);
	if (rc != BG_DONE)
		cls = mp_dns_fail(out, CLASS_DNS_TIMEOUT, name, "no answer before the deadline");
	else if (q->len < 0 && (q->herr == HOST_NOT_FOUND || q->herr == NO_DATA))
		out->nodata = true;
	else if (q->len < 0)
		cls = mp_dns_fail(out, CLASS_DNS_ERROR, name, hstrerror(q->herr));
	else if (mp_dns_parse(q->reply, q->len, type, out) < 0)
		cls = mp_dns_fail(out, CLASS_DNS_ERROR, name, "malformed DNS reply");
	else
		out->nodata = out->n == 0;
	out->authenticated = cls == CLASS_NONE && out->ad && q->local;
	free(q);
	return cls;
}
#endif
