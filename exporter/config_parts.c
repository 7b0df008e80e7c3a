/*
 * The sections of the exporter config: modules, targets, allow and web.
 * Each checks its values and reports the first error with its JSON path;
 * unknown keys are warnings. Password files are read here, relative to
 * $CREDENTIALS_DIRECTORY when set, else to the config file's folder.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/tls.h"
#include "exporter/allow.h"
#include "exporter/config_parse.h"

static const char *const module_keys[] = {"endpoints",        "timeout",
					  "ca_file",          "credentials",
					  "credential_hosts", "cert_warn_days",
					  "cert_crit_days",   "min_login_interval",
					  "control",          NULL};
static const char *const target_keys[] = {"name",   "host",    "module",      "interval",
					  "labels", "resolve", "credentials", NULL};
static const char *const cred_keys[] = {"user",
					"password_file",
					"oauth2_token_file",
					"oauth2_refresh_token_file",
					"oauth2_token_url",
					"oauth2_client_id",
					"oauth2_client_secret_file",
					"oauth2_scope",
					NULL};
static const char *const web_keys[] = {"basic_auth_users",
				       "tls_cert_file",
				       "tls_key_file",
				       "max_concurrent_probes",
				       "max_concurrent_probes_per_target",
				       "max_connections",
				       "max_connections_per_client",
				       NULL};
/* Label names the series use themselves, or that belong elsewhere. */
static const char *const reserved_labels[] = {
    "target",   "protocol", "port", "security", "address",  "step", "class", "id",
    "severity", "version",  "le",   "result",   "instance", "job",  "host",  NULL};

static void
module_defaults(struct cfg_module *m, const char *name)
{
	struct mp_account a;

	mp_account_init(&a);
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->nendpoints = a.nendpoints;
	memcpy(m->endpoints, a.endpoints, sizeof(a.endpoints));
	m->timeout = CFG_DEFAULT_TIMEOUT;
	m->min_login_interval = CFG_DEFAULT_LOGIN_INTERVAL;
	m->cert_warn_days = a.cert_warn_days;
	m->cert_crit_days = a.cert_crit_days;
}

static bool
spec_eq(const struct mp_endpoint_spec *a, const struct mp_endpoint_spec *b)
{
	return a->proto == b->proto && a->port == b->port && a->security == b->security;
}

static int
parse_endpoints(struct pctx *p, const cJSON *obj, const char *path, struct cfg_module *m)
{
	char ep[JPATH_MAX], ip[JPATH_MAX], err[256];
	const cJSON *arr, *it;
	int rc, i = 0;

	if ((arr = cfg_get_array(p, obj, "endpoints", path, &rc)) == NULL)
		return rc;
	cfg_path_key(ep, path, "endpoints");
	if (cJSON_GetArraySize(arr) == 0 || cJSON_GetArraySize(arr) > MP_MAX_ENDPOINTS)
		return cfg_fail(p, ep, "expected 1 to %d endpoints", MP_MAX_ENDPOINTS);
	m->nendpoints = 0;
	cJSON_ArrayForEach(it, arr)
	{
		struct mp_endpoint_spec *s = &m->endpoints[m->nendpoints];

		cfg_path_index(ip, ep, i++);
		if (!cJSON_IsString(it))
			return cfg_fail(p, ip, "expected a string such as \"smtp:587:starttls\"");
		if (mp_endpoint_parse(it->valuestring, s, err, sizeof(err)) < 0)
			return cfg_fail(p, ip, "%s", err);
		for (int k = 0; k < m->nendpoints; k++)
			if (spec_eq(&m->endpoints[k], s))
				return cfg_fail(p, ip, "listed twice");
		m->nendpoints++;
	}
	return 0;
}

/* A password file: absolute, or relative to $CREDENTIALS_DIRECTORY, or to
 * the config's folder. */
void
cfg_secret_path(const struct pctx *p, const char *in, char *out, size_t len)
{
	const char *cd = getenv("CREDENTIALS_DIRECTORY");

	if (in[0] != '/' && cd != NULL && cd[0] != '\0') {
		if (snprintf(out, len, "%s/%s", cd, in) >= (int)len)
			out[0] = '\0'; /* too long: reading "" fails with a clear reason */
	} else
		cfg_abs_path(p, in, out, len);
}

/* Which secret the credentials name: password_file, oauth2_token_file (an
 * OAuth2 access token) or oauth2_refresh_token_file (the grant), exactly
 * one; NULL after cfg_fail. */
