/*
 * The result model of one check: steps, failure classes and the facts each
 * step records. Plain data with one owned pointer (the transcript), so the
 * engine, the renderers and the exporter can copy results freely.
 * No I/O here.
 */
#ifndef MAILPROBE_RESULT_H
#define MAILPROBE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "checks/protocols.h"

/* Steps in the order mailprobe-reference(7) lists them; execution order depends on the
 * security mode (see endpoint.c). */
enum mp_step {
	STEP_CONNECT,
	STEP_GREETING,
	STEP_STARTTLS,
	STEP_TLS,
	STEP_CAPABILITIES,
	STEP_LOGIN,
	STEP_SEND,
	STEP_LOGOUT,
	STEP_COUNT
};

/* One value per class string of mailprobe-reference(7); mp_class_str() gives the string. */
enum mp_class {
	CLASS_NONE = 0,
	CLASS_DNS_NXDOMAIN,
	CLASS_DNS_TIMEOUT,
	CLASS_DNS_ERROR,
	CLASS_CONNECT_TIMEOUT,
	CLASS_CONNECT_REFUSED,
	CLASS_CONNECT_UNREACHABLE,
	CLASS_READ_TIMEOUT,
	CLASS_PEER_CLOSED,
	CLASS_PEER_RESET,
	CLASS_LINE_TOO_LONG,
	CLASS_PROTOCOL_ERROR,
	CLASS_GREETING_TIMEOUT,
	CLASS_WRONG_PROTOCOL,
	CLASS_SERVER_REJECTED,
	CLASS_STARTTLS_UNSUPPORTED,
	CLASS_STARTTLS_STRIPPED,
	CLASS_STARTTLS_REFUSED,
	CLASS_TLS_PLAINTEXT_PORT,
	CLASS_TLS_HANDSHAKE_FAILED,
	CLASS_TLS_UNTRUSTED,
	CLASS_TLS_EXPIRED,
	CLASS_TLS_NOT_YET_VALID,
	CLASS_TLS_HOSTNAME_MISMATCH,
	CLASS_TLS_VERSION_TOO_OLD,
	CLASS_AUTH_FAILED,
	CLASS_AUTH_UNSUPPORTED,
	CLASS_AUTH_ERROR,
	CLASS_AUTH_SKIPPED,
	CLASS_SENDER_REJECTED,
	CLASS_RECIPIENT_REJECTED,
	CLASS_AUTH_TOKEN_UNAVAILABLE, /* no OAuth2 access token could be had: nothing sent */
	CLASS_COUNT
};

#define MP_MESSAGE_MAX 512
#define MP_CAPS_MAX 2048
#define MP_ADDR_MAX 64 /* textual IPv4/IPv6 address */
#define MP_NAME_MAX 256

/* Certificate facts of the leaf the server sent; recorded even when
 * verification fails. */
struct mp_cert {
	bool present;
	char subject[MP_NAME_MAX];
	char issuer[MP_NAME_MAX];
	time_t not_before;
	time_t not_after;
	int days_left; /* floor((not_after - now) / 86400), negative when expired */
	bool verified; /* the chain verified against the trust store */
	bool hostname_match;
	char sha256[65];        /* lowercase hex of the DER leaf */
	char spki_sha256[65];   /* lowercase hex of the public key (interception) */
	int chain_length;       /* certificates the server sent */
	bool issuer_missing;    /* leaf only (with an AIA caIssuers URL), its issuer
				   neither sent nor trusted: an incomplete chain */
	bool sha1_signature;    /* leaf signed with SHA-1 */
	char verify_error[128]; /* first verification error, "" when none */
};

/* Why a login step did not log in (class auth_skipped): the login was not
 * tested on this endpoint, which says nothing about its reachability. */
enum mp_skip {
	SKIP_NONE,      /* the login ran (or the step is no login) */
	SKIP_REJECTION, /* not retried after a rejection on another endpoint */
	SKIP_DEADLINE,  /* the run's deadline passed before the login: nothing sent */
	SKIP_ELSEWHERE, /* another address of this (protocol, port) logs in: login_on */
	SKIP_CERT,      /* the certificate did not verify: credentials not sent */
	SKIP_PLAINTEXT, /* no TLS: credentials not sent */
	SKIP_UNTRUSTED  /* a discovered host the run does not trust (RFC 6186 section 6):
			   credentials not sent; the message says why */
};

