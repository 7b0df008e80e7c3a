/*
 * Loading the exporter config: read the file, parse the JSON (a syntax
 * error names line and column), fill the structs part by part, and keep a
 * reference count so a reload can swap configs under running probes.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/tls.h"
#include "exporter/allow.h"
#include "exporter/config_parse.h"
#include "exporter/listen.h"
#include "exporter/token_source.h"

#define CONFIG_FILE_MAX (4 * 1024 * 1024)

static const char *const top_keys[] = {"listen", "modules", "targets", "allow", "web", NULL};

/* The whole file, NUL-terminated (free it), or NULL with a reason. */
static char *
read_text(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	buf = malloc(CONFIG_FILE_MAX + 1);
	n = buf != NULL ? fread(buf, 1, CONFIG_FILE_MAX + 1, f) : 0;
	if (buf == NULL || ferror(f) || n > CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s",
			 buf == NULL ? "out of memory"
			 : ferror(f) ? "read error"
				     : "larger than 4 MiB");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* "line 3, column 14" of the byte at pos. */
static void
position(const char *text, const char *pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = text; p < pos && *p != '\0'; p++) {
		if (*p == '\n')
			(*line)++, *col = 1;
		else
			(*col)++;
	}
}

static int
listen_entry(struct pctx *p, const char *path, const cJSON *v, struct config *c)
{
	char host[CFG_LISTEN_MAX], port[8];

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= CFG_LISTEN_MAX ||
	    listen_split(v->valuestring, host, sizeof(host), port, sizeof(port)) < 0)
		return cfg_fail(p, path,
				"expected HOST:PORT, :PORT or [IPv6]:PORT (e.g. \":9925\")");
	snprintf(c->listen[c->nlisten++], CFG_LISTEN_MAX, "%s", v->valuestring);
	return 0;
}

/* "listen": one address or a list of them, replacing the default. */
static int
parse_listen(struct pctx *p, const cJSON *root, struct config *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "listen"), *it;
	char path[JPATH_MAX];
	int i = 0;

	if (v == NULL)
		return 0;
	c->nlisten = 0;
	if (!cJSON_IsArray(v))
		return listen_entry(p, "listen", v, c);
	if (cJSON_GetArraySize(v) == 0)
		return cfg_fail(p, "listen", "expected an address or a non-empty list of them");
	cJSON_ArrayForEach(it, v)
	{
		cfg_path_index(path, "listen", i++);
		if (c->nlisten == CFG_MAX_LISTEN)
			return cfg_fail(p, path, "more than %d addresses", CFG_MAX_LISTEN);
		if (listen_entry(p, path, it, c) < 0)
			return -1;
	}
	return 0;
}

static int
parse_root(struct pctx *p, const cJSON *root, struct config *c)
{
	if (!cJSON_IsObject(root))
		return cfg_fail(p, "", "the top level must be a JSON object");
	cfg_check_keys(p, root, "", top_keys);
	if (parse_listen(p, root, c) < 0 || cfg_parse_modules(p, root, c) < 0 ||
	    cfg_parse_targets(p, root, c) < 0 || cfg_parse_allow(p, root, c) < 0 ||
	    cfg_parse_web(p, root, c) < 0)
		return -1;
	return 0;
}

/* Built-in values before the file is read: listen :9925, module default. */
static struct config *
config_new(void)
{
	struct config *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	atomic_init(&c->refs, 1);
	c->nlisten = 1;
	snprintf(c->listen[0], CFG_LISTEN_MAX, "%s", CFG_DEFAULT_LISTEN);
	c->max_concurrent_probes = CFG_DEFAULT_MAX_PROBES;
	c->max_probes_per_target = CFG_DEFAULT_MAX_PER_TARGET;
	c->max_connections = CFG_DEFAULT_MAX_CONNECTIONS;
	c->max_connections_per_client = CFG_DEFAULT_MAX_PER_CLIENT;
	return c;
}