static const char *
secret_key(struct pctx *p, const cJSON *obj, const char *cp)
{
	static const char *const keys[] = {"password_file", "oauth2_token_file",
					   "oauth2_refresh_token_file"};
	const char *found = NULL;

	for (int i = 0; i < 3; i++) {
		if (cJSON_GetObjectItemCaseSensitive(obj, keys[i]) == NULL)
			continue;
		if (found != NULL) {
			cfg_fail(p, cp, "%s and %s: give one", found, keys[i]);
			return NULL;
		}
		found = keys[i];
	}
	if (found == NULL)
		cfg_fail(p, cp,
			 "password_file (or oauth2_token_file, or oauth2_refresh_token_file) is "
			 "missing");
	return found;
}

int
cfg_parse_cred(struct pctx *p, const cJSON *parent, const char *path, const char *module,
	       struct cfg_cred *out)
{
	char cp[JPATH_MAX], full[PATH_MAX];
	const cJSON *obj;
	const char *key;
	int rc;

	if ((obj = cfg_get_object(p, parent, "credentials", path, &rc)) == NULL)
		return rc;
	cfg_path_key(cp, path, "credentials");
	cfg_check_keys(p, obj, cp, cred_keys);
	if (cJSON_GetObjectItemCaseSensitive(obj, "password") != NULL)
		return cfg_fail(p, cp, "a password is never accepted inline: use password_file");
	if ((rc = cfg_get_string(p, obj, "user", cp, out->user, sizeof(out->user))) <= 0)
		return rc < 0 ? -1 : cfg_fail(p, cp, "user is missing");
	if ((key = secret_key(p, obj, cp)) == NULL)
		return -1;
	out->present = true; /* cleanup frees what a failure leaves */
	if (strcmp(key, "oauth2_refresh_token_file") == 0)
		return cfg_parse_grant(p, obj, cp, module, out);
	if (cfg_check_grant_keys(p, obj, cp) < 0)
		return -1;
	if (strcmp(key, "oauth2_token_file") == 0)
		return cfg_parse_token_file(p, obj, cp, out);
	return cfg_read_secret(p, obj, cp, key, &out->password, full, sizeof(full));
}

static int
parse_ca(struct pctx *p, const cJSON *obj, const char *path, struct cfg_module *m)
{
	char kp[JPATH_MAX], file[PATH_MAX], err[256];
	int rc;

	if ((rc = cfg_get_string(p, obj, "ca_file", path, file, sizeof(file))) < 0)
		return -1;
	if (rc == 1)
		cfg_abs_path(p, file, m->ca_file, sizeof(m->ca_file));
	if ((m->tls = mp_tls_ctx_new(m->ca_file, err, sizeof(err))) == NULL) {
		cfg_path_key(kp, path, "ca_file");
		return cfg_fail(p, rc == 1 ? kp : path, "%s", err);
	}
	return 0;
}

