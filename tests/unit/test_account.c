/*
 * Unit tests of the account parsers (--endpoint, --resolve), the command
 * line (every option with good and bad values, the password rules) and the
 * secret readers. No network; temporary files under $TMPDIR.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/cli.h"
#include "harness.h"

#define MAXARGS 32

static char tmpdir[256];
/* The output options of the last cli() call. */
static struct mp_output_options out_opt;

/* mp_cli_parse over a NULL-terminated list of arguments (argv[0] added). */
static int
cli(struct mp_account *a, char *err, size_t errlen, ...)
{
	char *argv[MAXARGS + 1];
	int argc = 0;
	va_list ap;

	argv[argc++] = "mailprobe";
	va_start(ap, errlen);
	while (argc < MAXARGS && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return mp_cli_parse(argc, argv, a, &out_opt, err, errlen);
}

/* A usage error whose message names the option (and leaves nothing owned). */
#define CLI_BAD(opt, ...)                                                                          \
	do {                                                                                       \
		struct mp_account a_;                                                              \
		char e_[512];                                                                      \
		int rc_ = cli(&a_, e_, sizeof(e_), __VA_ARGS__, (char *)NULL);                     \
		CHECK(rc_ == -1, "usage error: " opt);                                             \
		CHECK(strstr(e_, opt) != NULL && strchr(e_, '\n') == NULL,                         \
		      "error names " opt " on one line");                                          \
		if (strstr(e_, opt) == NULL)                                                       \
			fprintf(stderr, "     err: %s\n", e_);                                     \
		CHECK(a_.password == NULL, "nothing left owned: " opt);                            \
	} while (0)

static void
write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1 || write(fd, data, len) != (ssize_t)len)
		perror(path);
	if (fd != -1)
		close(fd);
}

static void
tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void
remove_tmpdir(void)
{
	static const char *const names[] = {"ca.pem", "pw", "empty", "big"};
	char path[300];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tmp_path(path, sizeof(path), names[i]);
		unlink(path);
	}
	if (rmdir(tmpdir) == -1)
		perror(tmpdir);
}

static void
test_endpoint_parse(void)
{
	static const char *const bad[] = {
	    "",
	    "smtp",
	    "smtp:587",
	    "smtp:587:",
	    ":587:tls",
	    "smtp::tls",
	    "smtp:0:tls",
	    "smtp:65536:tls",
	    "smtp:5a7:tls",
	    "smtp:-1:tls",
	    "smtp:+25:tls",
	    "smtp: 587:tls",
	    "smtp:*:tls",
	    "ftp:21:tls",
	    "smtp:587:ssl",
	    "smtp:587:tls:x",
	    "smtp:587:tls:",
	    "smtp:0000587:tls",
	    "\x01\x02\x03:x",
	    "imap:993:tls\n",
	};
	struct mp_endpoint_spec e;
	char err[256];

	CHECK(mp_endpoint_parse("smtp:587:starttls", &e, err, sizeof(err)) == 0, "smtp 587");
	CHECK(e.proto == PROTO_SMTP && e.port == 587 && e.security == SEC_STARTTLS, "fields");
	CHECK(mp_endpoint_parse("imap:993:tls", &e, err, sizeof(err)) == 0, "imap 993");
	CHECK(e.proto == PROTO_IMAP && e.port == 993 && e.security == SEC_TLS, "imap fields");
	CHECK(mp_endpoint_parse("pop3:65535:none", &e, err, sizeof(err)) == 0, "port 65535");
	CHECK(e.proto == PROTO_POP3 && e.port == 65535 && e.security == SEC_NONE, "pop3 fields");
	CHECK(mp_endpoint_parse("smtp:1:tls", &e, err, sizeof(err)) == 0, "port 1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK(mp_endpoint_parse(bad[i], &e, err, sizeof(err)) == -1, "bad endpoint");
		CHECK(err[0] != '\0' && strchr(err, '\n') == NULL, "one-line reason");
	}
	mp_endpoint_parse("smtp:0:tls", &e, err, sizeof(err));
	CHECK(strstr(err, "port") != NULL, "port named");
	mp_endpoint_parse("ftp:21:tls", &e, err, sizeof(err));
	CHECK(strstr(err, "protocol") != NULL, "protocol named");
	mp_endpoint_parse("smtp:25:ssl", &e, err, sizeof(err));
	CHECK(strstr(err, "security") != NULL, "security named");
}

