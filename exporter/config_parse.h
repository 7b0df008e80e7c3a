/*
 * Internal to config*.c: the parse context and typed getters over cJSON
 * that name the JSON path in every message ("targets[0].interval: ...").
 */
#ifndef MAILPROBE_EXPORTER_CONFIG_PARSE_H
#define MAILPROBE_EXPORTER_CONFIG_PARSE_H

#include <cjson/cJSON.h>

#include "exporter/config.h"

#define JPATH_MAX 256

struct pctx {
	const char *file;   /* shown in messages */
	char dir[PATH_MAX]; /* the config file's folder */
	struct cfg_report *rep;
};

int cfg_fail(struct pctx *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cfg_warn(struct pctx *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* path + "." + key, or path + "[i]". */
/* s holds a control character (below 0x20, or 0x7f). */
bool cfg_has_control(const char *s);
void cfg_path_key(char *out, const char *path, const char *key);
void cfg_path_index(char *out, const char *path, int i);
/* Warns about every key of obj not in known (NULL-terminated). */
void cfg_check_keys(struct pctx *p, const cJSON *obj, const char *path, const char *const *known);

/* Each: 0 when absent (out untouched), 1 when read, -1 on error (reported).
 * Strings with control bytes or longer than len-1 are errors. */
int cfg_get_string(struct pctx *p, const cJSON *obj, const char *key, const char *path, char *out,
		   size_t len);
int cfg_get_duration(struct pctx *p, const cJSON *obj, const char *key, const char *path,
		     double *out);
int cfg_get_int(struct pctx *p, const cJSON *obj, const char *key, const char *path, int min,
		int max, int *out);
/* An object/array member of the right type, or NULL (absent or reported). */
const cJSON *cfg_get_object(struct pctx *p, const cJSON *obj, const char *key, const char *path,
			    int *err);
const cJSON *cfg_get_array(struct pctx *p, const cJSON *obj, const char *key, const char *path,
			   int *err);
/* A relative path made absolute against the config's folder. */
void cfg_abs_path(const struct pctx *p, const char *in, char *out, size_t len);

/* The parts (config_parts.c). */
int cfg_parse_modules(struct pctx *p, const cJSON *root, struct config *c);
int cfg_parse_targets(struct pctx *p, const cJSON *root, struct config *c);
int cfg_parse_allow(struct pctx *p, const cJSON *root, struct config *c);
int cfg_parse_web(struct pctx *p, const cJSON *root, struct config *c);
/* "credentials" at path; module: the module's name, NULL for a target. */
int cfg_parse_cred(struct pctx *p, const cJSON *obj, const char *path, const char *module,
		   struct cfg_cred *out);
/* A secret file's full path: absolute, else under $CREDENTIALS_DIRECTORY
 * when set, else the config's folder. */
void cfg_secret_path(const struct pctx *p, const char *in, char *out, size_t len);

/* config_oauth2.c: the OAuth2 credentials (cp: the credentials' path). */
/* The secret in the file that obj's key names (relative as above; full
 * gets its path); 0, or -1 after cfg_fail naming the field. */
int cfg_read_secret(struct pctx *p, const cJSON *obj, const char *cp, const char *key,
		    struct mp_secret **out, char *full, size_t fulllen);
int cfg_parse_token_file(struct pctx *p, const cJSON *obj, const char *cp, struct cfg_cred *out);
int cfg_parse_grant(struct pctx *p, const cJSON *obj, const char *cp, const char *module,
		    struct cfg_cred *out);
int cfg_check_grant_keys(struct pctx *p, const cJSON *obj, const char *cp);

#endif
