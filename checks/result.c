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
    [CLASS_AUTH_TOKEN_UNAVAILABLE] = "auth_token_unavailable",
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

/* The conversion specification at p ("%.0f", "%lld"): its length, 0 when
 * p is no conversion. */
static size_t
conversion_len(const char *p)
{
	size_t n = 1;

	while (p[n] != '\0' && strchr("-+ #0123456789.*hlzjt", p[n]) != NULL)
		n++;
	return p[n] != '\0' && strchr("diouxXeEfgGcsp", p[n]) != NULL ? n + 1 : 0;
}

/* One argument of the conversion spec (n bytes) from ap, formatted. */
static void
format_one(const char *spec, size_t n, va_list *ap, char *out, size_t len)
{
	char f[32], conv = spec[n - 1];
	bool l2 = n >= 3 && spec[n - 2] == 'l' && spec[n - 3] == 'l';
	bool l1 = !l2 && n >= 2 && (spec[n - 2] == 'l' || spec[n - 2] == 'z');

	snprintf(f, sizeof(f), "%.*s", (int)(n < sizeof(f) ? n : sizeof(f) - 1), spec);
	if (memchr(spec, '*', n) != NULL) { /* a width or precision argument */
		int w = va_arg(*ap, int);

		snprintf(out, len, "%.*s", w, va_arg(*ap, const char *));
	} else if (conv == 's')
		snprintf(out, len, f, va_arg(*ap, const char *));
	else if (conv == 'p')
		snprintf(out, len, f, va_arg(*ap, void *));
	else if (strchr("eEfgG", conv) != NULL)
		snprintf(out, len, f, va_arg(*ap, double));
	else if (strchr("di", conv) != NULL)
		snprintf(out, len, f,
			 l2   ? va_arg(*ap, long long)
			 : l1 ? va_arg(*ap, long)
			      : va_arg(*ap, int));
	else if (conv == 'c')
		snprintf(out, len, f, va_arg(*ap, int));
	else
		snprintf(out, len, f,
			 l2   ? va_arg(*ap, unsigned long long)
			 : l1 ? va_arg(*ap, unsigned long)
			      : va_arg(*ap, unsigned int));
}

/* Appends s to the message, cut to fit. */
static void
put(struct mp_step_result *st, size_t *at, const char *s, size_t n)
{
	size_t room = sizeof(st->message) - 1 - *at;

	if (n > room)
		n = room;
	memcpy(st->message + *at, s, n);
	*at += n;
	st->message[*at] = '\0';
}

/* printf into st->message, remembering fmt and where each argument went. */
static void
step_record(struct mp_step_result *st, const char *fmt, va_list ap)
{
	char one[MP_MESSAGE_MAX];
	size_t at = 0, n;
	va_list cp;

	va_copy(cp, ap);
	st->msg_fmt = fmt;
	st->msg_nargs = 0;
	st->message[0] = '\0';
	for (const char *p = fmt; *p != '\0'; p += n) {
		if (p[0] == '%' && p[1] == '%') {
			put(st, &at, "%", 1);
			n = 2;
		} else if (p[0] == '%' && (n = conversion_len(p)) > 0) {
			format_one(p, n, &cp, one, sizeof(one));
			if (st->msg_nargs < MP_MSG_ARGS)
				st->msg_args[st->msg_nargs].start = (uint16_t)at;
			put(st, &at, one, strlen(one));
			if (st->msg_nargs < MP_MSG_ARGS)
				st->msg_args[st->msg_nargs].end = (uint16_t)at;
			st->msg_nargs++;
		} else {
			n = 1;
			put(st, &at, p, 1);
		}
	}
	va_end(cp);
	if (st->msg_nargs > MP_MSG_ARGS)
		st->msg_fmt = NULL; /* too many to place: English only */
}

void
mp_step_say(struct mp_step_result *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	step_record(st, fmt, ap);
	va_end(ap);
}

enum mp_class
mp_step_fail(struct mp_step_result *st, enum mp_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	step_record(st, fmt, ap);
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
