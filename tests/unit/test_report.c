/*
 * Unit tests of the support report over runs and diagnoses built by hand: a
 * successful run and one with 587 blocked (outgoing_port_blocked, 465
 * recommended), in every format and both languages. Checks the verdict, the
 * client tables (host, port, each client's security words), findings, steps,
 * the waterfall geometry, escaping, that the HTML parses (xmllint, as HTML
 * and as XML) without external references, and that no output holds the
 * password (nor, with --redact-user, the user name).
 * MAILPROBE_TEST_KEEP=DIR keeps every report written there.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/render/report.h"
#include "checks/path.h"
#include "fixtures.h"
#include "harness.h"

#define PASSWORD "S3cr3t-Pa55"
#define USER "john.doe@example.com"
#define HOST "mail.example.com"
#define ADDR "198.18.0.10"
#define STARTED 1795678354 /* 2026-11-26T07:32:34Z */
#define NEP 4

enum scenario { SC_OK, SC_BLOCKED, SC_CERT };

struct fixture {
	struct mp_account a;
	struct mp_run run;
	struct mp_endpoint_result eps[NEP];
	struct mp_diagnosis d;
	struct mp_path_result paths[2];
};

/* 465 reaches the server at hop 3; 587's packets are last seen at hop 1. */
static void
blocked_paths(struct fixture *fx)
{
	for (int k = 0; k < 2; k++) {
		struct mp_path_result *p = &fx->paths[k];

		snprintf(p->address, sizeof(p->address), ADDR);
		p->port = k == 0 ? 465 : 587;
		for (int h = 0; h < 3; h++) {
			p->hops[h].ttl = h + 1;
			p->hops[h].answer = h < 2 ? HOP_TIME_EXCEEDED : HOP_SYN_ACK;
			snprintf(p->hops[h].addr, MP_ADDR_MAX, h < 2 ? "10.9.%d.1" : ADDR, h + 1);
		}
		p->nhops = p->reached = p->last_hop = 3;
	}
	fx->paths[1].hops[1].answer = fx->paths[1].hops[2].answer = HOP_NONE;
	fx->paths[1].hops[1].addr[0] = fx->paths[1].hops[2].addr[0] = '\0';
	fx->paths[1].reached = 0;
	fx->paths[1].last_hop = 1;
	fx->run.paths = fx->paths;
	fx->run.npaths = 2;
}

static const char *const fmt_name[] = {"md", "html", "txt"};
static const char *const lang_name[] = {"en", "de"};

static void
tls_facts(struct mp_step_result *st)
{
	snprintf(st->tls_version, sizeof(st->tls_version), "TLSv1.3");
	snprintf(st->cipher, sizeof(st->cipher), "TLS_AES_256_GCM_SHA384");
	st->cert.present = true;
	snprintf(st->cert.subject, sizeof(st->cert.subject), "CN=" HOST);
	snprintf(st->cert.issuer, sizeof(st->cert.issuer), "CN=Lab CA");
	st->cert.not_after = 1798761600; /* 2027-01-01 */
	st->cert.days_left = 35;
	st->cert.verified = true;
	st->cert.hostname_match = true;
	st->cert.chain_length = 2;
}

/* imap:993:tls, 80 ms in all; the greeting carries markup and the password. */
static void
ep_imap(struct mp_endpoint_result *e)
{
	struct mp_step_result *st;

	e->spec = (struct mp_endpoint_spec){PROTO_IMAP, 993, SEC_TLS};
	e->ok = true;
	add_step(e, STEP_CONNECT, true, 0.010, CLASS_NONE, "connected to " ADDR " port 993");
	tls_facts(add_step(e, STEP_TLS, true, 0.040, CLASS_NONE, "TLSv1.3"));
	add_step(e, STEP_GREETING, true, 0.005, CLASS_NONE,
		 "* OK <b>Dovecot</b> ready & \"waiting\" | pw ***");
	st = add_step(e, STEP_CAPABILITIES, true, 0, CLASS_NONE, "capabilities from the greeting");
	st->has_capabilities = true;
	snprintf(st->capabilities, sizeof(st->capabilities), "IMAP4rev1\nAUTH=PLAIN\n");
	st = add_step(e, STEP_LOGIN, true, 0.020, CLASS_NONE, "a1 OK Logged in as " USER);
	snprintf(st->mechanism, sizeof(st->mechanism), "PLAIN");
	add_step(e, STEP_LOGOUT, true, 0.005, CLASS_NONE, "a2 OK Logout completed");
	e->transcript = strdup("S: * OK Dovecot ready\nC: a1 AUTHENTICATE PLAIN ***\n"
			       "S: a1 OK welcome " USER "\r\nC: a2 LOGOUT\n");
}