#define MP_MSG_ARGS 4 /* arguments of a step message kept for other languages */

/* The result of one step. Facts are set only by the steps that own them. */
struct mp_step_result {
	enum mp_step step;
	bool ok;
	double seconds;
	enum mp_class cls;            /* CLASS_NONE when ok */
	char message[MP_MESSAGE_MAX]; /* server's words or our explanation */
	/* How the message was made, for other languages (probe/words): the
	 * English format (a string literal; NULL when none) and where each of
	 * its arguments stands in message. */
	const char *msg_fmt;
	int msg_nargs;
	struct {
		uint16_t start, end;
	} msg_args[MP_MSG_ARGS];
	/* facts */
	char capabilities[MP_CAPS_MAX]; /* '\n'-separated, "" when none */
	bool has_capabilities;
	char mechanism[32];         /* login: SASL mechanism or "LOGIN"/"USER" */
	char oauth_status[32];      /* login: the RFC 7628 error status ("invalid_token") */
	char tls_version[16];       /* tls */
	char cipher[64];            /* tls */
	bool aead;                  /* tls: the cipher is an AEAD */
	struct mp_cert cert;        /* tls */
	enum mp_skip skip;          /* login with auth_skipped: why it was not tested */
	char login_on[MP_ADDR_MAX]; /* SKIP_ELSEWHERE: the address that logs in */
	/* connect: the sender of the ICMP error that refused or ended the
	 * attempt, "" when none came (checks/net.h, struct mp_connect_icmp) */
	char icmp_from[MP_ADDR_MAX];
};

struct mp_endpoint_result {
	struct mp_endpoint_spec spec;
	char host[MP_NAME_MAX];    /* the server name probed */
	char address[MP_ADDR_MAX]; /* "" when resolve failed (address null) */
	bool ok;
	int nsteps;
	struct mp_step_result steps[STEP_COUNT]; /* in execution order */
	char *transcript; /* C:/S: lines, credentials as ***; owned, may be NULL */
};

const char *mp_class_str(enum mp_class c);
const char *mp_step_str(enum mp_step s);
const char *mp_proto_str(enum mp_proto p);
const char *mp_security_str(enum mp_security s);
/* Parse the string forms; return -1 when unknown. */
int mp_proto_parse(const char *s);
int mp_security_parse(const char *s);
int mp_class_parse(const char *s);

/* Sets the step's message (server words or our explanation), printf-style,
 * cut to MP_MESSAGE_MAX. */
void mp_step_say(struct mp_step_result *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same, and returns cls: return mp_step_fail(st, CLASS_X, "why"). */
enum mp_class mp_step_fail(struct mp_step_result *st, enum mp_class cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when a class is one of the certificate classes, after which
 * greeting and capabilities still run. */
bool mp_class_is_cert(enum mp_class c);

/* The step of an endpoint result, or NULL when it did not run. */
const struct mp_step_result *mp_endpoint_step(const struct mp_endpoint_result *r, enum mp_step s);
/* The first failed step, or NULL (logout never counts as a failure). */
const struct mp_step_result *mp_endpoint_failure(const struct mp_endpoint_result *r);
/* A login that was not attempted here (auth_skipped): "not tested". */
bool mp_step_not_tested(const struct mp_step_result *s);
/* The rule for mp_endpoint_result.ok (and mailprobe_endpoint_up): every step
 * the endpoint ran is ok, logout and a login not tested aside. */
bool mp_endpoint_is_ok(const struct mp_endpoint_result *r);
/* "imap:993:tls" into buf. */
void mp_endpoint_spec_str(const struct mp_endpoint_spec *e, char *buf, size_t len);
/* Frees what the result owns (the transcript) and clears it. */
void mp_endpoint_result_cleanup(struct mp_endpoint_result *r);

#endif
