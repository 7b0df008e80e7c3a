/*
 * Where a run was made from: this computer's addresses (not loopback or
 * link-local) and the DNS servers it asks (/etc/resolv.conf). Facts for
 * the support report; read at the start of a run, bounded. A long-running
 * process (the exporter) reads them at most every ENV_TTL seconds: a
 * netlink dump and a file read per probe would cost more than the probe's
 * own code.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "checks/deadline.h"
#include "probe/run/run.h"

#define ENV_TTL 10.0

static void
add_unique(char list[][MP_ADDR_MAX], int *n, int max, const char *addr)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i], addr) == 0)
			return;
	if (*n < max)
		snprintf(list[(*n)++], MP_ADDR_MAX, "%s", addr);
}

static bool
worth_showing(const struct sockaddr *sa, char *out, size_t len)
{
	if (sa->sa_family == AF_INET) {
		const struct in_addr *a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;

		if ((ntohl(a->s_addr) >> 24) == 127 || (ntohl(a->s_addr) >> 16) == 0xa9fe)
			return false;
		return inet_ntop(AF_INET, a, out, (socklen_t)len) != NULL;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_LINKLOCAL(a))
			return false;
		return inet_ntop(AF_INET6, a, out, (socklen_t)len) != NULL;
	}
	return false;
}

static void
local_addresses(struct mp_run_env *env)
{
	struct ifaddrs *all, *i;
	char buf[MP_ADDR_MAX];

	if (getifaddrs(&all) != 0)
		return;
	for (i = all; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && worth_showing(i->ifa_addr, buf, sizeof(buf)))
			add_unique(env->local, &env->nlocal, MP_ENV_MAX, buf);
	freeifaddrs(all);
}

static void
resolvers(struct mp_run_env *env)
{
	FILE *f = fopen("/etc/resolv.conf", "r");
	char line[256], addr[MP_ADDR_MAX];
	int lines = 0;

	if (f == NULL)
		return;
	while (lines++ < 200 && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " nameserver %45s", addr) == 1)
			add_unique(env->resolver, &env->nresolver, MP_ENV_MAX, addr);
	fclose(f);
}

static void
env_read(struct mp_run_env *env)
{
	memset(env, 0, sizeof(*env));
	local_addresses(env);
	resolvers(env);
}

void
mp_run_env_collect(struct mp_run_env *env)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static struct mp_run_env cached;
	static double read_at = -1;
	double now = mp_now();

	pthread_mutex_lock(&mu);
	if (read_at < 0 || now - read_at >= ENV_TTL || now < read_at) {
		env_read(&cached);
		read_at = now;
	}
	*env = cached;
	pthread_mutex_unlock(&mu);
}
