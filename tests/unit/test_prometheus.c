/*
 * Unit tests of the exposition renderer (probe/render_prometheus.c) over a
 * run built by hand: label escaping, value spelling, HELP/TYPE once per
 * family across targets, no secret in the output, and the golden file
 * tests/e2e/golden/run.prom (UPDATE_GOLDEN=1 rewrites it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks/delivery.h"
#include "probe/render/render_prometheus.h"
#include "fixtures.h"
#include "harness.h"

#define PASSWORD "S3cr3t-Pa55"
#define GOLDEN_REL "/../e2e/golden/run.prom"

static void
set_cert(struct mp_step_result *st, const char *version, time_t not_after, bool verified)
{
	snprintf(st->tls_version, sizeof(st->tls_version), "%s", version);
	st->cert.present = true;
	st->cert.not_after = not_after;
	st->cert.verified = verified;
}

/* imap:993:tls ok with login; smtp:587 dropped; smtp:465 auth_failed over
 * TLS 1.2; pop3:995 on IPv6 ok. */
static void
make_endpoints(struct mp_endpoint_result *e)
{
	struct mp_step_result *st;

	e[0].spec = (struct mp_endpoint_spec){PROTO_IMAP, 993, SEC_TLS};
	snprintf(e[0].address, MP_ADDR_MAX, "198.18.0.10");
	e[0].ok = true;
	add_step(&e[0], STEP_CONNECT, true, 0.0012, CLASS_NONE, "");
	set_cert(add_step(&e[0], STEP_TLS, true, 0.011, CLASS_NONE, ""), "TLSv1.3", 1798761600,
		 true);
	add_step(&e[0], STEP_GREETING, true, 0.0004, CLASS_NONE, "* OK " PASSWORD);
	add_step(&e[0], STEP_LOGIN, true, 0.02, CLASS_NONE, "OK");
	add_step(&e[0], STEP_LOGOUT, true, 0.1, CLASS_NONE, "BYE");
	e[1].spec = (struct mp_endpoint_spec){PROTO_SMTP, 587, SEC_STARTTLS};
	snprintf(e[1].address, MP_ADDR_MAX, "198.18.0.10");
	add_step(&e[1], STEP_CONNECT, false, 3.0, CLASS_CONNECT_TIMEOUT, "no answer");
	e[2].spec = (struct mp_endpoint_spec){PROTO_SMTP, 465, SEC_TLS};
	snprintf(e[2].address, MP_ADDR_MAX, "198.18.0.10");
	add_step(&e[2], STEP_CONNECT, true, 0.001, CLASS_NONE, "");
	st = add_step(&e[2], STEP_TLS, true, 0.02, CLASS_NONE, "");
	set_cert(st, "TLSv1.2", 1798000000, false);
	add_step(&e[2], STEP_LOGIN, false, 2.0, CLASS_AUTH_FAILED, "535 " PASSWORD);
	e[3].spec = (struct mp_endpoint_spec){PROTO_POP3, 995, SEC_TLS};
	snprintf(e[3].address, MP_ADDR_MAX, "fd00:6d70::10");
	e[3].ok = true;
	add_step(&e[3], STEP_CONNECT, true, 0.5, CLASS_NONE, "");
	set_cert(add_step(&e[3], STEP_TLS, true, 0.25, CLASS_NONE, ""), "TLSv1.3", 1798761600,
		 true);
}

static void
make_diag(struct mp_diagnosis *d)
{
	memset(d, 0, sizeof(*d));
	fx_finding(d, "login_rejected", SEV_CRITICAL);
	fx_finding(d, "outgoing_port_blocked", SEV_WARNING);
	fx_finding(d, "login_rejected", SEV_CRITICAL);
	d->status = STATUS_CRITICAL;
}

static void
make_run(struct mp_run *run, struct mp_account *a, struct mp_endpoint_result *eps,
	 struct mp_diagnosis *d)
{
	mp_account_init(a);
	snprintf(a->host, sizeof(a->host), "mail.example.com");
	snprintf(a->user, sizeof(a->user), "john@example.com");
	a->password = mp_secret_from_mem(PASSWORD, strlen(PASSWORD));
	memset(run, 0, sizeof(*run));
	memset(eps, 0, 4 * sizeof(*eps));
	run->account = a;
	snprintf(run->host, sizeof(run->host), "mail.example.com");
	run->started_at = 1795678354;
	run->duration = 3.0123;
	run->resolve.ok = true;
	run->resolve.seconds = 0.002;
	make_endpoints(eps);
	run->nendpoints = 4;
	run->endpoints = eps;
	make_diag(d);
}

