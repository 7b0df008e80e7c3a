/*
 * Unit tests of the exporter's config loader and duration parser: defaults,
 * every kind of error with its JSON path, warnings for unknown keys,
 * password files relative to the config or $CREDENTIALS_DIRECTORY, and the
 * normalised allow entries. Files are written to a fresh temp folder.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exporter/config.h"
#include "exporter/duration.h"
#include "exporter/token_source.h"
#include "harness.h"

static char dir[64];

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* Loads text as dir/c.json; rep gets the report. */
static struct config *
load(const char *text, struct cfg_report *rep)
{
	char path[256];

	write_file("c.json", text);
	snprintf(path, sizeof(path), "%s/c.json", dir);
	return config_load(path, rep);
}

/* The load fails and the error contains want. */
static void
bad(const char *text, const char *want)
{
	struct cfg_report rep;
	struct config *c = load(text, &rep);

	CHECK(c == NULL && strstr(rep.error, want) != NULL, want);
	if (c != NULL || strstr(rep.error, want) == NULL)
		fprintf(stderr, "     error was \"%s\"\n", rep.error);
	config_put(c);
}

static void
test_durations(void)
{
	double s = -1;

	CHECK(duration_parse("500ms", &s) == 0 && s == 0.5, "500ms");
	CHECK(duration_parse("10s", &s) == 0 && s == 10, "10s");
	CHECK(duration_parse("1m", &s) == 0 && s == 60, "1m");
	CHECK(duration_parse("1h30m", &s) == 0 && s == 5400, "1h30m");
	CHECK(duration_parse("1d", &s) == 0 && s == 86400, "1d");
	CHECK(duration_parse("0", &s) == 0 && s == 0, "0");
	CHECK(duration_parse("1m1h", &s) < 0, "units out of order");
	CHECK(duration_parse("1s1s", &s) < 0, "unit twice");
	CHECK(duration_parse("10x", &s) < 0, "unknown unit");
	CHECK(duration_parse("1.5s", &s) < 0, "no fractions");
	CHECK(duration_parse("", &s) < 0 && duration_parse("s", &s) < 0, "empty, no number");
	CHECK(duration_parse("10", &s) < 0, "no unit");
	CHECK(duration_parse("99999999999999999999s", &s) < 0, "overlong number");
}

static void
test_defaults(void)
{
	struct cfg_report rep;
	struct config *c = load("{\"targets\": [{\"host\": \"Mail.Example.com\"}]}", &rep);

	CHECK(c != NULL, "three-line config loads");
	if (c == NULL)
		return;
	CHECK(c->ntargets == 1 && strcmp(c->targets[0].name, "mail.example.com") == 0,
	      "name defaults to the host, lower case");
	CHECK(c->targets[0].interval == 60 && c->targets[0].module == 0, "interval 60s, default");
	CHECK(strcmp(c->modules[0].name, "default") == 0 && c->modules[0].nendpoints == 4 &&
		  c->modules[0].timeout == 10,
	      "built-in module default");
	CHECK(c->nlisten == 1 && strcmp(c->listen[0], ":9925") == 0, "listen :9925");
	CHECK(c->max_concurrent_probes == 32, "max_concurrent_probes 32");
	CHECK(rep.nwarnings == 0, "no warnings");
	CHECK(config_target_by_host(c, "MAIL.example.com.") == &c->targets[0], "host lookup");
	config_put(c);
	c = config_load(NULL, &rep);
	CHECK(c != NULL && c->ntargets == 0 && c->nmodules == 1, "built-in config without file");
	config_put(c);
}

