/*
 * The control measurement: one thread per control host resolves it (a
 * --resolve pin for HOST:PORT wins, as for the mail host) and starts one
 * thread per (address, port), at most the first address of each family:
 * the question is whether the port gets through from here at all, in that
 * family, not whether every address of the control host serves it. Each
 * connection has the run's deadline with a cancel flag of its port, so a
 * port the mail server answered on stops costing time as soon as the
 * endpoints are done. No credential, user name or protocol command is
 * ever sent: the code below has no access to any.
 */
#include <pthread.h>

#include "checks/fiber.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/net.h"
#include "checks/tls.h"
#include "probe/run/control.h"

#define CONTROL_FAMILIES 2 /* IPv4, IPv6: the first address of each */
#define CONTROL_STACK (512 * 1024)

struct control_host;

/* One connection: (control host, address, port). */
struct conn_job {
	struct control_host *host;
	int port; /* index into mp_control.ports */
	struct mp_addr addr;
	struct mp_deadline dl;
	struct mp_task task;
	struct mp_control_result res;
};

struct control_host {
	struct mp_control *c;
	const char *name;
	struct mp_deadline dl; /* resolve: cancelled when no port needs it */
	bool started;
	struct mp_task task;
	struct mp_resolved dns;
	int njobs;
	struct conn_job jobs[CONTROL_FAMILIES * MP_CONTROL_MAX_PORTS];
};

struct mp_control {
	const struct mp_account *a;
	struct mp_tls_ctx *tls;
	int nports;
	uint16_t ports[MP_CONTROL_MAX_PORTS];
	bool port_tls[MP_CONTROL_MAX_PORTS];
	atomic_int port_cancel[MP_CONTROL_MAX_PORTS];
	atomic_int all_cancel;
	int nhosts;
	struct control_host hosts[MP_MAX_CONTROLS];
};

bool
mp_control_wanted(enum mp_class cls)
{
	return cls == CLASS_CONNECT_TIMEOUT || cls == CLASS_CONNECT_REFUSED ||
	       cls == CLASS_CONNECT_UNREACHABLE;
}

static int
family_af(enum mp_family f)
{
	return f == FAMILY_V4 ? AF_INET : f == FAMILY_V6 ? AF_INET6 : AF_UNSPEC;
}

/* The distinct ports of the account's endpoints, and whether one of the
 * endpoints on a port speaks TLS from the first byte. */
static void
collect_ports(struct mp_control *c)
{
	const struct mp_account *a = c->a;

	for (int i = 0; i < a->nendpoints; i++) {
		const struct mp_endpoint_spec *s = &a->endpoints[i];
		int k = 0;

		while (k < c->nports && c->ports[k] != s->port)
			k++;
		if (k == c->nports && c->nports == MP_CONTROL_MAX_PORTS)
			continue;
		if (k == c->nports)
			c->ports[c->nports++] = (uint16_t)s->port;
		c->port_tls[k] = c->port_tls[k] || s->security == SEC_TLS;
	}
}

static void
result_init(struct mp_control_result *r, const struct control_host *h, uint16_t port, bool tls)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->host, sizeof(r->host), "%s", h->name);
	r->port = port;
	r->tls = tls;
}

/* The handshake on a connected socket; the certificate is recorded, never
 * required (a certificate class still means the handshake completed). */
static enum mp_class
control_tls(struct conn_job *j, int fd, bool reset)
{
	struct mp_conn conn;
	struct mp_step_result st;
	enum mp_class cls;

	memset(&st, 0, sizeof(st));
	st.step = STEP_TLS;
	mp_conn_init(&conn, fd, &j->dl);
	conn.reset_pending = reset;
	cls = mp_tls_handshake(&conn, j->host->c->tls, j->host->name, &st);
	free(mp_conn_take_transcript(&conn));
	mp_conn_close(&conn);
	j->res.cert_verified = st.cert.present && st.cert.verified;
	if (cls != CLASS_NONE && !mp_class_is_cert(cls)) {
		snprintf(j->res.message, sizeof(j->res.message), "%s", st.message);
		return cls;
	}
	snprintf(j->res.message, sizeof(j->res.message),
		 "TLS handshake completed (%s), certificate %s", st.tls_version,
		 j->res.cert_verified ? "verified" : "not verified (not required here)");
	return CLASS_NONE;
}

