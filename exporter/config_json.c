/*
 * Typed getters over cJSON for the config parser: every type or range
 * error becomes one line naming the file and the JSON path.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exporter/config_parse.h"
#include "exporter/duration.h"

int
cfg_fail(struct pctx *p, const char *path, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->rep->error[0] == '\0')
		snprintf(p->rep->error, sizeof(p->rep->error), "%s: %s%s%s", p->file, path,
			 path[0] != '\0' ? ": " : "", msg);
	return -1;
}

void
cfg_warn(struct pctx *p, const char *path, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (p->rep->nwarnings >= CFG_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->rep->warnings[p->rep->nwarnings++], CFG_MSG_MAX, "%s: %s%s%s", p->file, path,
		 path[0] != '\0' ? ": " : "", msg);
}

bool
cfg_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A key with control characters (a module named "a\nb") is shown quoted
 * and escaped: the error stays one line. */
void
cfg_path_key(char *out, const char *path, const char *key)
{
	char shown[128];

	if (cfg_has_control(key))
		mp_arg_quote(key, shown, sizeof(shown));
	else
		snprintf(shown, sizeof(shown), "%.100s", key);
	snprintf(out, JPATH_MAX, "%s%s%s", path, path[0] != '\0' ? "." : "", shown);
}

void
cfg_path_index(char *out, const char *path, int i)
{
	snprintf(out, JPATH_MAX, "%s[%d]", path, i);
}

void
cfg_check_keys(struct pctx *p, const cJSON *obj, const char *path, const char *const *known)
{
	const cJSON *it;
	char shown[96];

	cJSON_ArrayForEach(it, obj)
	{
		bool ok = false;

		for (int i = 0; known[i] != NULL && !ok; i++)
			ok = it->string != NULL && strcmp(it->string, known[i]) == 0;
		if (!ok) {
			mp_arg_quote(it->string, shown, sizeof(shown));
			cfg_warn(p, path, "unknown key %s ignored", shown);
		}
	}
}

int
cfg_get_string(struct pctx *p, const cJSON *obj, const char *key, const char *path, char *out,
	       size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char kp[JPATH_MAX];

	if (v == NULL)
		return 0;
	cfg_path_key(kp, path, key);
	if (!cJSON_IsString(v))
		return cfg_fail(p, kp, "expected a string");
	if (strlen(v->valuestring) >= len)
		return cfg_fail(p, kp, "longer than %zu bytes", len - 1);
	if (cfg_has_control(v->valuestring))
		return cfg_fail(p, kp, "control characters are not allowed");
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 1;
}

int
cfg_get_duration(struct pctx *p, const cJSON *obj, const char *key, const char *path, double *out)
{
	char s[80], kp[JPATH_MAX], shown[96];
	int rc = cfg_get_string(p, obj, key, path, s, sizeof(s));

	if (rc <= 0)
		return rc;
	cfg_path_key(kp, path, key);
	mp_arg_quote(s, shown, sizeof(shown));
	if (duration_parse(s, out) < 0)
		return cfg_fail(p, kp, "%s is not a duration (e.g. \"500ms\", \"10s\", \"1m\")",
				shown);
	if (*out <= 0)
		return cfg_fail(p, kp, "must be more than 0");
	return 1;
}

int
cfg_get_int(struct pctx *p, const cJSON *obj, const char *key, const char *path, int min, int max,
	    int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char kp[JPATH_MAX];
	double d;

	if (v == NULL)
		return 0;
	cfg_path_key(kp, path, key);
	d = cJSON_GetNumberValue(v);
	if (!cJSON_IsNumber(v) || d != floor(d))
		return cfg_fail(p, kp, "expected a whole number");
	if (d < min || d > max)
		return cfg_fail(p, kp, "%.0f is out of range %d-%d", d, min, max);
	*out = (int)d;
	return 1;
}

static const cJSON *
get_typed(struct pctx *p, const cJSON *obj, const char *key, const char *path, int *err, bool array)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char kp[JPATH_MAX];

	*err = 0;
	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (array ? cJSON_IsArray(v) : cJSON_IsObject(v))
		return v;
	cfg_path_key(kp, path, key);
	*err = cfg_fail(p, kp, "expected %s", array ? "a list" : "an object");
	return NULL;
}

const cJSON *
cfg_get_object(struct pctx *p, const cJSON *obj, const char *key, const char *path, int *err)
{
	return get_typed(p, obj, key, path, err, false);
}

const cJSON *
cfg_get_array(struct pctx *p, const cJSON *obj, const char *key, const char *path, int *err)
{
	return get_typed(p, obj, key, path, err, true);
}

void
cfg_abs_path(const struct pctx *p, const char *in, char *out, size_t len)
{
	int n;

	if (in[0] == '/' || p->dir[0] == '\0')
		n = snprintf(out, len, "%s", in);
	else
		n = snprintf(out, len, "%s/%s", p->dir, in);
	if (n >= (int)len)
		out[0] = '\0'; /* too long: opening "" fails with a clear reason */
}