static void
test_pin_parse_good(void)
{
	struct mp_pin p;
	char err[256];

	CHECK(mp_pin_parse("mail.example.com:993:198.18.0.10", &p, err, sizeof(err)) == 0,
	      "one pin");
	CHECK_STR(p.host, "mail.example.com", "pin host");
	CHECK(p.port == 993 && p.naddr == 1, "pin port/naddr");
	CHECK_STR(p.addrs[0], "198.18.0.10", "pin addr");
	CHECK(mp_pin_parse("mx:*:198.18.0.10,198.18.0.11", &p, err, sizeof(err)) == 0, "star");
	CHECK(p.port == 0 && p.naddr == 2, "star port 0, 2 addrs");
	CHECK_STR(p.addrs[1], "198.18.0.11", "second addr");
	CHECK(mp_pin_parse("h:25:[2001:DB8::1],192.0.2.1", &p, err, sizeof(err)) == 0, "v6");
	CHECK_STR(p.addrs[0], "2001:db8::1", "v6 canonical, no brackets");
	CHECK_STR(p.addrs[1], "192.0.2.1", "mixed");
	CHECK(mp_pin_parse("h:25:2001:db8::2", &p, err, sizeof(err)) == 0, "bare v6");
	CHECK_STR(p.addrs[0], "2001:db8::2", "bare v6 addr");
	CHECK(mp_pin_parse("h:25:1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8",
			   &p, err, sizeof(err)) == 0,
	      "8 addresses");
	CHECK(p.naddr == 8, "8 stored");
}

static void
test_pin_parse_bad(void)
{
	static const char *const bad[] = {
	    "",
	    "h",
	    "h:993",
	    "h:993:",
	    "h::1.2.3.4",
	    ":993:1.2.3.4",
	    "h:0:1.2.3.4",
	    "h:65536:1.2.3.4",
	    "h:9a:1.2.3.4",
	    "h:993:1.2.3.4,",
	    "h:993:1.2.3.4,,1.2.3.5",
	    ",h:993:1.2.3.4",
	    "h:993:999.1.1.1",
	    "h:993:[1.2.3.4]",
	    "h:993:[2001:db8::1",
	    "h:993:example.com",
	    "bad host:993:1.2.3.4",
	    "h:993:1.2.3.4 ",
	    "h\n:993:1.2.3.4",
	    "h:993:1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,9.9.9.9",
	    "!!@@##$$%%^^&&**",
	};
	char longhost[400], arg[512], err[256];
	struct mp_pin p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK(mp_pin_parse(bad[i], &p, err, sizeof(err)) == -1, "bad pin");
		CHECK(err[0] != '\0' && strchr(err, '\n') == NULL, "one-line pin reason");
	}
	mp_pin_parse("h:25:1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,9.9.9.9",
		     &p, err, sizeof(err));
	CHECK(strstr(err, "more than 8") != NULL, "too many addresses named");
	memset(longhost, 'a', 300);
	longhost[300] = '\0';
	snprintf(arg, sizeof(arg), "%s:993:1.2.3.4", longhost);
	CHECK(mp_pin_parse(arg, &p, err, sizeof(err)) == -1, "overlong host");
	memset(longhost, 'a', sizeof(longhost) - 1);
	longhost[sizeof(longhost) - 1] = '\0';
	CHECK(mp_pin_parse(longhost, &p, err, sizeof(err)) == -1, "long garbage");
	CHECK(strlen(err) < 200, "quoted value is cut");
}