static char *
render_inputs(const struct mp_prom_input *in, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(mp_render_prometheus_inputs(f, in, n) == 0, "renders");
	fclose(f);
	return buf;
}

static void
test_escape(void)
{
	char out[64];

	mp_prom_escape("a\\b\"c\nd", out, sizeof(out));
	CHECK_STR(out, "a\\\\b\\\"c\\nd", "backslash, quote, newline escaped");
	mp_prom_escape("x\x01y\xff\xc3\xa4", out, sizeof(out));
	CHECK_STR(out, "x?y?\xc3\xa4", "control and invalid UTF-8 replaced, UTF-8 kept");
	mp_prom_escape("ab\"", out, 4);
	CHECK_STR(out, "ab", "an escape is never cut in half");
	mp_prom_escape(NULL, out, sizeof(out));
	CHECK_STR(out, "", "NULL is empty");
}

static void
test_values(void)
{
	char out[64];

	mp_prom_value(NAN, out, sizeof(out));
	CHECK_STR(out, "NaN", "NaN");
	mp_prom_value(INFINITY, out, sizeof(out));
	CHECK_STR(out, "+Inf", "+Inf");
	mp_prom_value(-INFINITY, out, sizeof(out));
	CHECK_STR(out, "-Inf", "-Inf");
	mp_prom_value(0.1, out, sizeof(out));
	CHECK_STR(out, "0.1", "0.1 shortest");
	mp_prom_value(1798761600, out, sizeof(out));
	CHECK_STR(out, "1798761600", "timestamp integral");
	mp_prom_value(1.0 / 3.0, out, sizeof(out));
	CHECK(strtod(out, NULL) == 1.0 / 3.0, "round trip");
}

/* Every "# TYPE name" once, before the first sample of name. */
static void
check_families_once(const char *text)
{
	for (int f = 0; f < PROM_FAMILY_COUNT; f++) {
		const char *name, *type, *help;
		char line[160];

		mp_prom_family_info((enum mp_prom_family)f, &name, &type, &help);
		snprintf(line, sizeof(line), "# TYPE %s ", name);
		CHECK(count(text, line) <= 1, name);
		snprintf(line, sizeof(line), "# HELP %s ", name);
		CHECK(count(text, line) <= 1, name);
	}
}

static void
test_two_targets(const struct mp_run *run)
{
	struct mp_prom_label la[2] = {{"target", "we\"ird"}, {"tier", "a\\b\nc"}};
	struct mp_prom_label lb[1] = {{"target", "b"}};
	struct mp_prom_input in[2] = {
	    {.run = run, .labels = la, .nlabels = 2, .last_probe = 1795678354, .backoff = 120},
	    {.run = run, .labels = lb, .nlabels = 1, .last_probe = -1, .backoff = -1}};
	char *text = render_inputs(in, 2);

	check_families_once(text);
	CHECK(count(text, "probe_success{target=\"we\\\"ird\",tier=\"a\\\\b\\nc\"} 0\n") == 1,
	      "target labels first, escaped");
	CHECK(count(text, "probe_success{target=\"b\"} 0\n") == 1, "second target");
	CHECK(count(text,
		    "mailprobe_login_backoff_seconds{target=\"we\\\"ird\",tier=\"a\\\\b\\nc\"} "
		    "120\n") == 1,
	      "backoff of the first target");
	CHECK(count(text, "mailprobe_login_backoff_seconds{target=\"b\"}") == 0,
	      "no backoff for b");
	CHECK(strstr(text, PASSWORD) == NULL, "no password");
	free(text);
}

