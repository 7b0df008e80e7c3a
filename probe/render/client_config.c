/*
 * --client-config DIR: the measured settings as a Thunderbird autoconfig
 * file (Mozilla ISPDB format, clientConfig version 1.1) and an Apple
 * configuration profile (plist XML, com.apple.mail.managed). Values are
 * cleaned and XML-escaped; no password is ever written. Files are written
 * to a temporary name and renamed into place.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/platform.h"
#include "probe/render/client_config.h"
#include "probe/render/render.h"
#include "checks/version.h"

#define UUID_LEN 37
#define VALUE_MAX 1024

struct cfg {
	const struct mp_setting *in, *out;
	char domain[MP_HOST_MAX];
	char ident[MP_HOST_MAX + 16]; /* reverse-DNS payload identifier */
	char user[MP_HOST_MAX];       /* "" = the client asks */
	char address[MP_HOST_MAX];    /* e-mail address, "" when unknown */
	bool user_is_address;         /* Thunderbird: %EMAILADDRESS% */
	char stamp[32];               /* when the settings were measured */
	char uuid_profile[UUID_LEN];
	char uuid_mail[UUID_LEN];
};

/* Cleaned (valid UTF-8, no control bytes) and XML-escaped. */
static void
xml(FILE *f, const char *s)
{
	char clean[VALUE_MAX];

	mp_render_clean(s, clean, sizeof(clean), false);
	for (const char *p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			fputc(*p, f);
		}
	}
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

/* "com.example.mailprobe" from "example.com": labels reversed, anything but
 * letters, digits and '-' replaced. */
static void
reverse_dns(const char *domain, char *out, size_t len)
{
	char buf[MP_HOST_MAX], *dot;

	snprintf(buf, sizeof(buf), "%s", domain);
	for (char *p = buf; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			*p = '-';
	out[0] = '\0';
	while ((dot = strrchr(buf, '.')) != NULL) {
		snprintf(out + strlen(out), len - strlen(out), "%s.", dot + 1);
		*dot = '\0';
	}
	snprintf(out + strlen(out), len - strlen(out), "%s.mailprobe", buf);
}

static void
cfg_names(struct cfg *c, const struct mp_run *run, const struct mp_diagnosis *d)
{
	const struct mp_account *a = run->account;
	const char *addr = a != NULL ? a->address : "";
	const char *dom;

	snprintf(c->user, sizeof(c->user), "%s", d->recommended.username);
	if (domain_of(addr) != NULL)
		snprintf(c->address, sizeof(c->address), "%s", addr);
	else if (domain_of(c->user) != NULL)
		snprintf(c->address, sizeof(c->address), "%s", c->user);
	dom = domain_of(c->address);
	snprintf(c->domain, sizeof(c->domain), "%s", dom != NULL ? dom : run->host);
	c->user_is_address = c->user[0] == '\0' || strcasecmp(c->user, c->address) == 0;
	reverse_dns(c->domain, c->ident, sizeof(c->ident));
	mp_render_time(run->started_at, c->stamp, sizeof(c->stamp));
}

/* A random (version 4) UUID from the system's random source. */
static int
uuid4(char *out)
{
	unsigned char b[16];

	if (mp_random_bytes(b, sizeof(b)) != 0)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, UUID_LEN,
		 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
	return 0;
}

/* Thunderbird autoconfig */

static const char *
socket_type(enum mp_security s)
{
	return s == SEC_TLS ? "SSL" : s == SEC_STARTTLS ? "STARTTLS" : "plain";
}

static void
tb_server(FILE *f, const struct cfg *c, const char *tag, const struct mp_setting *s)
{
	fprintf(f, "    <%s type=\"%s\">\n      <hostname>", tag, mp_proto_str(s->proto));
	xml(f, s->host);
	fprintf(f,
		"</hostname>\n      <port>%u</port>\n      <socketType>%s</socketType>\n"
		"      <authentication>password-cleartext</authentication>\n      <username>",
		(unsigned)s->port, socket_type(s->security));
	xml(f, c->user_is_address ? "%EMAILADDRESS%" : c->user);
	fprintf(f, "</username>\n    </%s>\n", tag);
}

static int
write_thunderbird(FILE *f, const struct cfg *c)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
		"<!-- Written by mailprobe %s from the settings that worked from the checking "
		"network at %s. No password: the client asks for it. -->\n",
		MAILPROBE_VERSION, c->stamp);
	fputs("<clientConfig version=\"1.1\">\n  <emailProvider id=\"", f);
	xml(f, c->domain);
	fputs("\">\n    <domain>", f);
	xml(f, c->domain);
	fputs("</domain>\n    <displayName>", f);
	xml(f, c->domain);
	fputs("</displayName>\n    <displayShortName>", f);
	xml(f, c->domain);
	fputs("</displayShortName>\n", f);
	tb_server(f, c, "incomingServer", c->in);
	tb_server(f, c, "outgoingServer", c->out);
	fputs("  </emailProvider>\n</clientConfig>\n", f);
	return 0;
}

