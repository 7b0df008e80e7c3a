/*
 * The model of one run: the facts the engine observed for an account
 * (discovery, resolve, every endpoint's steps, the delivery check) and the
 * settings that work. The diagnosis is a pure function of it; nothing
 * points back from here. The run owns its endpoint results.
 */
#ifndef MAILPROBE_RUN_H
#define MAILPROBE_RUN_H

#include "probe/run/account.h"

#define MP_MAX_ADDRS 16

enum mp_status { STATUS_OK = 0, STATUS_WARNING = 1, STATUS_CRITICAL = 2, STATUS_UNKNOWN = 3 };

struct mp_resolve_result {
	bool ok;
	double seconds;
	enum mp_class cls;
	char message[MP_MESSAGE_MAX];
	int naddr;
	char addrs[MP_MAX_ADDRS][MP_ADDR_MAX];
};

/* One control connection (--control, probe/run/control.c): the port of an
 * endpoint that failed to connect, tried at a host known to accept it. TCP
 * connect, plus a TLS handshake without any credential on implicit-TLS
 * ports. Kept only for ports where an endpoint failed with connect_timeout,
 * connect_refused or connect_unreachable. */
struct mp_control_result {
	char host[MP_HOST_MAX];    /* the control host as given */
	char address[MP_ADDR_MAX]; /* "" when it did not resolve (cls is dns_*) */
	uint16_t port;
	bool ok;           /* connected, and on a tls port the handshake completed */
	enum mp_class cls; /* CLASS_NONE when ok; connect_* = TCP failed; a tls or
			      read class = TCP worked, the handshake did not */
	double seconds;    /* resolve (when it failed) or connect + handshake */
	char message[MP_MESSAGE_MAX];
	bool tls;           /* a handshake was tried (the endpoint's security is tls) */
	bool cert_verified; /* tls: the chain verified (recorded, never required) */
};

struct mp_discovery;
struct mp_delivery_result;
struct mp_path_result; /* checks/path.h */

/* One recommended server setting (a client's "server, port, security"). */
struct mp_setting {
	bool present;
	enum mp_proto proto;
	char host[MP_HOST_MAX];
	uint16_t port;
	enum mp_security security;
};

struct mp_recommended {
	struct mp_setting incoming; /* IMAP 993 first, then POP3 995, ... */
	struct mp_setting outgoing; /* 587 STARTTLS if it works, else 465 */
	char username[MP_HOST_MAX]; /* "" = null */
};

#define MP_ENV_MAX 8

/* Where the run was made from (env.c). */
struct mp_run_env {
	int nlocal;
	char local[MP_ENV_MAX][MP_ADDR_MAX]; /* this computer's addresses */
	int nresolver;
	char resolver[MP_ENV_MAX][MP_ADDR_MAX]; /* its DNS servers */
};

struct mp_run {
	const struct mp_account *account;    /* the caller's, or owned_account */
	struct mp_account *owned_account;    /* after discovery: the account probed */
	struct mp_discovery *discovery;      /* owned; NULL without discovery */
	struct mp_delivery_result *delivery; /* owned; NULL without --deliver */
	int delivery_endpoint;               /* where delivery failed, or -1 */
	char host[MP_HOST_MAX];
	time_t started_at; /* wall clock, UTC */
	double duration;   /* seconds */
	struct mp_resolve_result resolve;
	int nendpoints;
	struct mp_endpoint_result *endpoints; /* owned */
	int ncontrol;
	struct mp_control_result *control; /* owned; NULL without --control */
	struct mp_run_env env;
	/* Paths measured to (address, port) pairs (checks/path.h), sorted by
	 * address and port; owned; NULL/0 when none was measured. */
	int npaths;
	struct mp_path_result *paths;
};

/* This computer's addresses and DNS servers (read again after 10 s). */
void mp_run_env_collect(struct mp_run_env *env);

/* The settings that work from here, from the endpoints' results
 * (recommend.c): IMAP 993 SSL/TLS first, then POP3 995; SMTP 587 STARTTLS,
 * else 465 SSL/TLS; the user name. */
void mp_recommend(const struct mp_run *run, struct mp_recommended *out);

#endif