static void
test_errors(void)
{
	bad("{\"targets\": [\n{\"host\": }]}", "invalid JSON at line 2, column 10");
	bad("[]", "the top level must be a JSON object");
	bad("{\"targets\": [{\"host\": \"a.example\", \"interval\": \"10x\"}]}",
	    "targets[0].interval: \"10x\" is not a duration");
	bad("{\"targets\": [{\"host\": \"a.example\"}, {\"name\": \"x\"}]}",
	    "targets[1]: host is missing");
	bad("{\"targets\": [{\"host\": \"a.example\", \"module\": \"nope\"}]}",
	    "targets[0].module: no module named \"nope\"");
	bad("{\"targets\": [{\"host\": \"a.example:25\"}]}", "targets[0].host: not a host name");
	bad("{\"targets\": [{\"host\": \"a.example\"}, {\"host\": \"a.example\"}]}",
	    "targets[1]: the name \"a.example\" is used twice");
	bad("{\"modules\": {\"m\": {\"endpoints\": [\"imap:993:tls\", \"smtp:0:tls\"]}}}",
	    "modules.m.endpoints[1]: \"smtp:0:tls\": port");
	bad("{\"modules\": {\"m\": {\"endpoints\": [\"imap:993:tls\", \"imap:993:tls\"]}}}",
	    "modules.m.endpoints[1]: listed twice");
	bad("{\"modules\": {\"m\": {\"timeout\": 10}}}", "modules.m.timeout: expected a string");
	/* found by fuzz_config: a key with a newline made a two-line error */
	bad("{\"modules\": {\"a\\nb\": {}}}",
	    "modules.\"a\\x0ab\": a module name must not contain control characters");
	bad("{\"modules\": {\"m\": {\"cert_warn_days\": -1}}}", "modules.m.cert_warn_days");
	bad("{\"targets\": [{\"host\": \"a.example\", \"labels\": {\"target\": \"x\"}}]}",
	    "targets[0].labels.target: the label name target is used");
	bad("{\"targets\": [{\"host\": \"a.example\", \"labels\": {\"vantage\": \"x\"}}]}",
	    "scrape config");
	bad("{\"targets\": [{\"host\": \"a.example\", \"labels\": {\"9x\": \"x\"}}]}",
	    "targets[0].labels.9x: not a label name");
	bad("{\"targets\": [{\"host\": \"a.example\", \"resolve\": [\"a.example:x:1.2.3.4\"]}]}",
	    "targets[0].resolve[0]");
	bad("{\"targets\": [{\"host\": \"a.example\", \"interval\": \"500ms\"}]}",
	    "targets[0]: interval under 1s");
	bad("{\"allow\": [\"ok.example\", \"bad host\"]}", "allow[1]");
	bad("{\"listen\": \"9925\"}", "listen: expected HOST:PORT");
	bad("{\"listen\": [\":1\", \"::1:2\"]}", "listen[1]: expected HOST:PORT");
	bad("{\"web\": {\"max_concurrent_probes\": 0}}",
	    "web.max_concurrent_probes: 0 is out of range");
	bad("{\"web\": {\"basic_auth_users\": {\"prom\": \"plain\"}}}",
	    "web.basic_auth_users.prom: expected a bcrypt hash");
	bad("{\"web\": {\"tls_cert_file\": \"c.json\"}}",
	    "web: tls_cert_file and tls_key_file go together");
	bad("{\"web\": {\"tls_cert_file\": \"missing.pem\", \"tls_key_file\": \"c.json\"}}",
	    "web.tls_cert_file: cannot read");
	bad("{\"modules\": {\"m\": {\"ca_file\": \"missing.pem\"}}}", "modules.m.ca_file");
}

static void
test_credentials(void)
{
	struct cfg_report rep;
	struct config *c;
	char cd[128];

	write_file("pw", "s3cret\n");
	c = load("{\"modules\": {\"m\": {\"credentials\": {\"user\": \"u@example.com\", "
		 "\"password_file\": \"pw\"}, \"credential_hosts\": [\"mail.example.com\"]}}}",
		 &rep);
	CHECK(c != NULL && c->modules[1].cred.present &&
		  strcmp(c->modules[1].cred.password->buf, "s3cret") == 0,
	      "password_file relative to the config's folder");
	config_put(c);
	snprintf(cd, sizeof(cd), "%s/creds", dir);
	write_file("pw", "");
	CHECK(mkdir(cd, 0700) == 0, "mkdir");
	write_file("creds/pw", "from-credentials-dir\n");
	setenv("CREDENTIALS_DIRECTORY", cd, 1);
	c = load("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
		 "\"password_file\": \"pw\"}}]}",
		 &rep);
	CHECK(c != NULL && strcmp(c->targets[0].cred.password->buf, "from-credentials-dir") == 0,
	      "$CREDENTIALS_DIRECTORY wins");
	config_put(c);
	unsetenv("CREDENTIALS_DIRECTORY");
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
	    "\"password_file\": \"nope\"}}]}",
	    "targets[0].credentials.password_file");
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
	    "\"password\": \"x\"}}]}",
	    "a password is never accepted inline");
	bad("{\"modules\": {\"m\": {\"credentials\": {\"password_file\": \"pw\"}}}}",
	    "modules.m.credentials: user is missing");
}