static void *
conn_main(void *arg)
{
	struct conn_job *j = arg;
	struct mp_control_result *r = &j->res;
	double t0 = mp_now();
	int fd = -1;
	bool reset = false;

	snprintf(r->address, sizeof(r->address), "%s", j->addr.str);
	r->cls = mp_connect(&j->addr, r->port, &j->dl, &fd, &reset, r->message, sizeof(r->message),
			    NULL);
	if (r->cls == CLASS_NONE && r->tls) {
		r->cls = control_tls(j, fd, reset);
	} else if (r->cls == CLASS_NONE) {
		snprintf(r->message, sizeof(r->message), "connected to %s port %u", r->address,
			 (unsigned)r->port);
		close(fd);
	}
	r->ok = r->cls == CLASS_NONE;
	r->seconds = mp_now() - t0;
	return NULL;
}

/* The addresses to try for port k: the pin for HOST:PORT, else DNS; the
 * first of each family. */
static int
port_addrs(struct control_host *h, int k, struct mp_addr *out)
{
	const struct mp_account *a = h->c->a;
	const struct mp_pin *pin = mp_pin_find(a, h->name, h->c->ports[k]);
	struct mp_addr all[MP_RESOLVE_MAX];
	int nall = 0, n = 0, af = family_af(a->family);
	bool v4 = false, v6 = false;

	if (pin != NULL) {
		for (int i = 0; i < pin->naddr && nall < MP_RESOLVE_MAX; i++)
			if (mp_addr_parse(pin->addrs[i], &all[nall]) == 0)
				nall++;
	} else {
		for (int i = 0; i < h->dns.n; i++)
			all[nall++] = h->dns.addrs[i];
	}
	for (int i = 0; i < nall && n < CONTROL_FAMILIES; i++) {
		bool six = all[i].ss.ss_family == AF_INET6;

		if ((af != AF_UNSPEC && all[i].ss.ss_family != af) || (six ? v6 : v4))
			continue;
		*(six ? &v6 : &v4) = true;
		out[n++] = all[i];
	}
	return n;
}

static bool
needs_dns(const struct control_host *h)
{
	for (int k = 0; k < h->c->nports; k++)
		if (mp_pin_find(h->c->a, h->name, h->c->ports[k]) == NULL)
			return true;
	return false;
}

static void
plan_host(struct control_host *h, const struct mp_deadline *run_dl)
{
	struct mp_control *c = h->c;
	struct mp_addr addrs[CONTROL_FAMILIES];

	for (int k = 0; k < c->nports; k++) {
		int n = port_addrs(h, k, addrs);

		for (int i = 0; i < n; i++) {
			struct conn_job *j = &h->jobs[h->njobs++];

			j->host = h;
			j->port = k;
			j->addr = addrs[i];
			j->dl = *run_dl; /* the run's deadline and DNS budget */
			j->dl.cancel = &c->port_cancel[k];
			result_init(&j->res, h, c->ports[k], c->port_tls[k]);
		}
	}
}

static void *
host_main(void *arg)
{
	struct control_host *h = arg;

	if (needs_dns(h))
		mp_resolve(h->name, family_af(h->c->a->family), &h->dl, &h->dns);
	plan_host(h, &h->dl);
	for (int i = 0; i < h->njobs; i++) {
		struct conn_job *j = &h->jobs[i];

		if (!mp_task_start(&j->task, conn_main, j, CONTROL_STACK, MP_TASK_ANY))
			conn_main(j); /* no thread: here, still bounded by the deadline */
	}
	for (int i = 0; i < h->njobs; i++)
		mp_task_join(&h->jobs[i].task);
	return NULL;
}

