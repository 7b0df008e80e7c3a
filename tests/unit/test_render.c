/*
 * Unit tests of the renderers over a run built by hand: JSON (parsed back
 * with cJSON), Nagios, text and trace. Checks the contract fields, address
 * null, class only on failed steps, and that no secret leaks.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "probe/render/render.h"
#include "fixtures.h"
#include "harness.h"

/* The diagnosis the renderers get (its status only; no findings). */
static struct mp_diagnosis diag;

#define PASSWORD "S3cr3t-Pa55"
#define USER "john.doe@example.com"
#define STARTED 1795678354 /* 2026-11-26T07:32:34Z */

/* imap:993:tls, every step ok, with TLS facts, capabilities, mechanism. */
static void
make_imap(struct mp_endpoint_result *e)
{
	struct mp_step_result *st;

	e->spec = (struct mp_endpoint_spec){PROTO_IMAP, 993, SEC_TLS};
	snprintf(e->address, sizeof(e->address), "198.18.0.10");
	e->ok = true;
	add_step(e, STEP_CONNECT, true, 0.0012, CLASS_NONE, "");
	st = add_step(e, STEP_TLS, true, 0.011, CLASS_NONE, "");
	snprintf(st->tls_version, sizeof(st->tls_version), "TLSv1.3");
	snprintf(st->cipher, sizeof(st->cipher), "TLS_AES_256_GCM_SHA384");
	st->cert.present = true;
	snprintf(st->cert.subject, sizeof(st->cert.subject), "CN=mail.example.com");
	snprintf(st->cert.issuer, sizeof(st->cert.issuer), "CN=Lab CA");
	st->cert.not_after = 1798761600; /* 2027-01-01T00:00:00Z */
	st->cert.days_left = 35;
	st->cert.verified = true;
	st->cert.hostname_match = true;
	memset(st->cert.sha256, 'a', 64);
	st->cert.chain_length = 2;
	add_step(e, STEP_GREETING, true, 0.0004, CLASS_NONE, "* OK Dovecot ready. \x1b[31mred\xff");
	st = add_step(e, STEP_CAPABILITIES, true, 0, CLASS_NONE, "");
	st->has_capabilities = true;
	snprintf(st->capabilities, sizeof(st->capabilities), "IMAP4rev1\nSASL-IR\nAUTH=PLAIN\n");
	st = add_step(e, STEP_LOGIN, true, 0.02, CLASS_NONE, "OK Logged in");
	snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
	add_step(e, STEP_LOGOUT, true, 0.001, CLASS_NONE, "BYE Logging out");
	e->transcript = strdup("S: * OK ready\nC: a1 AUTHENTICATE PLAIN ***\nC: x ***\n");
}

/* smtp:587:starttls failing at connect. */
static void
make_smtp(struct mp_endpoint_result *e)
{
	e->spec = (struct mp_endpoint_spec){PROTO_SMTP, 587, SEC_STARTTLS};
	snprintf(e->address, sizeof(e->address), "198.18.0.10");
	e->ok = false;
	add_step(e, STEP_CONNECT, false, 10.0, CLASS_CONNECT_TIMEOUT, "no answer | filtered");
}

static void
make_run(struct mp_run *run, struct mp_account *a, struct mp_endpoint_result *eps)
{
	mp_account_init(a);
	snprintf(a->host, sizeof(a->host), "mail.example.com");
	snprintf(a->user, sizeof(a->user), USER);
	a->password = mp_secret_from_mem(PASSWORD, strlen(PASSWORD));
	memset(run, 0, sizeof(*run));
	memset(eps, 0, 2 * sizeof(*eps));
	run->account = a;
	snprintf(run->host, sizeof(run->host), "mail.example.com");
	run->started_at = STARTED;
	run->duration = 10.0123456789;
	run->resolve.ok = true;
	run->resolve.seconds = 0.002;
	run->resolve.naddr = 2;
	snprintf(run->resolve.addrs[0], MP_ADDR_MAX, "198.18.0.10");
	snprintf(run->resolve.addrs[1], MP_ADDR_MAX, "2001:db8::10");
	make_imap(&eps[0]);
	make_smtp(&eps[1]);
	run->nendpoints = 2;
	run->endpoints = eps;
	diag.status = STATUS_CRITICAL;
}