/* Apple configuration profile */

static void
pl_string(FILE *f, const char *indent, const char *key, const char *value)
{
	fprintf(f, "%s<key>%s</key>\n%s<string>", indent, key, indent);
	xml(f, value);
	fputs("</string>\n", f);
}

static void
pl_int(FILE *f, const char *indent, const char *key, unsigned v)
{
	fprintf(f, "%s<key>%s</key>\n%s<integer>%u</integer>\n", indent, key, indent, v);
}

static void
pl_bool(FILE *f, const char *indent, const char *key, bool v)
{
	fprintf(f, "%s<key>%s</key>\n%s<%s/>\n", indent, key, indent, v ? "true" : "false");
}

/* IncomingMailServer* or OutgoingMailServer*; UseSSL is also what makes
 * the device use STARTTLS on a STARTTLS port. */
static void
apple_server(FILE *f, const struct cfg *c, const char *prefix, const struct mp_setting *s)
{
	const char *in = "\t\t\t";
	char key[64];

	snprintf(key, sizeof(key), "%sMailServerAuthentication", prefix);
	pl_string(f, in, key, "EmailAuthPassword");
	snprintf(key, sizeof(key), "%sMailServerHostName", prefix);
	pl_string(f, in, key, s->host);
	snprintf(key, sizeof(key), "%sMailServerPortNumber", prefix);
	pl_int(f, in, key, s->port);
	snprintf(key, sizeof(key), "%sMailServerUseSSL", prefix);
	pl_bool(f, in, key, s->security != SEC_NONE);
	if (c->user[0] != '\0') {
		snprintf(key, sizeof(key), "%sMailServerUsername", prefix);
		pl_string(f, in, key, c->user);
	}
}

static void
apple_mail_payload(FILE *f, const struct cfg *c)
{
	const char *in = "\t\t\t";
	char ident[sizeof(c->ident) + 8];

	fputs("\t\t<dict>\n", f);
	pl_string(f, in, "EmailAccountDescription", c->domain);
	pl_string(f, in, "EmailAccountType",
		  c->in->proto == PROTO_POP3 ? "EmailTypePOP" : "EmailTypeIMAP");
	if (c->address[0] != '\0')
		pl_string(f, in, "EmailAddress", c->address);
	apple_server(f, c, "Incoming", c->in);
	apple_server(f, c, "Outgoing", c->out);
	pl_bool(f, in, "OutgoingPasswordSameAsIncomingPassword", true);
	pl_string(f, in, "PayloadDisplayName", c->domain);
	snprintf(ident, sizeof(ident), "%s.mail", c->ident);
	pl_string(f, in, "PayloadIdentifier", ident);
	pl_string(f, in, "PayloadType", "com.apple.mail.managed");
	pl_string(f, in, "PayloadUUID", c->uuid_mail);
	pl_int(f, in, "PayloadVersion", 1);
	fputs("\t\t</dict>\n", f);
}

