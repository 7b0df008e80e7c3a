/*
 * Every sentence a person reads, one table per language (en.c, de.c),
 * indexed by enum mp_word. Identifiers (classes, finding ids, JSON keys,
 * metric names) are not words and stay English everywhere.
 *
 * Two kinds of entries: labels and printf formats used by the renderers
 * (report labels keep their %%d/%%s arguments, the same in every language),
 * and the finding texts, whose facts are named placeholders such as {ports}
 * or {host} (mp_words_finding fills them), so a language may order them as
 * its grammar wants. tests/unit/test_words.c checks that every language has
 * every entry with the same arguments.
 */
#ifndef MAILPROBE_WORDS_H
#define MAILPROBE_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "probe/diagnose/diagnose.h"

enum mp_lang { LANG_EN, LANG_DE, LANG_COUNT };

enum mp_word {
	/* the support report */

	L_TITLE,
	L_LIGHT_GREEN,
	L_LIGHT_YELLOW,
	L_LIGHT_RED,
	L_LIGHT_GREY,
	L_ST_OK,
	L_ST_WARNING,
	L_ST_CRITICAL,
	L_ST_UNKNOWN,
	L_VERDICT_OK,     /* "%d", "%d" */
	L_VERDICT_FAILED, /* "%d", "%d" */
	L_CHECKED,        /* "%s" date, "%.2f"-like duration string */
	L_SETTINGS,
	L_INCOMING,
	L_OUTGOING,
	L_USERNAME,
	L_USER_NONE,
	L_NO_IN,
	L_NO_OUT,
	L_NO_SETTINGS,
	L_SEC_TLS,
	L_SEC_STARTTLS,
	L_SEC_NONE,
	L_SETTING_LINE, /* "%s" proto, "%s" host, "%u" port, "%s" security */
	L_ON,
	L_OFF,
	L_DASH,
	L_OL_NAME,
	L_OL_WHERE,
	L_OL_SETTING,
	L_OL_COL_IN,
	L_OL_COL_OUT,
	L_OL_ACCOUNT_TYPE,
	L_OL_SERVER,
	L_OL_PORT,
	L_OL_ENCRYPTION,
	L_OL_SEC_NONE,
	L_OL_USER,
	L_OL_SPA,
	L_OL_OUT_AUTH,
	L_OL_SAME,
	L_TB_NAME,
	L_TB_WHERE,
	L_TB_SETTING,
	L_TB_COL_IN,
	L_TB_COL_OUT,
	L_TB_SERVER,
	L_TB_PORT,
	L_TB_SECURITY,
	L_TB_SEC_NONE,
	L_TB_AUTH,
	L_TB_AUTH_NORMAL,
	L_TB_USER,
	L_AM_NAME,
	L_AM_WHERE,
	L_AM_SETTING,
	L_AM_COL_IN,
	L_AM_COL_OUT,
	L_AM_USER,
	L_AM_HOST,
	L_AM_AUTO,
	L_AM_PORT,
	L_AM_TLS,
	L_AM_AUTH,
	L_AM_AUTH_PASSWORD,
	L_FINDINGS,
	L_NO_FINDINGS,
	L_ADVICE,
	L_EVIDENCE,
	L_SEV_CRITICAL,
	L_SEV_WARNING,
	L_SEV_INFO,
	L_ENDPOINT,
	L_STEP,
	L_CLASS,
	L_MESSAGE,
	L_RESULT,
	L_TIME,
	L_ENDPOINTS,
	L_RESOLVE,
	L_RESOLVE_OK,     /* "%s" time, "%s" addresses */
	L_RESOLVE_FAILED, /* "%s" class, "%s" message */
	L_EP_OK,
	L_EP_FAILED,
	L_NOT_CHECKED,
	L_R_OK,
	L_R_FAILED,
	L_R_SKIPPED,
	L_TLS,
	L_CERT,
	L_ISSUED_BY,
	L_DAYS_LEFT, /* "%d" */
	L_DAYS_AGO,  /* "%d" */
	L_VERIFIED,
	L_NAME_MATCH,
	L_YES,
	L_NO,
	L_CAPS,
	L_MECHANISM,
	L_TIMING,
	L_TRANSCRIPT,
	L_TRANSCRIPT_NOTE,
	L_NO_TRANSCRIPT,
	L_ENV,
	L_ENV_UTC,
	L_ENV_LOCAL,
	L_ENV_DURATION,
	L_ENV_OPENSSL,
	L_ENV_OS,
	L_ENV_SERVER,
	L_ENV_ADDRS,
	L_ENV_ENDPOINTS,
	L_ENV_TIMEOUT,
	L_ENV_NONE,
	L_FOOTER, /* "%s" version */
	L_NO_NAME,
	L_NO_WHERE,
	L_NO_SETTING,
	L_NO_COL_IN,
	L_NO_COL_OUT,
	L_NO_SERVER,
	L_NO_PORT,
	L_NO_SECURITY,
	L_NO_SEC_NONE,
	L_NO_USER,
	L_TICKET,
	L_WHAT_TO_DO,
	L_GRID,
	L_GRID_PORT,
	L_NOT_TESTED,
	L_OK,
	L_ENV_LOCAL_ADDRS,
	L_ENV_RESOLVERS,
	L_ENV_MAIL_ADDRS,
	L_DETAILS_OK,
	L_PATHS,
	L_PATH_TITLE,
	L_PATH_NONE,
	L_PATH_SERVER,
	/* step names, in enum mp_step's order */
	W_STEP_CONNECT,
	W_STEP_GREETING,
	W_STEP_STARTTLS,
	W_STEP_TLS,
	W_STEP_CAPABILITIES,
	W_STEP_LOGIN,
	W_STEP_SEND,
	W_STEP_LOGOUT,
	/* month names */
	W_MONTH_1,
	W_MONTH_2,
	W_MONTH_3,
	W_MONTH_4,
	W_MONTH_5,
	W_MONTH_6,
	W_MONTH_7,
	W_MONTH_8,
	W_MONTH_9,
	W_MONTH_10,
	W_MONTH_11,
	W_MONTH_12,
	/* text output */
	W_TXT_PROTOCOL,
	W_TXT_CERTIFICATE,
	W_TXT_ISSUER,
	W_TXT_EXPIRES,
	W_TXT_DAYS_LEFT,
	W_TXT_EXPIRED,
	W_TXT_DAYS_AGO,
	W_TXT_VERIFIED,
	W_TXT_YES,
	W_TXT_NO,
	W_TXT_HOSTNAME,
	W_TXT_MATCHES,
	W_TXT_NO_MATCH,
	W_TXT_CAPABILITIES,
	W_TXT_MECHANISM,
	W_TXT_NOT_CHECKED,
	W_TXT_RESOLVE,
	W_TXT_FAILED,
	W_TXT_STATUS,
	W_TXT_ENDPOINTS_OK,
	W_TXT_NO_ENCRYPTION,
	W_TXT_DIR_NOT_CHECKED,
	W_TXT_NOTHING_WORKS,
	W_TXT_DISCOVERY_FOR,
	W_TXT_DELIVERY,
	W_TXT_PATH_SKIPPED,
	W_TXT_FINDINGS,
	W_TXT_RECOMMENDED,
	W_TXT_INCOMING,
	W_TXT_OUTGOING,
	W_TXT_USER_NAME,
	W_TXT_DISCOVERY,
	W_TXT_OK,
	W_TXT_FAILED_UPPER,
	W_TXT_NOT_TESTED,
	W_TXT_LOGIN_OK,
	W_TXT_LOGIN_REJECTED,
	W_TXT_LOGIN_NOT_TESTED,
	W_TXT_LOGIN_FAILED,
	W_TXT_ADDRESSES,
	W_TXT_SEV_INFO,
	W_TXT_SEV_WARNING,
	W_TXT_SEV_CRITICAL,
	W_TXT_ST_OK,
	W_TXT_ST_WARNING,
	W_TXT_ST_CRITICAL,
	W_TXT_ST_UNKNOWN,
	W_TXT_MORE,
	W_TXT_WAITING,
	W_TXT_DONE,
	W_TXT_SKIP,
	/* findings: summary and advice ({placeholders}) */
	W_F_DNS_FAILURE_SUMMARY,
	W_F_DNS_FAILURE_ADVICE,
	W_F_HOST_UNREACHABLE_SUMMARY,
	W_F_HOST_UNREACHABLE_ADVICE,
	W_F_OUTGOING_BLOCKED_SUMMARY,
	W_F_OUTGOING_BLOCKED_ADVICE,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_REFUSED,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE,
	W_F_PORT25_BLOCKED_SUMMARY,
	W_F_PORT25_BLOCKED_ADVICE,
	W_F_WRONG_SECURITY_MODE_SUMMARY_PLAINTEXT,
	W_F_WRONG_SECURITY_MODE_ADVICE_PLAINTEXT,
	W_F_WRONG_SECURITY_MODE_SUMMARY,
	W_F_WRONG_SECURITY_MODE_ADVICE,
	W_F_STARTTLS_STRIPPED_SUMMARY,
	W_F_STARTTLS_STRIPPED_ADVICE,
	W_F_TLS_INTERCEPTED_SUMMARY,
	W_F_TLS_INTERCEPTED_ADVICE,
	W_F_CERT_CHAIN_INCOMPLETE_SUMMARY,
	W_F_CERT_CHAIN_INCOMPLETE_ADVICE,
	W_F_CERT_EXPIRED_SUMMARY,
	W_F_CERT_EXPIRED_ADVICE,
	W_F_CLOCK_SKEW_SUMMARY,
	W_F_CLOCK_SKEW_ADVICE,
	W_F_CERT_EXPIRING_SUMMARY,
	W_F_CERT_EXPIRING_ADVICE,
	W_F_TLS_OUTDATED_SUMMARY,
	W_F_TLS_OUTDATED_REASON_SHA1,
	W_F_TLS_OUTDATED_REASON_AEAD,
	W_F_TLS_OUTDATED_ADVICE,
	W_F_LOGIN_REJECTED_SUMMARY,
	W_F_LOGIN_REJECTED_ADVICE,
	W_F_LOGIN_REJECTED_USER_HINT,
	W_F_LOGIN_REJECTED_OUTGOING_ONLY_SUMMARY,
	W_F_LOGIN_REJECTED_OUTGOING_ONLY_ADVICE,
	W_F_OAUTH_REQUIRED_SUMMARY,
	W_F_OAUTH_REQUIRED_ADVICE,
	W_F_OAUTH_TOKEN_INVALID_SUMMARY,
	W_F_OAUTH_TOKEN_INVALID_ADVICE,
	W_F_OAUTH_TOKEN_UNAVAILABLE_SUMMARY,
	W_F_OAUTH_TOKEN_UNAVAILABLE_ADVICE,
	W_F_OAUTH_TOKEN_INVALID_SUMMARY_STATUS, /* with the server's RFC 7628 status */
	W_F_OAUTH_STATUS_INVALID_TOKEN,
	W_F_OAUTH_STATUS_INSUFFICIENT_SCOPE,
	W_F_OAUTH_STATUS_OTHER,
	W_F_LOGIN_NOT_TESTED_SUMMARY,
	W_F_LOGIN_NOT_TESTED_ADVICE,
	W_F_SENDING_REJECTED_SUMMARY,
	W_F_SENDING_REJECTED_ADVICE,
	W_F_ADDRESS_FAMILY_BROKEN_SUMMARY,
	W_F_ADDRESS_FAMILY_BROKEN_ADVICE,
	W_F_ADDRESS_DOWN_SUMMARY,
	W_F_ADDRESS_DOWN_ADVICE,
	W_F_DISCOVERY_CONFLICT_SUMMARY,
	W_F_DISCOVERY_CONFLICT_ADVICE,
	W_F_ENDPOINT_FAILED_SUMMARY,
	W_F_ENDPOINT_FAILED_ADVICE,
	W_F_HOST_UNREACHABLE_SUMMARY_REFUSED,
	W_F_HOST_UNREACHABLE_ADVICE_REFUSED,
	W_F_OUTGOING_BLOCKED_SUMMARY_REFUSED,
	W_F_OUTGOING_BLOCKED_ADVICE_REFUSED,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_REFUSED,
	W_F_ADDRESS_DOWN_SUMMARY_REFUSED,
	W_F_ADDRESS_DOWN_ADVICE_REFUSED,
	W_F_HOST_UNREACHABLE_SUMMARY_FIREWALL,
	W_F_HOST_UNREACHABLE_ADVICE_FIREWALL,
	W_F_OUTGOING_BLOCKED_SUMMARY_FIREWALL,
	W_F_OUTGOING_BLOCKED_ADVICE_FIREWALL,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_FIREWALL,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_FIREWALL,
	W_F_HOST_UNREACHABLE_SUMMARY_LOCAL,
	W_F_HOST_UNREACHABLE_ADVICE_LOCAL,
	W_F_OUTGOING_BLOCKED_SUMMARY_LOCAL,
	W_F_OUTGOING_BLOCKED_ADVICE_LOCAL,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_LOCAL,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_LOCAL,
	W_F_ADDRESS_DOWN_SUMMARY_FIREWALL,
	W_F_PORT25_BLOCKED_SUMMARY_FIREWALL,
	W_F_ENDPOINT_FAILED_PORT,
	W_F_LOGIN_TIMEOUT_SUMMARY,
	W_F_LOGIN_TIMEOUT_ADVICE,
	W_F_GREETING_SLOW_SUMMARY,
	W_F_GREETING_SLOW_ADVICE,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_NETWORK,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_NETWORK,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_SERVER,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_SERVER,
	W_F_OUTGOING_BLOCKED_SUMMARY_NETWORK,
	W_F_OUTGOING_BLOCKED_ADVICE_NETWORK,
	W_F_OUTGOING_BLOCKED_SUMMARY_SERVER,
	W_F_OUTGOING_BLOCKED_ADVICE_SERVER,
	W_F_HOST_UNREACHABLE_SUMMARY_NETWORK,
	W_F_HOST_UNREACHABLE_ADVICE_NETWORK,
	W_F_HOST_UNREACHABLE_SUMMARY_SERVER,
	W_F_HOST_UNREACHABLE_ADVICE_SERVER,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_NETWORK,
	W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_SERVER,
	W_F_OUTGOING_PORT_BLOCKED_ADVICE_PATH_SERVER,
	W_F_OUTGOING_BLOCKED_SUMMARY_PATH_NETWORK,
	W_F_OUTGOING_BLOCKED_SUMMARY_PATH_SERVER,
	W_F_OUTGOING_BLOCKED_ADVICE_PATH_SERVER,
	W_F_WHERE_OWN_ROUTER,
	W_F_WHERE_HOP,
	W_F_WHERE_NOWHERE,
	W_F_DISCOVERY_UNTRUSTED_SUMMARY,
	W_F_DISCOVERY_UNTRUSTED_ADVICE,
	W_A_AUTH_UNSUPPORTED_TOKEN,
	/* endpoint_failed: advice by the failure class */
	W_A_CONNECT_TIMEOUT,
	W_A_CONNECT_REFUSED,
	W_A_CONNECT_UNREACHABLE,
	W_A_TLS_UNTRUSTED,
	W_A_TLS_HOSTNAME_MISMATCH,
	W_A_TLS_NOT_YET_VALID,
	W_A_TLS_VERSION_TOO_OLD,
	W_A_AUTH_UNSUPPORTED,
	W_A_AUTH_ERROR,
	W_A_SERVER_REJECTED,
	W_A_WRONG_PROTOCOL,
	W_A_STARTTLS_UNSUPPORTED,
	W_A_TLS_HANDSHAKE_FAILED,
	W_A_NO_ANSWER,
	W_F_PORT25_BLOCKED_SUMMARY_REFUSED,
	W_F_PORT25_BLOCKED_ADVICE_REFUSED,
	/* the exporter's status page */
	W_EX_VERSION, /* "%s" */
	W_EX_TARGETS, /* "%d" */
	W_EX_CONFIG,
	W_EX_RELOAD_OK,
	W_EX_RELOAD_FAILED,
	W_EX_NO_TARGETS,
	W_EX_PENDING,
	W_EX_MODULE,
	W_EX_PROBED, /* "%s" age, "%s" duration */
	W_EX_FIRST_RUNNING,
	W_EX_WAITING,
	W_EX_EVERY,   /* "%s" interval */
	W_EX_BACKOFF, /* "%s" interval */
	W_EX_REPORT,
	W_EX_LATENCY, /* "%d" probes, "%s" time */
	W_EX_OTHER_LANG,
	/* the guided mode (mailprobe without arguments) */
	W_G_TITLE,
	W_G_INTRO,
	W_G_ASK_ADDRESS,
	W_G_ADDRESS_EMPTY,
	W_G_ADDRESS_NO_AT,
	W_G_ADDRESS_SPACE,
	W_G_ADDRESS_BAD,
	W_G_ADDRESS_TOO_LONG,
	W_G_GIVE_UP, /* "%d" tries */
	W_G_ASK_PASSWORD,
	W_G_PASSWORD_EMPTY,
	W_G_CHECKING, /* "%s" address */
	W_G_RESULT,
	W_G_RESULT_OK,
	W_G_RESULT_OK_NO_LOGIN,
	W_G_REPORT_AT,
	W_G_SEND,
	W_G_OPENED,
	W_G_NO_REPORT,
	W_G_CANCELLED,
	W_G_PRESS_ENTER,
	W_G_FILE_STEM,
	W_COUNT
};

