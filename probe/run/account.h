/*
 * One account to check: what the CLI flags (or an exporter target) ask for.
 * Parsing of the flags and of --endpoint / --resolve values lives in
 * account.c; nothing here does I/O except reading the password source.
 */
#ifndef MAILPROBE_ACCOUNT_H
#define MAILPROBE_ACCOUNT_H

#include <limits.h>
#include <stdbool.h>

#include "checks/result.h"
#include "checks/secret.h"

#define MP_MAX_ENDPOINTS 32
#define MP_MAX_PINS 16
#define MP_MAX_PIN_ADDRS 8
#define MP_HOST_MAX 256
#define MP_MAX_CONTROLS 4

enum mp_family { FAMILY_ANY, FAMILY_V4, FAMILY_V6 };
/* When the run measures paths (checks/path.h): AUTO when a port of an
 * address fails at connect while another port of it connects; ALWAYS for
 * every (address, port) (--path); OFF (--no-path). */
enum mp_path_mode { PATH_AUTO, PATH_ALWAYS, PATH_OFF };

/* --resolve HOST:PORT:ADDR[,ADDR]; port 0 means '*'. */
struct mp_pin {
	char host[MP_HOST_MAX];
	int port;
	int naddr;
	char addrs[MP_MAX_PIN_ADDRS][MP_ADDR_MAX];
};

struct mp_account {
	char host[MP_HOST_MAX];    /* the server name probed (SNI, certificate) */
	char address[MP_HOST_MAX]; /* the e-mail address argument, "" if none */
	int nendpoints;
	struct mp_endpoint_spec endpoints[MP_MAX_ENDPOINTS];
	/* The host of each endpoint when discovery found another one than
	 * host; "" = host. */
	char endpoint_hosts[MP_MAX_ENDPOINTS][MP_HOST_MAX];
	bool endpoints_given; /* --endpoint: discovery keeps them */
	int npins;
	struct mp_pin pins[MP_MAX_PINS];
	enum mp_family family;
	/* --control HOST: hosts known to accept connections on the mail
	 * ports; a port that fails to connect is tried there too (never with
	 * a credential). */
	int ncontrols;
	char controls[MP_MAX_CONTROLS][MP_HOST_MAX];
	char user[MP_HOST_MAX];     /* "" = no credentials */
	struct mp_secret *password; /* NULL = no credentials; owned */
	bool oauth2;                /* password is an OAuth2 access token */
	/* The refresh_token grant (--oauth2-refresh-token-file): NULL = none;
	 * the access token it gets goes into password. */
	struct mp_secret *oauth2_refresh;       /* owned */
	struct mp_secret *oauth2_client_secret; /* owned, NULL = none */
	char oauth2_token_url[MP_HOST_MAX + 64];
	char oauth2_client_id[MP_HOST_MAX];
	char oauth2_scope[1024]; /* --oauth2-scope, "" = none */
	/* "" or why no OAuth2 access token could be had (the exporter's token
	 * endpoint failed): password is NULL and every login step fails with
	 * auth_token_unavailable and these words. */
	char oauth2_unavailable[MP_MESSAGE_MAX];
	char ca_file[PATH_MAX]; /* "" = system store */
	double timeout;         /* seconds, whole run */
	char helo[MP_HOST_MAX];
	bool insecure_login;
	bool trust_discovered; /* --trust-discovered: credentials to any discovered host */
	bool redact_user;
	int cert_warn_days;
	int cert_crit_days;
	char mail_from[MP_HOST_MAX];
	char rcpt_to[MP_HOST_MAX];
	bool deliver;
	double deliver_timeout;
	char discover[MP_HOST_MAX];
	enum mp_path_mode path;
};

/* Defaults: the default endpoint set of --ports, 10 s, 14/3 days. */
void mp_account_init(struct mp_account *a);
void mp_account_cleanup(struct mp_account *a);

/* "smtp:587:starttls" -> spec. 0, or -1 with a one-line reason in err. */
int mp_endpoint_parse(const char *s, struct mp_endpoint_spec *out, char *err, size_t errlen);
/* "HOST:PORT:ADDR[,ADDR]" (PORT may be '*', IPv6 in brackets) -> pin. */
int mp_pin_parse(const char *s, struct mp_pin *out, char *err, size_t errlen);
/* The pinned addresses for host:port, or NULL (a port pin beats '*'). */
const struct mp_pin *mp_pin_find(const struct mp_account *a, const char *host, int port);
/* Whether the run starts with discovery (an address argument or
 * --discover). */
bool mp_account_wants_discovery(const struct mp_account *a);
/* The domain discovery looks at. */
const char *mp_account_discovery_domain(const struct mp_account *a);
/* The host endpoint i is probed at. */
const char *mp_account_host_of(const struct mp_account *a, int i);
/* Appends the --ports all extras (143, 110, 25). */
void mp_account_ports_all(struct mp_account *a);

/* The length of host name h without one trailing dot. */
size_t mp_host_len(const char *h);
/* True for a DNS name (labels of letters, digits, '-', '_'; at most 253
 * characters, one trailing dot allowed) or an IPv4/IPv6 literal. */
bool mp_host_valid(const char *s);
/* Writes s into buf as a double-quoted, one-line string for error messages:
 * control bytes become \xNN, '"' and '\\' are escaped, long input is cut
 * with "...". buf always ends up NUL-terminated. */
void mp_arg_quote(const char *s, char *buf, size_t len);

#endif
