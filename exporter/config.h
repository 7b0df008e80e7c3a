/*
 * The exporter's configuration (mailprobe_exporter(1)): JSON read
 * with cJSON into plain structs. Loading validates everything (errors name
 * the JSON path), reads the password files and builds one TLS context per
 * module; a loaded config is immutable and shared by reference count.
 */
#ifndef MAILPROBE_EXPORTER_CONFIG_H
#define MAILPROBE_EXPORTER_CONFIG_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "probe/run/account.h"

#define CFG_NAME_MAX 128
#define CFG_LABEL_NAME_MAX 64
#define CFG_LABEL_VALUE_MAX 256
#define CFG_MAX_LABELS 16
#define CFG_MAX_TARGETS 10000
#define CFG_MAX_MODULES 256
#define CFG_MAX_ALLOW 1024
#define CFG_MAX_USERS 64
#define CFG_MAX_LISTEN 8
#define CFG_LISTEN_MAX 256
#define CFG_MAX_WARNINGS 32
#define CFG_MSG_MAX 512
#define CFG_MAX_PROBES_LIMIT 4096
#define CFG_MAX_CONNECTIONS_LIMIT 65536

#define CFG_DEFAULT_LISTEN ":9925"
#define CFG_DEFAULT_INTERVAL 60.0
#define CFG_DEFAULT_TIMEOUT 10.0
#define CFG_DEFAULT_MAX_PROBES 32
#define CFG_DEFAULT_MAX_PER_TARGET 8
#define CFG_DEFAULT_LOGIN_INTERVAL 60.0
#define CFG_DEFAULT_MAX_CONNECTIONS 1024
#define CFG_DEFAULT_MAX_PER_CLIENT 128

struct mp_tls_ctx;
struct token_source;

struct cfg_cred {
	bool present;
	char user[MP_HOST_MAX];
	struct mp_secret *password; /* owned; NULL when token is set */
	bool oauth2;                /* an OAuth2 access token logs in (token is set) */
	/* oauth2_token_file or the refresh grant (exporter/token_source.h): a
	 * reference, shared with the next config when a reload keeps it. */
	struct token_source *token;
};

struct cfg_module {
	char name[CFG_NAME_MAX];
	int nendpoints;
	struct mp_endpoint_spec endpoints[MP_MAX_ENDPOINTS];
	double timeout; /* seconds */
	char ca_file[PATH_MAX];
	struct mp_tls_ctx *tls; /* owned */
	struct cfg_cred cred;
	int ncred_hosts;                 /* the hosts cred belongs to: names, "*.domain", IPs */
	double min_login_interval;       /* seconds between logins of /probe per host */
	char (*cred_hosts)[MP_HOST_MAX]; /* owned */
	int cert_warn_days;
	int cert_crit_days;
	int ncontrols; /* control hosts (--control); never get a credential */
	char controls[MP_MAX_CONTROLS][MP_HOST_MAX];
};

struct cfg_label {
	char name[CFG_LABEL_NAME_MAX];
	char value[CFG_LABEL_VALUE_MAX];
};

struct cfg_target {
	char name[CFG_NAME_MAX];
	char host[MP_HOST_MAX]; /* lower case; an IP literal in canonical form */
	int module;             /* index into modules */
	double interval;        /* seconds */
	int nlabels;
	struct cfg_label labels[CFG_MAX_LABELS];
	int npins;
	struct mp_pin *pins; /* owned */
	struct cfg_cred cred;
};

struct cfg_user {
	char name[CFG_NAME_MAX];
	char hash[128]; /* bcrypt: $2a$, $2b$ or $2y$ */
};

struct config {
	atomic_int refs;
	char path[PATH_MAX]; /* "" = built-in defaults */
	int nlisten;
	char listen[CFG_MAX_LISTEN][CFG_LISTEN_MAX];
	int nmodules;
	struct cfg_module *modules; /* [0] is "default" */
	int ntargets;
	struct cfg_target *targets;
	int nallow;
	char (*allow)[MP_HOST_MAX]; /* names, "*.suffix" or canonical IP literals */
	int nusers;
	struct cfg_user *users;
	char tls_cert_file[PATH_MAX];
	char tls_key_file[PATH_MAX];
	int max_concurrent_probes;
	int max_probes_per_target;      /* /probe in flight for one host */
	int max_connections;            /* open HTTP connections in all */
	int max_connections_per_client; /* per IPv4 address or IPv6 /64 */
};

/* What loading found: the first error (then no config) and warnings. */
struct cfg_report {
	char error[CFG_MSG_MAX]; /* "" when none */
	int nwarnings;
	char warnings[CFG_MAX_WARNINGS][CFG_MSG_MAX];
};

/* Loads path (NULL: built-in defaults, no targets). Returns the config with
 * one reference, or NULL with rep->error set ("FILE: PATH: reason"). */
struct config *config_load(const char *path, struct cfg_report *rep);
/* The same from a NUL-terminated text (tests, fuzzing): file names it in
 * messages, dir is where relative password files are. */
struct config *config_load_text(const char *text, const char *file, const char *dir,
				struct cfg_report *rep);
/* Takes and drops a reference; the last config_put frees it. */
struct config *config_ref(struct config *c);
void config_put(struct config *c);

/* A reload: each module of c whose OAuth2 grant settings (and ca_file) are
 * those of old's module of the same name takes over old's token source with
 * its token; a changed one keeps counting old's grants. Before c is used. */
void config_keep_tokens(struct config *c, const struct config *old);

/* Lookups; NULL when not there. Host compares ignore case and a final dot. */
const struct cfg_module *config_module(const struct config *c, const char *name);
const struct cfg_target *config_target(const struct config *c, const char *name);
const struct cfg_target *config_target_by_host(const struct config *c, const char *host);
/* Whether module m may be used for host: it has no credentials, or its
 * credential_hosts name host (host normalised as the allow-list does). */
bool config_module_serves(const struct cfg_module *m, const char *host);

#endif
