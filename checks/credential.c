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
	}
	return NULL;
}

/* From the first password sent, the connection withholds server text that
 * holds it in any form a client sends it (the server knows it now and may
 * echo it encoded otherwise than it came). */
static void
forbid_forms(struct mp_conn *c, const char *user, const struct mp_secret *pw)
{
	static const enum mp_cred_form forms[] = {CRED_PASSWORD, CRED_PASSWORD_QUOTED,
						  CRED_PASSWORD_B64, CRED_SASL_PLAIN};

	if (c->nsecret_forms > 0)
		return;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
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
			     : "out of memory");
	} else {
		snprintf(line, n, "%s%s", prefix, cred);
		if (form != CRED_USER_B64)
			forbid_forms(c, user, pw);
		io = mp_conn_writeline(c, line, shown);
		mp_wipe(line, n);
	}
	free(line);
	mp_free_wiped(cred);
	return io;
}