/* smtp:587:starttls, 120 ms in all (the longest endpoint of the ok run). */
static void
ep_587(struct mp_endpoint_result *e, bool blocked)
{
	e->spec = (struct mp_endpoint_spec){PROTO_SMTP, 587, SEC_STARTTLS};
	if (blocked) {
		add_step(e, STEP_CONNECT, false, 10.0, CLASS_CONNECT_TIMEOUT,
			 "no answer to the connection attempt (pw ***)");
		return;
	}
	e->ok = true;
	add_step(e, STEP_CONNECT, true, 0.010, CLASS_NONE, "connected");
	add_step(e, STEP_GREETING, true, 0.010, CLASS_NONE, "220 " HOST " ESMTP");
	add_step(e, STEP_STARTTLS, true, 0.010, CLASS_NONE, "220 2.0.0 Ready to start TLS");
	tls_facts(add_step(e, STEP_TLS, true, 0.040, CLASS_NONE, ""));
	add_step(e, STEP_CAPABILITIES, true, 0.010, CLASS_NONE, "250-" HOST);
	add_step(e, STEP_LOGIN, true, 0.030, CLASS_NONE, "235 2.7.0 Authentication successful");
	add_step(e, STEP_LOGOUT, true, 0.010, CLASS_NONE, "221 2.0.0 Bye");
}

static void
ep_tls(struct mp_endpoint_result *e, enum mp_proto p, uint16_t port, bool cert_bad)
{
	e->spec = (struct mp_endpoint_spec){p, port, SEC_TLS};
	e->ok = !cert_bad;
	add_step(e, STEP_CONNECT, true, 0.010, CLASS_NONE, "connected");
	tls_facts(add_step(e, STEP_TLS, !cert_bad, 0.030,
			   cert_bad ? CLASS_TLS_UNTRUSTED : CLASS_NONE,
			   cert_bad ? "unable to get local issuer certificate" : ""));
	add_step(e, STEP_GREETING, true, 0.005, CLASS_NONE, p == PROTO_POP3 ? "+OK" : "220 ok");
	add_step(e, STEP_CAPABILITIES, true, 0.005, CLASS_NONE, "");
	add_step(e, STEP_LOGIN, !cert_bad, 0.010, cert_bad ? CLASS_AUTH_SKIPPED : CLASS_NONE,
		 cert_bad ? "not sent: the certificate did not verify" : "ok");
	add_step(e, STEP_LOGOUT, true, 0.005, CLASS_NONE, "bye");
}

static void
setting(struct mp_setting *s, enum mp_proto p, uint16_t port, enum mp_security sec)
{
	*s = (struct mp_setting){.present = true, .proto = p, .port = port, .security = sec};
	snprintf(s->host, sizeof(s->host), HOST);
}

static void
diag_blocked(struct mp_diagnosis *d)
{
	struct mp_finding *f = fx_finding(d, "outgoing_port_blocked", SEV_WARNING);

	d->status = STATUS_WARNING;
	fx_evidence(f, 2, STEP_CONNECT, CLASS_CONNECT_TIMEOUT);
	setting(&d->recommended.outgoing, PROTO_SMTP, 465, SEC_TLS);
}

