/*
 * Unit tests of the pure reply parsers (checks/parse.c) and the session
 * helpers: SMTP replies and EHLO keywords, IMAP responses and CAPABILITY,
 * POP3 status and CAPA, masked keywords, base64/SASL PLAIN. Malformed input
 * included; no sockets.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/parse.h"
#include "checks/session.h"
#include "harness.h"

#define S(lit) lit, sizeof(lit) - 1

static void
test_smtp_lines(void)
{
	int code = 0;
	bool last = false;

	CHECK(mp_smtp_parse_line(S("220 mail.example.com ESMTP"), &code, &last) == 0 &&
		  code == 220 && last,
	      "smtp: final line");
	CHECK(mp_smtp_parse_line(S("250-PIPELINING"), &code, &last) == 0 && code == 250 && !last,
	      "smtp: continuation");
	CHECK(mp_smtp_parse_line(S("250"), &code, &last) == 0 && last, "smtp: code only");
	CHECK(mp_smtp_parse_line(S("25"), &code, &last) < 0, "smtp: two digits");
	CHECK(mp_smtp_parse_line(S(""), &code, &last) < 0, "smtp: empty");
	CHECK(mp_smtp_parse_line(S("2x0 hello"), &code, &last) < 0, "smtp: letter in code");
	CHECK(mp_smtp_parse_line(S("150 hello"), &code, &last) < 0, "smtp: 1xx is no reply");
	CHECK(mp_smtp_parse_line(S("650 hello"), &code, &last) < 0, "smtp: 6xx is no reply");
	CHECK(mp_smtp_parse_line(S("250_x"), &code, &last) < 0, "smtp: bad separator");
	CHECK(mp_smtp_parse_line(S("* OK IMAP"), &code, &last) < 0, "smtp: imap greeting");
	CHECK(mp_smtp_parse_line("2\0000 x", 6, &code, &last) < 0, "smtp: NUL in code");
}

static void
test_ehlo(void)
{
	CHECK(mp_smtp_ehlo_caps(S("STARTTLS")) == CAP_STARTTLS, "ehlo: STARTTLS");
	CHECK(mp_smtp_ehlo_caps(S("starttls")) == CAP_STARTTLS, "ehlo: case-insensitive");
	CHECK(mp_smtp_ehlo_caps(S("STARTTLSX")) == 0, "ehlo: no prefix match");
	CHECK(mp_smtp_ehlo_caps(S("XXXXXXXA")) == CAP_MASKED_STARTTLS, "ehlo: masked (Cisco)");
	CHECK(mp_smtp_ehlo_caps(S("XXXXXXXX")) == CAP_MASKED_STARTTLS, "ehlo: masked all X");
	CHECK(mp_smtp_ehlo_caps(S("XXX")) == 0, "ehlo: too short to be masked");
	CHECK(mp_smtp_ehlo_caps(S("AUTH PLAIN LOGIN")) ==
		  (CAP_AUTH | CAP_AUTH_PLAIN | CAP_AUTH_LOGIN),
	      "ehlo: AUTH PLAIN LOGIN");
	CHECK(mp_smtp_ehlo_caps(S("AUTH=LOGIN PLAIN")) ==
		  (CAP_AUTH | CAP_AUTH_PLAIN | CAP_AUTH_LOGIN),
	      "ehlo: obsolete AUTH=");
	CHECK(mp_smtp_ehlo_caps(S("AUTH XOAUTH2 OAUTHBEARER")) ==
		  (CAP_AUTH | CAP_AUTH_OAUTH | CAP_AUTH_XOAUTH2 | CAP_AUTH_OAUTHBEARER),
	      "ehlo: OAuth only, each mechanism flagged");
	CHECK(mp_smtp_ehlo_caps(S("AUTH PLAIN XOAUTH2")) ==
		  (CAP_AUTH | CAP_AUTH_PLAIN | CAP_AUTH_OAUTH | CAP_AUTH_XOAUTH2),
	      "ehlo: XOAUTH2 without OAUTHBEARER");
	CHECK(mp_smtp_ehlo_caps(S("AUTH")) == CAP_AUTH, "ehlo: AUTH without mechanisms");
	CHECK(mp_smtp_ehlo_caps(S("SIZE 1000")) == 0, "ehlo: other keyword");
	CHECK(mp_smtp_ehlo_caps(S("")) == 0, "ehlo: empty");
	CHECK(mp_smtp_ehlo_caps(S("   ")) == 0, "ehlo: blanks");
	CHECK(mp_smtp_ehlo_caps(S("AUTHPLAIN")) == 0, "ehlo: AUTHPLAIN is not AUTH");
}

static void
test_imap_lines(void)
{
	struct mp_imap_line l;
	const char *greet = "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready";
	const char *capl = "* CAPABILITY IMAP4rev1 LOGINDISABLED STARTTLS";

	CHECK(mp_imap_parse_line(greet, strlen(greet), &l) == 0 && l.kind == IMAP_UNTAGGED &&
		  l.status == IMAP_OK,
	      "imap: untagged OK");
	CHECK(l.caps_len > 0 &&
		  strncmp(greet + l.caps_off, "IMAP4rev1 STARTTLS AUTH=PLAIN", l.caps_len) == 0 &&
		  l.caps_len == strlen("IMAP4rev1 STARTTLS AUTH=PLAIN"),
	      "imap: [CAPABILITY] in greeting");
	CHECK(mp_imap_parse_line(capl, strlen(capl), &l) == 0 && l.capability &&
		  mp_imap_caps(capl + l.caps_off, l.caps_len) == (CAP_LOGINDISABLED | CAP_STARTTLS),
	      "imap: CAPABILITY response");
	CHECK(mp_imap_parse_line(S("a1 OK done"), &l) == 0 && l.kind == IMAP_TAGGED &&
		  strcmp(l.tag, "a1") == 0 && l.status == IMAP_OK,
	      "imap: tagged OK");
	CHECK(mp_imap_parse_line(S("a2 NO [AUTHENTICATIONFAILED] bad"), &l) == 0 &&
		  l.status == IMAP_NO,
	      "imap: tagged NO");
	CHECK(mp_imap_parse_line(S("a3 BAD syntax"), &l) == 0 && l.status == IMAP_BAD,
	      "imap: tagged BAD");
	CHECK(mp_imap_parse_line(S("a1 MAYBE x"), &l) < 0, "imap: tagged unknown status");
	CHECK(mp_imap_parse_line(S("+ go ahead"), &l) == 0 && l.kind == IMAP_CONTINUATION,
	      "imap: continuation");
	CHECK(mp_imap_parse_line(S("* BYE shutting down"), &l) == 0 && l.status == IMAP_BYE,
	      "imap: BYE");
	CHECK(mp_imap_parse_line(S("* PREAUTH hi"), &l) == 0 && l.status == IMAP_PREAUTH,
	      "imap: PREAUTH");
	CHECK(mp_imap_parse_line(S(""), &l) < 0, "imap: empty");
	CHECK(mp_imap_parse_line(S("220 smtp"), &l) < 0, "imap: SMTP greeting is no response");
	CHECK(mp_imap_parse_line(S("a\"1 OK x"), &l) < 0, "imap: bad tag character");
	CHECK(mp_imap_parse_line(S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa OK"), &l) < 0,
	      "imap: overlong tag");
	CHECK(mp_imap_parse_line(S("* CAPABILITY {20}"), &l) == 0 && l.literal == 20,
	      "imap: literal");
	CHECK(mp_imap_parse_line(S("* CAPABILITY {20+}"), &l) == 0 && l.literal == 20,
	      "imap: non-synchronising literal");
	CHECK(mp_imap_parse_line(S("* CAPABILITY {99999999999999999999}"), &l) == 0 &&
		  l.literal >= 1000000000000LL,
	      "imap: huge literal saturates");
	CHECK(mp_imap_parse_line(S("* OK {x}"), &l) == 0 && l.literal == -1, "imap: not a literal");
	CHECK(mp_imap_parse_line(S("* OK [CAPABILITY IMAP4rev1"), &l) == 0 && l.caps_len == 0,
	      "imap: unterminated response code");
}

static void
test_imap_caps(void)
{
	char code[32];

	CHECK(mp_imap_caps(S("IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN")) ==
		  (CAP_SASL_IR | CAP_AUTH | CAP_AUTH_PLAIN | CAP_AUTH_LOGIN),
	      "imap caps: SASL-IR PLAIN LOGIN");
	CHECK(mp_imap_caps(S("IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER")) ==
		  (CAP_AUTH | CAP_AUTH_OAUTH | CAP_AUTH_XOAUTH2 | CAP_AUTH_OAUTHBEARER),
	      "imap caps: OAuth only");
	CHECK(mp_imap_caps(S("IMAP4rev1 XXXXXXXX")) == CAP_MASKED_STARTTLS, "imap caps: masked");
	CHECK(mp_imap_caps(S("")) == 0, "imap caps: empty");
	CHECK(mp_imap_caps(S("AUTH=")) == 0, "imap caps: AUTH= without mechanism");
	mp_imap_resp_code(S("[UNAVAILABLE] try later"), code, sizeof(code));
	CHECK_STR(code, "UNAVAILABLE", "imap: response code");
	mp_imap_resp_code(S("no code"), code, sizeof(code));
	CHECK_STR(code, "", "imap: no response code");
	mp_imap_resp_code(S("[UNTERMINATED"), code, sizeof(code));
	CHECK_STR(code, "", "imap: unterminated response code");
	mp_imap_resp_code(S("[AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA]"), code,
			  sizeof(code));
	CHECK(strlen(code) == sizeof(code) - 1, "imap: response code truncated");
}

static void
test_pop3(void)
{
	CHECK(mp_pop3_status(S("+OK ready")) == 1, "pop3: +OK");
	CHECK(mp_pop3_status(S("+OK")) == 1, "pop3: bare +OK");
	CHECK(mp_pop3_status(S("-ERR no")) == 0, "pop3: -ERR");
	CHECK(mp_pop3_status(S("+OKAY")) == -1, "pop3: +OKAY");
	CHECK(mp_pop3_status(S("")) == -1, "pop3: empty");
	CHECK(mp_pop3_status(S("* OK imap")) == -1, "pop3: imap");
	CHECK(mp_pop3_capa_caps(S("STLS")) == CAP_STARTTLS, "pop3 capa: STLS");
	CHECK(mp_pop3_capa_caps(S("USER")) == CAP_USER, "pop3 capa: USER");
	CHECK(mp_pop3_capa_caps(S("SASL PLAIN LOGIN")) ==
		  (CAP_AUTH | CAP_AUTH_PLAIN | CAP_AUTH_LOGIN),
	      "pop3 capa: SASL");
	CHECK(mp_pop3_capa_caps(S("XXXX")) == CAP_MASKED_STARTTLS, "pop3 capa: masked STLS");
	CHECK(mp_pop3_capa_caps(S("TOP")) == 0, "pop3 capa: other");
	CHECK(mp_pop3_capa_caps(S("")) == 0, "pop3 capa: empty");
}

static void
test_b64(const char *in, const char *want, const char *name)
{
	char *got = mp_base64(in, strlen(in));

	CHECK_STR(got, want, name);
	mp_free_wiped(got);
}

static void
test_guess_and_helpers(void)
{
	char out[64];
	struct mp_secret pw = {.buf = "secret", .len = 6};
	char *plain;

	CHECK_STR(mp_guess_protocol(S("* OK Dovecot")), "IMAP", "guess: IMAP");
	CHECK_STR(mp_guess_protocol(S("+OK Dovecot")), "POP3", "guess: POP3");
	CHECK_STR(mp_guess_protocol(S("220 mail ESMTP")), "SMTP", "guess: SMTP");
	CHECK_STR(mp_guess_protocol(S("HTTP/1.1 400 Bad Request")), "HTTP", "guess: HTTP");
	CHECK_STR(mp_guess_protocol(S("SSH-2.0-OpenSSH")), "SSH", "guess: SSH");
	CHECK(mp_guess_protocol(S("hello")) == NULL, "guess: unknown");
	test_b64("", "", "base64: empty");
	test_b64("f", "Zg==", "base64: one byte");
	test_b64("fo", "Zm8=", "base64: two bytes");
	test_b64("foo", "Zm9v", "base64: three bytes");
	test_b64("foobar", "Zm9vYmFy", "base64: six bytes");
	plain = mp_sasl_plain("alice@lab.test", &pw);
	CHECK_STR(plain, "AGFsaWNlQGxhYi50ZXN0AHNlY3JldA==", "sasl plain");
	mp_free_wiped(plain);
	plain = mp_imap_quoted("a\"b\\c", 5);
	CHECK_STR(plain, "\"a\\\"b\\\\c\"", "imap quoted: escapes");
	mp_free_wiped(plain);
	CHECK(mp_imap_quoted("a\rb", 3) == NULL, "imap quoted: no CR");
	CHECK(mp_keyword_masked(S("XXXXXXXA")), "masked: XXXXXXXA");
	CHECK(!mp_keyword_masked(S("XOAUTH2")), "masked: XOAUTH2 is a real keyword");
	CHECK(!mp_keyword_masked(S("XXXXAB")), "masked: two trailing letters");
	CHECK(mp_is_binary("a\0b", 3), "binary: NUL");
	CHECK(!mp_is_binary(S("plain text\twith tab")), "binary: text");
	mp_escape("a\x01z\\", 4, out, sizeof(out));
	CHECK_STR(out, "a\\x01z\\x5c", "escape");
}

/* The SASL responses for a token and the RFC 7628 challenge's status. */
static void
test_oauth(void)
{
	struct mp_secret tok = {.buf = "ya29.T0k", .len = 8}, bad = {.buf = "a\001b", .len = 3};
	struct mp_step_result st;
	char *x = mp_sasl_oauth("u,=@x", &tok, CRED_OAUTHBEARER);
	char *y = mp_sasl_oauth("u@x", &tok, CRED_XOAUTH2);

	/* base64 of "n,a=u=2C=3D@x,^Aauth=Bearer ya29.T0k^A^A" */
	CHECK(x != NULL && strcmp(x, "bixhPXU9MkM9M0RAeCwBYXV0aD1CZWFyZXIgeWEyOS5UMGsBAQ==") == 0,
	      "oauthbearer: gs2 header with the user escaped, auth=Bearer");
	/* base64 of "user=u@x^Aauth=Bearer ya29.T0k^A^A" */
	CHECK(y != NULL && strcmp(y, "dXNlcj11QHgBYXV0aD1CZWFyZXIgeWEyOS5UMGsBAQ==") == 0,
	      "xoauth2: user= and auth=Bearer");
	mp_free_wiped(x);
	mp_free_wiped(y);
	CHECK(mp_sasl_oauth("u", &bad, CRED_XOAUTH2) == NULL, "oauth: a token with ^A refused");
	memset(&st, 0, sizeof(st));
	/* {"status":"invalid_token","scope":"x"} */
	CHECK(strcmp(mp_oauth_challenge(&st, CRED_OAUTHBEARER,
					S("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJ4In0=")),
		     "AQ==") == 0 &&
		  strcmp(st.oauth_status, "invalid_token") == 0,
	      "challenge: status taken, OAUTHBEARER replies %x01");
	memset(&st, 0, sizeof(st));
	/* {"status": "bad\"x"} : not a plain word */
	CHECK(strcmp(mp_oauth_challenge(&st, CRED_XOAUTH2, S("eyJzdGF0dXMiOiAiYmFkXCJ4In0=")),
		     "") == 0 &&
		  st.oauth_status[0] == '\0',
	      "challenge: an odd status is dropped, XOAUTH2 replies empty");
	CHECK(mp_oauth_challenge(&st, CRED_XOAUTH2, S("!!not base64!!")) != NULL &&
		  st.oauth_status[0] == '\0',
	      "challenge: garbage gives no status");
}

int
main(void)
{
	test_oauth();
	test_smtp_lines();
	test_ehlo();
	test_imap_lines();
	test_imap_caps();
	test_pop3();
	test_guess_and_helpers();
	return test_report();
}
