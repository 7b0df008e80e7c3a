/*
 * OAuth2 logins (SASL XOAUTH2 and OAUTHBEARER, RFC 7628) shared by the
 * protocols: which mechanism to use, and the failure dialog (the server's
 * base64 JSON challenge, the client's reply, the final failure).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "checks/session.h"

#define OAUTH_CHALLENGE_MAX 2048 /* decoded JSON we look at */

bool
mp_oauth_form(const struct mp_session *s, struct mp_step_result *st, enum mp_cred_form *form)
{
	if (s->caps & CAP_AUTH_OAUTHBEARER) {
		*form = CRED_OAUTHBEARER;
		snprintf(st->mechanism, sizeof(st->mechanism), "OAUTHBEARER");
		return true;
	}
	if (s->caps & CAP_AUTH_XOAUTH2) {
		*form = CRED_XOAUTH2;
		snprintf(st->mechanism, sizeof(st->mechanism), "XOAUTH2");
		return true;
	}
	mp_step_say(st, "the server offers neither OAUTHBEARER nor XOAUTH2 for the token");
	return false;
}

/* The string value of "key" in a flat JSON object (json, NUL-terminated)
 * into out; out stays "" when absent or not a plain string. */
static void
json_string(const char *json, const char *key, char *out, size_t cap)
{
	char quoted[64];
	const char *p;
	size_t o = 0;

	out[0] = '\0';
	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	if ((p = strstr(json, quoted)) == NULL)
		return;
	p += strlen(quoted);
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '"')
		return;
	for (; *p != '"' && *p != '\0' && o + 1 < cap; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return (void)(out[0] = '\0');
		out[o++] = *p;
	}
	out[*p == '"' ? o : 0] = '\0';
}

const char *
mp_oauth_challenge(struct mp_step_result *st, enum mp_cred_form form, const char *b64, size_t n)
{
	unsigned char json[OAUTH_CHALLENGE_MAX * 3 / 4 + 4];
	int len;

	while (n > 0 && isspace((unsigned char)*b64)) {
		b64++;
		n--;
	}
	if (n > 0 && n <= OAUTH_CHALLENGE_MAX &&
	    (len = EVP_DecodeBlock(json, (const unsigned char *)b64, (int)n)) > 0) {
		json[len] = '\0';
		json_string((const char *)json, "status", st->oauth_status,
			    sizeof(st->oauth_status));
	}
	return form == CRED_OAUTHBEARER ? "AQ==" : "";
}

enum mp_class
mp_oauth_refused(struct mp_step_result *st, enum mp_class cls, const char *words)
{
	if (st->oauth_status[0] != '\0')
		return mp_step_fail(st, cls, "the server refused the token (%s): %s",
				    st->oauth_status, words);
	return mp_step_fail(st, cls, "%s", words);
}