/* An OAuth2 access token instead of a password: exactly one of the two. */
static void
test_oauth2_token(void)
{
	struct cfg_report rep;
	struct config *c;
	struct mp_deadline dl;
	struct mp_secret *tok;
	char why[256];

	mp_deadline_in(&dl, 5);
	write_file("tok", "ya29.token\n");
	c = load("{\"modules\": {\"m\": {\"credentials\": {\"user\": \"u@example.com\", "
		 "\"oauth2_token_file\": \"tok\"}, \"credential_hosts\": [\"mail.example.com\"]}}}",
		 &rep);
	tok = c != NULL ? token_source_get(c->modules[1].cred.token, NULL, &dl, why, sizeof(why))
			: NULL;
	CHECK(c != NULL && c->modules[1].cred.present && c->modules[1].cred.oauth2 && tok != NULL &&
		  strcmp(tok->buf, "ya29.token") == 0 &&
		  !token_source_is_grant(c->modules[1].cred.token),
	      "oauth2_token_file: the token, marked as one");
	mp_secret_free(tok);
	/* a new token in the file (another size, so the change shows at once) */
	write_file("tok", "ya29.second-token\n");
	tok = c != NULL ? token_source_get(c->modules[1].cred.token, NULL, &dl, why, sizeof(why))
			: NULL;
	CHECK(tok != NULL && strcmp(tok->buf, "ya29.second-token") == 0,
	      "oauth2_token_file: a changed file is read again");
	mp_secret_free(tok);
	config_put(c);
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
	    "\"password_file\": \"tok\", \"oauth2_token_file\": \"tok\"}}]}",
	    "targets[0].credentials: password_file and oauth2_token_file: give one");
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\"}}]}",
	    "targets[0].credentials: password_file (or oauth2_token_file, or "
	    "oauth2_refresh_token_file) is missing");
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
	    "\"oauth2_token_file\": \"nope\"}}]}",
	    "targets[0].credentials.oauth2_token_file");
}

#define GRANT_MODULE(extra)                                                                        \
	"{\"modules\": {\"m\": {\"credential_hosts\": [\"mail.example.com\"], \"credentials\": "   \
	"{\"user\": \"u@example.com\", \"oauth2_refresh_token_file\": \"refresh\"" extra "}}}}"
#define GRANT_OK                                                                                   \
	", \"oauth2_token_url\": \"https://login.example.com/token\", "                            \
	"\"oauth2_client_id\": \"client-1\""

#define GRANT_FULL                                                                                 \
	GRANT_MODULE(GRANT_OK                                                                      \
		     ", \"oauth2_client_secret_file\": \"csecret\", "                              \
		     "\"oauth2_scope\": \"https://mail.example/.default offline_access\"")

/* Loads GRANT_FULL again over c, as a reload does: whether the grant
 * module's token source is c's. */
static bool
reload_keeps(struct config *c, struct cfg_report *rep)
{
	struct config *c2 = load(GRANT_FULL, rep);
	bool kept;

	if (c == NULL || c2 == NULL) {
		config_put(c2);
		return false;
	}
	config_keep_tokens(c2, c);
	kept = c2->modules[1].cred.token == c->modules[1].cred.token;
	config_put(c2);
	return kept;
}