static void
test_pin_find(void)
{
	struct mp_account a;
	char err[256];

	mp_account_init(&a);
	mp_pin_parse("mail.example.com:*:192.0.2.1", &a.pins[a.npins++], err, sizeof(err));
	mp_pin_parse("mail.example.com:587:192.0.2.2", &a.pins[a.npins++], err, sizeof(err));
	CHECK(mp_pin_find(&a, "MAIL.example.com", 587) == &a.pins[1], "port pin beats *");
	CHECK(mp_pin_find(&a, "mail.example.com.", 993) == &a.pins[0], "star pin");
	CHECK(mp_pin_find(&a, "other.example.com", 993) == NULL, "other host");
	mp_account_cleanup(&a);
}

static void
test_account_defaults(void)
{
	struct mp_account a;
	char buf[64];

	mp_account_init(&a);
	CHECK(a.nendpoints == 4, "four default endpoints");
	mp_endpoint_spec_str(&a.endpoints[0], buf, sizeof(buf));
	CHECK_STR(buf, "imap:993:tls", "first default");
	mp_endpoint_spec_str(&a.endpoints[2], buf, sizeof(buf));
	CHECK_STR(buf, "smtp:587:starttls", "third default");
	CHECK(a.timeout == 10.0 && a.cert_warn_days == 14 && a.cert_crit_days == 3, "numbers");
	CHECK(out_opt.format == FORMAT_TEXT && out_opt.lang == LANG_EN, "text, en");
	CHECK(a.helo[0] != '\0' && mp_host_valid(a.helo), "helo default");
	mp_account_ports_all(&a);
	CHECK(a.nendpoints == 7, "ports all adds three");
	mp_account_ports_all(&a);
	CHECK(a.nendpoints == 7, "ports all twice adds nothing");
	mp_endpoint_spec_str(&a.endpoints[6], buf, sizeof(buf));
	CHECK_STR(buf, "smtp:25:starttls", "port 25 last");
	mp_account_cleanup(&a);
}

static void
test_host_valid(void)
{
	char longname[300];

	CHECK(mp_host_valid("mail.example.com"), "name");
	CHECK(mp_host_valid("mail.example.com."), "trailing dot");
	CHECK(mp_host_valid("198.18.0.10") && mp_host_valid("2001:db8::1"), "ip literals");
	CHECK(!mp_host_valid("") && !mp_host_valid(".") && !mp_host_valid("a..b"), "empty labels");
	CHECK(!mp_host_valid("-a.example") && !mp_host_valid("a b") && !mp_host_valid("a/b"),
	      "bad chars");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(!mp_host_valid(longname), "overlong");
}