static int
parse_text(struct pctx *p, const char *text, struct config *c)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, true);
	int line, col, rc;

	if (root == NULL) {
		position(text, end != NULL ? end : cJSON_GetErrorPtr(), &line, &col);
		snprintf(p->rep->error, sizeof(p->rep->error),
			 "%s: invalid JSON at line %d, column %d", p->file, line, col);
		return -1;
	}
	rc = parse_root(p, root, c);
	cJSON_Delete(root);
	return rc;
}

static int
load_file(struct pctx *p, const char *path, struct config *c)
{
	char err[256], tmp[PATH_MAX];
	char *text = read_text(path, err, sizeof(err));
	int rc;

	if (text == NULL) {
		snprintf(p->rep->error, sizeof(p->rep->error), "%s: cannot read: %s", path, err);
		return -1;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(p->dir, sizeof(p->dir), "%s", dirname(tmp));
	rc = parse_text(p, text, c);
	free(text);
	return rc;
}

struct config *
config_load_text(const char *text, const char *file, const char *dir, struct cfg_report *rep)
{
	struct pctx p = {.file = file, .rep = rep};
	struct config *c = config_new();

	memset(rep, 0, sizeof(*rep));
	if (c == NULL) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		return NULL;
	}
	snprintf(p.dir, sizeof(p.dir), "%s", dir);
	if (parse_text(&p, text, c) < 0) {
		config_put(c);
		return NULL;
	}
	return c;
}

struct config *
config_load(const char *path, struct cfg_report *rep)
{
	struct pctx p = {.file = path != NULL ? path : "(built-in)", .rep = rep};
	struct config *c = config_new();

	memset(rep, 0, sizeof(*rep));
	if (c == NULL) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		return NULL;
	}
	if (path != NULL ? load_file(&p, path, c) < 0 : cfg_parse_modules(&p, NULL, c) < 0) {
		config_put(c);
		return NULL;
	}
	return c;
}

struct config *
config_ref(struct config *c)
{
	atomic_fetch_add(&c->refs, 1);
	return c;
}

static void
cred_cleanup(struct cfg_cred *cr)
{
	mp_secret_free(cr->password);
	cr->password = NULL;
	token_source_put(cr->token);
	cr->token = NULL;
}

void
config_put(struct config *c)
{
	if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	for (int i = 0; i < c->nmodules; i++) {
		mp_tls_ctx_free(c->modules[i].tls);
		cred_cleanup(&c->modules[i].cred);
		free(c->modules[i].cred_hosts);
	}
	for (int i = 0; i < c->ntargets; i++) {
		free(c->targets[i].pins);
		cred_cleanup(&c->targets[i].cred);
	}
	free(c->modules);
	free(c->targets);
	free(c->allow);
	free(c->users);
	free(c);
}

void
config_keep_tokens(struct config *c, const struct config *old)
{
	for (int i = 0; i < c->nmodules; i++) {
		struct cfg_module *m = &c->modules[i];
		const struct cfg_module *om = config_module(old, m->name);

		if (!token_source_is_grant(m->cred.token) || om == NULL ||
		    !token_source_is_grant(om->cred.token))
			continue;
		if (!token_source_same(m->cred.token, om->cred.token) ||
		    strcmp(m->ca_file, om->ca_file) != 0) {
			token_source_carry(m->cred.token, om->cred.token);
			continue;
		}
		token_source_put(m->cred.token);
		m->cred.token = token_source_ref(om->cred.token);
	}
}

const struct cfg_module *
config_module(const struct config *c, const char *name)
{
	for (int i = 0; i < c->nmodules; i++)
		if (strcmp(c->modules[i].name, name) == 0)
			return &c->modules[i];
	return NULL;
}

const struct cfg_target *
config_target(const struct config *c, const char *name)
{
	for (int i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

bool
config_module_serves(const struct cfg_module *m, const char *host)
{
	if (!m->cred.present)
		return true;
	for (int i = 0; i < m->ncred_hosts; i++)
		if (allow_pattern_match(m->cred_hosts[i], host))
			return true;
	return false;
}

const struct cfg_target *
config_target_by_host(const struct config *c, const char *host)
{
	for (int i = 0; i < c->ntargets; i++)
		if (allow_host_eq(c->targets[i].host, host))
			return &c->targets[i];
	return NULL;
}