struct mp_control *
mp_control_start(const struct mp_account *a, struct mp_tls_ctx *tls, const struct mp_deadline *dl)
{
	struct mp_control *c;

	if (a->ncontrols == 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->a = a;
	c->tls = tls;
	collect_ports(c);
	for (int i = 0; i < a->ncontrols && i < MP_MAX_CONTROLS; i++) {
		struct control_host *h = &c->hosts[c->nhosts++];

		h->c = c;
		h->name = a->controls[i];
		h->dl = *dl; /* the run's deadline and DNS budget, its own cancel */
		h->dl.cancel = &c->all_cancel;
		h->started = mp_task_start(&h->task, host_main, h, 0, MP_TASK_ANY);
		if (!h->started)
			h->name = NULL; /* no thread: this host is left out */
	}
	return c;
}

/* Whether an endpoint of run failed to connect on port. */
static bool
port_failed(const struct mp_run *run, uint16_t port)
{
	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &run->endpoints[i];
		const struct mp_step_result *st = mp_endpoint_step(e, STEP_CONNECT);

		if (e->spec.port == port && st != NULL && !st->ok && mp_control_wanted(st->cls))
			return true;
	}
	return false;
}

/* A kept port without an address at host h: it did not resolve (or has
 * no address of the family asked for). */
static void
no_address(const struct control_host *h, int k, struct mp_control_result *out)
{
	result_init(out, h, h->c->ports[k], h->c->port_tls[k]);
	out->cls = h->dns.cls != CLASS_NONE ? h->dns.cls : CLASS_DNS_ERROR;
	out->seconds = h->dns.seconds;
	snprintf(out->message, sizeof(out->message), "%s",
		 h->dns.message[0] != '\0' ? h->dns.message : "no usable address");
}

/* Appends r to out (only counts when out is NULL). */
static void
put(struct mp_control_result *out, int *n, const struct mp_control_result *r)
{
	if (out != NULL)
		out[*n] = *r;
	(*n)++;
}

/* The results of port k at host h into out. */
static void
collect_port(const struct control_host *h, int k, struct mp_control_result *out, int *n)
{
	struct mp_control_result none;
	int before = *n;

	for (int m = 0; m < h->njobs; m++)
		if (h->jobs[m].port == k)
			put(out, n, &h->jobs[m].res);
	if (*n == before) {
		no_address(h, k, &none);
		put(out, n, &none);
	}
}

/* The results of the kept ports in order: control host, port, address;
 * only counted when out is NULL. */
static int
collect(const struct mp_control *c, const bool *keep, struct mp_control_result *out)
{
	int n = 0;

	for (int i = 0; i < c->nhosts; i++)
		for (int k = 0; c->hosts[i].name != NULL && k < c->nports; k++)
			if (keep[k])
				collect_port(&c->hosts[i], k, out, &n);
	return n;
}

void
mp_control_finish(struct mp_control *c, struct mp_run *run, const atomic_int *cancel)
{
	bool keep[MP_CONTROL_MAX_PORTS] = {false}, any = false;
	bool stop = cancel != NULL && atomic_load(cancel) != 0;
	int n;

	if (c == NULL)
		return;
	for (int k = 0; k < c->nports; k++) {
		keep[k] = !stop && port_failed(run, c->ports[k]);
		any = any || keep[k];
		if (!keep[k])
			atomic_store(&c->port_cancel[k], 1);
	}
	if (!any)
		atomic_store(&c->all_cancel, 1);
	for (int i = 0; i < c->nhosts; i++)
		mp_task_join(&c->hosts[i].task);
	n = any ? collect(c, keep, NULL) : 0;
	if (n > 0 && (run->control = calloc((size_t)n, sizeof(*run->control))) != NULL)
		run->ncontrol = collect(c, keep, run->control);
	free(c);
}

static bool
family_matches(const struct mp_control_result *r, int family)
{
	bool six = strchr(r->address, ':') != NULL;

	return family == AF_UNSPEC || r->address[0] == '\0' || (family == AF_INET6) == six;
}

enum mp_control_outcome
mp_control_port_outcome(const struct mp_run *run, uint16_t port, int family)
{
	bool tried = false, blocked = false;

	for (int i = 0; i < run->ncontrol; i++) {
		const struct mp_control_result *r = &run->control[i];

		if (r->port != port || !family_matches(r, family))
			continue;
		tried = true;
		if (r->address[0] != '\0' && (r->ok || !mp_control_wanted(r->cls)))
			return CONTROL_REACHED;
		blocked = blocked || mp_control_wanted(r->cls);
	}
	return blocked ? CONTROL_BLOCKED : tried ? CONTROL_UNRESOLVED : CONTROL_NOT_TRIED;
}