static void
free_run(struct mp_run *run, struct mp_account *a)
{
	for (int i = 0; i < run->nendpoints; i++)
		mp_endpoint_result_cleanup(&run->endpoints[i]);
	mp_account_cleanup(a);
}

/* Output of a renderer as a string (free it). */
static char *
capture_json(const struct mp_run *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(mp_render_json(f, run, &diag) == 0, "json renders");
	fclose(f);
	return buf;
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *
str_at(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static cJSON *
item(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void
check_json_top(const cJSON *j)
{
	const cJSON *r = item(j, "resolve");

	CHECK_STR(str_at(j, "schema"), "mailprobe/1", "schema");
	CHECK_STR(str_at(j, "host"), "mail.example.com", "host");
	CHECK_STR(str_at(j, "started_at"), "2026-11-26T07:32:34Z", "started_at RFC 3339");
	CHECK(cJSON_GetNumberValue(item(j, "duration_seconds")) == 10.012346, "duration rounded");
	CHECK(cJSON_IsTrue(item(r, "ok")) && item(r, "class") == NULL, "resolve ok, no class");
	CHECK(cJSON_GetArraySize(item(r, "addresses")) == 2, "two addresses");
	CHECK(cJSON_IsArray(item(j, "findings")) && cJSON_GetArraySize(item(j, "findings")) == 0,
	      "findings []");
	CHECK(cJSON_IsNull(item(item(j, "recommended"), "incoming")) &&
		  cJSON_IsNull(item(item(j, "recommended"), "outgoing")),
	      "recommended null members");
	CHECK_STR(str_at(item(j, "recommended"), "username"), USER, "username");
	CHECK_STR(str_at(j, "status"), "critical", "status");
}

static void
check_json_tls(const cJSON *tls)
{
	const cJSON *cert = item(tls, "cert");

	CHECK_STR(str_at(tls, "step"), "tls", "tls step");
	CHECK_STR(str_at(tls, "tls_version"), "TLSv1.3", "tls_version");
	CHECK_STR(str_at(tls, "cipher"), "TLS_AES_256_GCM_SHA384", "cipher");
	CHECK_STR(str_at(cert, "subject"), "CN=mail.example.com", "subject");
	CHECK_STR(str_at(cert, "issuer"), "CN=Lab CA", "issuer");
	CHECK_STR(str_at(cert, "not_after"), "2027-01-01T00:00:00Z", "not_after");
	CHECK(cJSON_GetNumberValue(item(cert, "days_left")) == 35, "days_left");
	CHECK(cJSON_IsTrue(item(cert, "verified")) && cJSON_IsTrue(item(cert, "hostname_match")),
	      "verified, hostname_match");
	CHECK(strlen(str_at(cert, "sha256")) == 64, "sha256");
	CHECK(cJSON_GetNumberValue(item(cert, "chain_length")) == 2, "chain_length");
}

static void
check_json_endpoints(const cJSON *j)
{
	const cJSON *eps = item(j, "endpoints");
	const cJSON *e0 = cJSON_GetArrayItem(eps, 0), *e1 = cJSON_GetArrayItem(eps, 1);
	const cJSON *steps = item(e0, "steps"), *s, *f;

	CHECK(cJSON_GetArraySize(eps) == 2, "two endpoints");
	CHECK_STR(str_at(e0, "protocol"), "imap", "protocol");
	CHECK(cJSON_GetNumberValue(item(e0, "port")) == 993, "port");
	CHECK_STR(str_at(e0, "security"), "tls", "security");
	CHECK_STR(str_at(e0, "address"), "198.18.0.10", "address");
	CHECK(cJSON_IsTrue(item(e0, "ok")) && cJSON_GetArraySize(steps) == 6, "ok, 6 steps");
	cJSON_ArrayForEach(s, steps)
	{
		CHECK(item(s, "class") == NULL, "no class on ok steps");
		CHECK(cJSON_IsString(item(s, "message")), "message always");
		CHECK(item(s, "mechanism") == NULL || strcmp(str_at(s, "step"), "login") == 0,
		      "mechanism only on login");
		CHECK(item(s, "cert") == NULL || strcmp(str_at(s, "step"), "tls") == 0,
		      "cert only on tls");
	}
	check_json_tls(cJSON_GetArrayItem(steps, 1));
	s = cJSON_GetArrayItem(steps, 2);
	CHECK(strstr(str_at(s, "message"), "\x1b") == NULL, "no ESC in message");
	CHECK(strstr(str_at(s, "message"), "* OK Dovecot ready. ?[31mred?") != NULL,
	      "message cleaned");
	s = cJSON_GetArrayItem(steps, 3);
	CHECK(cJSON_GetArraySize(item(s, "capabilities")) == 3, "3 capabilities");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(item(s, "capabilities"), 2)),
		  "AUTH=PLAIN", "capability");
	CHECK_STR(str_at(cJSON_GetArrayItem(steps, 4), "mechanism"), "PLAIN", "mechanism");
	CHECK(cJSON_IsFalse(item(e1, "ok")), "failed endpoint");
	f = cJSON_GetArrayItem(item(e1, "steps"), 0);
	CHECK_STR(str_at(f, "class"), "connect_timeout", "class on failed step");
	CHECK(cJSON_IsFalse(item(f, "ok")) && cJSON_GetNumberValue(item(f, "seconds")) == 10.0,
	      "failed step fields");
	CHECK_STR(str_at(f, "message"), "no answer | filtered", "failed message");
}

static void
test_json(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	char *out;
	cJSON *j;

	make_run(&run, &a, eps);
	out = capture_json(&run);
	j = cJSON_Parse(out);
	CHECK(j != NULL, "json parses");
	if (j != NULL) {
		check_json_top(j);
		check_json_endpoints(j);
	}
	CHECK(strstr(out, PASSWORD) == NULL, "no password in JSON");
	CHECK(count(out, USER) == 1, "user only in recommended.username");
	CHECK(out[strlen(out) - 1] == '\n', "ends with a newline");
	cJSON_Delete(j);
	free(out);

	a.redact_user = true;
	snprintf(eps[0].steps[4].message, MP_MESSAGE_MAX, "OK logged in as JOHN.DOE@example.com");
	out = capture_json(&run);
	j = cJSON_Parse(out);
	for (char *p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	CHECK(strstr(out, USER) == NULL, "redacted: user nowhere, in any case");
	CHECK_STR(str_at(item(j, "recommended"), "username"), "j***@example.com", "masked user");
	CHECK(strstr(out, "logged in as j***@example.com") != NULL, "masked in messages");
	cJSON_Delete(j);
	free(out);
	free_run(&run, &a);
}

static void
test_json_unresolved(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	const cJSON *e;
	char *out;
	cJSON *j;

	make_run(&run, &a, eps);
	mp_account_cleanup(&a);
	a.user[0] = '\0';
	run.resolve =
	    (struct mp_resolve_result){.ok = false, .seconds = 0.5, .cls = CLASS_DNS_NXDOMAIN};
	for (int i = 0; i < 2; i++) {
		mp_endpoint_result_cleanup(&eps[i]);
		memset(&eps[i], 0, sizeof(eps[i]));
		eps[i].spec = (struct mp_endpoint_spec){PROTO_IMAP, 993, SEC_TLS};
	}
	out = capture_json(&run);
	j = cJSON_Parse(out);
	CHECK(j != NULL, "unresolved json parses");
	CHECK(cJSON_IsFalse(item(item(j, "resolve"), "ok")), "resolve not ok");
	CHECK_STR(str_at(item(j, "resolve"), "class"), "dns_nxdomain", "resolve class");
	CHECK(cJSON_GetArraySize(item(item(j, "resolve"), "addresses")) == 0, "no addresses");
	cJSON_ArrayForEach(e, item(j, "endpoints"))
	{
		CHECK(cJSON_IsNull(item(e, "address")), "address null");
		CHECK(cJSON_GetArraySize(item(e, "steps")) == 0, "no steps");
	}
	CHECK(cJSON_IsNull(item(item(j, "recommended"), "username")), "username null");
	cJSON_Delete(j);
	free(out);
}

static char *
capture(void (*fn)(FILE *, const struct mp_run *), const struct mp_run *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, run);
	fclose(f);
	return buf;
}

static void
nagios(FILE *f, const struct mp_run *run)
{
	mp_render_nagios(f, run, &diag);
}

static void
test_nagios(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	char *out, *nl;

	make_run(&run, &a, eps);
	out = capture(nagios, &run);
	nl = strchr(out, '\n');
	CHECK(starts(out, "MAILPROBE CRITICAL - 1/2 endpoints ok, smtp:587:starttls@198.18.0.10 "
			  "connect connect_timeout | "),
	      "status line");
	CHECK(nl != NULL && count(out, "|") == 1 && strchr(out, '|') < nl, "one '|' in line 1");
	CHECK(strstr(out, " 'resolve_seconds'=0.002s;;;0 ") != NULL, "resolve perfdata");
	CHECK(strstr(out, " 'imap_993_tls_198.18.0.10_seconds'=0.0336s;;;0 ") != NULL,
	      "endpoint seconds");
	CHECK(strstr(out, " 'imap_993_tls_198.18.0.10_ok'=1;;;0;1") != NULL, "endpoint ok");
	CHECK(strstr(out, " 'imap_993_tls_198.18.0.10_cert_days_left'=35;14:;3:") != NULL,
	      "cert days");
	CHECK(strstr(out, " 'smtp_587_starttls_198.18.0.10_ok'=0;;;0;1\n") != NULL, "failed ok 0");
	CHECK(nl != NULL && strcmp(nl + 1, "smtp:587:starttls @ 198.18.0.10: connect "
					   "connect_timeout: no answer / filtered\n") == 0,
	      "long text line");
	free(out);

	eps[1].ok = true;
	eps[1].steps[0].ok = true;
	diag.status = STATUS_OK;
	out = capture(nagios, &run);
	CHECK(starts(out, "MAILPROBE OK - 2/2 endpoints ok | "), "ok line");
	CHECK(count(out, "\n") == 1, "no long text when ok");
	free(out);
	diag.status = STATUS_UNKNOWN;
	out = capture(nagios, &run);
	CHECK(starts(out, "MAILPROBE UNKNOWN - "), "unknown");
	free(out);
	free_run(&run, &a);
}

static void
text_plain(FILE *f, const struct mp_run *run)
{
	mp_render_text(f, run, &diag, LANG_EN, false);
}

static void
text_color(FILE *f, const struct mp_run *run)
{
	mp_render_text(f, run, &diag, LANG_EN, true);
}

static void
test_text(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	char *out;

	make_run(&run, &a, eps);
	out = capture(text_plain, &run);
	CHECK(strstr(out, "mail.example.com") != NULL, "header host");
	CHECK(strstr(out, "198.18.0.10, 2001:db8::10") != NULL, "header addresses");
	CHECK(strstr(out, "imap:993:tls @ 198.18.0.10  OK\n") != NULL, "ok endpoint");
	CHECK(strstr(out, "smtp:587:starttls @ 198.18.0.10  FAILED\n") != NULL, "failed endpoint");
	CHECK(strstr(out, "connect_timeout") != NULL, "class shown");
	CHECK(strstr(out, "no answer | filtered") != NULL, "message shown");
	CHECK(strstr(out, "TLSv1.3") && strstr(out, "CN=Lab CA") && strstr(out, "35 days left"),
	      "tls facts");
	CHECK(strstr(out, "   11 ms") != NULL, "ms");
	CHECK(strstr(out, "CRITICAL") != NULL && strstr(out, "1/2 endpoints ok") != NULL,
	      "status line");
	CHECK(strchr(out, '\x1b') == NULL, "no escapes without color");
	CHECK(strstr(out, PASSWORD) == NULL, "no password in text");
	free(out);
	out = capture(text_color, &run);
	CHECK(count(out, "\x1b[") > 4, "colours when asked");
	free(out);
	out = capture(mp_render_trace, &run);
	CHECK(strstr(out, "== imap:993:tls @ 198.18.0.10\nS: * OK ready\n") != NULL, "trace");
	CHECK(strstr(out, PASSWORD) == NULL && strstr(out, "C: x ***") != NULL, "trace masked");
	CHECK(strstr(out, "(no transcript)") != NULL, "no transcript");
	free(out);
	free_run(&run, &a);
}

/* The renderers never rewrite server words by password match (a greeting
 * word equal to the password would show as "***" and give it away: checks/
 * keeps the password out of every result instead); --redact-user hides the
 * user name also in its base64 form (AUTH LOGIN). Issue 12 item 9. */
static void
test_masking(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	char *out;

	make_run(&run, &a, eps);
	snprintf(eps[0].steps[1].message, sizeof(eps[0].steps[1].message),
		 "* OK mx " PASSWORD " IMAP ready");
	free(eps[0].transcript);
	eps[0].transcript = strdup("S: * OK mx " PASSWORD " IMAP ready\n"
				   "C: am9obi5kb2VAZXhhbXBsZS5jb20=\nC: ***\n");
	out = capture_json(&run);
	CHECK(strstr(out, "* OK mx " PASSWORD " IMAP ready") != NULL &&
		  strstr(out, "mx ***") == NULL,
	      "json: server words not masked by password match");
	free(out);
	out = capture(mp_render_trace, &run);
	CHECK(strstr(out, "S: * OK mx " PASSWORD " IMAP ready\n") != NULL,
	      "trace: server line not masked by password match");
	CHECK(strstr(out, "C: am9obi5kb2VAZXhhbXBsZS5jb20=") != NULL, "trace: base64 user shown");
	free(out);
	a.redact_user = true;
	out = capture(mp_render_trace, &run);
	CHECK(strstr(out, "am9obi5kb2VAZXhhbXBsZS5jb20=") == NULL &&
		  strstr(out, "C: ***\nC: ***") != NULL,
	      "trace: --redact-user hides the base64 user");
	free(out);
	free_run(&run, &a);
}

static void
test_clean(void)
{
	char out[16];

	mp_render_clean("a\tb\x01\xc3\xa9\xc0\xaf\xed\xa0\x80", out, sizeof(out), false);
	CHECK_STR(out, "a b?\xc3\xa9?????", "clean: tab, control, utf-8, overlong, surrogate");
	mp_render_clean("\xc2\x9b"
			"x\r\ny",
			out, sizeof(out), true);
	CHECK_STR(out, "?x\ny", "C1 control, CRLF kept as LF");
	mp_render_clean("abcdefghij\xc3\xa9\xc3\xa9\xc3\xa9", out, sizeof(out), false);
	CHECK_STR(out, "abcdefghij\xc3\xa9\xc3\xa9", "cut at a character boundary");
}

/* Bidirectional controls and other invisible format characters are shown
 * by their code point, never passed through. */
static void
test_clean_format_chars(void)
{
	char out[128];

	mp_render_clean("a\xe2\x80\xaegnp.exe", out, sizeof(out), false);
	CHECK_STR(out, "a<U+202E>gnp.exe", "clean: right-to-left override");
	mp_render_clean("\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9"
			"\xd8\x9c\xe2\x80\x8b\xef\xbb\xbf\xe2\x80\xa8\xf3\xa0\x80\x81",
			out, sizeof(out), true);
	CHECK_STR(out,
		  "<U+200E><U+200F><U+202A><U+2066><U+2069><U+061C><U+200B><U+FEFF><U+2028>"
		  "<U+E0001>",
		  "clean: LRM, RLM, LRE, LRI, PDI, ALM, ZWSP, BOM, LSEP, tag");
	mp_render_clean("\xc3\xa9\xe2\x82\xac\xe2\x80\x94", out, sizeof(out), false);
	CHECK_STR(out, "\xc3\xa9\xe2\x82\xac\xe2\x80\x94", "clean: visible characters stay");
	mp_render_clean("ab\xe2\x80\xae", out, 8, false);
	CHECK_STR(out, "ab", "clean: a marker that does not fit is left out whole");
}

/* The short text output: one line for a port whose addresses agree, the
 * login checked on one of them. */
/* s with every run of spaces and newlines made one space. */
static void
squeeze(char *s)
{
	char *o = s;

	for (const char *p = s; *p != '\0'; p++)
		if (!(*p == ' ' || *p == '\n') || (o > s && o[-1] != ' '))
			*o++ = *p == '\n' ? ' ' : *p;
	*o = '\0';
}

static char *
capture_findings(const struct mp_run *run, const struct mp_diagnosis *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	mp_render_text_findings(f, run, d, LANG_EN);
	fclose(f);
	return out;
}

static void
test_brief(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	struct mp_step_result *l;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	make_run(&run, &a, eps);
	mp_endpoint_result_cleanup(&eps[1]);
	memset(&eps[1], 0, sizeof(eps[1]));
	make_imap(&eps[1]); /* the same port at a second address */
	snprintf(eps[1].address, sizeof(eps[1].address), "2001:db8::10");
	l = (struct mp_step_result *)mp_endpoint_step(&eps[1], STEP_LOGIN);
	if (l != NULL) {
		l->ok = false;
		l->cls = CLASS_AUTH_SKIPPED;
		l->skip = SKIP_ELSEWHERE;
	}
	diag.status = STATUS_OK;
	f = open_memstream(&out, &len);
	mp_render_text_brief(f, &run, &diag, LANG_EN, false);
	fclose(f);
	CHECK(count(out, "IMAP  993 SSL/TLS") == 1 && strstr(out, "2 addresses") != NULL,
	      "brief: one line for a port whose addresses agree");
	CHECK(l == NULL || strstr(out, "login ok") != NULL,
	      "brief: the login checked on one address");
	CHECK(strstr(out, "status   OK") != NULL, "brief: the verdict line");
	free(out);
	free_run(&run, &a);
}

/* On a terminal the findings wrap at its width, continuation lines
 * indented under the text, and no word is lost; without a width (a pipe)
 * each text stays one line. */
static void
test_findings_wrap(void)
{
	struct mp_endpoint_result eps[2];
	struct mp_account a;
	struct mp_run run;
	struct mp_diagnosis d;
	char *wrapped, *flat;
	int widest = 0, n = 0;

	make_run(&run, &a, eps);
	mp_diagnose(&run, &d);
	mp_render_set_width(50);
	wrapped = capture_findings(&run, &d);
	mp_render_set_width(0);
	flat = capture_findings(&run, &d);
	if (strstr(wrapped, "\nrecommended") != NULL) /* the findings only */
		*strstr(wrapped, "\nrecommended") = '\0';
	if (strstr(flat, "\nrecommended") != NULL)
		*strstr(flat, "\nrecommended") = '\0';
	for (char *p = wrapped, *e; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		widest = e - p > widest ? (int)(e - p) : widest;
	}
	for (char *p = flat, *e; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		n += e - p > 50;
	}
	CHECK(d.nfindings > 0 && n > 0, "findings: a line wider than 50 without a width");
	CHECK(widest <= 50, "findings: no line wider than the terminal's 50 columns");
	CHECK(strstr(wrapped, "\n           ") != NULL, "findings: continuation lines indented");
	squeeze(wrapped);
	squeeze(flat);
	CHECK(strcmp(wrapped, flat) == 0, "findings: the same words, only broken into lines");
	free(wrapped);
	free(flat);
	mp_diagnosis_cleanup(&d);
	free_run(&run, &a);
}

int
main(void)
{
	test_findings_wrap();
	test_brief();
	test_json();
	test_json_unresolved();
	test_nagios();
	test_text();
	test_masking();
	test_clean();
	test_clean_format_chars();
	return test_report();
}
