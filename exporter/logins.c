/*
 * The login limiter of /probe: a list of (module, host) entries under a
 * mutex. An entry keeps when the latest login began, the one before (to
 * give the slot back when no login step ran) and the latest result.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exporter/config.h"
#include "exporter/logins.h"

struct login_entry {
	char module[CFG_NAME_MAX];
	char host[MP_HOST_MAX];
	double began, began_before; /* monotonic; began_before < 0: none */
	bool have, ok;
	double result_at; /* monotonic */
	char *samples;
	struct login_entry *next;
};

struct logins {
	pthread_mutex_t mu;
	struct login_entry *head;
};

struct logins *
logins_new(void)
{
	struct logins *l = calloc(1, sizeof(*l));

	if (l != NULL)
		pthread_mutex_init(&l->mu, NULL);
	return l;
}

void
logins_free(struct logins *l)
{
	if (l == NULL)
		return;
	while (l->head != NULL) {
		struct login_entry *e = l->head;

		l->head = e->next;
		free(e->samples);
		free(e);
	}
	pthread_mutex_destroy(&l->mu);
	free(l);
}

/* Called locked; create: a new entry when there is none (NULL when out of
 * memory). */
static struct login_entry *
entry(struct logins *l, const char *module, const char *host, bool create)
{
	struct login_entry *e;

	for (e = l->head; e != NULL; e = e->next)
		if (strcmp(e->module, module) == 0 && strcasecmp(e->host, host) == 0)
			return e;
	if (!create || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	snprintf(e->module, sizeof(e->module), "%s", module);
	snprintf(e->host, sizeof(e->host), "%s", host);
	e->began = e->began_before = -1;
	e->next = l->head;
	l->head = e;
	return e;
}

bool
logins_take(struct logins *l, const char *module, const char *host, double interval, double now,
	    struct login_last *last)
{
	struct login_entry *e;
	bool go;

	memset(last, 0, sizeof(*last));
	pthread_mutex_lock(&l->mu);
	e = entry(l, module, host, true);
	go = e == NULL || e->began < 0 || now - e->began >= interval;
	if (go && e != NULL) {
		e->began_before = e->began;
		e->began = now;
	} else if (!go && e->have) {
		last->have = true;
		last->ok = e->ok;
		last->age = now - e->result_at;
		last->samples = e->samples != NULL ? strdup(e->samples) : NULL;
	}
	pthread_mutex_unlock(&l->mu);
	return go;
}

void
logins_done(struct logins *l, const char *module, const char *host, bool tried, bool ok,
	    const char *samples, double now)
{
	struct login_entry *e;

	pthread_mutex_lock(&l->mu);
	if ((e = entry(l, module, host, false)) != NULL && !tried) {
		e->began = e->began_before;
	} else if (e != NULL) {
		free(e->samples);
		e->samples = samples != NULL ? strdup(samples) : NULL;
		e->have = true;
		e->ok = ok;
		e->result_at = now;
	}
	pthread_mutex_unlock(&l->mu);
}