/* An allow entry: an IP literal (stored canonical), a name or "*.name". */
static int
allow_entry(struct pctx *p, const char *path, const cJSON *it, char *out)
{
	char ip[MP_ADDR_MAX], shown[MP_HOST_MAX * 4 + 8];
	const char *s = cJSON_GetStringValue(it);

	if (s == NULL || strlen(s) >= MP_HOST_MAX)
		return cfg_fail(p, path, "expected a host name, \"*.domain\" or an IP address");
	if (allow_ip_normalise(s, ip, sizeof(ip)) == 1) {
		snprintf(out, MP_HOST_MAX, "%s", ip);
		return 0;
	}
	if (!mp_host_valid(strncmp(s, "*.", 2) == 0 ? s + 2 : s)) {
		mp_arg_quote(s, shown, sizeof(shown));
		return cfg_fail(p, path, "%s is not a host name, \"*.domain\" or an IP address",
				shown);
	}
	snprintf(out, MP_HOST_MAX, "%s", s);
	for (char *q = out; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return 0;
}

/* A list of allow entries at path (allow, credential_hosts) into a new
 * array. 0 when absent, 1 when read, -1 on error. */
static int
host_list(struct pctx *p, const cJSON *obj, const char *key, const char *path, int max,
	  char (**out)[MP_HOST_MAX], int *n)
{
	char lp[JPATH_MAX], ip[JPATH_MAX];
	const cJSON *arr, *it;
	int rc, len;

	if ((arr = cfg_get_array(p, obj, key, path, &rc)) == NULL)
		return rc;
	cfg_path_key(lp, path, key);
	if ((len = cJSON_GetArraySize(arr)) > max)
		return cfg_fail(p, lp, "more than %d entries", max);
	if (len > 0 && (*out = calloc((size_t)len, sizeof(**out))) == NULL)
		return cfg_fail(p, lp, "out of memory");
	cJSON_ArrayForEach(it, arr)
	{
		cfg_path_index(ip, lp, *n);
		if (allow_entry(p, ip, it, (*out)[(*n)++]) < 0)
			return -1;
	}
	return 1;
}

/* Credentials name the hosts they belong to; no list, no credentials. */
static int
parse_cred_hosts(struct pctx *p, const cJSON *obj, const char *path, struct cfg_module *m)
{
	char kp[JPATH_MAX];
	int rc = host_list(p, obj, "credential_hosts", path, CFG_MAX_ALLOW, &m->cred_hosts,
			   &m->ncred_hosts);

	cfg_path_key(kp, path, "credential_hosts");
	if (rc < 0)
		return -1;
	if (m->cred.present && m->ncred_hosts == 0)
		return cfg_fail(p, kp,
				"a module with credentials must name the hosts they belong to in "
				"credential_hosts (host names, \"*.domain\" or IP addresses)");
	if (!m->cred.present && rc == 1)
		cfg_warn(p, kp, "the module has no credentials: never used");
	return 0;
}

/* "control": host names (or IP addresses) a failing port is tried at too;
 * never a credential goes there. */
static int
parse_control(struct pctx *p, const cJSON *obj, const char *path, struct cfg_module *m)
{
	char lp[JPATH_MAX], ip[JPATH_MAX];
	const cJSON *arr, *it;
	int rc;

	if ((arr = cfg_get_array(p, obj, "control", path, &rc)) == NULL)
		return rc;
	cfg_path_key(lp, path, "control");
	if (cJSON_GetArraySize(arr) > MP_MAX_CONTROLS)
		return cfg_fail(p, lp, "more than %d control hosts", MP_MAX_CONTROLS);
	cJSON_ArrayForEach(it, arr)
	{
		const char *s = cJSON_GetStringValue(it);

		cfg_path_index(ip, lp, m->ncontrols);
		if (s == NULL || strlen(s) >= MP_HOST_MAX || !mp_host_valid(s))
			return cfg_fail(p, ip, "expected a host name or an IP address");
		for (int k = 0; k < m->ncontrols; k++)
			if (strcasecmp(m->controls[k], s) == 0)
				return cfg_fail(p, ip, "listed twice");
		snprintf(m->controls[m->ncontrols++], MP_HOST_MAX, "%s", s);
	}
	return 0;
}

static int
parse_module(struct pctx *p, const cJSON *obj, const char *path, struct cfg_module *m)
{
	if (!cJSON_IsObject(obj))
		return cfg_fail(p, path, "expected an object");
	cfg_check_keys(p, obj, path, module_keys);
	if (parse_endpoints(p, obj, path, m) < 0 ||
	    cfg_get_duration(p, obj, "timeout", path, &m->timeout) < 0 ||
	    cfg_get_duration(p, obj, "min_login_interval", path, &m->min_login_interval) < 0 ||
	    cfg_get_int(p, obj, "cert_warn_days", path, 0, 3650, &m->cert_warn_days) < 0 ||
	    cfg_get_int(p, obj, "cert_crit_days", path, 0, 3650, &m->cert_crit_days) < 0 ||
	    cfg_parse_cred(p, obj, path, m->name, &m->cred) < 0 ||
	    parse_cred_hosts(p, obj, path, m) < 0 || parse_control(p, obj, path, m) < 0)
		return -1;
	if (m->timeout > 3600)
		return cfg_fail(p, path, "timeout over 1h");
	return parse_ca(p, obj, path, m);
}

/* modules[0] is "default" (built in, or the config's own "default"). */
int
cfg_parse_modules(struct pctx *p, const cJSON *root, struct config *c)
{
	const cJSON *mods = NULL, *it;
	char path[JPATH_MAX];
	int rc, n = 1;

	if (root != NULL && (mods = cfg_get_object(p, root, "modules", "", &rc)) == NULL && rc < 0)
		return -1;
	n += cJSON_GetArraySize(mods);
	if (n > CFG_MAX_MODULES)
		return cfg_fail(p, "modules", "more than %d modules", CFG_MAX_MODULES - 1);
	if ((c->modules = calloc((size_t)n, sizeof(*c->modules))) == NULL)
		return cfg_fail(p, "modules", "out of memory");
	module_defaults(&c->modules[0], "default");
	c->nmodules = 1;
	if (mods == NULL || cJSON_GetObjectItemCaseSensitive(mods, "default") == NULL)
		if (parse_ca(p, NULL, "modules.default", &c->modules[0]) < 0)
			return -1;
	cJSON_ArrayForEach(it, mods)
	{
		bool dflt = strcmp(it->string, "default") == 0;
		struct cfg_module *m = dflt ? &c->modules[0] : &c->modules[c->nmodules++];

		cfg_path_key(path, "modules", it->string);
		if (strlen(it->string) == 0 || strlen(it->string) >= CFG_NAME_MAX)
			return cfg_fail(p, path, "a module name must have 1 to %d bytes",
					CFG_NAME_MAX - 1);
		if (cfg_has_control(it->string))
			return cfg_fail(p, path,
					"a module name must not contain control characters");
		module_defaults(m, it->string);
		if (parse_module(p, it, path, m) < 0)
			return -1;
	}
	return 0;
}

static bool
label_name_ok(const char *s)
{
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_') || strncmp(s, "__", 2) == 0)
		return false;
	for (const char *q = s; *q != '\0'; q++)
		if (!isalnum((unsigned char)*q) && *q != '_')
			return false;
	return true;
}

static int
label_name_check(struct pctx *p, const char *lp, const char *name)
{
	if (strcmp(name, "vantage") == 0)
		return cfg_fail(p, lp, "a vantage label belongs in the Prometheus scrape config");
	for (int i = 0; reserved_labels[i] != NULL; i++)
		if (strcmp(name, reserved_labels[i]) == 0)
			return cfg_fail(p, lp, "the label name %s is used by the series themselves",
					name);
	if (!label_name_ok(name) || strlen(name) >= CFG_LABEL_NAME_MAX)
		return cfg_fail(p, lp, "not a label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)");
	return 0;
}

static int
parse_labels(struct pctx *p, const cJSON *obj, const char *path, struct cfg_target *t)
{
	char base[JPATH_MAX], lp[JPATH_MAX];
	const cJSON *labels, *it;
	int rc;

	if ((labels = cfg_get_object(p, obj, "labels", path, &rc)) == NULL)
		return rc;
	cfg_path_key(base, path, "labels");
	cJSON_ArrayForEach(it, labels)
	{
		cfg_path_key(lp, base, it->string);
		if (t->nlabels == CFG_MAX_LABELS)
			return cfg_fail(p, lp, "more than %d labels", CFG_MAX_LABELS);
		if (label_name_check(p, lp, it->string) < 0)
			return -1;
		if (!cJSON_IsString(it) || strlen(it->valuestring) >= CFG_LABEL_VALUE_MAX)
			return cfg_fail(p, lp, "expected a string of at most %d bytes",
					CFG_LABEL_VALUE_MAX - 1);
		snprintf(t->labels[t->nlabels].name, CFG_LABEL_NAME_MAX, "%s", it->string);
		snprintf(t->labels[t->nlabels++].value, CFG_LABEL_VALUE_MAX, "%s", it->valuestring);
	}
	return 0;
}

static int
parse_pins(struct pctx *p, const cJSON *obj, const char *path, struct cfg_target *t)
{
	char rp[JPATH_MAX], ip[JPATH_MAX], err[256];
	const cJSON *arr, *it;
	int rc, i = 0;

	if ((arr = cfg_get_array(p, obj, "resolve", path, &rc)) == NULL)
		return rc;
	cfg_path_key(rp, path, "resolve");
	if (cJSON_GetArraySize(arr) > MP_MAX_PINS)
		return cfg_fail(p, rp, "more than %d entries", MP_MAX_PINS);
	if ((t->pins = calloc(MP_MAX_PINS, sizeof(*t->pins))) == NULL)
		return cfg_fail(p, rp, "out of memory");
	cJSON_ArrayForEach(it, arr)
	{
		cfg_path_index(ip, rp, i++);
		if (!cJSON_IsString(it))
			return cfg_fail(p, ip, "expected \"HOST:PORT:ADDR[,ADDR]\"");
		if (mp_pin_parse(it->valuestring, &t->pins[t->npins], err, sizeof(err)) < 0)
			return cfg_fail(p, ip, "%s", err);
		if (!allow_host_eq(t->pins[t->npins].host, t->host))
			cfg_warn(p, ip, "pins another host than %s: never used", t->host);
		t->npins++;
	}
	return 0;
}

static int
parse_host(struct pctx *p, const cJSON *obj, const char *path, struct cfg_target *t)
{
	char hp[JPATH_MAX], ip[MP_ADDR_MAX];
	int rc = cfg_get_string(p, obj, "host", path, t->host, sizeof(t->host));

	cfg_path_key(hp, path, "host");
	if (rc <= 0)
		return rc < 0 ? -1 : cfg_fail(p, path, "host is missing");
	if (allow_ip_normalise(t->host, ip, sizeof(ip)) == 1) {
		snprintf(t->host, sizeof(t->host), "%s", ip);
		return 0;
	}
	if (!mp_host_valid(t->host))
		return cfg_fail(p, hp, "not a host name or IP address (no port, no URL)");
	for (char *q = t->host; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return 0;
}

static int
parse_target_module(struct pctx *p, const cJSON *obj, const char *path, const struct config *c,
		    struct cfg_target *t)
{
	char name[CFG_NAME_MAX] = "default", mp[JPATH_MAX];
	int rc = cfg_get_string(p, obj, "module", path, name, sizeof(name));

	if (rc < 0)
		return -1;
	for (t->module = 0; t->module < c->nmodules; t->module++)
		if (strcmp(c->modules[t->module].name, name) == 0)
			return 0;
	cfg_path_key(mp, path, "module");
	return cfg_fail(p, mp, "no module named \"%s\"", name);
}

static int
parse_target(struct pctx *p, const cJSON *obj, const char *path, struct config *c,
	     struct cfg_target *t)
{
	t->interval = CFG_DEFAULT_INTERVAL;
	if (!cJSON_IsObject(obj))
		return cfg_fail(p, path, "expected an object");
	cfg_check_keys(p, obj, path, target_keys);
	if (parse_host(p, obj, path, t) < 0)
		return -1;
	if (snprintf(t->name, sizeof(t->name), "%s", t->host) >= (int)sizeof(t->name))
		return cfg_fail(p, path, "the host is too long to be the name: give a name");
	if (cfg_get_string(p, obj, "name", path, t->name, sizeof(t->name)) < 0 ||
	    parse_target_module(p, obj, path, c, t) < 0 ||
	    cfg_get_duration(p, obj, "interval", path, &t->interval) < 0 ||
	    parse_labels(p, obj, path, t) < 0 || parse_pins(p, obj, path, t) < 0 ||
	    cfg_parse_cred(p, obj, path, NULL, &t->cred) < 0)
		return -1;
	if (t->name[0] == '\0')
		return cfg_fail(p, path, "name is empty");
	if (!config_module_serves(&c->modules[t->module], t->host))
		return cfg_fail(p, path,
				"the credentials of module \"%s\" do not belong to %s: add it to "
				"the module's credential_hosts, or use another module",
				c->modules[t->module].name, t->host);
	if (t->interval < 1)
		return cfg_fail(p, path, "interval under 1s");
	return 0;
}

int
cfg_parse_targets(struct pctx *p, const cJSON *root, struct config *c)
{
	const cJSON *arr, *it;
	char path[JPATH_MAX];
	int rc, n;

	if ((arr = cfg_get_array(p, root, "targets", "", &rc)) == NULL)
		return rc;
	if ((n = cJSON_GetArraySize(arr)) > CFG_MAX_TARGETS)
		return cfg_fail(p, "targets", "more than %d targets", CFG_MAX_TARGETS);
	if (n > 0 && (c->targets = calloc((size_t)n, sizeof(*c->targets))) == NULL)
		return cfg_fail(p, "targets", "out of memory");
	cJSON_ArrayForEach(it, arr)
	{
		struct cfg_target *t = &c->targets[c->ntargets];

		cfg_path_index(path, "targets", c->ntargets++);
		if (parse_target(p, it, path, c, t) < 0)
			return -1;
		if (config_target(c, t->name) != t)
			return cfg_fail(p, path, "the name \"%s\" is used twice", t->name);
	}
	return 0;
}

int
cfg_parse_allow(struct pctx *p, const cJSON *root, struct config *c)
{
	return host_list(p, root, "allow", "", CFG_MAX_ALLOW, &c->allow, &c->nallow) < 0 ? -1 : 0;
}

static int
parse_users(struct pctx *p, const cJSON *web, struct config *c)
{
	const cJSON *users, *it;
	char path[JPATH_MAX];
	int rc, n;

	if ((users = cfg_get_object(p, web, "basic_auth_users", "web", &rc)) == NULL)
		return rc;
	if ((n = cJSON_GetArraySize(users)) > CFG_MAX_USERS)
		return cfg_fail(p, "web.basic_auth_users", "more than %d users", CFG_MAX_USERS);
	if (n > 0 && (c->users = calloc((size_t)n, sizeof(*c->users))) == NULL)
		return cfg_fail(p, "web.basic_auth_users", "out of memory");
	cJSON_ArrayForEach(it, users)
	{
		const char *h = cJSON_GetStringValue(it);
		struct cfg_user *u = &c->users[c->nusers++];

		cfg_path_key(path, "web.basic_auth_users", it->string);
		if (it->string[0] == '\0' || strchr(it->string, ':') != NULL ||
		    strlen(it->string) >= sizeof(u->name))
			return cfg_fail(p, path, "a user name must be 1-127 bytes without ':'");
		if (h == NULL || strlen(h) >= sizeof(u->hash) ||
		    !(strncmp(h, "$2a$", 4) == 0 || strncmp(h, "$2b$", 4) == 0 ||
		      strncmp(h, "$2y$", 4) == 0))
			return cfg_fail(p, path, "expected a bcrypt hash ($2a$, $2b$ or $2y$)");
		snprintf(u->name, sizeof(u->name), "%s", it->string);
		snprintf(u->hash, sizeof(u->hash), "%s", h);
	}
	return 0;
}

static int
tls_file(struct pctx *p, const cJSON *web, const char *key, char *out, size_t len)
{
	char file[PATH_MAX], kp[JPATH_MAX];
	FILE *f;
	int rc = cfg_get_string(p, web, key, "web", file, sizeof(file));

	if (rc <= 0)
		return rc;
	cfg_path_key(kp, "web", key);
	cfg_abs_path(p, file, out, len);
	if ((f = fopen(out, "r")) == NULL)
		return cfg_fail(p, kp, "cannot read %s", out);
	fclose(f);
	return 0;
}

int
cfg_parse_web(struct pctx *p, const cJSON *root, struct config *c)
{
	const cJSON *web;
	int rc;

	if ((web = cfg_get_object(p, root, "web", "", &rc)) == NULL)
		return rc;
	cfg_check_keys(p, web, "web", web_keys);
	if (parse_users(p, web, c) < 0 ||
	    tls_file(p, web, "tls_cert_file", c->tls_cert_file, sizeof(c->tls_cert_file)) < 0 ||
	    tls_file(p, web, "tls_key_file", c->tls_key_file, sizeof(c->tls_key_file)) < 0 ||
	    cfg_get_int(p, web, "max_concurrent_probes", "web", 1, CFG_MAX_PROBES_LIMIT,
			&c->max_concurrent_probes) < 0 ||
	    cfg_get_int(p, web, "max_concurrent_probes_per_target", "web", 1, CFG_MAX_PROBES_LIMIT,
			&c->max_probes_per_target) < 0 ||
	    cfg_get_int(p, web, "max_connections", "web", 16, CFG_MAX_CONNECTIONS_LIMIT,
			&c->max_connections) < 0 ||
	    cfg_get_int(p, web, "max_connections_per_client", "web", 1, CFG_MAX_CONNECTIONS_LIMIT,
			&c->max_connections_per_client) < 0)
		return -1;
	if ((c->tls_cert_file[0] == '\0') != (c->tls_key_file[0] == '\0'))
		return cfg_fail(p, "web", "tls_cert_file and tls_key_file go together");
	/* one client never takes the room other clients' health checks and
	 * scrapes need */
	if (cJSON_GetObjectItemCaseSensitive(web, "max_connections_per_client") == NULL &&
	    c->max_connections_per_client > c->max_connections / 2)
		c->max_connections_per_client = c->max_connections / 2;
	if (c->max_connections_per_client > c->max_connections / 2)
		return cfg_fail(p, "web.max_connections_per_client",
				"%d is more than half of max_connections (%d)",
				c->max_connections_per_client, c->max_connections);
	return 0;
}