extern const char *const mp_words_en[W_COUNT];
extern const char *const mp_words_de[W_COUNT];

/* The language of "en"/"de" (anything else: English). */
enum mp_lang mp_lang_of(const char *code);
/* "en", "de". */
const char *mp_lang_code(enum mp_lang l);
/* The entry w in language l ("" for an entry out of range). */
const char *mp_word(enum mp_lang l, enum mp_word w);
/* The step's name in language l. */
const char *mp_word_step(enum mp_lang l, enum mp_step s);

/* "6 December 2026, 07:32:34 (UTC+01:00, CET)" / "06.12.2026, 07:32:34 ...";
 * UTC when local is false. */
void mp_words_date(enum mp_lang l, time_t t, bool local, char *out, size_t len);
/* "3.01 s" (German "3,01 s"). */
void mp_words_seconds(enum mp_lang l, double secs, char *out, size_t len);
/* A day (UTC): "2026-12-06", German "06.12.2026". */
void mp_words_day(enum mp_lang l, time_t t, char *out, size_t len);
/* "4.2 ms", "130 ms", "1.25 s" (German: a decimal comma). */
void mp_words_duration(enum mp_lang l, double secs, char *out, size_t len);

/* A named placeholder's value. */
struct mp_word_arg {
	const char *name; /* "ports" for {ports} */
	const char *value;
};
/* tmpl with every {name} replaced by its value ("?" when not given); cut
 * to fit len. */
void mp_words_expand(const char *tmpl, const struct mp_word_arg *args, int nargs, char *out,
		     size_t len);

/* A step message in another language: its English printf format and the
 * language's own, with the same conversions in the same order. */
struct mp_step_phrase {
	const char *en;
	const char *other;
};
extern const struct mp_step_phrase mp_step_phrases_de[];
extern const size_t mp_step_phrases_de_count;

/* The step's message in language l (steps.c): English as checks/ wrote it,
 * or the language's words with the same arguments. */
void mp_words_step_message(enum mp_lang l, const struct mp_step_result *st, char *out, size_t len);

/* The message behind a piece of evidence in language l. */
void mp_words_evidence_message(enum mp_lang l, const struct mp_run *run,
			       const struct mp_evidence *ev, char *out, size_t len);

/* The summary and advice of finding f of run, in language l, from its id
 * and evidence (findings.c). Texts from the network (messages) are copied
 * as they are: the renderer cleans and masks them. */
void mp_words_finding(const struct mp_run *run, const struct mp_finding *f, enum mp_lang l,
		      char *summary, size_t slen, char *advice, size_t alen);

#endif
