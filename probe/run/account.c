/*
 * The account to check: defaults, and the pure parsers for --endpoint and
 * --resolve values and host names. No I/O here besides gethostname().
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/platform.h"
#include "probe/run/account.h"

#define ARG_MAX_LEN 1024 /* longest --endpoint / --resolve value accepted */
#define QUOTE_MAX 80     /* a quoted value in an error message */

/* The local host name for HELO/EHLO, "localhost" when it is unusable. */
static void
default_helo(char *buf, size_t len)
{
	char name[MP_HOST_MAX];

	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		if (mp_host_valid(name) && strlen(name) < len) {
			memcpy(buf, name, strlen(name) + 1);
			return;
		}
	}
	snprintf(buf, len, "localhost");
}

/* Defaults: the default endpoint set of --ports, 10 s, 14/3 days, text, en,
 * the local host name as HELO name. Any previous content is overwritten. */
void
mp_account_init(struct mp_account *a)
{
	memset(a, 0, sizeof(*a));
	a->nendpoints = mp_proto_ports(DIR_INCOMING, true, a->endpoints, MP_MAX_ENDPOINTS);
	a->nendpoints += mp_proto_ports(DIR_OUTGOING, true, a->endpoints + a->nendpoints,
					MP_MAX_ENDPOINTS - a->nendpoints);
	a->family = FAMILY_ANY;
	a->timeout = 10.0;
	a->deliver_timeout = 60.0;
	a->cert_warn_days = 14;
	a->cert_crit_days = 3;
	default_helo(a->helo, sizeof(a->helo));
}

/* Frees the password (wiped); the account can be initialised again. */
void
mp_account_cleanup(struct mp_account *a)
{
	mp_secret_free(a->password);
	a->password = NULL;
	mp_secret_free(a->oauth2_refresh);
	a->oauth2_refresh = NULL;
	mp_secret_free(a->oauth2_client_secret);
	a->oauth2_client_secret = NULL;
}

static bool
has_spec(const struct mp_account *a, const struct mp_endpoint_spec *e)
{
	for (int i = 0; i < a->nendpoints; i++)
		if (a->endpoints[i].proto == e->proto && a->endpoints[i].port == e->port &&
		    a->endpoints[i].security == e->security)
			return true;
	return false;
}

/* Appends the ports outside the default set (143, 110, 25 STARTTLS) unless
 * already there or full. */
void
mp_account_ports_all(struct mp_account *a)
{
	struct mp_endpoint_spec extra[MP_MAX_ENDPOINTS];
	int n = mp_proto_ports(DIR_INCOMING, false, extra, MP_MAX_ENDPOINTS);

	n += mp_proto_ports(DIR_OUTGOING, false, extra + n, MP_MAX_ENDPOINTS - n);
	for (int i = 0; i < n; i++)
		if (!has_spec(a, &extra[i]) && a->nendpoints < MP_MAX_ENDPOINTS)
			a->endpoints[a->nendpoints++] = extra[i];
}

/* One byte as it appears in a quoted argument; returns its length. */
static size_t
quote_byte(unsigned char c, char *tmp, size_t len)
{
	if (c < 0x20 || c == 0x7f)
		return (size_t)snprintf(tmp, len, "\\x%02x", c);
	if (c == '"' || c == '\\')
		return (size_t)snprintf(tmp, len, "\\%c", c);
	return (size_t)snprintf(tmp, len, "%c", c);
}

