/*
 * Diagnosis: from the results of a run to findings (what is wrong, from
 * which evidence, and what to do) and the settings that work from here.
 * Finding ids and severities are DESIGN.md's contract. Texts exist in every
 * language of enum mp_lang; JSON uses English. No I/O here.
 */
#ifndef MAILPROBE_DIAGNOSE_H
#define MAILPROBE_DIAGNOSE_H

#include "probe/run/run.h"

enum mp_severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };
enum mp_lang { LANG_EN, LANG_DE, LANG_COUNT };

#define MP_MAX_FINDINGS 32
#define MP_MAX_EVIDENCE 16
#define MP_SUMMARY_MAX 512
#define MP_ADVICE_MAX 1024

struct mp_evidence {
	char endpoint[MP_ADDR_MAX + 64]; /* "smtp:587:starttls@192.0.2.1", "" for resolve */
	enum mp_step step;
	bool has_step; /* false for resolve evidence */
	enum mp_class cls;
	char message[MP_MESSAGE_MAX];
};

struct mp_finding {
	const char *id; /* "outgoing_port_blocked", ... (static) */
	enum mp_severity severity;
	char summary[LANG_COUNT][MP_SUMMARY_MAX];
	char advice[LANG_COUNT][MP_ADVICE_MAX];
	int nevidence;
	struct mp_evidence evidence[MP_MAX_EVIDENCE];
};

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

struct mp_diagnosis {
	int nfindings;
	int cap;
	struct mp_finding *findings; /* worst first; owned (mp_diagnosis_cleanup) */
	struct mp_recommended recommended;
	enum mp_status status; /* from the worst finding, port 25 aside */
};

/* A new zeroed finding at the end (the array grows), or NULL when out of
 * memory or at MP_MAX_FINDINGS. */
struct mp_finding *mp_diagnosis_add(struct mp_diagnosis *d);
/* Frees the findings; d can be diagnosed again. */
void mp_diagnosis_cleanup(struct mp_diagnosis *d);

/* Diagnoses a finished run (d is cleaned up first). The account gives the user and the certificate
 * thresholds. */
void mp_diagnose(const struct mp_run *run, struct mp_diagnosis *out);

/* (Re)writes the summary and advice of f from its evidence (for findings
 * added after mp_diagnose, such as a failed delivery check). */
void mp_finding_say(const struct mp_run *run, struct mp_finding *f);

const char *mp_severity_str(enum mp_severity s);
/* Finds a finding by id, or NULL. */
const struct mp_finding *mp_diagnosis_find(const struct mp_diagnosis *d, const char *id);

#endif
