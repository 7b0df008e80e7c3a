/*
 * The mailprobe command line (mailprobe(1) documents it): a table of long
 * options, one small handler each, then checks across options and the
 * password source. Our own loop instead of getopt_long: no global state, so
 * it can be called again, and every error names the option and its value.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/https.h"
#include "checks/platform.h"
#include "checks/prompt.h"
#include "checks/tls.h"
#include "probe/cli.h"
#include "checks/version.h"

#define QUOTED_MAX 128
#define SECONDS_MAX 3600.0
#define DAYS_MAX 36500

/* Parse state of one call; everything else goes straight into the account. */
struct cli {
	struct mp_account *a;
	struct mp_output_options *o;
	char *err;
	size_t errlen;
	const char *positional;
	int npositional;
	const char *password_file;
	bool password_stdin;
	const char *token_file; /* --oauth2-token-file */
	bool token_stdin;
	const char *refresh_file; /* --oauth2-refresh-token-file */
	const char *client_secret_file;
	bool user_given;
	bool ports_all;
	bool endpoint_given;
	bool want_v4, want_v6;
	bool done; /* --help or --version printed */
};

struct opt {
	const char *name; /* "--timeout", or "-4" */
	bool has_arg;
	int (*fn)(struct cli *c, const char *opt, const char *v);
};

static int __attribute__((format(printf, 2, 3))) usage_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* err = `OPT: "VALUE" why`. */
static int
bad_value(struct cli *c, const char *opt, const char *v, const char *why)
{
	char q[QUOTED_MAX];

	mp_arg_quote(v, q, sizeof(q));
	return usage_error(c, "%s: %s %s", opt, q, why);
}