void
mp_arg_quote(const char *s, char *buf, size_t len)
{
	size_t o = 0, n;
	char tmp[8];

	if (len < 8) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (size_t i = 0; s != NULL && s[i] != '\0'; i++) {
		n = quote_byte((unsigned char)s[i], tmp, sizeof(tmp));
		if (i >= QUOTE_MAX || o + n + 5 > len) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

static bool
is_ip(const char *s)
{
	unsigned char bin[16];

	return inet_pton(AF_INET, s, bin) == 1 || inet_pton(AF_INET6, s, bin) == 1;
}

static bool
label_valid(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool
mp_host_valid(const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;
	const char *p, *dot;

	if (len == 0 || len > 253)
		return false;
	if (is_ip(s))
		return true;
	if (s[len - 1] == '.')
		len--;
	for (p = s; p < s + len; p = dot + 1) {
		dot = memchr(p, '.', (size_t)(s + len - p));
		if (dot == NULL)
			dot = s + len;
		if (!label_valid(p, (size_t)(dot - p)))
			return false;
	}
	return len > 0;
}

/* err = `"ARG": reason`. */
static void __attribute__((format(printf, 4, 5)))
fail(char *err, size_t errlen, const char *arg, const char *fmt, ...)
{
	char q[QUOTE_MAX + 16], msg[256];
	va_list ap;

	mp_arg_quote(arg, q, sizeof(q));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", q, msg);
}

/* "1".."65535", or '*' (0) when star is allowed. */
static int
parse_port(const char *s, bool star, int *port)
{
	long v = 0;

	if (star && strcmp(s, "*") == 0) {
		*port = 0;
		return 0;
	}
	if (s[0] == '\0' || strlen(s) > 5)
		return -1;
	for (const char *p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* Splits buf in place at the first n-1 colons; -1 unless exactly n fields
 * (the last field takes the rest only when rest is true). */
static int
split_colons(char *buf, char **f, int n, bool rest)
{
	int i;

	f[0] = buf;
	for (i = 1; i < n; i++) {
		char *c = strchr(f[i - 1], ':');

		if (c == NULL)
			return -1;
		*c = '\0';
		f[i] = c + 1;
	}
	return rest || strchr(f[n - 1], ':') == NULL ? 0 : -1;
}

/* Copies an argument that fits and has no control bytes (so parts of it
 * can go into error messages as they are). */
static int
copy_arg(const char *s, char *buf, size_t len)
{
	if (s == NULL || strlen(s) >= len)
		return -1;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

/*
 * "smtp:587:starttls" -> spec. 0, or -1 with err like
 * `"smtp:0:tls": port "0" is not a number 1-65535`.
 */
int
mp_endpoint_parse(const char *s, struct mp_endpoint_spec *out, char *err, size_t errlen)
{
	char buf[64], *f[3];
	int proto, sec, port;

	if (s == NULL || s[0] == '\0') {
		fail(err, errlen, "", "empty, expected PROTOCOL:PORT:SECURITY");
		return -1;
	}
	if (copy_arg(s, buf, sizeof(buf)) == -1 || split_colons(buf, f, 3, false) == -1) {
		fail(err, errlen, s, "not PROTOCOL:PORT:SECURITY (e.g. smtp:587:starttls)");
		return -1;
	}
	if ((proto = mp_proto_parse(f[0])) == -1) {
		fail(err, errlen, s, "unknown protocol \"%s\" (smtp, imap or pop3)", f[0]);
		return -1;
	}
	if (parse_port(f[1], false, &port) == -1) {
		fail(err, errlen, s, "port \"%s\" is not a number 1-65535", f[1]);
		return -1;
	}
	if ((sec = mp_security_parse(f[2])) == -1) {
		fail(err, errlen, s, "unknown security \"%s\" (tls, starttls or none)", f[2]);
		return -1;
	}
	out->proto = (enum mp_proto)proto;
	out->port = (uint16_t)port;
	out->security = (enum mp_security)sec;
	return 0;
}

/* One address of a pin: IPv4, or IPv6 bare or in brackets; canonical form
 * into out. */
static int
parse_pin_addr(char *a, char *out, size_t outlen)
{
	unsigned char bin[16];
	size_t n = strlen(a);

	if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
		a[n - 1] = '\0';
		a++;
		if (inet_pton(AF_INET6, a, bin) != 1)
			return -1;
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outlen) != NULL ? 0 : -1;
	}
	if (inet_pton(AF_INET, a, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)outlen) != NULL ? 0 : -1;
	if (inet_pton(AF_INET6, a, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outlen) != NULL ? 0 : -1;
	return -1;
}

static int
parse_pin_addrs(const char *s, char *list, struct mp_pin *out, char *err, size_t errlen)
{
	char *a, *next;

	out->naddr = 0;
	for (a = list; a != NULL; a = next) {
		next = strchr(a, ',');
		if (next != NULL)
			*next++ = '\0';
		if (out->naddr == MP_MAX_PIN_ADDRS) {
			fail(err, errlen, s, "more than %d addresses", MP_MAX_PIN_ADDRS);
			return -1;
		}
		if (a[0] == '\0') {
			fail(err, errlen, s, "empty address");
			return -1;
		}
		if (parse_pin_addr(a, out->addrs[out->naddr], MP_ADDR_MAX) == -1) {
			fail(err, errlen, s, "\"%s\" is not an IP address", a);
			return -1;
		}
		out->naddr++;
	}
	return 0;
}

/*
 * "HOST:PORT:ADDR[,ADDR]" (curl's --resolve): PORT may be '*' (stored as 0),
 * IPv6 addresses may be in brackets; at most MP_MAX_PIN_ADDRS addresses.
 * 0, or -1 with a one-line reason naming the value in err.
 */
int
mp_pin_parse(const char *s, struct mp_pin *out, char *err, size_t errlen)
{
	char buf[ARG_MAX_LEN], *f[3];
	struct mp_pin pin;

	memset(&pin, 0, sizeof(pin));
	if (s == NULL || s[0] == '\0') {
		fail(err, errlen, "", "empty, expected HOST:PORT:ADDR[,ADDR]");
		return -1;
	}
	if (copy_arg(s, buf, sizeof(buf)) == -1 || split_colons(buf, f, 3, true) == -1) {
		fail(err, errlen, s, "not HOST:PORT:ADDR[,ADDR]");
		return -1;
	}
	if (!mp_host_valid(f[0]) || strlen(f[0]) >= sizeof(pin.host)) {
		fail(err, errlen, s, "\"%s\" is not a host name", f[0]);
		return -1;
	}
	snprintf(pin.host, sizeof(pin.host), "%s", f[0]);
	if (parse_port(f[1], true, &pin.port) == -1) {
		fail(err, errlen, s, "port \"%s\" is not a number 1-65535 or *", f[1]);
		return -1;
	}
	if (parse_pin_addrs(s, f[2], &pin, err, errlen) == -1)
		return -1;
	*out = pin;
	return 0;
}

size_t
mp_host_len(const char *h)
{
	size_t n = strlen(h);

	return n > 0 && h[n - 1] == '.' ? n - 1 : n;
}

/* Host names compare without case and without one trailing dot. */
static bool
host_eq(const char *a, const char *b)
{
	size_t la = mp_host_len(a), lb = mp_host_len(b);

	return la == lb && strncasecmp(a, b, la) == 0;
}

const struct mp_pin *
mp_pin_find(const struct mp_account *a, const char *host, int port)
{
	const struct mp_pin *any = NULL;

	for (int i = 0; i < a->npins; i++) {
		if (!host_eq(a->pins[i].host, host))
			continue;
		if (a->pins[i].port == port && port != 0)
			return &a->pins[i];
		if (a->pins[i].port == 0 && any == NULL)
			any = &a->pins[i];
	}
	return any;
}

const char *
mp_account_host_of(const struct mp_account *a, int i)
{
	if (i < 0 || i >= a->nendpoints || a->endpoint_hosts[i][0] == '\0')
		return a->host;
	return a->endpoint_hosts[i];
}

bool
mp_account_wants_discovery(const struct mp_account *a)
{
	return a->discover[0] != '\0' || a->address[0] != '\0';
}

const char *
mp_account_discovery_domain(const struct mp_account *a)
{
	const char *at = strrchr(a->address, '@');

	if (a->discover[0] != '\0')
		return a->discover;
	return at != NULL ? at + 1 : a->host;
}
