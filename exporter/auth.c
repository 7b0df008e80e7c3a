/*
 * HTTP basic auth against bcrypt hashes from the config, checked with
 * libxcrypt's crypt_r ($2a$, $2b$, $2y$). An unknown user costs the same
 * bcrypt run as a known one; the password is wiped after the check.
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "checks/secret.h"
#include "exporter/http.h"

/* A valid bcrypt hash of a random string: unknown users are checked
 * against it so they take as long as known ones. */
#define DUMMY_HASH "$2b$10$abcdefghijklmnopqrstuuoaQqUCAnSqw1cosR.Lu2dbwqaHFtSc2"

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

bool
auth_ok(const struct config *cfg, struct MHD_Connection *c)
{
	char *pass = NULL, *user;
	const char *hash = DUMMY_HASH;
	bool known = false, ok;

	if (cfg->nusers == 0)
		return true;
	if ((user = MHD_basic_auth_get_username_password(c, &pass)) == NULL)
		return false;
	for (int i = 0; i < cfg->nusers && !known; i++)
		if (strcmp(cfg->users[i].name, user) == 0) {
			hash = cfg->users[i].hash;
			known = true;
		}
	ok = bcrypt_ok(pass != NULL ? pass : "", hash) && known;
	if (pass != NULL) {
		mp_wipe(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	return ok;
}