static void
diag_cert(struct mp_diagnosis *d)
{
	struct mp_finding *f = fx_finding(d, "endpoint_failed", SEV_CRITICAL);

	d->status = STATUS_CRITICAL;
	fx_evidence(f, 1, STEP_TLS, CLASS_TLS_UNTRUSTED);
}

static struct fixture *
fixture_new(enum scenario sc)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	mp_account_init(&fx->a);
	snprintf(fx->a.host, sizeof(fx->a.host), HOST);
	snprintf(fx->a.user, sizeof(fx->a.user), USER);
	fx->a.password = mp_secret_from_mem(PASSWORD, strlen(PASSWORD));
	fx->run.account = &fx->a;
	snprintf(fx->run.host, sizeof(fx->run.host), HOST);
	fx->run.started_at = STARTED;
	fx->run.duration = sc == SC_BLOCKED ? 10.004 : 0.125;
	fx->run.resolve = (struct mp_resolve_result){.ok = true, .seconds = 0.002, .naddr = 1};
	snprintf(fx->run.resolve.addrs[0], MP_ADDR_MAX, ADDR);
	ep_imap(&fx->eps[0]);
	ep_tls(&fx->eps[1], PROTO_POP3, 995, sc == SC_CERT);
	ep_587(&fx->eps[2], sc == SC_BLOCKED);
	ep_tls(&fx->eps[3], PROTO_SMTP, 465, false);
	for (int i = 0; i < NEP; i++) {
		snprintf(fx->eps[i].address, MP_ADDR_MAX, ADDR);
		snprintf(fx->eps[i].host, sizeof(fx->eps[i].host), HOST);
	}
	fx->run.endpoints = fx->eps;
	fx->run.nendpoints = NEP;
	setting(&fx->d.recommended.incoming, PROTO_IMAP, 993, SEC_TLS);
	setting(&fx->d.recommended.outgoing, PROTO_SMTP, 587, SEC_STARTTLS);
	snprintf(fx->d.recommended.username, sizeof(fx->d.recommended.username), USER);
	if (sc == SC_BLOCKED) {
		diag_blocked(&fx->d);
		blocked_paths(fx);
	}
	if (sc == SC_CERT)
		diag_cert(&fx->d);
	return fx;
}

static void
fixture_free(struct fixture *fx)
{
	for (int i = 0; i < NEP; i++)
		mp_endpoint_result_cleanup(&fx->eps[i]);
	mp_account_cleanup(&fx->a);
	mp_diagnosis_cleanup(&fx->d);
	free(fx);
}

static char *
render(const struct fixture *fx, enum mp_report_format fmt, enum mp_lang lang)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct mp_report_options ro = {.format = fmt, .lang = lang, .ticket = "T-4711"};
	int rc = mp_report_write(f, &fx->run, &fx->d, &ro);

	fclose(f);
	CHECK(rc == 0, "report written");
	return buf;
}

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static bool
has_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* A client-table row "label | in | out" as the format writes it. */
static bool
has_row(const char *out, enum mp_report_format fmt, const char *label, const char *in,
	const char *outv)
{
	char want[512];
	const char *p = out, *eol;

	if (fmt == REPORT_MD)
		snprintf(want, sizeof(want), "| %s | %s | %s |", label, in, outv);
	else if (fmt == REPORT_HTML)
		snprintf(want, sizeof(want), "<td>%s</td><td>%s</td><td>%s</td>", label, in, outv);
	if (fmt != REPORT_TXT)
		return has(out, want);
	/* txt: a long label wraps in its column; its first line starts the row */
	snprintf(want, sizeof(want), "\n%s", label);
	while (strlen(want) > 41)
		*strrchr(want + 1, ' ') = '\0';
	strcat(want, " ");
	while ((p = strstr(p, want)) != NULL) { /* txt: aligned columns */
		const char *a, *b;

		p += strlen(want);
		eol = strchr(p, '\n');
		a = strstr(p, in);
		b = a != NULL ? strstr(a + strlen(in), outv) : NULL;
		if (a != NULL && b != NULL && (eol == NULL || b < eol))
			return true;
	}
	return false;
}