static int
write_apple(FILE *f, const struct cfg *c)
{
	char text[VALUE_MAX];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD "
	      "PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	      "<plist version=\"1.0\">\n<dict>\n\t<key>PayloadContent</key>\n\t<array>\n",
	      f);
	apple_mail_payload(f, c);
	fputs("\t</array>\n", f);
	snprintf(text, sizeof(text),
		 "Mail settings that worked from the checking network at %s (mailprobe %s). "
		 "The password is not included: the device asks for it.",
		 c->stamp, MAILPROBE_VERSION);
	pl_string(f, "\t", "PayloadDescription", text);
	snprintf(text, sizeof(text), "Mail: %s", c->domain);
	pl_string(f, "\t", "PayloadDisplayName", text);
	pl_string(f, "\t", "PayloadIdentifier", c->ident);
	pl_bool(f, "\t", "PayloadRemovalDisallowed", false);
	pl_string(f, "\t", "PayloadType", "Configuration");
	pl_string(f, "\t", "PayloadUUID", c->uuid_profile);
	pl_int(f, "\t", "PayloadVersion", 1);
	fputs("</dict>\n</plist>\n", f);
	return 0;
}

/* Files */

/* dir and its missing parents, each created with mode 0700. */
static int
make_dirs(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		snprintf(err, errlen, "--client-config: the folder name is too long");
		return -1;
	}
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mp_mkdir_private(path) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	if ((mp_mkdir_private(path) != 0 && errno != EEXIST) || stat(path, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--client-config: cannot create the folder %s: %s", path,
			 errno == EEXIST ? "a file of that name exists" : strerror(errno));
		return -1;
	}
	return 0;
}

/* dir/name, mode 0644, written to dir/.name.tmp first and renamed. */
static int
write_file(const char *dir, const char *name, int (*body)(FILE *, const struct cfg *),
	   const struct cfg *c, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f = NULL;
	int fd, rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	unlink(tmp);
	fd = mp_create_public_file(tmp);
	if (fd >= 0 && (f = fdopen(fd, "w")) != NULL)
		rc = body(f, c);
	else if (fd >= 0)
		close(fd);
	if (f != NULL && (fflush(f) != 0 || ferror(f)))
		rc = -1;
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && mp_rename_replace(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		snprintf(err, errlen, "--client-config: cannot write %s: %s", path,
			 strerror(errno));
		unlink(tmp);
	}
	return rc;
}

static int
check_settings(const struct mp_diagnosis *d, char *err, size_t errlen)
{
	const struct mp_recommended *r = &d->recommended;

	if (r->incoming.present && r->outgoing.present)
		return 0;
	snprintf(err, errlen,
		 "--client-config: no working %s was found from this network; no client "
		 "settings written",
		 !r->incoming.present && !r->outgoing.present
		     ? "incoming (IMAP/POP3) or outgoing (SMTP) server"
		 : !r->incoming.present ? "incoming server (IMAP/POP3)"
					: "outgoing server (SMTP)");
	return -1;
}

int
mp_client_config_write(const char *dir, const struct mp_run *run, const struct mp_diagnosis *d,
		       char *err, size_t errlen)
{
	struct cfg c = {0};

	if (dir == NULL || dir[0] == '\0' || run == NULL || d == NULL) {
		snprintf(err, errlen, "--client-config: no folder given");
		return -1;
	}
	if (check_settings(d, err, errlen) != 0)
		return -1;
	c.in = &d->recommended.incoming;
	c.out = &d->recommended.outgoing;
	cfg_names(&c, run, d);
	if (uuid4(c.uuid_profile) != 0 || uuid4(c.uuid_mail) != 0) {
		snprintf(err, errlen, "--client-config: cannot read /dev/urandom: %s",
			 strerror(errno));
		return -1;
	}
	if (make_dirs(dir, err, errlen) != 0 ||
	    write_file(dir, MP_CLIENT_CONFIG_THUNDERBIRD, write_thunderbird, &c, err, errlen) !=
		0 ||
	    write_file(dir, MP_CLIENT_CONFIG_APPLE, write_apple, &c, err, errlen) != 0)
		return -1;
	return 0;
}