static void
test_cli_good(void)
{
	struct mp_account a;
	char err[512], ca[300];

	tmp_path(ca, sizeof(ca), "ca.pem");
	write_file(ca, "x\n", 2);
	CHECK(cli(&a, err, sizeof(err), "--timeout", "2.5", "--ports=all", "-6", "--helo",
		  "client.example.net", "--format=json", "--report", "out.html", "--client-config",
		  "/tmp/cc", "--lang", "de", "--redact-user", "--trace", "--insecure-login",
		  "--cert-warn-days", "30", "--cert-crit-days=7", "--discover", "example.org",
		  "--deliver-timeout", "90", "--ca-file", ca, "--resolve",
		  "mail.example.com:*:192.0.2.1", "mail.example.com", NULL) == 0,
	      "all options");
	if (err[0] != '\0')
		fprintf(stderr, "     err: %s\n", err);
	CHECK_STR(a.host, "mail.example.com", "host");
	CHECK(a.address[0] == '\0' && a.user[0] == '\0' && a.password == NULL, "no account");
	CHECK(a.timeout == 2.5 && a.deliver_timeout == 90.0, "timeouts");
	CHECK(a.nendpoints == 7 && a.family == FAMILY_V6, "ports all, -6");
	CHECK_STR(a.helo, "client.example.net", "helo");
	CHECK(out_opt.format == FORMAT_JSON, "json");
	CHECK_STR(out_opt.report_file, "out.html", "report");
	CHECK_STR(out_opt.client_config_dir, "/tmp/cc", "client config");
	CHECK(out_opt.lang == LANG_DE, "lang");
	CHECK(a.redact_user && out_opt.trace && a.insecure_login && !a.deliver, "flags");
	CHECK(a.cert_warn_days == 30 && a.cert_crit_days == 7, "cert days");
	CHECK_STR(a.discover, "example.org", "discover");
	CHECK_STR(a.ca_file, ca, "ca file");
	CHECK(a.npins == 1 && a.pins[0].port == 0, "pin");
	mp_account_cleanup(&a);

	CHECK(cli(&a, err, sizeof(err), "--endpoint", "smtp:2525:starttls",
		  "--endpoint=imap:143:none", "--endpoint", "smtp:2525:starttls", "-4", "--helo",
		  "192.0.2.7", "--", "198.18.0.10", NULL) == 0,
	      "endpoints");
	CHECK(a.nendpoints == 2 && a.endpoints[0].port == 2525 && a.endpoints[1].port == 143,
	      "--endpoint replaces the set, repeats ignored");
	CHECK(a.family == FAMILY_V4, "-4");
	CHECK_STR(a.helo, "[192.0.2.7]", "helo address literal");
	CHECK_STR(a.host, "198.18.0.10", "ip host");
	mp_account_cleanup(&a);

	CHECK(cli(&a, err, sizeof(err), "[2001:db8::5]", "--format", "nagios", NULL) == 0,
	      "bracketed v6 host, option after it");
	CHECK_STR(a.host, "2001:db8::5", "v6 host without brackets");
	CHECK(out_opt.format == FORMAT_NAGIOS, "nagios");
	mp_account_cleanup(&a);
}

static void
test_cli_bad_values(void)
{
	CLI_BAD("--timeout", "--timeout", "abc", "h");
	CLI_BAD("--timeout", "--timeout=0", "h");
	CLI_BAD("--timeout", "--timeout", "-1", "h");
	CLI_BAD("--timeout", "--timeout", "3601", "h");
	CLI_BAD("--timeout", "--timeout", "1e3", "h");
	CLI_BAD("--timeout", "--timeout", "", "h");
	CLI_BAD("--timeout", "--timeout", "nan", "h");
	CLI_BAD("--timeout", "h", "--timeout");
	CLI_BAD("--deliver-timeout", "--deliver-timeout", "0", "h");
	CLI_BAD("--ports", "--ports", "some", "h");
	CLI_BAD("--ports", "--ports", "all", "--endpoint", "smtp:25:none", "h");
	CLI_BAD("--endpoint", "--endpoint", "smtp:0:tls", "h");
	CLI_BAD("--endpoint", "--endpoint", "x", "h");
	CLI_BAD("--resolve", "--resolve", "h:993:", "h");
	CLI_BAD("--resolve", "--resolve=h:*:not-an-ip", "h");
	CLI_BAD("-6", "-4", "-6", "h");
	CLI_BAD("--helo", "--helo", "a b", "h");
	CLI_BAD("--helo", "--helo", "x\r\nRSET", "h");
	CLI_BAD("--format", "--format", "xml", "h");
	CLI_BAD("--report", "--report", "out.pdf", "h");
	CLI_BAD("--report", "--report", "out", "h");
	CLI_BAD("--report", "--report", "dir/.md", "h");
	CLI_BAD("--client-config", "--client-config", "", "h");
	CLI_BAD("--lang", "--lang", "fr", "h");
	CLI_BAD("--cert-warn-days", "--cert-warn-days", "-1", "h");
	CLI_BAD("--cert-warn-days", "--cert-warn-days", "x", "h");
	CLI_BAD("--cert-crit-days", "--cert-crit-days", "1.5", "h");
	CLI_BAD("--cert-crit-days", "--cert-crit-days", "20", "h");
	CLI_BAD("--discover", "--discover", "not a domain", "h");
	CLI_BAD("--mail-from", "--mail-from", "nobody", "h");
	CLI_BAD("--rcpt-to", "--rcpt-to", "a b@example.com", "h");
	CLI_BAD("--ca-file", "--ca-file", "/nonexistent/ca.pem", "h");
	CLI_BAD("--user", "--user", "", "h");
	CLI_BAD("--user", "--user", "--trace", "h");
	CLI_BAD("--trace", "--trace=yes", "h");
	CLI_BAD("--deliver", "--deliver", "h");
	CLI_BAD("--mail-from", "--user", "u", "--mail-from", "a@example.com", "h");
	CLI_BAD("unknown option", "--frobnicate", "h");
	CLI_BAD("HOST", "not a host");
	CLI_BAD("ADDRESS", "@example.com");
	CLI_BAD("ADDRESS", "user@not a domain");
	CLI_BAD("HOST", "-");
}

