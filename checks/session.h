/*
 * Internal to checks/: the state one endpoint check carries between its
 * steps, and the table of protocol operations (one file per protocol).
 */
#ifndef MAILPROBE_SESSION_H
#define MAILPROBE_SESSION_H

#include "checks/conn.h"
#include "checks/credential.h"
#include "checks/endpoint.h"

/* Capability flags, whatever the protocol calls them. */
enum {
	CAP_STARTTLS = 1 << 0, /* STARTTLS / STLS offered */
	CAP_AUTH = 1 << 1,     /* some AUTH / SASL mechanism offered */
	CAP_AUTH_PLAIN = 1 << 2,
	CAP_AUTH_LOGIN = 1 << 3,
	CAP_AUTH_OAUTH = 1 << 4, /* XOAUTH2 or OAUTHBEARER */
	CAP_SASL_IR = 1 << 5,    /* IMAP SASL-IR */
	CAP_LOGINDISABLED = 1 << 6,
	CAP_USER = 1 << 7,            /* POP3 USER */
	CAP_MASKED_STARTTLS = 1 << 8, /* a masked keyword such as XXXXXXXA */
	CAP_AUTH_XOAUTH2 = 1 << 9,
	CAP_AUTH_OAUTHBEARER = 1 << 10 /* RFC 7628 */
};
#define CAP_ALL ((unsigned)CAP_AUTH_OAUTHBEARER * 2u - 1u) /* every flag above */

struct mp_session {
	struct mp_conn conn;
	const struct mp_check_config *cfg;
	unsigned caps;
	bool caps_known;
	bool greeting_caps;         /* IMAP greeting carried [CAPABILITY ...] */
	unsigned greeting_capflags; /* and these flags */
	bool tls_up;
	int tag;               /* IMAP command tag counter */
	char imap_search[256]; /* the last "* SEARCH" numbers (delivery check) */
};

/* Each operation runs one step: fills st->message (and facts) and returns
 * CLASS_NONE or the failure class. */
struct mp_proto_ops {
	enum mp_class (*greeting)(struct mp_session *s, struct mp_step_result *st);
	/* Pre-TLS capabilities, the STARTTLS command and its go-ahead. */
	enum mp_class (*starttls)(struct mp_session *s, struct mp_step_result *st);
	enum mp_class (*capabilities)(struct mp_session *s, struct mp_step_result *st);
	enum mp_class (*login)(struct mp_session *s, struct mp_step_result *st);
	enum mp_class (*send)(struct mp_session *s, struct mp_step_result *st);
	enum mp_class (*logout)(struct mp_session *s, struct mp_step_result *st);
};

/* The delivery check's protocol parts (smtp.c, imap.c). */
/* MAIL FROM, RCPT TO, DATA with a small message carrying tag. */
enum mp_class mp_smtp_deliver(struct mp_session *s, struct mp_step_result *st, const char *from,
			      const char *to, const char *tag);
/* SELECT INBOX, then UID SEARCH for the tag until found or the deadline;
 * deletes it. *found_at: mp_now() when it was found. */
enum mp_class mp_imap_find_delete(struct mp_session *s, struct mp_step_result *st, const char *tag,
				  double *found_at);

/* Shared helpers (session.c). */
/* The class for an I/O failure in a step; greeting maps timeouts to
 * greeting_timeout. Sets st->message. */
enum mp_class mp_io_class(struct mp_session *s, enum mp_io io, enum mp_step step,
			  struct mp_step_result *st);
/* True for a keyword masked by a middlebox ("XXXXXXXA", "XXXX"). */
bool mp_keyword_masked(const char *kw, size_t n);
/* Sends prefix + the account's credential in form (checks/credential.h),
 * the transcript showing shown. CLASS_NONE, or the class of the failure. */
enum mp_class mp_send_cred(struct mp_session *s, struct mp_step_result *st, const char *prefix,
			   enum mp_cred_form form, const char *shown);
/* The OAuth2 mechanism for the session's capabilities (OAUTHBEARER
 * preferred, then XOAUTH2) as a credential form; false when neither is
 * offered (st then says so, class auth_unsupported). */
bool mp_oauth_form(const struct mp_session *s, struct mp_step_result *st, enum mp_cred_form *form);
/* The RFC 7628 failure challenge (base64 of a JSON object) in b64 (n bytes):
 * its "status" goes into st->oauth_status and the client's reply for form
 * (base64 of %x01 for OAUTHBEARER, empty for XOAUTH2) is returned. */
const char *mp_oauth_challenge(struct mp_step_result *st, enum mp_cred_form form, const char *b64,
			       size_t n);
/* The login step's words after a refused token: the status, then the
 * server's final words. Returns the class. */
enum mp_class mp_oauth_refused(struct mp_step_result *st, enum mp_class cls, const char *words);
/* True when bytes look like binary (NUL or control bytes other than TAB). */
bool mp_is_binary(const char *p, size_t n);
/* A line that is no valid reply of the session's protocol: wrong_protocol
 * in the greeting (naming the protocol it looks like), else protocol_error.
 * Sets st->message. */
enum mp_class mp_bad_line(const struct mp_session *s, struct mp_step_result *st, enum mp_step step,
			  const char *line, size_t n);
/* Copies text into st->message, escaped. */
void mp_step_words(struct mp_step_result *st, const char *text, size_t n);
/* protocol_error when bytes arrived after the STARTTLS go-ahead and before
 * the handshake (response injection), else CLASS_NONE. */
enum mp_class mp_starttls_injection(struct mp_session *s, struct mp_step_result *st);
/* The class when STARTTLS/STLS got no go-ahead: stripped, refused or
 * unsupported, from what the capabilities said. */
enum mp_class mp_starttls_denied(struct mp_session *s, struct mp_step_result *st,
				 const char *reply);
/* Appends one capability line to the step's facts. */
void mp_caps_add(struct mp_step_result *st, const char *line, size_t n);

#endif
