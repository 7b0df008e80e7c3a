/*
 * In-flight counts per host: a small array under a mutex (at most one
 * entry per probe in flight, so max_concurrent_probes entries), searched
 * linearly; an entry goes when its count drops to zero.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe/run/account.h"
#include "exporter/inflight.h"

struct slot {
	char host[MP_HOST_MAX];
	int n;
};

struct inflight {
	pthread_mutex_t mu;
	int n, cap;
	struct slot *slots;
};

struct inflight *
inflight_new(void)
{
	struct inflight *f = calloc(1, sizeof(*f));

	if (f != NULL)
		pthread_mutex_init(&f->mu, NULL);
	return f;
}

void
inflight_free(struct inflight *f)
{
	if (f == NULL)
		return;
	pthread_mutex_destroy(&f->mu);
	free(f->slots);
	free(f);
}

/* Called locked. */
static struct slot *
find(struct inflight *f, const char *host)
{
	for (int i = 0; i < f->n; i++)
		if (strcasecmp(f->slots[i].host, host) == 0)
			return &f->slots[i];
	return NULL;
}

/* Called locked: a new entry with count 0, or NULL. */
static struct slot *
add(struct inflight *f, const char *host)
{
	if (f->n == f->cap) {
		int cap = f->cap > 0 ? f->cap * 2 : 16;
		struct slot *s = realloc(f->slots, (size_t)cap * sizeof(*s));

		if (s == NULL)
			return NULL;
		f->slots = s;
		f->cap = cap;
	}
	memset(&f->slots[f->n], 0, sizeof(f->slots[f->n]));
	snprintf(f->slots[f->n].host, sizeof(f->slots[f->n].host), "%s", host);
	return &f->slots[f->n++];
}

int
inflight_take(struct inflight *f, const char *host, int max)
{
	struct slot *s;
	int rc = -1;

	pthread_mutex_lock(&f->mu);
	if ((s = find(f, host)) == NULL && max > 0)
		s = add(f, host);
	if (s != NULL && s->n < max) {
		s->n++;
		rc = 0;
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

void
inflight_give(struct inflight *f, const char *host)
{
	struct slot *s;

	pthread_mutex_lock(&f->mu);
	if ((s = find(f, host)) != NULL && --s->n <= 0)
		*s = f->slots[--f->n]; /* the last entry takes its place */
	pthread_mutex_unlock(&f->mu);
}

int
inflight_count(struct inflight *f, const char *host)
{
	const struct slot *s;
	int n;

	pthread_mutex_lock(&f->mu);
	n = (s = find(f, host)) != NULL ? s->n : 0;
	pthread_mutex_unlock(&f->mu);
	return n;
}
