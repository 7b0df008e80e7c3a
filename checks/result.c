/*
 * String tables and small queries over the result model. No I/O here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/result.h"

static const char *const class_names[CLASS_COUNT] = {
    [CLASS_NONE] = "",
    [CLASS_DNS_NXDOMAIN] = "dns_nxdomain",
    [CLASS_DNS_TIMEOUT] = "dns_timeout",
    [CLASS_DNS_ERROR] = "dns_error",
    [CLASS_CONNECT_TIMEOUT] = "connect_timeout",
    [CLASS_CONNECT_REFUSED] = "connect_refused",
    [CLASS_CONNECT_UNREACHABLE] = "connect_unreachable",
    [CLASS_READ_TIMEOUT] = "read_timeout",
    [CLASS_PEER_CLOSED] = "peer_closed",
    [CLASS_PEER_RESET] = "peer_reset",
    [CLASS_LINE_TOO_LONG] = "line_too_long",
    [CLASS_PROTOCOL_ERROR] = "protocol_error",
    [CLASS_GREETING_TIMEOUT] = "greeting_timeout",
    [CLASS_WRONG_PROTOCOL] = "wrong_protocol",
    [CLASS_SERVER_REJECTED] = "server_rejected",
    [CLASS_STARTTLS_UNSUPPORTED] = "starttls_unsupported",
    [CLASS_STARTTLS_STRIPPED] = "starttls_stripped",
    [CLASS_STARTTLS_REFUSED] = "starttls_refused",
    [CLASS_TLS_PLAINTEXT_PORT] = "tls_plaintext_port",
    [CLASS_TLS_HANDSHAKE_FAILED] = "tls_handshake_failed",
    [CLASS_TLS_UNTRUSTED] = "tls_untrusted",
    [CLASS_TLS_EXPIRED] = "tls_expired",
    [CLASS_TLS_NOT_YET_VALID] = "tls_not_yet_valid",
    [CLASS_TLS_HOSTNAME_MISMATCH] = "tls_hostname_mismatch",
    [CLASS_TLS_VERSION_TOO_OLD] = "tls_version_too_old",
    [CLASS_AUTH_FAILED] = "auth_failed",
    [CLASS_AUTH_UNSUPPORTED] = "auth_unsupported",
    [CLASS_AUTH_ERROR] = "auth_error",
    [CLASS_AUTH_SKIPPED] = "auth_skipped",
    [CLASS_SENDER_REJECTED] = "sender_rejected",
    [CLASS_RECIPIENT_REJECTED] = "recipient_rejected",
};

static const char *const step_names[STEP_COUNT] = {
    [STEP_CONNECT] = "connect",
    [STEP_GREETING] = "greeting",
    [STEP_STARTTLS] = "starttls",
    [STEP_TLS] = "tls",
    [STEP_CAPABILITIES] = "capabilities",
    [STEP_LOGIN] = "login",
    [STEP_SEND] = "send",
    [STEP_LOGOUT] = "logout",
};

static const char *const security_names[SEC_COUNT] = {"tls", "starttls", "none"};

const char *
mp_class_str(enum mp_class c)
{
	return (unsigned)c < CLASS_COUNT ? class_names[c] : "";
}

const char *
mp_step_str(enum mp_step s)
{
	return (unsigned)s < STEP_COUNT ? step_names[s] : "";
}

const char *
mp_proto_str(enum mp_proto p)
{
	return mp_protocol(p)->name;
}

const char *
mp_security_str(enum mp_security s)
{
	return (unsigned)s < SEC_COUNT ? security_names[s] : "";
}

static int
table_find(const char *const *table, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (s != NULL && table[i] != NULL && table[i][0] != '\0' &&
		    strcmp(table[i], s) == 0)
			return i;
	return -1;
}

int
mp_proto_parse(const char *s)
{
	const struct mp_protocol *row = mp_protocol_find(s);

	return row != NULL ? (int)row->id : -1;
}

int
mp_security_parse(const char *s)
{
	return table_find(security_names, SEC_COUNT, s);
}

int
mp_class_parse(const char *s)
{
	return table_find(class_names, CLASS_COUNT, s);
}

void
mp_step_say(struct mp_step_result *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
}

enum mp_class
mp_step_fail(struct mp_step_result *st, enum mp_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	return cls;
}

bool
mp_class_is_cert(enum mp_class c)
{
	return c == CLASS_TLS_UNTRUSTED || c == CLASS_TLS_EXPIRED || c == CLASS_TLS_NOT_YET_VALID ||
	       c == CLASS_TLS_HOSTNAME_MISMATCH;
}

const struct mp_step_result *
mp_endpoint_step(const struct mp_endpoint_result *r, enum mp_step s)
{
	for (int i = 0; i < r->nsteps; i++)
		if (r->steps[i].step == s)
			return &r->steps[i];
	return NULL;
}

const struct mp_step_result *
mp_endpoint_failure(const struct mp_endpoint_result *r)
{
	for (int i = 0; i < r->nsteps; i++)
		if (!r->steps[i].ok && r->steps[i].step != STEP_LOGOUT)
			return &r->steps[i];
	return NULL;
}

bool
mp_step_not_tested(const struct mp_step_result *s)
{
	return s->step == STEP_LOGIN && s->cls == CLASS_AUTH_SKIPPED;
}

bool
mp_endpoint_is_ok(const struct mp_endpoint_result *r)
{
	for (int i = 0; i < r->nsteps; i++) {
		const struct mp_step_result *s = &r->steps[i];

		if (!s->ok && s->step != STEP_LOGOUT && !mp_step_not_tested(s))
			return false;
	}
	return true;
}

void
mp_endpoint_spec_str(const struct mp_endpoint_spec *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%u:%s", mp_proto_str(e->proto), (unsigned)e->port,
		 mp_security_str(e->security));
}

void
mp_endpoint_result_cleanup(struct mp_endpoint_result *r)
{
	free(r->transcript);
	r->transcript = NULL;
}