/* Each client names the security setting its own way. */
static void
check_clients(const char *out, enum mp_report_format fmt, enum mp_lang lang, bool blocked,
	      const char *what)
{
	bool de = lang == LANG_DE;
	const char *out_port = blocked ? "465" : "587";
	const char *out_sec = blocked ? "SSL/TLS" : "STARTTLS";
	char name[160];

	snprintf(name, sizeof(name), "%s: client rows", what);
	CHECK(has_row(out, fmt, "Server", HOST, HOST), name);
	CHECK(has_row(out, fmt, de ? "Serveranschlussnummern" : "Server Port Numbers", "993",
		      out_port),
	      name);
	CHECK(has_row(out, fmt,
		      de ? "Verwenden Sie den folgenden verschlüsselten Verbindungstyp"
			 : "Use the following type of encrypted connection",
		      "SSL/TLS", out_sec),
	      name);
	CHECK(has_row(out, fmt, de ? "Servername" : "Server Name", HOST, HOST), name);
	CHECK(has_row(out, fmt, "Port", "993", out_port), name);
	CHECK(has_row(out, fmt, de ? "Verbindungssicherheit" : "Connection security", "SSL/TLS",
		      out_sec),
	      name);
	CHECK(has_row(out, fmt, de ? "Authentifizierungsmethode" : "Authentication method",
		      de ? "Passwort, normal" : "Normal password",
		      de ? "Passwort, normal" : "Normal password"),
	      name);
	CHECK(has_row(out, fmt, de ? "TLS/SSL verwenden" : "Use TLS/SSL", de ? "ein" : "on",
		      de ? "ein" : "on"),
	      name);
	CHECK(has_row(out, fmt, de ? "Hostname" : "Host Name", HOST, HOST), name);
	CHECK(has(out, "Outlook") && has(out, "Thunderbird") && has(out, "Apple Mail"), name);
}

static void
check_common(const char *out, enum mp_report_format fmt, enum mp_lang lang, enum scenario sc,
	     const char *what)
{
	bool de = lang == LANG_DE;
	char name[160];

	snprintf(name, sizeof(name), "%s: verdict", what);
	if (sc == SC_OK)
		CHECK(has(out, de ? "GRÜN / in Ordnung" : "GREEN / ok"), name);
	else
		CHECK(has(out, de ? "GELB / Warnung" : "YELLOW / warning") &&
			  has(out, de ? "antwortet aus diesem Netz nicht"
				      : "does not answer from this network"),
		      name);
	snprintf(name, sizeof(name), "%s: no password", what);
	CHECK(!has(out, PASSWORD), name);
	snprintf(name, sizeof(name), "%s: ticket, grid, new Outlook", what);
	CHECK(has(out, "T-4711") && has(out, de ? "Ports und Adressen" : "Ports and addresses") &&
		  has(out, de ? "Neues Outlook" : "New Outlook"),
	      name);
	snprintf(name, sizeof(name), "%s: the answer first (verdict, grid, findings, clients)",
		 what);
	CHECK(strstr(out, de ? "Ports und Adressen" : "Ports and addresses") <
			  strstr(out, "Thunderbird") &&
		      strstr(out, de ? "GRÜN" : "GREEN") != NULL
		  ? strstr(out, de ? "GRÜN" : "GREEN") < strstr(out, "Thunderbird")
		  : true,
	      name);
	snprintf(name, sizeof(name), "%s: steps and words", what);
	CHECK(has(out, de ? "Begrüßung" : "greeting") && has(out, "Dovecot") &&
		  has(out, "235 2.7.0") == (sc == SC_OK) && has(out, "TLSv1.3"),
	      name);
	snprintf(name, sizeof(name), "%s: environment", what);
	CHECK(has(out, "OpenSSL") && has(out, "0.1.0") && has(out, ADDR) &&
		  has(out, de ? "26.11.2026, 07:32:34 UTC" : "26 November 2026, 07:32:34 UTC"),
	      name);
	snprintf(name, sizeof(name), "%s: local time", what);
	CHECK(has(out, "08:32:34 (UTC+01:00"), name);
	snprintf(name, sizeof(name), "%s: user shown", what);
	CHECK(has(out, USER), name);
	snprintf(name, sizeof(name), "%s: transcript", what);
	CHECK(has(out, "C: a1 AUTHENTICATE PLAIN ***") && has(out, "C: a2 LOGOUT"), name);
	check_clients(out, fmt, lang, sc == SC_BLOCKED, what);
}

