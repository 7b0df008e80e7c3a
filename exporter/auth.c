/*
 * HTTP basic auth against bcrypt hashes from the config, checked with
 * libxcrypt's crypt_r ($2a$, $2b$, $2y$). An unknown user name is checked
 * against a configured hash, so it costs the same bcrypt run as a known
 * one; the password is wiped after the check. Failed attempts are counted
 * per client (IPv4 address or IPv6 /64): after AUTH_MAX_FAILURES within
 * AUTH_WINDOW seconds the client gets 429 and nothing is checked.
 */
#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "checks/secret.h"
#include "checks/deadline.h"
#include "exporter/clients.h"
#include "exporter/http.h"

#define FAIL_ROWS 256 /* clients remembered; the oldest window goes first */

struct fail_row {
	struct client_key key;
	double since; /* start of its window, monotonic seconds; 0 = free */
	int failures;
};

static pthread_mutex_t fail_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fail_row fails[FAIL_ROWS];

/* The row of k (a fresh one when absent: a free row, an expired one or
 * the oldest). Locked. */
static struct fail_row *
fail_row(const struct client_key *k, double now)
{
	struct fail_row *pick = &fails[0];

	for (int i = 0; i < FAIL_ROWS; i++) {
		struct fail_row *r = &fails[i];

		if (r->since > 0 && now - r->since >= AUTH_WINDOW)
			r->since = 0;
		if (r->since > 0 && client_key_eq(&r->key, k))
			return r;
		if (pick->since > 0 && (r->since == 0 || r->since < pick->since))
			pick = r;
	}
	*pick = (struct fail_row){.key = *k, .since = now, .failures = 0};
	return pick;
}

/* Seconds until k may try again, or 0 when it may now. */
static int
fail_wait(const struct client_key *k)
{
	double now = mp_now();
	struct fail_row *r;
	int wait = 0;

	pthread_mutex_lock(&fail_mu);
	r = fail_row(k, now);
	if (r->failures >= AUTH_MAX_FAILURES)
		wait = (int)(r->since + AUTH_WINDOW - now) + 1;
	pthread_mutex_unlock(&fail_mu);
	return wait;
}

static void
fail_count(const struct client_key *k)
{
	pthread_mutex_lock(&fail_mu);
	fail_row(k, mp_now())->failures++;
	pthread_mutex_unlock(&fail_mu);
}

static bool
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static bool
bcrypt_ok(const char *password, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *out;
	bool ok;

	if (cd == NULL)
		return false;
	out = crypt_r(password, hash, cd);
	ok = out != NULL && out[0] != '*' && same(out, hash);
	mp_wipe(cd, sizeof(*cd));
	free(cd);
	return ok;
}

const char *
auth_hash_for(const struct config *cfg, const char *user, bool *known)
{
	*known = false;
	if (cfg->nusers == 0)
		return NULL;
	for (int i = 0; i < cfg->nusers; i++)
		if (strcmp(cfg->users[i].name, user) == 0) {
			*known = true;
			return cfg->users[i].hash;
		}
	return cfg->users[0].hash;
}

/* The credentials of c checked; false without any. */
static bool
credentials_ok(const struct config *cfg, struct MHD_Connection *c, bool *offered)
{
	char *pass = NULL, *user;
	bool known, ok;
	const char *hash;

	if ((user = MHD_basic_auth_get_username_password(c, &pass)) == NULL) {
		*offered = false;
		return false;
	}
	*offered = true;
	hash = auth_hash_for(cfg, user, &known);
	ok = bcrypt_ok(pass != NULL ? pass : "", hash) && known;
	if (pass != NULL) {
		mp_wipe(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	return ok;
}

enum auth_verdict
auth_check(struct state *st, const struct config *cfg, struct MHD_Connection *c, int *retry_after)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct client_key k;
	bool offered;
	char who[64];

	if (cfg->nusers == 0)
		return AUTH_OK;
	client_key_of(ci != NULL ? ci->client_addr : NULL, &k);
	if ((*retry_after = fail_wait(&k)) > 0) {
		client_key_str(&k, who, sizeof(who));
		guard_refused(st, REFUSED_AUTH_RATE_LIMIT, who);
		return AUTH_LIMITED;
	}
	if (credentials_ok(cfg, c, &offered))
		return AUTH_OK;
	if (offered) /* a request without credentials is no guess */
		fail_count(&k);
	return AUTH_DENIED;
}
