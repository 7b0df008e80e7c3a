/*
 * Pure parsers for server replies: SMTP reply lines and EHLO keywords, IMAP
 * response lines and CAPABILITY lists, POP3 status and CAPA lines. No I/O,
 * no allocation: unit tests and fuzz targets call them directly.
 */
#ifndef MAILPROBE_PARSE_H
#define MAILPROBE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* SMTP (RFC 5321 4.2): "250-text" continues, "250 text" or "250" ends.
 * Returns 0 with *code and *last set, or -1 when the line is no reply. */
int mp_smtp_parse_line(const char *line, size_t n, int *code, bool *last);
/* CAP_* flags of one EHLO keyword line ("AUTH PLAIN LOGIN", "STARTTLS"). */
unsigned mp_smtp_ehlo_caps(const char *line, size_t n);

enum mp_imap_kind { IMAP_UNTAGGED, IMAP_TAGGED, IMAP_CONTINUATION, IMAP_INVALID };
enum mp_imap_status { IMAP_OK, IMAP_NO, IMAP_BAD, IMAP_BYE, IMAP_PREAUTH, IMAP_OTHER };

struct mp_imap_line {
	enum mp_imap_kind kind;
	char tag[32];               /* tagged only */
	enum mp_imap_status status; /* OK/NO/BAD/BYE/PREAUTH, else OTHER */
	size_t text_off;            /* offset of the text after the status */
	long long literal;          /* trailing {n} or {n+}: n; else -1 */
	bool capability;            /* an untagged CAPABILITY response */
	size_t caps_off, caps_len;  /* the capability list, if any (also from a
				       [CAPABILITY ...] response code) */
};

/* Returns 0, or -1 for a line that is not an IMAP response. */
int mp_imap_parse_line(const char *line, size_t n, struct mp_imap_line *out);
/* A literal marker "{123}" or "{123+}" ending a line: its size, else -1
 * (sizes saturate at 10^12). */
long long mp_imap_trailing_literal(const char *line, size_t n);
/* CAP_* flags of a space-separated IMAP capability list. */
unsigned mp_imap_caps(const char *list, size_t n);
/* The response code in brackets at the start of text ("[UNAVAILABLE]"):
 * copied into out (without brackets), or "" when none. */
void mp_imap_resp_code(const char *text, size_t n, char *out, size_t outlen);

/* POP3 (RFC 1939): 1 for "+OK", 0 for "-ERR", -1 otherwise. */
int mp_pop3_status(const char *line, size_t n);
/* CAP_* flags of one CAPA line ("STLS", "USER", "SASL PLAIN LOGIN"). */
unsigned mp_pop3_capa_caps(const char *line, size_t n);

/* What protocol a first line looks like: "SMTP", "IMAP", "POP3", "HTTP",
 * "SSH", or NULL. For wrong_protocol messages. */
const char *mp_guess_protocol(const char *line, size_t n);

#endif