static void
test_cli_positional(void)
{
	struct mp_account a;
	char err[512];

	CHECK(cli(&a, err, sizeof(err), NULL) == -1, "no host");
	CHECK(strstr(err, "HOST") != NULL, "missing host named");
	CHECK(cli(&a, err, sizeof(err), "a.example", "b.example", NULL) == -1, "two hosts");
	CHECK(strstr(err, "b.example") == NULL, "extra argument not echoed (could be a secret)");
	CHECK(cli(&a, err, sizeof(err), "--user", "u", "--", "--x", NULL) == -1, "-- then bad");

	CHECK(cli(&a, err, sizeof(err), "john@example.com", NULL) == 0, "address");
	CHECK_STR(a.address, "john@example.com", "address kept");
	CHECK_STR(a.host, "example.com", "host from address");
	CHECK_STR(a.user, "john@example.com", "user from address");
	CHECK(a.password == NULL, "no password");
	mp_account_cleanup(&a);

	CHECK(cli(&a, err, sizeof(err), "--user", "jd", "john@example.com", NULL) == 0,
	      "--user wins");
	CHECK_STR(a.user, "jd", "user given");
	mp_account_cleanup(&a);
}

static void
test_cli_password_argv(void)
{
	static const char *const opts[] = {"--password", "--password=hunter2xyz", "--pass",
					   "--passwd=hunter2xyz", "-phunter2xyz"};
	struct mp_account a;
	char err[512];

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		CHECK(cli(&a, err, sizeof(err), "--user", "u", (char *)opts[i], "hunter2xyz", "h",
			  NULL) == -1,
		      "password in argv refused");
		CHECK(strstr(err, "argv") != NULL, "says passwords never go in argv");
		CHECK(strstr(err, "hunter2xyz") == NULL, "password not echoed");
	}
	CHECK(cli(&a, err, sizeof(err), "--frobnicate=hunter2xyz", "h", NULL) == -1, "unknown");
	CHECK(strstr(err, "hunter2xyz") == NULL, "unknown option value not echoed");
}