static bool
has_ctrl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
copy_value(struct cli *c, const char *opt, const char *v, char *dst, size_t len)
{
	if (v[0] == '\0')
		return bad_value(c, opt, v, "is empty");
	if (strlen(v) >= len)
		return bad_value(c, opt, v, "is too long");
	if (has_ctrl(v))
		return bad_value(c, opt, v, "contains control characters");
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* Seconds: digits with an optional decimal part, > 0 and <= SECONDS_MAX. */
static int
parse_seconds(struct cli *c, const char *opt, const char *v, double *out)
{
	size_t digits = strspn(v, "0123456789"), frac = 0;
	double d;

	if (v[digits] == '.')
		frac = strspn(v + digits + 1, "0123456789") + 1;
	if (digits + frac == 0 || (digits == 0 && frac == 1) || v[digits + frac] != '\0' ||
	    strlen(v) > 20)
		return bad_value(c, opt, v, "is not a number of seconds");
	d = strtod(v, NULL);
	if (!(d > 0.0 && d <= SECONDS_MAX))
		return bad_value(c, opt, v, "is out of range (more than 0, at most 3600 seconds)");
	*out = d;
	return 0;
}

static int
parse_days(struct cli *c, const char *opt, const char *v, int *out)
{
	long n = 0;

	if (v[0] == '\0' || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
		return bad_value(c, opt, v, "is not a whole number of days (0 or more)");
	n = strtol(v, NULL, 10);
	if (n > DAYS_MAX)
		return bad_value(c, opt, v, "is more than 36500 days");
	*out = (int)n;
	return 0;
}

/* An e-mail address for MAIL FROM / RCPT TO: local@domain, no spaces,
 * brackets or control bytes (they would end up in an SMTP command). */
static bool
mailbox_valid(const char *v)
{
	const char *at = strrchr(v, '@');

	if (at == NULL || at == v || has_ctrl(v) || strpbrk(v, " <>\"") != NULL)
		return false;
	return mp_host_valid(at + 1);
}

static int
opt_user(struct cli *c, const char *opt, const char *v)
{
	if (v[0] == '-')
		return bad_value(c, opt, v, "looks like an option, not a user name");
	c->user_given = true;
	return copy_value(c, opt, v, c->a->user, sizeof(c->a->user));
}

/* A file option's value (not empty) into *slot. */
static int
set_file(struct cli *c, const char *opt, const char *v, const char **slot)
{
	if (v[0] == '\0')
		return bad_value(c, opt, v, "is empty");
	*slot = v;
	return 0;
}

static int
opt_password_file(struct cli *c, const char *opt, const char *v)
{
	return set_file(c, opt, v, &c->password_file);
}

static int
opt_password_stdin(struct cli *c, const char *opt, const char *v)
{
	(void)opt;
	(void)v;
	c->password_stdin = true;
	return 0;
}

static int
opt_token_file(struct cli *c, const char *opt, const char *v)
{
	return set_file(c, opt, v, &c->token_file);
}

static int
opt_refresh_file(struct cli *c, const char *opt, const char *v)
{
	return set_file(c, opt, v, &c->refresh_file);
}

static int
opt_client_secret_file(struct cli *c, const char *opt, const char *v)
{
	return set_file(c, opt, v, &c->client_secret_file);
}

static int
opt_token_url(struct cli *c, const char *opt, const char *v)
{
	char host[MP_HOST_MAX], path[MP_HOST_MAX];
	unsigned port;

	if (mp_url_parse(v, host, sizeof(host), &port, path, sizeof(path)) < 0)
		return bad_value(c, opt, v, "is no https:// URL");
	return copy_value(c, opt, v, c->a->oauth2_token_url, sizeof(c->a->oauth2_token_url));
}

static int
opt_client_id(struct cli *c, const char *opt, const char *v)
{
	return copy_value(c, opt, v, c->a->oauth2_client_id, sizeof(c->a->oauth2_client_id));
}

/* RFC 6749 section 3.3: printable ASCII without '"' and '\\'. */
static int
opt_scope(struct cli *c, const char *opt, const char *v)
{
	for (const char *q = v; *q != '\0'; q++)
		if (*q < 0x20 || *q > 0x7e || *q == '"' || *q == '\\')
			return bad_value(c, opt, v,
					 "is no scope (printable ASCII, words separated by "
					 "spaces)");
	return copy_value(c, opt, v, c->a->oauth2_scope, sizeof(c->a->oauth2_scope));
}

static int
opt_token_stdin(struct cli *c, const char *opt, const char *v)
{
	(void)opt;
	(void)v;
	c->token_stdin = true;
	return 0;
}

static int
opt_ca_file(struct cli *c, const char *opt, const char *v)
{
	if (copy_value(c, opt, v, c->a->ca_file, sizeof(c->a->ca_file)) == -1)
		return -1;
	if (access(v, R_OK) == -1)
		return usage_error(c, "%s %s: %s", opt, c->a->ca_file, strerror(errno));
	return 0;
}

static int
opt_timeout(struct cli *c, const char *opt, const char *v)
{
	return parse_seconds(c, opt, v, &c->a->timeout);
}

static int
opt_deliver_timeout(struct cli *c, const char *opt, const char *v)
{
	return parse_seconds(c, opt, v, &c->a->deliver_timeout);
}

static int
opt_ports(struct cli *c, const char *opt, const char *v)
{
	if (strcmp(v, "default") == 0)
		c->ports_all = false;
	else if (strcmp(v, "all") == 0)
		c->ports_all = true;
	else
		return bad_value(c, opt, v, "is not default or all");
	return 0;
}

static bool
spec_eq(const struct mp_endpoint_spec *x, const struct mp_endpoint_spec *y)
{
	return x->proto == y->proto && x->port == y->port && x->security == y->security;
}

/* The first --endpoint replaces the default set; repeats are ignored. */
static int
opt_endpoint(struct cli *c, const char *opt, const char *v)
{
	struct mp_endpoint_spec e;
	char why[256];

	if (mp_endpoint_parse(v, &e, why, sizeof(why)) == -1)
		return usage_error(c, "%s: %s", opt, why);
	if (!c->endpoint_given)
		c->a->nendpoints = 0;
	c->endpoint_given = true;
	c->a->endpoints_given = true;
	for (int i = 0; i < c->a->nendpoints; i++)
		if (spec_eq(&c->a->endpoints[i], &e))
			return 0;
	if (c->a->nendpoints == MP_MAX_ENDPOINTS)
		return usage_error(c, "%s: more than %d endpoints", opt, MP_MAX_ENDPOINTS);
	c->a->endpoints[c->a->nendpoints++] = e;
	return 0;
}

static int
opt_resolve(struct cli *c, const char *opt, const char *v)
{
	char why[256];

	if (c->a->npins == MP_MAX_PINS)
		return usage_error(c, "%s: more than %d pins", opt, MP_MAX_PINS);
	if (mp_pin_parse(v, &c->a->pins[c->a->npins], why, sizeof(why)) == -1)
		return usage_error(c, "%s: %s", opt, why);
	c->a->npins++;
	return 0;
}

/* --control HOST (repeatable): a host known to accept the mail ports. */
static int
opt_control(struct cli *c, const char *opt, const char *v)
{
	struct mp_account *a = c->a;

	if (!mp_host_valid(v) || strlen(v) >= sizeof(a->controls[0]))
		return bad_value(c, opt, v, "is not a host name or address");
	for (int i = 0; i < a->ncontrols; i++)
		if (strcasecmp(a->controls[i], v) == 0)
			return 0;
	if (a->ncontrols == MP_MAX_CONTROLS)
		return usage_error(c, "%s: more than %d control hosts", opt, MP_MAX_CONTROLS);
	snprintf(a->controls[a->ncontrols++], sizeof(a->controls[0]), "%s", v);
	return 0;
}

static int
opt_family(struct cli *c, const char *opt, const char *v)
{
	(void)v;
	if (strcmp(opt, "-4") == 0)
		c->want_v4 = true;
	else
		c->want_v6 = true;
	if (c->want_v4 && c->want_v6)
		return usage_error(c, "%s: -4 and -6 exclude each other", opt);
	c->a->family = c->want_v4 ? FAMILY_V4 : FAMILY_V6;
	return 0;
}

/* A host name, or an IP literal written as an address literal (RFC 5321
 * 4.1.3: "[192.0.2.1]", "[IPv6:2001:db8::1]"). */
static int
opt_helo(struct cli *c, const char *opt, const char *v)
{
	char buf[MP_HOST_MAX];

	unsigned char bin[16];

	if (!mp_host_valid(v) || strlen(v) + 7 >= sizeof(buf))
		return bad_value(c, opt, v, "is not a host name");
	if (inet_pton(AF_INET, v, bin) == 1)
		snprintf(buf, sizeof(buf), "[%s]", v);
	else if (inet_pton(AF_INET6, v, bin) == 1)
		snprintf(buf, sizeof(buf), "[IPv6:%s]", v);
	else
		snprintf(buf, sizeof(buf), "%s", v);
	return copy_value(c, opt, buf, c->a->helo, sizeof(c->a->helo));
}

static int
opt_format(struct cli *c, const char *opt, const char *v)
{
	static const char *const names[] = {
	    [FORMAT_TEXT] = "text",
	    [FORMAT_JSON] = "json",
	    [FORMAT_PROMETHEUS] = "prometheus",
	    [FORMAT_NAGIOS] = "nagios",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(v, names[i]) == 0) {
			c->o->format = (enum mp_format)i;
			return 0;
		}
	}
	return bad_value(c, opt, v, "is not text, json, prometheus or nagios");
}

static int
opt_report(struct cli *c, const char *opt, const char *v)
{
	const char *dot = strrchr(v, '.');

	if (dot == NULL || strchr(dot, '/') != NULL || dot == v || dot[-1] == '/' ||
	    (strcasecmp(dot, ".md") != 0 && strcasecmp(dot, ".html") != 0 &&
	     strcasecmp(dot, ".txt") != 0))
		return bad_value(c, opt, v, "does not end in .md, .html or .txt");
	return copy_value(c, opt, v, c->o->report_file, sizeof(c->o->report_file));
}

static int
opt_ticket(struct cli *c, const char *opt, const char *v)
{
	return copy_value(c, opt, v, c->o->ticket, sizeof(c->o->ticket));
}

static int
opt_client_config(struct cli *c, const char *opt, const char *v)
{
	return copy_value(c, opt, v, c->o->client_config_dir, sizeof(c->o->client_config_dir));
}

static int
opt_lang(struct cli *c, const char *opt, const char *v)
{
	if (strcmp(v, "en") != 0 && strcmp(v, "de") != 0)
		return bad_value(c, opt, v, "is not en or de");
	c->o->lang = mp_lang_of(v);
	return 0;
}

static int
opt_flag(struct cli *c, const char *opt, const char *v)
{
	(void)v;
	if (strcmp(opt, "--redact-user") == 0)
		c->a->redact_user = true;
	else if (strcmp(opt, "--trace") == 0)
		c->o->trace = true;
	else if (strcmp(opt, "-v") == 0 || strcmp(opt, "--verbose") == 0)
		c->o->verbose = true;
	else if (strcmp(opt, "--insecure-login") == 0)
		c->a->insecure_login = true;
	else if (strcmp(opt, "--trust-discovered") == 0)
		c->a->trust_discovered = true;
	else if (strcmp(opt, "--deliver") == 0)
		c->a->deliver = true;
	else if (strcmp(opt, "--path") == 0)
		c->a->path = PATH_ALWAYS;
	else if (strcmp(opt, "--no-path") == 0)
		c->a->path = PATH_OFF;
	return 0;
}

static int
opt_cert_warn(struct cli *c, const char *opt, const char *v)
{
	return parse_days(c, opt, v, &c->a->cert_warn_days);
}

static int
opt_cert_crit(struct cli *c, const char *opt, const char *v)
{
	return parse_days(c, opt, v, &c->a->cert_crit_days);
}

static int
opt_discover(struct cli *c, const char *opt, const char *v)
{
	if (!mp_host_valid(v) || strspn(v, "0123456789.:") == strlen(v))
		return bad_value(c, opt, v, "is not a domain name");
	return copy_value(c, opt, v, c->a->discover, sizeof(c->a->discover));
}

static int
opt_mailbox(struct cli *c, const char *opt, const char *v)
{
	bool from = strcmp(opt, "--mail-from") == 0;

	if (!mailbox_valid(v))
		return bad_value(c, opt, v, "is not an e-mail address");
	if (from)
		return copy_value(c, opt, v, c->a->mail_from, sizeof(c->a->mail_from));
	return copy_value(c, opt, v, c->a->rcpt_to, sizeof(c->a->rcpt_to));
}

static int
opt_help(struct cli *c, const char *opt, const char *v)
{
	(void)opt;
	(void)v;
	mp_cli_usage(stdout);
	c->done = true;
	return 0;
}

static int
opt_version(struct cli *c, const char *opt, const char *v)
{
	(void)opt;
	(void)v;
	mp_cli_version(stdout);
	c->done = true;
	return 0;
}

static const struct opt options[] = {
    {"--user", true, opt_user},
    {"--password-file", true, opt_password_file},
    {"--password-stdin", false, opt_password_stdin},
    {"--oauth2-token-file", true, opt_token_file},
    {"--oauth2-token-stdin", false, opt_token_stdin},
    {"--oauth2-refresh-token-file", true, opt_refresh_file},
    {"--oauth2-token-url", true, opt_token_url},
    {"--oauth2-client-id", true, opt_client_id},
    {"--oauth2-scope", true, opt_scope},
    {"--oauth2-client-secret-file", true, opt_client_secret_file},
    {"--ca-file", true, opt_ca_file},
    {"--timeout", true, opt_timeout},
    {"--ports", true, opt_ports},
    {"--endpoint", true, opt_endpoint},
    {"--resolve", true, opt_resolve},
    {"--control", true, opt_control},
    {"-4", false, opt_family},
    {"-6", false, opt_family},
    {"--helo", true, opt_helo},
    {"--format", true, opt_format},
    {"--report", true, opt_report},
    {"--client-config", true, opt_client_config},
    {"--lang", true, opt_lang},
    {"--redact-user", false, opt_flag},
    {"--trace", false, opt_flag},
    {"--ticket", true, opt_ticket},
    {"-v", false, opt_flag},
    {"--verbose", false, opt_flag},
    {"--insecure-login", false, opt_flag},
    {"--trust-discovered", false, opt_flag},
    {"--cert-warn-days", true, opt_cert_warn},
    {"--cert-crit-days", true, opt_cert_crit},
    {"--discover", true, opt_discover},
    {"--mail-from", true, opt_mailbox},
    {"--rcpt-to", true, opt_mailbox},
    {"--deliver", false, opt_flag},
    {"--deliver-timeout", true, opt_deliver_timeout},
    {"--path", false, opt_flag},
    {"--no-path", false, opt_flag},
    {"--version", false, opt_version},
    {"--help", false, opt_help},
    {"-h", false, opt_help},
};

/* Options people try for a password; each gets the same answer. */
static bool
is_password_opt(const char *name, size_t len)
{
	static const char *const names[] = {"--password", "--pass", "--passwd", "--pw", "-p"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* Options people try for a token. */
static bool
is_token_opt(const char *name, size_t len)
{
	static const char *const names[] = {"--oauth2-token", "--token", "--access-token"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return true;
	return false;
}

static const struct opt *
find_opt(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
			return &options[i];
	return NULL;
}

/* Unknown names are echoed without any "=value" part, and short options
 * without what is glued to them ("-psecret"): it may be a secret. */
static int
unknown_opt(struct cli *c, const char *arg, size_t len)
{
	char name[64], q[QUOTED_MAX];

	if (arg[1] != '-')
		len = 2;
	if (is_password_opt(arg, len))
		return usage_error(
		    c,
		    "%.*s: passwords never go in argv (any user can read it with ps); "
		    "use --password-file FILE, --password-stdin or " MP_PASSWORD_ENV,
		    (int)(len < 40 ? len : 40), arg);
	if (is_token_opt(arg, len))
		return usage_error(
		    c,
		    "%.*s: tokens never go in argv (any user can read it with ps); "
		    "use --oauth2-token-file FILE, --oauth2-token-stdin or " MP_OAUTH2_TOKEN_ENV,
		    (int)(len < 40 ? len : 40), arg);
	snprintf(name, sizeof(name), "%.*s", (int)(len < 60 ? len : 60), arg);
	mp_arg_quote(name, q, sizeof(q));
	return usage_error(c, "unknown option %s (see --help)", q);
}

/* One option at argv[*i]; takes its value from "=..." or argv[*i + 1]. */
static int
parse_opt(struct cli *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *eq = NULL, *v = NULL;
	const struct opt *o;
	size_t len = strlen(arg);

	if (arg[1] == '-' && (eq = strchr(arg, '=')) != NULL)
		len = (size_t)(eq - arg);
	if ((o = find_opt(arg, len)) == NULL)
		return unknown_opt(c, arg, len);
	if (!o->has_arg && eq != NULL)
		return usage_error(c, "%s: takes no value", o->name);
	if (o->has_arg && eq != NULL)
		v = eq + 1;
	else if (o->has_arg && *i + 1 < argc)
		v = argv[++*i];
	else if (o->has_arg)
		return usage_error(c, "%s: needs a value", o->name);
	return o->fn(c, o->name, v != NULL ? v : "");
}

static int
parse_args(struct cli *c, int argc, char **argv)
{
	bool opts_end = false;

	for (int i = 1; i < argc && !c->done; i++) {
		const char *arg = argv[i];

		if (!opts_end && strcmp(arg, "--") == 0) {
			opts_end = true;
		} else if (!opts_end && arg[0] == '-' && arg[1] != '\0') {
			if (parse_opt(c, argc, argv, &i) == -1)
				return -1;
		} else {
			c->positional = arg;
			c->npositional++;
		}
	}
	return 0;
}

/* ADDRESS (local@domain: host = domain) or HOST (a name, an IP, "[IPv6]"). */
static int
set_target(struct cli *c)
{
	struct mp_account *a = c->a;
	const char *v = c->positional, *at;
	char host[MP_HOST_MAX];
	size_t n;

	if (c->npositional == 0 && a->discover[0] != '\0') { /* --discover DOMAIN alone */
		snprintf(a->host, sizeof(a->host), "%s", a->discover);
		return 0;
	}
	if (c->npositional == 0)
		return usage_error(c, "missing HOST or ADDRESS (see --help)");
	if (c->npositional > 1)
		return usage_error(c, "expected one HOST or ADDRESS, got %d arguments",
				   c->npositional);
	if ((at = strrchr(v, '@')) != NULL) {
		if (at == v || !mp_host_valid(at + 1) || !mailbox_valid(v))
			return bad_value(c, "ADDRESS", v, "is not an e-mail address");
		if (copy_value(c, "ADDRESS", v, a->address, sizeof(a->address)) == -1)
			return -1;
		v = at + 1;
	}
	n = strlen(v);
	if (n >= 2 && v[0] == '[' && v[n - 1] == ']' && n - 2 < sizeof(host)) {
		snprintf(host, sizeof(host), "%.*s", (int)(n - 2), v + 1);
		v = strchr(host, ':') != NULL ? host : v;
	}
	if (!mp_host_valid(v) || strlen(v) >= sizeof(a->host))
		return bad_value(c, "HOST", c->positional, "is not a host name or address");
	snprintf(a->host, sizeof(a->host), "%s", v);
	if (!c->user_given && a->address[0] != '\0')
		snprintf(a->user, sizeof(a->user), "%s", a->address);
	return 0;
}

static int
check_combinations(struct cli *c)
{
	struct mp_account *a = c->a;

	if (c->ports_all && c->endpoint_given)
		return usage_error(c, "--ports: \"all\" cannot be combined with --endpoint "
				      "(list every endpoint instead)");
	if (c->ports_all)
		mp_account_ports_all(a);
	if (a->cert_crit_days > a->cert_warn_days)
		return usage_error(c, "--cert-crit-days: %d is more than --cert-warn-days %d",
				   a->cert_crit_days, a->cert_warn_days);
	return 0;
}

/*
 * At most one password source, and a password needs a user. The environment
 * variable is taken (and wiped) first, so it is gone whatever fails later.
 */
/* A person at a terminal types the password (echo off). An empty answer
 * is an error with --password-stdin, else no login. */
static int
prompt_password(struct cli *c, bool required)
{
	char prompt[MP_HOST_MAX + 32];

	snprintf(prompt, sizeof(prompt), "Password for %s: ", c->a->user);
	c->a->password = mp_secret_prompt(STDIN_FILENO, prompt, c->err, c->errlen);
	if (c->a->password != NULL || (c->err[0] == '\0' && !required))
		return 0;
	if (c->err[0] == '\0')
		return usage_error(c, "--password-stdin: the password is empty");
	return -1;
}

/* A person at a terminal pastes the token (echo off, as the password). */
static int
prompt_token(struct cli *c)
{
	char prompt[MP_HOST_MAX + 40], why[256];
	const char *w;

	snprintf(prompt, sizeof(prompt), "OAuth2 access token for %s: ", c->a->user);
	c->a->password = mp_secret_prompt(STDIN_FILENO, prompt, why, sizeof(why));
	if (c->a->password != NULL)
		return 0;
	w = strncmp(why, "password prompt: ", 17) == 0 ? why + 17 : why;
	return usage_error(c, "--oauth2-token-stdin: %s", w[0] != '\0' ? w : "the token is empty");
}

/* Takes (and wipes) the variable name into *out; 0, or -1 with c->err. */
static int
take_env(struct cli *c, const char *name, struct mp_secret **out)
{
	const char *env = getenv(name);

	if (env != NULL && env[0] == '\0')
		unsetenv(name);
	else if (env != NULL && (*out = mp_secret_from_env(name, c->err, c->errlen)) == NULL)
		return -1;
	return 0;
}

/* The one credential source given (NULL: none); -1 in *n when more. */
static const char *
credential_source(const struct cli *c, const struct mp_secret *env_token, int *n)
{
	const char *src = c->password_file != NULL  ? "--password-file"
			  : c->password_stdin       ? "--password-stdin"
			  : c->token_file != NULL   ? "--oauth2-token-file"
			  : c->token_stdin          ? "--oauth2-token-stdin"
			  : c->refresh_file != NULL ? "--oauth2-refresh-token-file"
			  : env_token != NULL       ? MP_OAUTH2_TOKEN_ENV
			  : c->a->password != NULL  ? MP_PASSWORD_ENV
						    : NULL;

	*n = (c->a->password != NULL) + (env_token != NULL) + (c->password_file != NULL) +
	     c->password_stdin + (c->token_file != NULL) + c->token_stdin +
	     (c->refresh_file != NULL);
	return src;
}

/* A secret from file (warning about its mode on stderr); 0 or -1. */
static int
secret_file(struct cli *c, const char *opt, const char *path, struct mp_secret **out)
{
	char why[PATH_MAX + 128], warn[128];

	if ((*out = mp_secret_from_file(path, warn, sizeof(warn), why, sizeof(why))) == NULL)
		return usage_error(c, "%s %s", opt, why);
	if (warn[0] != '\0')
		fprintf(stderr, "mailprobe: %s %s: %s\n", opt, path, warn);
	return 0;
}

/* The refresh_token grant's settings: the refresh token and the optional
 * client secret from files, a token URL and a client id; the grant itself
 * runs before the checks (probe/run/oauth2.h). */
static int
read_refresh(struct cli *c)
{
	struct mp_account *a = c->a;

	if (a->oauth2_token_url[0] == '\0' || a->oauth2_client_id[0] == '\0')
		return usage_error(c, "--oauth2-refresh-token-file: needs --oauth2-token-url and "
				      "--oauth2-client-id");
	if (secret_file(c, "--oauth2-refresh-token-file", c->refresh_file, &a->oauth2_refresh) ==
	    -1)
		return -1;
	a->oauth2 = true;
	if (c->client_secret_file == NULL)
		return 0;
	return secret_file(c, "--oauth2-client-secret-file", c->client_secret_file,
			   &a->oauth2_client_secret);
}

/* Grant settings without a refresh token say nothing: refused. */
static int
check_refresh_opts(struct cli *c)
{
	const struct mp_account *a = c->a;
	const char *opt = a->oauth2_token_url[0] != '\0'   ? "--oauth2-token-url"
			  : a->oauth2_client_id[0] != '\0' ? "--oauth2-client-id"
			  : a->oauth2_scope[0] != '\0'     ? "--oauth2-scope"
			  : c->client_secret_file != NULL  ? "--oauth2-client-secret-file"
							   : NULL;

	if (opt != NULL && c->refresh_file == NULL)
		return usage_error(c, "%s: only with --oauth2-refresh-token-file", opt);
	return 0;
}

/* An OAuth2 access token from its file, stdin or the environment: the
 * login then uses OAuth mechanisms only. */
static int
read_token(struct cli *c, struct mp_secret *env_token)
{
	struct mp_account *a = c->a;

	a->oauth2 = true;
	if (c->token_file != NULL)
		return secret_file(c, "--oauth2-token-file", c->token_file, &a->password);
	if (c->token_stdin && mp_is_terminal(STDIN_FILENO))
		return prompt_token(c);
	if (c->token_stdin) {
		a->password =
		    mp_secret_from_fd(STDIN_FILENO, "--oauth2-token-stdin", c->err, c->errlen);
		return a->password == NULL ? -1 : 0;
	}
	a->password = env_token;
	return 0;
}

static int
read_password(struct cli *c)
{
	struct mp_account *a = c->a;
	struct mp_secret *env_token = NULL;
	const char *src;
	int nsrc;

	if (take_env(c, MP_PASSWORD_ENV, &a->password) == -1 ||
	    take_env(c, MP_OAUTH2_TOKEN_ENV, &env_token) == -1)
		return -1;
	src = credential_source(c, env_token, &nsrc);
	if (nsrc > 1) {
		mp_secret_free(env_token);
		return usage_error(c,
				   "%s: more than one credential source (--password-file, "
				   "--password-stdin, " MP_PASSWORD_ENV ", --oauth2-token-file, "
				   "--oauth2-token-stdin, " MP_OAUTH2_TOKEN_ENV "): give one",
				   src);
	}
	if (nsrc == 1 && a->user[0] == '\0') {
		mp_secret_free(env_token);
		return usage_error(c, "%s: a %s needs --user (or an ADDRESS argument)", src,
				   strstr(src, "OAUTH2") || strstr(src, "oauth2") ? "token"
										  : "password");
	}
	if (check_refresh_opts(c) == -1)
		return -1;
	if (c->refresh_file != NULL)
		return read_refresh(c);
	if (c->token_file != NULL || c->token_stdin || env_token != NULL)
		return read_token(c, env_token);
	if (c->password_file != NULL) {
		return secret_file(c, "--password-file", c->password_file, &a->password);
	} else if (c->password_stdin && mp_is_terminal(STDIN_FILENO)) {
		return prompt_password(c, true);
	} else if (c->password_stdin) {
		a->password =
		    mp_secret_from_fd(STDIN_FILENO, "--password-stdin", c->err, c->errlen);
		if (a->password == NULL)
			return -1;
	} else if (nsrc == 0 && c->user_given && mp_is_terminal(STDIN_FILENO) &&
		   mp_is_terminal(STDERR_FILENO)) {
		return prompt_password(c, false);
	}
	return 0;
}

/* --deliver and the send step log in first: they need credentials. */
static int
check_credentials(struct cli *c)
{
	struct mp_account *a = c->a;
	const char *opt = a->deliver                ? "--deliver"
			  : a->mail_from[0] != '\0' ? "--mail-from"
			  : a->rcpt_to[0] != '\0'   ? "--rcpt-to"
						    : NULL;

	if (opt != NULL && a->password == NULL && a->oauth2_refresh == NULL)
		return usage_error(c, "%s: needs credentials (--user and a password)", opt);
	return 0;
}

int
mp_cli_parse(int argc, char **argv, struct mp_account *a, struct mp_output_options *o, char *err,
	     size_t errlen)
{
	struct cli c = {.a = a, .o = o, .err = err, .errlen = errlen};
	int rc = 0;

	mp_account_init(a);
	mp_output_options_init(o);
	if (errlen > 0)
		err[0] = '\0';
	if (parse_args(&c, argc, argv) == -1)
		rc = -1;
	else if (c.done)
		rc = 1;
	else if (set_target(&c) == -1 || check_combinations(&c) == -1 || read_password(&c) == -1 ||
		 check_credentials(&c) == -1)
		rc = -1;
	if (rc != 0) {
		mp_account_cleanup(a);
		if (getenv(MP_PASSWORD_ENV) != NULL)
			mp_secret_free(mp_secret_from_env(MP_PASSWORD_ENV, NULL, 0));
		if (getenv(MP_OAUTH2_TOKEN_ENV) != NULL)
			mp_secret_free(mp_secret_from_env(MP_OAUTH2_TOKEN_ENV, NULL, 0));
	}
	return rc;
}

void
mp_cli_version(FILE *out)
{
	const char *v = mp_tls_library_version();
	const char *sp = strchr(v, ' ');
	int n = (int)strlen(v);

	/* "OpenSSL 3.0.22 25 Aug 2026" -> "OpenSSL 3.0.22" */
	if (strncmp(v, "OpenSSL ", 8) == 0 && (sp = strchr(v + 8, ' ')) != NULL)
		n = (int)(sp - v);
	fprintf(out, "mailprobe %s (%.*s)\n", MAILPROBE_VERSION, n, v);
}

void
mp_cli_usage(FILE *out)
{
	fputs("usage: mailprobe [options] HOST|ADDRESS\n"
	      "       mailprobe          (at a terminal: asks for the address and password,\n"
	      "                          checks, writes the report to the desktop)\n"
	      "\n"
	      "Checks that a mail server can be reached and used from here: DNS, TCP,\n"
	      "TLS and certificates, greeting, capabilities, login, for IMAP, POP3 and\n"
	      "SMTP. An ADDRESS (user@example.com) probes its domain and is the user.\n"
	      "\n"
	      "Account:\n"
	      "  --user NAME             login name (usually the full address)\n"
	      "  --password-file FILE    read the password from FILE (first line)\n"
	      "  --password-stdin        read the password from standard input\n"
	      "                          (or set " MP_PASSWORD_ENV "; never in argv)\n"
	      "  --oauth2-token-file FILE  log in with the OAuth2 access token in FILE\n"
	      "                          (XOAUTH2/OAUTHBEARER only; also "
	      "--oauth2-token-stdin,\n"
	      "                          " MP_OAUTH2_TOKEN_ENV ")\n"
	      "  --oauth2-refresh-token-file FILE  get the access token first with the\n"
	      "                          refresh_token grant (needs --oauth2-token-url URL,\n"
	      "                          --oauth2-client-id ID; --oauth2-client-secret-file F,\n"
	      "                          --oauth2-scope SCOPE)\n"
	      "  --insecure-login        also log in over unencrypted connections\n"
	      "  --trust-discovered      also log in at discovered servers that only\n"
	      "                          unauthenticated DNS names, outside the domain\n"
	      "\n"
	      "What to check:\n"
	      "  --ports default|all     default: imap:993:tls pop3:995:tls smtp:587:starttls\n"
	      "                          smtp:465:tls; all adds 143, 110 and 25 (STARTTLS)\n"
	      "  --endpoint P:PORT:SEC   protocol smtp|imap|pop3, security tls|starttls|none;\n"
	      "                          repeatable, replaces the default set\n"
	      "  --resolve H:PORT:ADDR[,ADDR]  use these addresses for H (PORT may be *)\n"
	      "  --control HOST          when a port fails to connect, try it at HOST too\n"
	      "                          (TCP, TLS handshake on TLS ports; never a\n"
	      "                          credential); repeatable, up to 4\n"
	      "  -4, -6                  IPv4 or IPv6 addresses only\n"
	      "  --timeout SECONDS       deadline for the whole run (default 10)\n"
	      "  --ca-file FILE          trust these CA certificates instead of the system's\n"
	      "  --helo NAME             EHLO name (default: this host's name)\n"
	      "  --cert-warn-days N      warn when a certificate expires within N days (14)\n"
	      "  --cert-crit-days N      critical within N days (3)\n"
	      "  --discover DOMAIN       find the servers of DOMAIN (SRV, autoconfig, MX);\n"
	      "                          HOST may then be left out\n"
	      "  --mail-from ADDR        with --rcpt-to: try MAIL FROM / RCPT TO (no DATA)\n"
	      "  --rcpt-to ADDR\n"
	      "  --deliver               send a test message to the account and find it\n"
	      "  --deliver-timeout SECONDS  how long to wait for it (default 60)\n"
	      "  --path                  measure the path (TTL 1..16) to every port; by\n"
	      "                          default only to a port that fails at connect and\n"
	      "                          a working port of the same address\n"
	      "  --no-path               measure no path\n"
	      "\n"
	      "Output:\n"
	      "  --format text|json|prometheus|nagios  (default text)\n"
	      "  --report FILE           write a support report (.md, .html or .txt)\n"
	      "  --ticket ID             a reference (support ticket) shown atop the report\n"
	      "  --client-config DIR     write mail client settings files into DIR\n"
	      "  --lang en|de            language of text output and reports\n"
	      "  --redact-user           mask the user name in all output\n"
	      "  -v, --verbose           every step, certificates and capabilities (default: one\n"
	      "                          line per endpoint)\n"
	      "  --trace                 print the protocol transcript (passwords as ***)\n"
	      "  --version               print the version and exit\n"
	      "  -h, --help              print this help and exit\n"
	      "\n"
	      "Options take their value as --opt VALUE or --opt=VALUE.\n"
	      "\n"
	      "Exit codes: 0 ok, 1 warning, 2 critical, 3 unknown (usage or internal error).\n",
	      out);
}
