/*
 * The OAuth2 parts of "credentials": an access token file (oauth2_token_file,
 * read again when it changes), or the refresh_token grant of a module
 * (oauth2_refresh_token_file, oauth2_token_url, oauth2_client_id, optional
 * oauth2_client_secret_file and oauth2_scope). Secret files are read here,
 * as password files are; every error names its field.
 */
#include <stdio.h>
#include <string.h>

#include "checks/https.h"
#include "exporter/config_parse.h"
#include "exporter/token_source.h"

/* The grant's settings besides the refresh token file. */
static const char *const grant_keys[] = {"oauth2_token_url", "oauth2_client_id",
					 "oauth2_client_secret_file", "oauth2_scope", NULL};

int
cfg_read_secret(struct pctx *p, const cJSON *obj, const char *cp, const char *key,
		struct mp_secret **out, char *full, size_t fulllen)
{
	char file[PATH_MAX], fp[JPATH_MAX], err[512], warn[128];
	int rc = cfg_get_string(p, obj, key, cp, file, sizeof(file));

	cfg_path_key(fp, cp, key);
	if (rc <= 0)
		return rc < 0 ? -1 : cfg_fail(p, fp, "missing");
	cfg_secret_path(p, file, full, fulllen);
	if ((*out = mp_secret_from_file(full, warn, sizeof(warn), err, sizeof(err))) == NULL)
		return cfg_fail(p, fp, "%s", err);
	if (warn[0] != '\0')
		cfg_warn(p, fp, "%s: %s", full, warn);
	return 0;
}

int
cfg_parse_token_file(struct pctx *p, const cJSON *obj, const char *cp, struct cfg_cred *out)
{
	struct mp_secret *s = NULL;
	char full[PATH_MAX], fp[JPATH_MAX];

	if (cfg_read_secret(p, obj, cp, "oauth2_token_file", &s, full, sizeof(full)) < 0)
		return -1;
	cfg_path_key(fp, cp, "oauth2_token_file");
	if ((out->token = token_source_file(full, s)) == NULL)
		return cfg_fail(p, fp, "out of memory");
	out->oauth2 = true;
	return 0;
}

/* The grant settings without a refresh token say nothing: refused. */
int
cfg_check_grant_keys(struct pctx *p, const cJSON *obj, const char *cp)
{
	char kp[JPATH_MAX];

	for (int i = 0; grant_keys[i] != NULL; i++)
		if (cJSON_GetObjectItemCaseSensitive(obj, grant_keys[i]) != NULL) {
			cfg_path_key(kp, cp, grant_keys[i]);
			return cfg_fail(p, kp, "only with oauth2_refresh_token_file");
		}
	return 0;
}

static int
grant_url(struct pctx *p, const cJSON *obj, const char *cp, struct token_grant_settings *g)
{
	char kp[JPATH_MAX], host[MP_HOST_MAX], path[512];
	unsigned port;
	int rc = cfg_get_string(p, obj, "oauth2_token_url", cp, g->url, sizeof(g->url));

	cfg_path_key(kp, cp, "oauth2_token_url");
	if (rc <= 0)
		return rc < 0 ? -1 : cfg_fail(p, kp, "missing (the token endpoint, https://...)");
	if (strncmp(g->url, "https://", 8) != 0 ||
	    mp_url_parse(g->url, host, sizeof(host), &port, path, sizeof(path)) < 0)
		return cfg_fail(p, kp,
				"expected an https:// URL (the refresh token is never sent "
				"in cleartext)");
	return 0;
}

/* RFC 6749 section 3.3: scope tokens of %x21 / %x23-5B / %x5D-7E, spaces
 * between. */
static int
grant_scope(struct pctx *p, const cJSON *obj, const char *cp, struct token_grant_settings *g)
{
	char kp[JPATH_MAX];
	int rc = cfg_get_string(p, obj, "oauth2_scope", cp, g->scope, sizeof(g->scope));

	cfg_path_key(kp, cp, "oauth2_scope");
	if (rc < 0)
		return -1;
	for (const char *q = g->scope; *q != '\0'; q++)
		if (*q < 0x20 || *q > 0x7e || *q == '"' || *q == '\\')
			return cfg_fail(p, kp,
					"not a scope (printable ASCII without '\"' and '\\', "
					"words separated by spaces)");
	return 0;
}

int
cfg_parse_grant(struct pctx *p, const cJSON *obj, const char *cp, const char *module,
		struct cfg_cred *out)
{
	struct token_grant_settings g = {0};
	char kp[JPATH_MAX], full[PATH_MAX];
	int rc;

	if (module == NULL) {
		cfg_path_key(kp, cp, "oauth2_refresh_token_file");
		return cfg_fail(p, kp,
				"the refresh grant belongs in a module's credentials (the "
				"token is kept per module)");
	}
	snprintf(g.name, sizeof(g.name), "%s", module);
	cfg_path_key(kp, cp, "oauth2_client_id");
	if (grant_url(p, obj, cp, &g) < 0 || grant_scope(p, obj, cp, &g) < 0 ||
	    (rc = cfg_get_string(p, obj, "oauth2_client_id", cp, g.client_id,
				 sizeof(g.client_id))) < 0)
		return -1;
	if (rc == 0 || g.client_id[0] == '\0')
		return cfg_fail(p, kp, "missing (the client id registered with the provider)");
	if (cfg_read_secret(p, obj, cp, "oauth2_refresh_token_file", &g.refresh, full,
			    sizeof(full)) < 0 ||
	    (cJSON_GetObjectItemCaseSensitive(obj, "oauth2_client_secret_file") != NULL &&
	     cfg_read_secret(p, obj, cp, "oauth2_client_secret_file", &g.client_secret, full,
			     sizeof(full)) < 0)) {
		mp_secret_free(g.refresh);
		return -1;
	}
	if ((out->token = token_source_grant(&g)) == NULL)
		return cfg_fail(p, cp, "out of memory");
	out->oauth2 = true;
	return 0;
}
