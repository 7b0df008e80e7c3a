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
grant_form(const struct mp_oauth2_grant *g)
{
	const char *scope = g->scope != NULL ? g->scope : "";
	size_t cap = 3 * (g->refresh->len + strlen(g->client_id) + strlen(scope) +
			  (g->client_secret ? g->client_secret->len : 0)) +
		     128,
	       o = 0;
	char *buf = malloc(cap);
	struct mp_secret *form = NULL;
	bool ok;

	if (buf == NULL)
		return NULL;
	ok =
	    put_param(buf, cap, &o, "grant_type", "refresh_token", 13) &&
	    put_param(buf, cap, &o, "refresh_token", g->refresh->buf, g->refresh->len) &&
	    put_param(buf, cap, &o, "client_id", g->client_id, strlen(g->client_id)) &&
	    (g->client_secret == NULL || put_param(buf, cap, &o, "client_secret",
						   g->client_secret->buf, g->client_secret->len)) &&
	    (scope[0] == '\0' || put_param(buf, cap, &o, "scope", scope, strlen(scope)));
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

/* Whether the endpoint's words hold a secret of the grant (a hostile or
 * careless endpoint echoing the refresh token): then they are left out. */
static bool
echoes_secret(const struct mp_oauth2_grant *g, const char *words)
{
	const struct mp_secret *s[2] = {g->refresh, g->client_secret};

	for (int i = 0; i < 2; i++)
		if (s[i] != NULL && s[i]->len >= 4 && strstr(words, s[i]->buf) != NULL)
			return true;
	return false;
}

/* The refusal as one line: HTTP status, error, error_description. */
static void
refusal(const struct mp_oauth2_grant *g, const cJSON *o, int status, char *err, size_t errlen)
{
	char what[96] = "", why[160] = "";

	json_word(o, "error", what, sizeof(what));
	json_word(o, "error_description", why, sizeof(why));
	if (echoes_secret(g, what))
		what[0] = '\0';
	if (echoes_secret(g, why))
		why[0] = '\0';
	snprintf(err, errlen, "the token endpoint answered HTTP %d%s%s%s%s (no access token)",
		 status, what[0] ? ": " : "", what, why[0] ? ", " : "", why);
}

/* Takes access_token and expires_in out of the answer; wipes the token in
 * the parse tree. */
static enum mp_oauth2_outcome
take_token(const struct mp_oauth2_grant *g, const struct mp_http_response *r,
	   struct mp_oauth2_token *out, char *err, size_t errlen)
{
	cJSON *o = cJSON_ParseWithLength(r->body, r->len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "access_token");
	const cJSON *ei = cJSON_GetObjectItemCaseSensitive(o, "expires_in");
	enum mp_oauth2_outcome rc = OAUTH2_REFUSED;

	if (o != NULL && r->status == 200 && cJSON_IsString(t) && t->valuestring[0] != '\0') {
		out->access = mp_secret_from_mem(t->valuestring, strlen(t->valuestring));
		/* RFC 6749 says a number; some endpoints send a string */
		out->expires_in = cJSON_IsNumber(ei)   ? ei->valuedouble
				  : cJSON_IsString(ei) ? strtod(ei->valuestring, NULL)
						       : 0;
		if (!(out->expires_in > 0 && out->expires_in < 1e9))
			out->expires_in = 0;
		rc = out->access != NULL ? OAUTH2_GRANTED : OAUTH2_FAILED;
		snprintf(err, errlen, "out of memory");
	} else {
		refusal(g, o, r->status, err, errlen);
	}
	if (cJSON_IsString(t))
		mp_wipe(t->valuestring, strlen(t->valuestring));
	cJSON_Delete(o);
	return rc;
}

enum mp_oauth2_outcome
mp_oauth2_grant(const struct mp_oauth2_grant *g, struct mp_tls_ctx *tls,
		const struct mp_deadline *dl, struct mp_oauth2_token *out, char *err, size_t errlen)
{
	struct mp_http_response r;
	struct mp_secret *form;
	enum mp_oauth2_outcome rc;
	enum mp_class cls;

	memset(out, 0, sizeof(*out));
	if ((form = grant_form(g)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return OAUTH2_FAILED;
	}
	cls = mp_https_post_form(g->token_url, tls, dl, TOKEN_RESPONSE_MAX, form, &r);
	mp_secret_free(form);
	if (cls != CLASS_NONE) {
		snprintf(err, errlen, "%s (%s)", r.message, mp_class_str(cls));
		rc = OAUTH2_FAILED;
	} else {
		rc = take_token(g, &r, out, err, errlen);
	}
	mp_http_response_free(&r);
	return rc;
}

int
mp_oauth2_refresh(struct mp_account *a, struct mp_tls_ctx *tls, char *err, size_t errlen)
{
	struct mp_oauth2_grant g = {.token_url = a->oauth2_token_url,
				    .client_id = a->oauth2_client_id,
				    .refresh = a->oauth2_refresh,
				    .client_secret = a->oauth2_client_secret,
				    .scope = a->oauth2_scope};
	struct mp_oauth2_token tok;
	struct mp_deadline dl = {0};
	char why[MP_MESSAGE_MAX];

	if (a->oauth2_refresh == NULL)
		return 0;
	mp_deadline_in(&dl, a->timeout);
	if (mp_oauth2_grant(&g, tls, &dl, &tok, why, sizeof(why)) != OAUTH2_GRANTED) {
		snprintf(err, errlen, "--oauth2-token-url: %s", why);
		return -1;
	}
	a->password = tok.access;
	a->oauth2 = true;
	return 0;
}