static void
test_cli_password_file(void)
{
	struct mp_account a;
	char err[512], pw[300], empty[300], big[300], dir[300];
	char data[MP_SECRET_MAX + 2];

	tmp_path(pw, sizeof(pw), "pw");
	tmp_path(empty, sizeof(empty), "empty");
	tmp_path(big, sizeof(big), "big");
	write_file(pw, "s3cret pass\r\n", 13);
	write_file(empty, "\n", 1);
	memset(data, 'x', sizeof(data));
	write_file(big, data, sizeof(data));
	snprintf(dir, sizeof(dir), "%s", tmpdir);

	CHECK(cli(&a, err, sizeof(err), "--user", "u", "--password-file", pw, "h", NULL) == 0,
	      "password file");
	CHECK(a.password != NULL && strcmp(a.password->buf, "s3cret pass") == 0, "CRLF stripped");
	mp_account_cleanup(&a);
	CHECK(a.password == NULL, "cleanup frees");
	CHECK(cli(&a, err, sizeof(err), "--password-file", pw, "u@example.com", NULL) == 0,
	      "address is the user");
	mp_account_cleanup(&a);

	CLI_BAD("--password-file", "--password-file", pw, "h");
	CLI_BAD("--password-file /nonexistent/pw: No such file or directory", "--user", "u",
		"--password-file", "/nonexistent/pw", "h");
	CLI_BAD("is empty", "--user", "u", "--password-file", empty, "h");
	CLI_BAD("longer than 4096", "--user", "u", "--password-file", big, "h");
	CLI_BAD("is a directory", "--user", "u", "--password-file", dir, "h");
	CLI_BAD("--password-file", "--user", "u", "--password-file=", "h");
	CLI_BAD("--password-stdin", "--user", "u", "--password-file", pw, "--password-stdin", "h");
}

