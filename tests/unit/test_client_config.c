/*
 * Unit tests of --client-config: the Thunderbird autoconfig file and the
 * Apple profile written from hand-built diagnoses (IMAP 993 + SMTP 587, and
 * the blocked-587 case with 465), checked with xmllint and Python's plistlib
 * for parsing, hosts, ports and socket types; no password inside; the
 * folder and file modes; a clear error when a setting is missing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/render/client_config.h"
#include "probe/run/discover.h"
#include "harness.h"

#define PASSWORD "S3cr3t-Pa55"
#define USER "john.doe@example.com"
#define HOST "mail.example.com"

struct fixture {
	struct mp_account a;
	struct mp_run run;
	struct mp_diagnosis d;
};

static void
setting(struct mp_setting *s, enum mp_proto p, uint16_t port, enum mp_security sec)
{
	*s = (struct mp_setting){.present = true, .proto = p, .port = port, .security = sec};
	snprintf(s->host, sizeof(s->host), HOST);
}

static struct fixture *
fixture_new(uint16_t out_port, const char *user)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	mp_account_init(&fx->a);
	snprintf(fx->a.host, sizeof(fx->a.host), HOST);
	snprintf(fx->a.user, sizeof(fx->a.user), "%s", user);
	fx->a.password = mp_secret_from_mem(PASSWORD, strlen(PASSWORD));
	fx->run.account = &fx->a;
	snprintf(fx->run.host, sizeof(fx->run.host), HOST);
	fx->run.started_at = 1795678354;
	setting(&fx->d.recommended.incoming, PROTO_IMAP, 993, SEC_TLS);
	setting(&fx->d.recommended.outgoing, PROTO_SMTP, out_port,
		out_port == 465 ? SEC_TLS : SEC_STARTTLS);
	snprintf(fx->d.recommended.username, sizeof(fx->d.recommended.username), "%s", user);
	return fx;
}

static void
fixture_free(struct fixture *fx)
{
	mp_account_cleanup(&fx->a);
	free(fx);
}

/* The whole file (free it), or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* First line of cmd's output into out; the exit status. */
static int
run_line(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");

	out[0] = '\0';
	if (p == NULL)
		return -1;
	if (fgets(out, (int)len, p) != NULL)
		out[strcspn(out, "\n")] = '\0';
	while (fgetc(p) != EOF)
		;
	return pclose(p);
}

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static int
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void
check_thunderbird(const char *dir, const char *want, const char *user_want)
{
	char path[512], cmd[1024], got[512];
	char *text;

	snprintf(path, sizeof(path), "%s/config-v1.1.xml", dir);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2>&1", path);
	CHECK(run_line(cmd, got, sizeof(got)) == 0 && got[0] == '\0', "thunderbird: xmllint ok");
	snprintf(cmd, sizeof(cmd),
		 "xmllint --xpath 'concat(/clientConfig/@version,\" \",//emailProvider/@id,\" \","
		 "//incomingServer/@type,\":\",//incomingServer/hostname,\":\","
		 "//incomingServer/port,\":\",//incomingServer/socketType,\" \","
		 "//outgoingServer/@type,\":\",//outgoingServer/hostname,\":\","
		 "//outgoingServer/port,\":\",//outgoingServer/socketType,\" \","
		 "//outgoingServer/authentication)' '%s'",
		 path);
	CHECK(run_line(cmd, got, sizeof(got)) == 0, "thunderbird: xpath");
	CHECK_STR(got, want, "thunderbird: hosts, ports, socket types");
	snprintf(cmd, sizeof(cmd), "xmllint --xpath 'string(//incomingServer/username)' '%s'",
		 path);
	run_line(cmd, got, sizeof(got));
	CHECK_STR(got, user_want, "thunderbird: username");
	text = slurp(path);
	CHECK(text != NULL && !has(text, PASSWORD), "thunderbird: no password");
	CHECK(mode_of(path) == 0644, "thunderbird: mode 0644");
	free(text);
}

/* mailprobe's own discovery reads the file back to the same settings. */
static void
check_roundtrip(const char *dir, const struct mp_diagnosis *d, const char *user_want)
{
	const struct mp_setting *want[2] = {&d->recommended.incoming, &d->recommended.outgoing};
	struct mp_source_result src = {0};
	char path[512], tmpl[64] = "", *text;
	bool same = true;

	snprintf(path, sizeof(path), "%s/config-v1.1.xml", dir);
	text = slurp(path);
	CHECK(text != NULL && mp_autoconfig_parse(text, strlen(text), "example.com", "john.doe",
						  &src, tmpl, sizeof(tmpl)) == 0,
	      "roundtrip: discovery parses it");
	CHECK(src.nfound == 2, "roundtrip: two servers");
	for (int i = 0; i < 2 && i < src.nfound; i++)
		same &= src.found[i].proto == want[i]->proto &&
			src.found[i].port == want[i]->port &&
			src.found[i].security == want[i]->security &&
			strcmp(src.found[i].host, want[i]->host) == 0;
	CHECK(same, "roundtrip: same protocol, host, port, security");
	CHECK_STR(tmpl, user_want, "roundtrip: user name template");
	free(text);
}

