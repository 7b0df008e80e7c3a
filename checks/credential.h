/*
 * Credentials on the wire: the forms a client sends them in (as is, IMAP
 * quoted, base64, SASL PLAIN), composed in memory that is wiped before it
 * is freed, and sent with what the transcript shows instead.
 */
#ifndef MAILPROBE_CREDENTIAL_H
#define MAILPROBE_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/conn.h"
#include "checks/secret.h"

enum mp_cred_form {
	CRED_PASSWORD,        /* as is (POP3 PASS) */
	CRED_PASSWORD_QUOTED, /* an IMAP quoted string (RFC 3501 4.3) */
	CRED_PASSWORD_B64,    /* base64 (AUTH LOGIN) */
	CRED_USER_B64,        /* the user name in base64 (AUTH LOGIN) */
	CRED_SASL_PLAIN,      /* base64 of "\0user\0password" (RFC 4616) */
	/* The password is an OAuth2 access token (a bearer token, RFC 6750): */
	CRED_XOAUTH2,    /* base64 of "user=U^Aauth=Bearer T^A^A" (Google, Microsoft) */
	CRED_OAUTHBEARER /* base64 of "n,a=U,^Aauth=Bearer T^A^A" (RFC 7628) */
};

/* Base64 (RFC 4648) of n bytes in a new NUL-terminated buffer the caller
 * frees with mp_free_wiped(); NULL when out of memory. */
char *mp_base64(const void *p, size_t n);
/* The SASL PLAIN response ("\0user\0pass", base64), as mp_base64. */
char *mp_sasl_plain(const char *user, const struct mp_secret *pw);
/* The SASL XOAUTH2 or OAUTHBEARER initial response for user and the
 * access token, as mp_base64; NULL also when the token holds bytes a
 * bearer token cannot (anything but printable ASCII). */
char *mp_sasl_oauth(const char *user, const struct mp_secret *token, enum mp_cred_form form);
/* s (n bytes) as an IMAP quoted string in a new buffer, as mp_base64; NULL
 * also when s holds CR, LF or NUL, which a quoted string cannot carry. */
char *mp_imap_quoted(const char *s, size_t n);
/* Wipes a NUL-terminated string and frees it; NULL is fine. */
void mp_free_wiped(char *p);

/* Sends prefix + the credential in form + CRLF; the transcript records
 * shown instead (NULL: the line as sent, only for CRED_USER_B64). The line
 * is wiped after sending. IO_ERROR with c->err set when out of memory or
 * the credential cannot take the form. */
enum mp_io mp_send_credential(struct mp_conn *c, const char *user, const struct mp_secret *pw,
			      const char *prefix, enum mp_cred_form form, const char *shown);

#endif