static void
check_blocked(const char *out, enum mp_report_format fmt, enum mp_lang lang, const char *what)
{
	bool de = lang == LANG_DE;
	char name[160];

	snprintf(name, sizeof(name), "%s: the paths of 587 and 465", what);
	CHECK(has(out, de ? "Wo der gesperrte Port endet" : "Where the blocked port stops") &&
		  has(out, "10.9.1.1"),
	      name);
	snprintf(name, sizeof(name), "%s: finding, advice, evidence", what);
	CHECK(has(out, "outgoing_port_blocked") && has(out, "connect_timeout") &&
		  has(out, de ? "Ausweichmöglichkeit" : "fallback") &&
		  has(out, "smtp:587:starttls@" ADDR) && has(out, de ? "Warnung" : "Warning"),
	      name);
	if (fmt != REPORT_HTML)
		return;
	snprintf(name, sizeof(name), "%s: the SVG of both paths, the blocked one marked", what);
	CHECK(has(out, "<svg class=\"path\"") && has(out, "font-size=\"11\">465</text>") &&
		  has(out, "font-size=\"11\">587</text>") && has(out, "fill=\"#c62828\">✖</text>"),
	      name);
}

/* Markup from the server must stay text. */
static void
check_escaping(const char *out, enum mp_report_format fmt, const char *what)
{
	char name[160];

	snprintf(name, sizeof(name), "%s: server markup escaped", what);
	if (fmt == REPORT_HTML)
		CHECK(has(out, "&lt;b&gt;Dovecot&lt;/b&gt; ready &amp; &quot;waiting&quot;") &&
			  !has(out, "<b>"),
		      name);
	else if (fmt == REPORT_MD)
		CHECK(has(out, "\\<b>Dovecot\\</b> ready \\& \"waiting\" \\|"), name);
	else
		CHECK(has(out, "* OK <b>Dovecot</b> ready & \"waiting\" |"), name);
}