/* The refresh grant's settings and each error naming its field. */
static void
test_oauth2_grant(void)
{
	struct cfg_report rep;
	struct config *c;
	struct token_stats ts;

	write_file("refresh", "1//refresh-token\n");
	write_file("csecret", "client-secret\n");
	c = load(GRANT_FULL, &rep);
	CHECK(c != NULL && c->modules[1].cred.oauth2 &&
		  token_source_is_grant(c->modules[1].cred.token),
	      "refresh grant: a grant source");
	CHECK(c != NULL && token_source_stats(c->modules[1].cred.token, &ts) && !ts.tried &&
		  ts.grants[TOKEN_GRANTED] == 0,
	      "refresh grant: no grant before a probe needs one");
	/* a reload with the same settings keeps the source (and its token) */
	CHECK(reload_keeps(c, &rep), "reload, nothing changed: the source is kept");
	write_file("refresh", "1//another-refresh-token\n");
	CHECK(c != NULL && !reload_keeps(c, &rep),
	      "reload, a new refresh token in the file: a new source");
	config_put(c);
	bad(GRANT_MODULE(", \"oauth2_client_id\": \"c\""),
	    "modules.m.credentials.oauth2_token_url: missing");
	bad(GRANT_MODULE(", \"oauth2_token_url\": \"http://login.example.com/token\", "
			 "\"oauth2_client_id\": \"c\""),
	    "modules.m.credentials.oauth2_token_url: expected an https:// URL");
	bad(GRANT_MODULE(", \"oauth2_token_url\": \"https://login.example.com/token\""),
	    "modules.m.credentials.oauth2_client_id: missing");
	bad(GRANT_MODULE(GRANT_OK ", \"oauth2_scope\": \"a\\\"b\""),
	    "modules.m.credentials.oauth2_scope: not a scope");
	bad(GRANT_MODULE(GRANT_OK ", \"oauth2_client_secret_file\": \"nope\""),
	    "modules.m.credentials.oauth2_client_secret_file:");
	bad("{\"modules\": {\"m\": {\"credential_hosts\": [\"a.example\"], \"credentials\": "
	    "{\"user\": \"u\", \"oauth2_refresh_token_file\": \"nope\"" GRANT_OK "}}}}",
	    "modules.m.credentials.oauth2_refresh_token_file:");
	bad("{\"modules\": {\"m\": {\"credential_hosts\": [\"a.example\"], \"credentials\": "
	    "{\"user\": \"u\", \"password_file\": \"refresh\", \"oauth2_client_id\": \"c\"}}}}",
	    "modules.m.credentials.oauth2_client_id: only with oauth2_refresh_token_file");
	bad("{\"modules\": {\"m\": {\"credential_hosts\": [\"a.example\"], \"credentials\": "
	    "{\"user\": \"u\", \"oauth2_token_file\": \"refresh\", "
	    "\"oauth2_refresh_token_file\": \"refresh\"" GRANT_OK "}}}}",
	    "modules.m.credentials: oauth2_token_file and oauth2_refresh_token_file: give one");
	bad("{\"targets\": [{\"host\": \"a.example\", \"credentials\": {\"user\": \"u\", "
	    "\"oauth2_refresh_token_file\": \"refresh\"" GRANT_OK "}}]}",
	    "targets[0].credentials.oauth2_refresh_token_file: the refresh grant belongs in a "
	    "module's credentials");
}

/* When a token is renewed and how long a failed grant pauses the next. */
static void
test_token_timing(void)
{
	CHECK(token_refresh_after(3600) == 2880, "1 h token: renewed at 80%");
	CHECK(token_refresh_after(120) == 60, "2 min token: 60 s before it expires");
	CHECK(token_refresh_after(10) == 5, "10 s token: not before half of it");
	CHECK(token_next_backoff(0) == TOKEN_BACKOFF_MIN, "first failure: the least pause");
	CHECK(token_next_backoff(TOKEN_BACKOFF_MIN) == 2 * TOKEN_BACKOFF_MIN, "then it doubles");
	CHECK(token_next_backoff(TOKEN_BACKOFF_MAX) == TOKEN_BACKOFF_MAX, "up to the most");
}

#define CORP_CRED "\"credentials\": {\"user\": \"u@corp.example\", \"password_file\": \"pw\"}"

/* Two modules, one with credentials: they go only to its credential_hosts. */
static void
test_credential_hosts(void)
{
	struct cfg_report rep;
	struct config *c;
	const struct cfg_module *corp, *plain;

	write_file("pw", "s3cret\n");
	c = load("{\"modules\": {\"corp\": {" CORP_CRED ", \"credential_hosts\": "
		 "[\"Mail.Corp.Example\", \"*.mx.corp.example\", \"192.0.2.7\"]}, \"plain\": {}},"
		 " \"targets\": [{\"host\": \"mail.corp.example\", \"module\": \"corp\"},"
		 " {\"host\": \"other.example\", \"module\": \"plain\"}]}",
		 &rep);
	CHECK(c != NULL, "two modules, credential_hosts given");
	if (c == NULL)
		return;
	corp = config_module(c, "corp");
	plain = config_module(c, "plain");
	CHECK(config_module_serves(corp, "mail.corp.example"), "a named host");
	CHECK(config_module_serves(corp, "a.mx.corp.example"), "a pattern");
	CHECK(config_module_serves(corp, "192.0.2.7"), "an address");
	CHECK(!config_module_serves(corp, "other.example") &&
		  !config_module_serves(corp, "mx.corp.example") &&
		  !config_module_serves(corp, "mail.corp.example.evil.test"),
	      "any other host: not with these credentials");
	CHECK(config_module_serves(plain, "other.example"), "no credentials: any host");
	config_put(c);
	bad("{\"modules\": {\"corp\": {" CORP_CRED "}, \"plain\": {}}}",
	    "modules.corp.credential_hosts: a module with credentials must name the hosts");
	bad("{\"modules\": {\"corp\": {" CORP_CRED ", \"credential_hosts\": []}}}",
	    "modules.corp.credential_hosts: a module with credentials must name the hosts");
	bad("{\"modules\": {\"corp\": {" CORP_CRED ", \"credential_hosts\": [\"a b\"]}}}",
	    "modules.corp.credential_hosts[0]");
	bad("{\"allow\": [\"a\\nb.example\"]}", "allow[0]: \"a\\x0ab.example\" is not a host name");
	bad("{\"modules\": {\"corp\": {" CORP_CRED
	    ", \"credential_hosts\": [\"mail.corp.example\"]}},"
	    " \"targets\": [{\"host\": \"other.example\", \"module\": \"corp\"}]}",
	    "targets[0]: the credentials of module \"corp\" do not belong to other.example");
}

