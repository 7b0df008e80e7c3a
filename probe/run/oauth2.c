/*
 * The refresh_token grant: the form (every part URL-encoded, in wiped
 * memory), one POST with mp_https_post_form (verified TLS, no redirect),
 * the JSON answer's access_token taken into a secret and wiped in the
 * parse tree before it is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "checks/https.h"
#include "probe/run/oauth2.h"

#define TOKEN_RESPONSE_MAX (64 * 1024)

/* Appends "&name=" (no "&" first) and value URL-encoded (RFC 3986
 * unreserved kept) to out at *o; false when it does not fit. */
static bool
put_param(char *out, size_t cap, size_t *o, const char *name, const char *v, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	int w = snprintf(out + *o, cap - *o, "%s%s=", *o > 0 ? "&" : "", name);

	if (w < 0 || (size_t)w >= cap - *o)
		return false;
	*o += (size_t)w;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (*o + 4 >= cap)
			return false;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch) != NULL) {
			out[(*o)++] = (char)ch;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[ch >> 4];
			out[(*o)++] = hex[ch & 15];
		}
	}
	out[*o] = '\0';
	return true;
}

/* The grant's form as a secret; NULL when out of memory. */
static struct mp_secret *
grant_form(const struct mp_account *a)
{
	size_t cap = 3 * (a->oauth2_refresh->len + strlen(a->oauth2_client_id) +
			  (a->oauth2_client_secret ? a->oauth2_client_secret->len : 0)) +
		     128,
	       o = 0;
	char *buf = malloc(cap);
	struct mp_secret *form = NULL;
	bool ok;

	if (buf == NULL)
		return NULL;
	ok = put_param(buf, cap, &o, "grant_type", "refresh_token", 13) &&
	     put_param(buf, cap, &o, "refresh_token", a->oauth2_refresh->buf,
		       a->oauth2_refresh->len) &&
	     put_param(buf, cap, &o, "client_id", a->oauth2_client_id,
		       strlen(a->oauth2_client_id)) &&
	     (a->oauth2_client_secret == NULL ||
	      put_param(buf, cap, &o, "client_secret", a->oauth2_client_secret->buf,
			a->oauth2_client_secret->len));
	if (ok)
		form = mp_secret_from_mem(buf, o);
	mp_wipe(buf, cap);
	free(buf);
	return form;
}

/* A short JSON string member for an error line, cleaned to a plain word. */
static void
json_word(const cJSON *o, const char *key, char *out, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t k = 0;

	out[0] = '\0';
	if (!cJSON_IsString(v))
		return;
	for (const char *p = v->valuestring; *p != '\0' && k + 1 < cap; p++)
		out[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	out[k] = '\0';
}

/* Takes access_token out of the answer; wipes every string of the tree. */
static int
take_token(struct mp_account *a, const struct mp_http_response *r, char *err, size_t errlen)
{
	cJSON *o = cJSON_ParseWithLength(r->body, r->len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "access_token");
	char what[96] = "", why[160] = "";
	int rc = -1;

	if (o != NULL && r->status == 200 && cJSON_IsString(t) && t->valuestring[0] != '\0') {
		a->password = mp_secret_from_mem(t->valuestring, strlen(t->valuestring));
		a->oauth2 = true;
		rc = a->password != NULL ? 0 : -1;
		snprintf(err, errlen, "out of memory");
	} else {
		json_word(o, "error", what, sizeof(what));
		json_word(o, "error_description", why, sizeof(why));
		snprintf(err, errlen,
			 "--oauth2-token-url: the token endpoint answered HTTP %d%s%s%s%s "
			 "(no access token)",
			 r->status, what[0] ? ": " : "", what, why[0] ? ", " : "", why);
	}
	if (cJSON_IsString(t))
		mp_wipe(t->valuestring, strlen(t->valuestring));
	cJSON_Delete(o);
	return rc;
}

int
mp_oauth2_refresh(struct mp_account *a, struct mp_tls_ctx *tls, char *err, size_t errlen)
{
	struct mp_http_response r;
	struct mp_deadline dl = {0};
	struct mp_secret *form;
	enum mp_class cls;
	int rc;

	if (a->oauth2_refresh == NULL)
		return 0;
	if ((form = grant_form(a)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mp_deadline_in(&dl, a->timeout);
	cls = mp_https_post_form(a->oauth2_token_url, tls, &dl, TOKEN_RESPONSE_MAX, form, &r);
	mp_secret_free(form);
	if (cls != CLASS_NONE) {
		snprintf(err, errlen, "--oauth2-token-url: %s (%s)", r.message, mp_class_str(cls));
		rc = -1;
	} else {
		rc = take_token(a, &r, err, errlen);
	}
	mp_http_response_free(&r);
	return rc;
}