static void
test_series(const char *text)
{
	check_families_once(text);
	CHECK(strstr(text, "probe_success 0\n") != NULL, "critical: probe_success 0");
	CHECK(strstr(text, "mailprobe_status 2\n") != NULL, "status 2");
	CHECK(strstr(text, "probe_ip_protocol 6\n") != NULL, "an IPv6 address was probed");
	CHECK(strstr(text, "probe_ssl_earliest_cert_expiry 1798000000\n") != NULL, "earliest");
	CHECK(count(text, "probe_tls_version_info{") == 2, "one series per TLS version");
	CHECK(strstr(text, "{version=\"TLS 1.2\"} 1\n") != NULL, "blackbox version spelling");
	CHECK(strstr(text, "mailprobe_step_failure_info{protocol=\"smtp\",port=\"587\",security="
			   "\"starttls\",address=\"198.18.0.10\",step=\"connect\",class="
			   "\"connect_timeout\"} 1\n") != NULL,
	      "failure info with class");
	CHECK(count(text, "mailprobe_finding{") == 2, "duplicate finding once");
	CHECK(strstr(text,
		     "mailprobe_finding{id=\"outgoing_port_blocked\",severity=\"warning\"} 1") !=
		  NULL,
	      "finding series");
	CHECK(count(text, "mailprobe_login_success{") == 2, "login only where it ran");
	CHECK(strstr(text,
		     "mailprobe_cert_verified{protocol=\"smtp\",port=\"465\",security=\"tls\","
		     "address=\"198.18.0.10\"} 0\n") != NULL,
	      "cert verified 0");
	CHECK(strstr(text, "mailprobe_delivery_seconds") == NULL, "no delivery: family left out");
	CHECK(strstr(text, "mailprobe_last_probe_timestamp_seconds") == NULL, "not in a CLI run");
	CHECK(strstr(text, PASSWORD) == NULL, "no password");
	CHECK(strstr(text, "john@example.com") == NULL, "no user name");
}

static void
test_delivery(struct mp_run *run, const struct mp_diagnosis *diag)
{
	struct mp_delivery_result d = {.ran = true, .ok = true, .seconds = 2.5};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	run->delivery = &d;
	mp_render_prometheus(f, run, diag);
	fclose(f);
	run->delivery = NULL;
	CHECK(strstr(text,
		     "# TYPE mailprobe_delivery_seconds gauge\nmailprobe_delivery_seconds 2.5\n") !=
		  NULL,
	      "delivery seconds when --deliver ran");
	free(text);
}

/* --control: one series per (host, port), 1 when any address worked. */
static void
test_control(struct mp_run *run, const struct mp_diagnosis *diag)
{
	struct mp_control_result c[3] = {
	    {.host = "ctl.example.net",
	     .address = "192.0.2.7",
	     .port = 587,
	     .ok = false,
	     .cls = CLASS_CONNECT_TIMEOUT},
	    {.host = "ctl.example.net", .address = "2001:db8::7", .port = 587, .ok = true},
	    {.host = "ctl2.example.net",
	     .address = "192.0.2.8",
	     .port = 587,
	     .ok = false,
	     .cls = CLASS_CONNECT_TIMEOUT},
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	run->control = c;
	run->ncontrol = 3;
	mp_render_prometheus(f, run, diag);
	fclose(f);
	run->control = NULL;
	run->ncontrol = 0;
	CHECK(strstr(text,
		     "# TYPE mailprobe_control_up gauge\n"
		     "mailprobe_control_up{host=\"ctl.example.net\",port=\"587\"} 1\n"
		     "mailprobe_control_up{host=\"ctl2.example.net\",port=\"587\"} 0\n") != NULL,
	      "control_up: one series per host and port, any address");
	free(text);
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (f == NULL)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static void
test_golden(const char *text)
{
	char path[512], *slash, *want;

	snprintf(path, sizeof(path), "%s", __FILE__);
	slash = strrchr(path, '/');
	snprintf(slash != NULL ? slash : path, sizeof(path) - (size_t)(slash - path), "%s",
		 GOLDEN_REL);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		FILE *f = fopen(path, "w");

		CHECK(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0, "golden written");
		return;
	}
	want = read_file(path);
	CHECK(want != NULL, "golden file readable");
	if (want != NULL) {
		CHECK(strcmp(want, text) == 0, "output equals the golden file");
		if (strcmp(want, text) != 0)
			fprintf(stderr, "---- got:\n%s---- want (%s):\n%s", text, path, want);
	}
	free(want);
}

int
main(void)
{
	struct mp_endpoint_result eps[4];
	struct mp_diagnosis *d = calloc(1, sizeof(*d));
	struct mp_account a;
	struct mp_run run;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	test_escape();
	test_values();
	make_run(&run, &a, eps, d);
	f = open_memstream(&text, &len);
	CHECK(mp_render_prometheus(f, &run, d) == 0, "CLI render");
	fclose(f);
	test_series(text);
	test_golden(text);
	test_two_targets(&run);
	test_delivery(&run, d);
	test_control(&run, d);
	free(text);
	mp_account_cleanup(&a);
	mp_diagnosis_cleanup(d);
	free(d);
	return test_report();
}
