/*
 * Where a run was made from: this computer's addresses (not loopback or
 * link-local) and the DNS servers it asks (/etc/resolv.conf). Facts for
 * the support report; read at the start of a run, bounded. A long-running
 * process (the exporter) reads them at most every ENV_TTL seconds: a
 * netlink dump and a file read per probe would cost more than the probe's
 * own code.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "checks/deadline.h"
#include "checks/platform.h"
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
add_local(const struct sockaddr *sa, void *arg)
{
	struct mp_run_env *env = arg;
	char buf[MP_ADDR_MAX];

	if (worth_showing(sa, buf, sizeof(buf)))
		add_unique(env->local, &env->nlocal, MP_ENV_MAX, buf);
}

static void
add_resolver(const char *addr, void *arg)
{
	struct mp_run_env *env = arg;

	add_unique(env->resolver, &env->nresolver, MP_ENV_MAX, addr);
}

static void
env_read(struct mp_run_env *env)
{
	memset(env, 0, sizeof(*env));
	mp_each_local_address(add_local, env);
	mp_each_resolver(add_resolver, env);
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