static void
test_warnings_and_allow(void)
{
	struct cfg_report rep;
	struct config *c = load("{\"bogus\": 1, \"web\": {\"nope\": true}, \"listen\": "
				"[\"127.0.0.1:1\", \"[::1]:2\"], \"allow\": [\"::ffff:192.0.2.1\", "
				"\"2130706433\", \"*.Example.NET\"]}",
				&rep);

	CHECK(c != NULL, "unknown keys are no error");
	CHECK(rep.nwarnings == 2 && strstr(rep.warnings[0], "unknown key \"bogus\"") != NULL &&
		  strstr(rep.warnings[1], "web: unknown key \"nope\"") != NULL,
	      "unknown keys warn with their path");
	if (c == NULL)
		return;
	CHECK(c->nlisten == 2 && strcmp(c->listen[1], "[::1]:2") == 0, "listen list");
	CHECK(c->nallow == 3 && strcmp(c->allow[0], "192.0.2.1") == 0 &&
		  strcmp(c->allow[1], "127.0.0.1") == 0 &&
		  strcmp(c->allow[2], "*.example.net") == 0,
	      "allow entries normalised");
	config_put(c);
	c = load("{\"listen\": \"127.0.0.1:9\"}", &rep);
	CHECK(c != NULL && c->nlisten == 1 && strcmp(c->listen[0], "127.0.0.1:9") == 0,
	      "one listen address replaces the default");
	config_put(c);
}

static void
cleanup(void)
{
	char path[256];

	for (const char *const *n = (const char *const[]){"c.json", "pw", "tok", "refresh",
							  "csecret", "creds/pw", "creds", NULL};
	     *n != NULL; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		remove(path);
	}
	CHECK(rmdir(dir) == 0, "temp folder removed");
}

/* "control": host names or IP addresses, at most MP_MAX_CONTROLS, each
 * checked at load with its JSON path; a label named "host" is reserved
 * (mailprobe_control_up uses it). */
static void
test_control(void)
{
	struct cfg_report rep;
	struct config *c = load(
	    "{\"modules\": {\"m\": {\"control\": [\"ctl.example.net\", \"192.0.2.7\"]}}}", &rep);
	const struct cfg_module *m = c != NULL ? config_module(c, "m") : NULL;

	CHECK(m != NULL && m->ncontrols == 2, "two control hosts");
	CHECK(m != NULL && strcmp(m->controls[0], "ctl.example.net") == 0 &&
		  strcmp(m->controls[1], "192.0.2.7") == 0,
	      "control hosts kept in order");
	CHECK(c != NULL && config_module(c, "default")->ncontrols == 0, "default: no control");
	config_put(c);
	bad("{\"modules\": {\"m\": {\"control\": \"ctl.example.net\"}}}", "modules.m.control");
	bad("{\"modules\": {\"m\": {\"control\": [\"a b\"]}}}",
	    "modules.m.control[0]: expected a host name or an IP address");
	bad("{\"modules\": {\"m\": {\"control\": [\"ok.example\", 7]}}}",
	    "modules.m.control[1]: expected a host name");
	bad("{\"modules\": {\"m\": {\"control\": [\"a.example\", \"A.example\"]}}}",
	    "modules.m.control[1]: listed twice");
	bad("{\"modules\": {\"m\": {\"control\": [\"a.x\", \"b.x\", \"c.x\", \"d.x\", "
	    "\"e.x\"]}}}",
	    "modules.m.control: more than 4 control hosts");
	bad("{\"targets\": [{\"host\": \"mail.example.com\", \"labels\": {\"host\": \"x\"}}]}",
	    "targets[0].labels");
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mp-excfg-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_durations();
	test_defaults();
	test_errors();
	test_credentials();
	test_oauth2_token();
	test_oauth2_grant();
	test_token_timing();
	test_credential_hosts();
	test_warnings_and_allow();
	test_control();
	cleanup();
	return test_report();
}
