/*
 * Diagnosis: from the results of a run to findings (what is wrong, from
 * which evidence) and the settings that work from here. Finding ids and
 * severities are a contract (mailprobe-reference(7)). No text at all: probe/words/ words a
 * finding at output time from its id and evidence. No I/O here.
 */
#ifndef MAILPROBE_DIAGNOSE_H
#define MAILPROBE_DIAGNOSE_H

#include "probe/run/run.h"

enum mp_severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };

/* Where the cause of an unreachable port lies, and what shows it (VERDICTS
 * in mailprobe-reference(7)). CAUSE_NONE: the finding is not about a blocked
 * port. */
enum mp_cause { CAUSE_NONE, CAUSE_NETWORK, CAUSE_SERVER, CAUSE_UNKNOWN };
enum mp_basis {
	BASIS_NONE,
	BASIS_CONTROL,
	BASIS_PATH,
	BASIS_REFUSED_BY_SERVER, /* a TCP reset from the server's address */
	BASIS_SERVER_FIREWALL,   /* an ICMP unreachable from the server's address */
	BASIS_LOCAL_FIREWALL     /* ... from this computer's own address */
};

#define MP_MAX_FINDINGS 32
/* A greeting this many seconds after the connection (or the TLS handshake)
 * is greeting_slow. */
#define MP_GREETING_SLOW 5.0
#define MP_MAX_EVIDENCE 16

/* What a piece of evidence points at in the run. */
enum mp_evidence_kind {
	EV_ENDPOINT,  /* run->endpoints[endpoint], its step `step` */
	EV_RESOLVE,   /* run->resolve */
	EV_DELIVERY,  /* run->delivery (endpoint: where it failed, or -1) */
	EV_DISCOVERY, /* run->discovery, source `source` */
	EV_CONTROL,   /* run->control[control]: the same port at a control host */
	EV_PATH       /* run->paths[path]: how far a port's packets get */
};

/* One fact a finding rests on: an index into the run, never text. The
 * message and the certificate are read from the run when worded. */
struct mp_evidence {
	enum mp_evidence_kind kind;
	int endpoint; /* index into run->endpoints, or -1 */
	enum mp_step step;
	bool has_step;
	enum mp_class cls;
	int source;  /* EV_DISCOVERY: enum mp_source */
	int control; /* EV_CONTROL: index into run->control */
	int path;    /* EV_PATH: index into run->paths */
};

struct mp_finding {
	const char *id; /* "outgoing_port_blocked", ... (static) */
	enum mp_severity severity;
	enum mp_cause cause;
	enum mp_basis basis;
	int nevidence;
	struct mp_evidence evidence[MP_MAX_EVIDENCE];
};

struct mp_diagnosis {
	int nfindings;
	int cap;
	struct mp_finding *findings; /* worst first; owned (mp_diagnosis_cleanup) */
	struct mp_recommended recommended;
	enum mp_status status; /* from the worst finding, port 25 aside */
};

/* Diagnoses a finished run (its delivery check included): findings sorted
 * worst-first, the recommended settings and the status. A pure function of
 * the run; out is overwritten (call mp_diagnosis_cleanup when done). */
void mp_diagnose(const struct mp_run *run, struct mp_diagnosis *out);
/* Frees the findings. */
void mp_diagnosis_cleanup(struct mp_diagnosis *d);

const char *mp_severity_str(enum mp_severity s);
const char *mp_cause_str(enum mp_cause c);
const char *mp_basis_str(enum mp_basis b);
/* Finds a finding by id, or NULL. */
const struct mp_finding *mp_diagnosis_find(const struct mp_diagnosis *d, const char *id);

/* The run's facts behind a piece of evidence: its endpoint (NULL for
 * resolve or delivery evidence without one), its step result (NULL when the
 * evidence names no step of an endpoint), the message recorded there, and
 * "protocol:port:security@address" ("" for the resolve). */
const struct mp_endpoint_result *mp_evidence_endpoint(const struct mp_run *run,
						      const struct mp_evidence *ev);
const struct mp_step_result *mp_evidence_step(const struct mp_run *run,
					      const struct mp_evidence *ev);
void mp_evidence_message(const struct mp_run *run, const struct mp_evidence *ev, char *out,
			 size_t outlen);
void mp_evidence_name(const struct mp_run *run, const struct mp_evidence *ev, char *out,
		      size_t outlen);

#endif