static void
check_apple(const char *dir, const char *want)
{
	char path[512], cmd[1600], got[512];
	char *text;

	snprintf(path, sizeof(path), "%s/mailprobe.mobileconfig", dir);
	snprintf(
	    cmd, sizeof(cmd),
	    "/usr/bin/python3 -c 'import plistlib,sys,uuid; p=plistlib.load(open(sys.argv[1],"
	    "\"rb\")); m=p[\"PayloadContent\"][0]; uuid.UUID(p[\"PayloadUUID\"]); "
	    "uuid.UUID(m[\"PayloadUUID\"]); assert p[\"PayloadUUID\"] != m[\"PayloadUUID\"]; "
	    "print(p[\"PayloadType\"], p[\"PayloadVersion\"], m[\"PayloadType\"], "
	    "m[\"PayloadVersion\"], m[\"EmailAccountType\"], m[\"IncomingMailServerHostName\"], "
	    "m[\"IncomingMailServerPortNumber\"], m[\"IncomingMailServerUseSSL\"], "
	    "m[\"IncomingMailServerAuthentication\"], m[\"IncomingMailServerUsername\"], "
	    "m[\"OutgoingMailServerHostName\"], m[\"OutgoingMailServerPortNumber\"], "
	    "m[\"OutgoingMailServerUseSSL\"], m[\"OutgoingMailServerAuthentication\"], "
	    "m[\"OutgoingPasswordSameAsIncomingPassword\"], bool(p[\"PayloadIdentifier\"]), "
	    "bool(p[\"PayloadDisplayName\"]))' '%s' 2>&1",
	    path);
	CHECK(run_line(cmd, got, sizeof(got)) == 0, "apple: plistlib loads it");
	CHECK_STR(got, want, "apple: hosts, ports, SSL, user");
	text = slurp(path);
	CHECK(text != NULL && !has(text, PASSWORD) && !has(text, "<key>IncomingPassword</key>") &&
		  !has(text, "<key>OutgoingPassword</key>"),
	      "apple: no password");
	CHECK(mode_of(path) == 0644, "apple: mode 0644");
	free(text);
}

static void
test_ok(const char *base)
{
	struct fixture *fx = fixture_new(587, USER);
	char dir[512], err[256] = "";

	snprintf(dir, sizeof(dir), "%s/new/settings", base);
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == 0, "ok: written");
	CHECK_STR(err, "", "ok: no error");
	CHECK(mode_of(dir) == 0700, "ok: folder created 0700");
	check_thunderbird(dir,
			  "1.1 example.com imap:" HOST ":993:SSL smtp:" HOST ":587:STARTTLS "
			  "password-cleartext",
			  "%EMAILADDRESS%");
	check_roundtrip(dir, &fx->d, "%EMAILADDRESS%");
	check_apple(dir, "Configuration 1 com.apple.mail.managed 1 EmailTypeIMAP " HOST
			 " 993 True EmailAuthPassword " USER " " HOST
			 " 587 True EmailAuthPassword True True True");
	/* again, over the old files */
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == 0,
	      "ok: rewritten");
	fixture_free(fx);
}

static void
test_blocked_pop3_literal_user(const char *base)
{
	struct fixture *fx = fixture_new(465, "j&o<hn");
	char dir[512], err[256] = "";

	setting(&fx->d.recommended.incoming, PROTO_POP3, 995, SEC_TLS);
	snprintf(dir, sizeof(dir), "%s/blocked", base);
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == 0,
	      "blocked: written");
	check_thunderbird(dir,
			  "1.1 " HOST " pop3:" HOST ":995:SSL smtp:" HOST ":465:SSL "
			  "password-cleartext",
			  "j&o<hn");
	check_roundtrip(dir, &fx->d, "j&o<hn");
	check_apple(dir, "Configuration 1 com.apple.mail.managed 1 EmailTypePOP " HOST
			 " 995 True EmailAuthPassword j&o<hn " HOST
			 " 465 True EmailAuthPassword True True True");
	fixture_free(fx);
}

static void
test_missing(const char *base)
{
	struct fixture *fx = fixture_new(587, USER);
	char dir[512], err[256] = "";

	snprintf(dir, sizeof(dir), "%s/missing", base);
	fx->d.recommended.outgoing.present = false;
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == -1,
	      "no outgoing: refused");
	CHECK(has(err, "no working outgoing server (SMTP)") && strchr(err, '\n') == NULL,
	      "no outgoing: one line naming it");
	CHECK(access(dir, F_OK) != 0, "no outgoing: nothing written");
	fx->d.recommended.incoming.present = false;
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == -1 &&
		  has(err, "incoming (IMAP/POP3) or outgoing (SMTP)"),
	      "neither: both named");
	fx->d.recommended.outgoing.present = true;
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == -1 &&
		  has(err, "no working incoming server (IMAP/POP3)"),
	      "no incoming: named");
	CHECK(mp_client_config_write("", &fx->run, &fx->d, err, sizeof(err)) == -1, "empty dir");
	fixture_free(fx);
}

static void
test_unwritable(const char *base)
{
	struct fixture *fx = fixture_new(587, USER);
	char dir[512], err[256] = "", file[512];
	FILE *f;

	snprintf(file, sizeof(file), "%s/plainfile", base);
	f = fopen(file, "w");
	if (f != NULL)
		fclose(f);
	snprintf(dir, sizeof(dir), "%s/plainfile", base);
	CHECK(mp_client_config_write(dir, &fx->run, &fx->d, err, sizeof(err)) == -1 &&
		  has(err, "cannot create the folder"),
	      "a file in the way: clear error");
	fixture_free(fx);
}

int
main(void)
{
	char base[] = "/tmp/mp-client-config-XXXXXX", cmd[600];

	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_ok(base);
	test_blocked_pop3_literal_user(base);
	test_missing(base);
	test_unwritable(base);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
	return test_report();
}
