/*
 * Client keys and the table of open connections per client (clients.h).
 * The table is a plain array searched under a mutex: it holds at most one
 * row per open connection, and the search is cheap beside an accept().
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter/clients.h"

struct client_row {
	struct client_key key;
	int open;
};

struct client_table {
	pthread_mutex_t mu;
	int max;
	struct client_row *rows; /* open == 0: free */
};

void
client_key_of(const struct sockaddr *sa, struct client_key *k)
{
	memset(k, 0, sizeof(*k));
	if (sa != NULL && sa->sa_family == AF_INET) {
		memcpy(k->b, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		k->len = 4;
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(k->b, a->s6_addr + 12, 4);
			k->len = 4;
		} else {
			memcpy(k->b, a->s6_addr, 8);
			k->len = 8;
		}
	}
}

bool
client_key_eq(const struct client_key *a, const struct client_key *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

void
client_key_str(const struct client_key *k, char *out, size_t len)
{
	unsigned char a6[16] = {0};
	char s[INET6_ADDRSTRLEN] = "?";

	if (k->len == 4) {
		inet_ntop(AF_INET, k->b, s, sizeof(s));
		snprintf(out, len, "%s", s);
		return;
	}
	memcpy(a6, k->b, 8);
	inet_ntop(AF_INET6, a6, s, sizeof(s));
	snprintf(out, len, k->len == 8 ? "%s/64" : "%s", k->len == 8 ? s : "unknown");
}

struct client_table *
clients_new(int max)
{
	struct client_table *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->rows = calloc((size_t)max, sizeof(*t->rows))) == NULL) {
		free(t);
		return NULL;
	}
	t->max = max;
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

void
clients_free(struct client_table *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t->rows);
	free(t);
}

/* The row of k, or with add a free row for it; NULL if none. Locked. */
static struct client_row *
row_of(struct client_table *t, const struct client_key *k, bool add)
{
	struct client_row *free_row = NULL;

	for (int i = 0; i < t->max; i++) {
		if (t->rows[i].open > 0 && client_key_eq(&t->rows[i].key, k))
			return &t->rows[i];
		if (t->rows[i].open == 0 && free_row == NULL)
			free_row = &t->rows[i];
	}
	if (!add || free_row == NULL)
		return NULL;
	free_row->key = *k;
	return free_row;
}

int
clients_count(struct client_table *t, const struct client_key *k)
{
	struct client_row *r;
	int n;

	pthread_mutex_lock(&t->mu);
	r = row_of(t, k, false);
	n = r != NULL ? r->open : 0;
	pthread_mutex_unlock(&t->mu);
	return n;
}

int
clients_opened(struct client_table *t, const struct client_key *k)
{
	struct client_row *r;

	pthread_mutex_lock(&t->mu);
	if ((r = row_of(t, k, true)) != NULL)
		r->open++;
	pthread_mutex_unlock(&t->mu);
	return r != NULL ? 0 : -1;
}

void
clients_closed(struct client_table *t, const struct client_key *k)
{
	struct client_row *r;

	pthread_mutex_lock(&t->mu);
	if ((r = row_of(t, k, false)) != NULL)
		r->open--;
	pthread_mutex_unlock(&t->mu);
}
