/*
 * Credentials on the wire: encodes them (base64 with OpenSSL's
 * EVP_EncodeBlock), composes the command line and wipes every copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "checks/credential.h"

char *
mp_base64(const void *p, size_t n)
{
	char *out;

	if (n > MP_SECRET_MAX * 2 || (out = malloc(4 * ((n + 2) / 3) + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

char *
mp_sasl_plain(const char *user, const struct mp_secret *pw)
{
	size_t ul = strlen(user), n = ul + pw->len + 2;
	char *raw = malloc(n), *out;

	if (raw == NULL)
		return NULL;
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = '\0';
	memcpy(raw + ul + 2, pw->buf, pw->len);
	out = mp_base64(raw, n);
	mp_wipe(raw, n);
	free(raw);
	return out;
}

static bool
bearer_token_ok(const struct mp_secret *t)
{
	for (size_t i = 0; i < t->len; i++)
		if ((unsigned char)t->buf[i] <= 0x20 || (unsigned char)t->buf[i] >= 0x7f)
			return false;
	return t->len > 0;
}

/* The user as an RFC 5801 saslname: "," and "=" escaped as =2C and =3D. */
static size_t
put_saslname(char *out, const char *user)
{
	size_t o = 0;

	for (; *user != '\0'; user++) {
		if (*user == ',' || *user == '=') {
			memcpy(out + o, *user == ',' ? "=2C" : "=3D", 3);
			o += 3;
		} else {
			out[o++] = *user;
		}
	}
	return o;
}

char *
mp_sasl_oauth(const char *user, const struct mp_secret *token, enum mp_cred_form form)
{
	size_t cap = 3 * strlen(user) + token->len + 32, o;
	char *raw, *out;

	if (!bearer_token_ok(token) || (raw = malloc(cap)) == NULL)
		return NULL;
	if (form == CRED_XOAUTH2) {
		o = (size_t)snprintf(raw, cap, "user=%s\001auth=Bearer ", user);
	} else {
		memcpy(raw, "n,a=", 4);
		o = 4 + put_saslname(raw + 4, user);
		o += (size_t)snprintf(raw + o, cap - o, ",\001auth=Bearer ");
	}
	memcpy(raw + o, token->buf, token->len);
	o += token->len;
	memcpy(raw + o, "\001\001", 2);
	out = mp_base64(raw, o + 2);
	mp_wipe(raw, cap);
	free(raw);
	return out;
}

char *
mp_imap_quoted(const char *s, size_t n)
{
	char *out = malloc(2 * n + 3);
	size_t o = 0;

	if (out == NULL)
		return NULL;
	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
			mp_wipe(out, o);
			free(out);
			return NULL;
		}
		if (s[i] == '"' || s[i] == '\\')
			out[o++] = '\\';
		out[o++] = s[i];
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

void
mp_free_wiped(char *p)
{
	if (p != NULL)
		mp_wipe(p, strlen(p));
	free(p);
}

/* The credential in form, as a new string (mp_free_wiped). */
static char *
encode(const char *user, const struct mp_secret *pw, enum mp_cred_form form)
{
	switch (form) {
	case CRED_PASSWORD:
		return strdup(pw->buf);
	case CRED_PASSWORD_QUOTED:
		return mp_imap_quoted(pw->buf, pw->len);
	case CRED_PASSWORD_B64:
		return mp_base64(pw->buf, pw->len);
	case CRED_USER_B64:
		return mp_base64(user, strlen(user));
	case CRED_SASL_PLAIN:
		return mp_sasl_plain(user, pw);
	case CRED_XOAUTH2:
	case CRED_OAUTHBEARER:
		return mp_sasl_oauth(user, pw, form);
	}
	return NULL;
}

static bool
is_oauth(enum mp_cred_form form)
{
	return form == CRED_XOAUTH2 || form == CRED_OAUTHBEARER;
}

/* From the first password (or token) sent, the connection withholds server
 * text that holds it in any form a client sends it (the server knows it now
 * and may echo it encoded otherwise than it came). */
static void
forbid_forms(struct mp_conn *c, const char *user, const struct mp_secret *pw, bool oauth)
{
	static const enum mp_cred_form pw_forms[] = {CRED_PASSWORD, CRED_PASSWORD_QUOTED,
						     CRED_PASSWORD_B64, CRED_SASL_PLAIN};
	static const enum mp_cred_form token_forms[] = {CRED_PASSWORD, CRED_PASSWORD_B64,
							CRED_XOAUTH2, CRED_OAUTHBEARER};
	const enum mp_cred_form *forms = oauth ? token_forms : pw_forms;

	if (c->nsecret_forms > 0)
		return;
	for (size_t i = 0; i < 4; i++) {
		char *f = encode(user, pw, forms[i]);

		if (f != NULL && forms[i] == CRED_PASSWORD_QUOTED) /* without the quotes */
			mp_conn_forbid(c, f + 1, strlen(f) - 2);
		else if (f != NULL)
			mp_conn_forbid(c, f, strlen(f));
		mp_free_wiped(f);
	}
}

enum mp_io
mp_send_credential(struct mp_conn *c, const char *user, const struct mp_secret *pw,
		   const char *prefix, enum mp_cred_form form, const char *shown)
{
	char *cred = encode(user, pw, form), *line = NULL;
	size_t n = 0;
	enum mp_io io = IO_ERROR;

	if (cred != NULL) {
		n = strlen(prefix) + strlen(cred) + 1;
		line = malloc(n);
	}
	if (line == NULL) {
		snprintf(c->err, sizeof(c->err), "%s",
			 cred == NULL && form == CRED_PASSWORD_QUOTED
			     ? "the password holds characters a quoted string cannot carry"
			 : cred == NULL && is_oauth(form)
			     ? "the token holds characters a bearer token cannot carry"
			     : "out of memory");
	} else {
		snprintf(line, n, "%s%s", prefix, cred);
		if (form != CRED_USER_B64)
			forbid_forms(c, user, pw, is_oauth(form));
		io = mp_conn_writeline(c, line, shown);
		mp_wipe(line, n);
	}
	free(line);
	mp_free_wiped(cred);
	return io;
}