/* Runs the parser with data on stdin (through a pipe). */
static int
cli_stdin(struct mp_account *a, char *err, size_t errlen, const char *data)
{
	int p[2], saved = dup(STDIN_FILENO), rc;

	if (pipe(p) == -1 || write(p[1], data, strlen(data)) != (ssize_t)strlen(data))
		return -2;
	close(p[1]);
	dup2(p[0], STDIN_FILENO);
	close(p[0]);
	rc = cli(a, err, errlen, "--password-stdin", "--user", "u", "h", NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return rc;
}

static void
test_cli_password_stdin_env(void)
{
	struct mp_account a;
	char err[512], pw[300];

	CHECK(cli_stdin(&a, err, sizeof(err), "from-stdin\n") == 0, "stdin");
	CHECK(a.password != NULL && strcmp(a.password->buf, "from-stdin") == 0, "stdin value");
	mp_account_cleanup(&a);
	CHECK(cli_stdin(&a, err, sizeof(err), "") == -1, "empty stdin");
	CHECK(strstr(err, "--password-stdin") != NULL, "stdin error named");
	CHECK(cli_stdin(&a, err, sizeof(err), "two\nlines\n") == -1, "two lines");

	setenv(MP_PASSWORD_ENV, "from-env", 1);
	CHECK(cli(&a, err, sizeof(err), "--user", "u", "h", NULL) == 0, "env password");
	CHECK(a.password != NULL && strcmp(a.password->buf, "from-env") == 0, "env value");
	CHECK(getenv(MP_PASSWORD_ENV) == NULL, "env unset after reading");
	mp_account_cleanup(&a);

	setenv(MP_PASSWORD_ENV, "from-env", 1);
	CHECK(cli(&a, err, sizeof(err), "h", NULL) == -1, "env password without user");
	CHECK(strstr(err, MP_PASSWORD_ENV) != NULL && strstr(err, "--user") != NULL,
	      "names source and --user");
	CHECK(getenv(MP_PASSWORD_ENV) == NULL, "env unset after an error too");

	tmp_path(pw, sizeof(pw), "pw");
	setenv(MP_PASSWORD_ENV, "from-env", 1);
	CLI_BAD("--password-file", "--user", "u", "--password-file", pw, "h");
	CHECK(getenv(MP_PASSWORD_ENV) == NULL, "env unset after two sources");

	setenv(MP_PASSWORD_ENV, "", 1);
	CHECK(cli(&a, err, sizeof(err), "--user", "u", "h", NULL) == 0, "empty env ignored");
	CHECK(a.password == NULL && getenv(MP_PASSWORD_ENV) == NULL, "and removed");
	mp_account_cleanup(&a);

	setenv(MP_PASSWORD_ENV, "pw", 1);
	CHECK(cli(&a, err, sizeof(err), "--user", "u", "--deliver", "--mail-from", "a@example.com",
		  "--rcpt-to", "b@example.com", "h", NULL) == 0,
	      "deliver and send with credentials");
	CHECK(a.deliver && strcmp(a.rcpt_to, "b@example.com") == 0, "deliver, rcpt");
	mp_account_cleanup(&a);
}

/* Runs the parser with stdout sent to /dev/null. */
static int
cli_quiet(struct mp_account *a, char *err, size_t errlen, char *opt)
{
	int devnull = open("/dev/null", O_WRONLY), saved, rc;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(devnull, STDOUT_FILENO);
	rc = cli(a, err, errlen, opt, NULL);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(devnull);
	return rc;
}

static void
test_cli_help_version(void)
{
	struct mp_account a;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *f;

	CHECK(cli_quiet(&a, err, sizeof(err), "--help") == 1, "--help");
	CHECK(cli_quiet(&a, err, sizeof(err), "-h") == 1, "-h");
	CHECK(cli_quiet(&a, err, sizeof(err), "--version") == 1, "--version");
	f = open_memstream(&buf, &len);
	mp_cli_version(f);
	fclose(f);
	CHECK(strncmp(buf, "mailprobe 0.1.0 (OpenSSL ", 25) == 0, "version line");
	CHECK(strchr(buf, '\n') == buf + strlen(buf) - 1, "one line");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	mp_cli_usage(f);
	fclose(f);
	CHECK(strstr(buf, "--password-file") && strstr(buf, "--deliver-timeout") &&
		  strstr(buf, "Exit codes"),
	      "usage lists options and exit codes");
	free(buf);
}

static void
test_cli_twice(void)
{
	struct mp_account a, b;
	char err[512];

	CHECK(cli(&a, err, sizeof(err), "--timeout", "3", "--endpoint", "smtp:25:none", "h",
		  NULL) == 0,
	      "first call");
	CHECK(cli(&b, err, sizeof(err), "--timeout", "3", "--endpoint", "smtp:25:none", "h",
		  NULL) == 0,
	      "second call");
	CHECK(a.nendpoints == 1 && b.nendpoints == 1 && b.timeout == 3.0, "same result");
	mp_account_cleanup(&a);
	mp_account_cleanup(&b);
}

static void
test_secret(void)
{
	struct mp_secret *s, *d;
	char err[256];
	int p[2];

	s = mp_secret_from_mem("abc", 3);
	d = mp_secret_dup(s);
	CHECK(d != NULL && d->len == 3 && strcmp(d->buf, "abc") == 0, "dup");
	mp_secret_free(s);
	mp_secret_free(d);
	mp_secret_free(NULL);

	if (pipe(p) == 0) {
		CHECK(write(p[1], "a\0b\n", 4) == 4, "write");
		close(p[1]);
		CHECK(mp_secret_from_fd(p[0], "pipe", err, sizeof(err)) == NULL, "NUL refused");
		CHECK(strstr(err, "pipe: ") == err && strstr(err, "NUL") != NULL, "says NUL");
		close(p[0]);
	}
	CHECK(mp_secret_from_env("MAILPROBE_TEST_UNSET", err, sizeof(err)) == NULL, "unset env");
	CHECK(strstr(err, "MAILPROBE_TEST_UNSET") != NULL, "names the variable");
	mp_wipe(err, sizeof(err));
	CHECK(err[0] == '\0' && err[sizeof(err) - 1] == '\0', "wiped");
}

int
main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/mp-test-account-XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	unsetenv(MP_PASSWORD_ENV);
	test_endpoint_parse();
	test_pin_parse_good();
	test_pin_parse_bad();
	test_pin_find();
	test_account_defaults();
	test_host_valid();
	test_cli_good();
	test_cli_bad_values();
	test_cli_positional();
	test_cli_password_argv();
	test_cli_password_file();
	test_cli_password_stdin_env();
	test_cli_help_version();
	test_cli_twice();
	test_secret();
	remove_tmpdir();
	return test_report();
}