/* Runs cmd; its whole output into *log (free it). The exit status. */
static int
run_capture(const char *cmd, char **log)
{
	FILE *p = popen(cmd, "r"), *m;
	size_t len = 0, n;
	char buf[4096];

	*log = NULL;
	if ((m = open_memstream(log, &len)) == NULL)
		return -1;
	while (p != NULL && (n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, m);
	fclose(m);
	return p != NULL ? pclose(p) : -1;
}

/* xmllint --html (HTML 4) may only complain about the inline SVG tags it
 * does not know; its message lines start with the file name. */
static bool
html_errors_only_html5(char *log, const char *path)
{
	/* HTML5 elements libxml2's HTML 4 parser does not know */
	static const char *const ok[] = {
	    "Tag svg invalid",     "Tag rect invalid",    "Tag line invalid",  "Tag text invalid",
	    "Tag details invalid", "Tag summary invalid", "Tag circle invalid"};
	char *save = NULL, *m;
	bool clean = true, known;

	for (char *line = strtok_r(log, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, path, strlen(path)) != 0)
			continue; /* a source excerpt or caret line */
		m = strstr(line, " : ");
		known = false;
		for (size_t i = 0; m != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
			known |= strcmp(m + 3, ok[i]) == 0;
		if (!known)
			fprintf(stderr, "     xmllint: %.200s\n", line);
		clean &= known;
	}
	return clean;
}

static void
check_html_file(const char *path, const char *out, const char *what)
{
	char cmd[1200], name[160], *log;
	int rc;

	snprintf(cmd, sizeof(cmd), "xmllint --html --noout '%s' 2>&1", path);
	rc = run_capture(cmd, &log);
	snprintf(name, sizeof(name), "%s: xmllint --html parses cleanly", what);
	CHECK(rc == 0 && log != NULL && html_errors_only_html5(log, path), name);
	free(log);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2>&1", path);
	rc = run_capture(cmd, &log);
	snprintf(name, sizeof(name), "%s: well-formed XML too", what);
	CHECK(rc == 0 && log != NULL && log[0] == '\0', name);
	if (log != NULL && log[0] != '\0')
		fprintf(stderr, "     %.300s\n", log);
	free(log);
	snprintf(name, sizeof(name), "%s: self-contained", what);
	CHECK(!has_nocase(out, "http://") && !has_nocase(out, "https://") &&
		  !has_nocase(out, "src=") && !has_nocase(out, "href=") &&
		  !has_nocase(out, "url(") && !has_nocase(out, "@import") &&
		  !has_nocase(out, "<script") && !has_nocase(out, "<link"),
	      name);
	snprintf(name, sizeof(name), "%s: phone and print", what);
	CHECK(has(out, "name=\"viewport\"") && has(out, "@media print") &&
		  has(out, "overflow-x:auto"),
	      name);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL, "temp file");
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
test_matrix(const char *dir)
{
	static const enum scenario scs[] = {SC_OK, SC_BLOCKED};
	static const char *const sc_name[] = {"ok", "blocked"};
	char what[64], path[512];

	for (int s = 0; s < 2; s++) {
		struct fixture *fx = fixture_new(scs[s]);

		for (int fmt = REPORT_MD; fmt <= REPORT_TXT; fmt++) {
			for (int lang = LANG_EN; lang < LANG_COUNT; lang++) {
				char *out = render(fx, fmt, lang);

				snprintf(what, sizeof(what), "%s %s %s", sc_name[s], fmt_name[fmt],
					 lang_name[lang]);
				snprintf(path, sizeof(path), "%s/report-%s-%s.%s", dir, sc_name[s],
					 lang_name[lang], fmt_name[fmt]);
				write_file(path, out != NULL ? out : "");
				check_common(out, fmt, lang, scs[s], what);
				check_escaping(out, fmt, what);
				if (scs[s] == SC_BLOCKED)
					check_blocked(out, fmt, lang, what);
				if (fmt == REPORT_HTML)
					check_html_file(path, out, what);
				free(out);
			}
		}
		fixture_free(fx);
	}
}

/* One time axis for all endpoints; bars start where the earlier steps end. */
static void
test_waterfall(void)
{
	struct fixture *fx = fixture_new(SC_OK);
	char *out = render(fx, REPORT_HTML, LANG_EN);

	/* longest endpoint 120 ms -> axis 0..150 ms in 50 ms ticks */
	CHECK(has(out, "<rect x=\"6.667%\" y=\"3\" width=\"26.667%\""), "imap tls starts at 10 ms");
	CHECK(has(out, "<rect x=\"53.333%\" y=\"3\" width=\"20.000%\""), "587 login at 80 ms");
	CHECK(has(out, ">150 ms</text>") && has(out, ">50 ms</text>"), "axis ticks");
	CHECK(!has(out, "#c62828\" stroke"), "no red bar when all is ok");
	free(out);
	fixture_free(fx);

	fx = fixture_new(SC_BLOCKED);
	out = render(fx, REPORT_HTML, LANG_DE);
	CHECK(has(out, "<rect x=\"0.000%\" y=\"3\" width=\"100.000%\" height=\"10\" rx=\"1.5\" "
		       "fill=\"#c62828\""),
	      "blocked 587: a red bar over the whole 10 s axis");
	CHECK(has(out, ">10 s</text>"), "axis to 10 s");
	CHECK(has(out, "<rect x=\"0.100%\""), "imap tls at 10 ms of 10 s");
	free(out);
	fixture_free(fx);

	fx = fixture_new(SC_CERT);
	out = render(fx, REPORT_HTML, LANG_EN);
	CHECK(has(out, "fill=\"#9e9e9e\""), "auth_skipped login grey");
	CHECK(has(out, "fill=\"#c62828\""), "untrusted tls red");
	CHECK(has(out, "RED / critical") && has(out, "tls_untrusted") && has(out, "auth_skipped"),
	      "cert run: verdict and classes");
	free(out);
	fixture_free(fx);
}

static void
lower(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void
test_redact_user(void)
{
	struct fixture *fx = fixture_new(SC_BLOCKED);
	char what[64];

	fx->a.redact_user = true;
	for (int fmt = REPORT_MD; fmt <= REPORT_TXT; fmt++) {
		for (int lang = LANG_EN; lang < LANG_COUNT; lang++) {
			char *out = render(fx, fmt, lang);

			snprintf(what, sizeof(what), "redact %s %s: masked user shown",
				 fmt_name[fmt], lang_name[lang]);
			CHECK(has(out, "j***@example.com"), what);
			lower(out);
			snprintf(what, sizeof(what), "redact %s %s: user nowhere", fmt_name[fmt],
				 lang_name[lang]);
			CHECK(!has(out, USER) && !has(out, "s3cr3t-pa55"), what);
			free(out);
		}
	}
	fixture_free(fx);
}

static void
test_no_settings(void)
{
	struct fixture *fx = fixture_new(SC_BLOCKED);
	char *out;

	fx->d.recommended.outgoing.present = false;
	out = render(fx, REPORT_TXT, LANG_EN);
	CHECK(has(out, "No working outgoing server (SMTP) was found"), "no outgoing: said plainly");
	CHECK(has_row(out, REPORT_TXT, "Port", "993", "—"), "no outgoing: dash in the tables");
	free(out);
	fx->d.recommended.incoming.present = false;
	out = render(fx, REPORT_MD, LANG_DE);
	CHECK(has(out, "Von diesem Netz aus funktioniert keine Einstellung"), "none: said plainly");
	CHECK(!has(out, "Thunderbird"), "none: no client tables");
	free(out);
	fx->d.recommended.username[0] = '\0';
	fx->d.recommended.incoming.present = true;
	out = render(fx, REPORT_HTML, LANG_EN);
	CHECK(has(out, "not given (usually the full e-mail address)"),
	      "no user name: said plainly");
	free(out);
	fixture_free(fx);
}

/* Resolve failed: no steps, no settings, the class said. */
static void
test_unresolved(void)
{
	struct fixture *fx = fixture_new(SC_OK);
	char what[64];

	fx->run.resolve = (struct mp_resolve_result){.ok = false, .cls = CLASS_DNS_NXDOMAIN};
	snprintf(fx->run.resolve.message, MP_MESSAGE_MAX, "no such name");
	for (int i = 0; i < NEP; i++) {
		mp_endpoint_result_cleanup(&fx->eps[i]);
		memset(&fx->eps[i], 0, sizeof(fx->eps[i]));
		fx->eps[i].spec = (struct mp_endpoint_spec){PROTO_IMAP, 993, SEC_TLS};
	}
	memset(&fx->d.recommended, 0, sizeof(fx->d.recommended));
	fx->d.status = STATUS_CRITICAL;
	for (int fmt = REPORT_MD; fmt <= REPORT_TXT; fmt++) {
		char *out = render(fx, fmt, LANG_EN);

		snprintf(what, sizeof(what), "unresolved %s", fmt_name[fmt]);
		CHECK(has(out, "dns_nxdomain") && has(out, "no such name") &&
			  has(out, "Not checked: the server name did not resolve") &&
			  has(out, "RED / critical") && has(out, "4 of 4 endpoints failed") &&
			  has(out, "No working setting was found"),
		      what);
		free(out);
	}
	fixture_free(fx);
}

/* A transcript line over the shown bound is cut, still without secrets. */
static void
test_long_transcript(void)
{
	struct fixture *fx = fixture_new(SC_OK);
	size_t n = 5000;
	char *t = malloc(n + 64), *out;

	memset(t, 'x', n);
	snprintf(t + n, 64, " ***\nC: QUIT\n");
	free(fx->eps[1].transcript);
	fx->eps[1].transcript = t;
	out = render(fx, REPORT_TXT, LANG_EN);
	CHECK(has(out, "xxx [...]") && has(out, "C: QUIT") && !has(out, PASSWORD),
	      "long transcript line cut, password not shown");
	free(out);
	fixture_free(fx);
}

/* Port 25 is not a client's port: its failure does not spoil "all works". */
static void
test_port25(void)
{
	struct fixture *fx = fixture_new(SC_OK);
	struct mp_endpoint_result *e = &fx->eps[3];
	char *out;

	mp_endpoint_result_cleanup(e);
	memset(e, 0, sizeof(*e));
	e->spec = (struct mp_endpoint_spec){PROTO_SMTP, 25, SEC_STARTTLS};
	snprintf(e->address, MP_ADDR_MAX, ADDR);
	add_step(e, STEP_CONNECT, false, 10.0, CLASS_CONNECT_TIMEOUT, "no answer");
	out = render(fx, REPORT_MD, LANG_EN);
	CHECK(has(out, "Everything works from this network: 3 of 3 endpoints ok."),
	      "port 25 not counted");
	free(out);
	fixture_free(fx);
}

/* An endpoint at another server name (discovery) says so. */
static void
test_other_host(void)
{
	struct fixture *fx = fixture_new(SC_OK);
	char *out;

	snprintf(fx->eps[3].host, sizeof(fx->eps[3].host), "smtp.example.net");
	snprintf(fx->eps[3].address, MP_ADDR_MAX, "192.0.2.25");
	out = render(fx, REPORT_TXT, LANG_EN);
	CHECK(has(out, "smtp:465:tls @ 192.0.2.25 (smtp.example.net)"), "other host in the title");
	CHECK(has(out, "imap:993:tls @ " ADDR "\n"), "same host not repeated");
	CHECK(has(out, HOST ", smtp.example.net") && has(out, ADDR ", 192.0.2.25"),
	      "environment: every server name and address probed");
	free(out);
	fixture_free(fx);
}

static void
test_args(void)
{
	struct fixture *fx = fixture_new(SC_OK);

	CHECK(mp_report_format_from_path("r.md") == REPORT_MD, "md");
	CHECK(mp_report_format_from_path("/tmp/R.HTML") == REPORT_HTML, "HTML any case");
	CHECK(mp_report_format_from_path("a.b/r.txt") == REPORT_TXT, "txt");
	CHECK(mp_report_format_from_path("r.pdf") == -1, "pdf refused");
	CHECK(mp_report_format_from_path("dir.md/r") == -1, "no extension");
	CHECK(mp_report_format_from_path(NULL) == -1, "NULL");
	struct mp_report_options md = {.format = REPORT_MD, .lang = LANG_EN};
	struct mp_report_options bad = {.format = (enum mp_report_format)7, .lang = LANG_EN};

	CHECK(mp_report_write(NULL, &fx->run, &fx->d, &md) == -1, "NULL out");
	CHECK(mp_report_write(stdout, &fx->run, NULL, &md) == -1, "NULL diagnosis");
	CHECK(mp_report_write(stdout, &fx->run, &fx->d, NULL) == -1, "NULL options");
	CHECK(mp_report_write(stdout, &fx->run, &fx->d, &bad) == -1, "bad format");
	fixture_free(fx);
}

int
main(void)
{
	const char *keep = getenv("MAILPROBE_TEST_KEEP");
	char dir[] = "/tmp/mp-report-XXXXXX", cmd[600];

	setenv("TZ", "CET-1", 1); /* local time UTC+01:00, without tzdata */
	tzset();
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_args();
	test_matrix(keep != NULL ? keep : dir);
	test_waterfall();
	test_redact_user();
	test_no_settings();
	test_unresolved();
	test_long_transcript();
	test_port25();
	test_other_host();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return test_report();
}
