/*
 * The report's environment section: when the check ran (UTC and local
 * time), with which mailprobe and OpenSSL, on which system, against which
 * server, addresses and endpoints. Reads uname() and the clock's time zone;
 * nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "checks/platform.h"
#include "checks/tls.h"
#include "probe/render/report_impl.h"
#include "checks/version.h"

#define LIST_MAX 1536

/* Appends item to the ", "-separated list unless it is there already. */
static void
add_unique(char *list, size_t len, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; (p = strstr(p, item)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	snprintf(list + strlen(list), len - strlen(list), "%s%s", list[0] != '\0' ? ", " : "",
		 item);
}

/* The addresses the endpoints were probed at (else the resolved ones). */
static void
address_list(const struct rp *r, char *out, size_t len)
{
	const struct mp_resolve_result *rs = &r->run->resolve;

	out[0] = '\0';
	for (int i = 0; i < r->run->nendpoints; i++)
		if (r->run->endpoints[i].address[0] != '\0')
			add_unique(out, len, r->run->endpoints[i].address);
	for (int i = 0; out[0] == '\0' && i < rs->naddr && i < MP_MAX_ADDRS; i++)
		add_unique(out, len, rs->addrs[i]);
	if (out[0] == '\0')
		snprintf(out, len, "%s", rp_t(r, L_ENV_NONE));
}

/* A list of addresses from the run's environment, or "none". */
static void
env_list(const struct rp *r, const char list[][MP_ADDR_MAX], int n, char *out, size_t len)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		add_unique(out, len, list[i]);
	if (out[0] == '\0')
		snprintf(out, len, "%s", rp_t(r, L_ENV_NONE));
}

/* The run's server name and any other one an endpoint was probed at. */
static void
host_list(const struct rp *r, char *out, size_t len)
{
	char host[MP_NAME_MAX];

	out[0] = '\0';
	rp_msg(r, r->run->host, host, sizeof(host));
	add_unique(out, len, host);
	for (int i = 0; i < r->run->nendpoints; i++) {
		if (r->run->endpoints[i].host[0] == '\0')
			continue;
		rp_msg(r, r->run->endpoints[i].host, host, sizeof(host));
		add_unique(out, len, host);
	}
}

/* Each distinct endpoint spec once: "imap:993:tls, smtp:587:starttls". */
static void
endpoint_list(const struct rp *r, char *out, size_t len)
{
	const struct mp_endpoint_result *e = r->run->endpoints;
	char spec[64];
	bool seen;

	out[0] = '\0';
	for (int i = 0; i < r->run->nendpoints; i++) {
		seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = e[j].spec.proto == e[i].spec.proto &&
			       e[j].spec.port == e[i].spec.port &&
			       e[j].spec.security == e[i].spec.security;
		if (seen)
			continue;
		mp_endpoint_spec_str(&e[i].spec, spec, sizeof(spec));
		snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] != '\0' ? ", " : "",
			 spec);
	}
	if (out[0] == '\0')
		snprintf(out, len, "%s", rp_t(r, L_ENV_NONE));
}

static void
add_row(struct rp *r, enum mp_word label, const char *value)
{
	const char *cells[2] = {rp_t(r, label), value};

	rp_table_add(r, RP_PLAIN, cells);
}

void
rp_section_environment(struct rp *r)
{
	const char *head[2] = {"", ""};
	char buf[LIST_MAX];
	const char *cells[2];

	r->ops->heading(r, 2, rp_t(r, L_ENV));
	rp_table_start(r, 2, head);
	r->tab->style = "env";
	rp_date(r, r->run->started_at, false, buf, sizeof(buf));
	add_row(r, L_ENV_UTC, buf);
	rp_date(r, r->run->started_at, true, buf, sizeof(buf));
	add_row(r, L_ENV_LOCAL, buf);
	rp_duration(r, r->run->duration, buf, sizeof(buf));
	add_row(r, L_ENV_DURATION, buf);
	cells[0] = "mailprobe";
	cells[1] = MAILPROBE_VERSION;
	rp_table_add(r, RP_PLAIN, cells);
	add_row(r, L_ENV_OPENSSL, mp_tls_library_version());
	mp_os_name(buf, sizeof(buf));
	add_row(r, L_ENV_OS, buf);
	host_list(r, buf, sizeof(buf));
	add_row(r, L_ENV_SERVER, buf);
	address_list(r, buf, sizeof(buf));
	add_row(r, L_ENV_MAIL_ADDRS, buf);
	env_list(r, r->run->env.local, r->run->env.nlocal, buf, sizeof(buf));
	add_row(r, L_ENV_LOCAL_ADDRS, buf);
	env_list(r, r->run->env.resolver, r->run->env.nresolver, buf, sizeof(buf));
	add_row(r, L_ENV_RESOLVERS, buf);
	endpoint_list(r, buf, sizeof(buf));
	add_row(r, L_ENV_ENDPOINTS, buf);
	if (r->a != NULL) {
		rp_duration(r, r->a->timeout, buf, sizeof(buf));
		add_row(r, L_ENV_TIMEOUT, buf);
	}
	rp_table_emit(r);
}
