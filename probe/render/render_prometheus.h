/*
 * The Prometheus text exposition format (version 0.0.4): the one renderer
 * behind `mailprobe --format prometheus`, the exporter's /probe and the
 * per-target part of its /metrics. Pure output: it reads finished runs and
 * their diagnoses, never a password or a server's words (only class, step
 * and finding ids reach a label), and escapes every label value.
 */
#ifndef MAILPROBE_RENDER_PROMETHEUS_H
#define MAILPROBE_RENDER_PROMETHEUS_H

#include <stdbool.h>
#include <stdio.h>

#include "probe/diagnose/diagnose.h"
#include "probe/run/run.h"

/* The run's metric families, in output order (mailprobe-reference(7), METRICS). */
enum mp_prom_family {
	PROM_PROBE_SUCCESS,
	PROM_PROBE_DURATION,
	PROM_PROBE_DNS_LOOKUP,
	PROM_PROBE_IP_PROTOCOL,
	PROM_PROBE_SSL_EARLIEST_EXPIRY,
	PROM_PROBE_TLS_VERSION,
	PROM_STATUS,
	PROM_ENDPOINT_UP,
	PROM_STEP_SUCCESS,
	PROM_STEP_DURATION,
	PROM_STEP_FAILURE,
	PROM_LOGIN_SUCCESS,
	PROM_CERT_NOT_AFTER,
	PROM_CERT_VERIFIED,
	PROM_FINDING,
	PROM_DELIVERY_SECONDS,
	PROM_CONTROL_UP,           /* --control: per (control host, port) */
	PROM_LAST_PROBE_TIMESTAMP, /* exporter /metrics: when the cached result was made */
	PROM_LOGIN_BACKOFF,        /* exporter: back-off after auth_failed */
	PROM_FAMILY_COUNT
};

struct mp_prom_label {
	const char *name;
	const char *value;
};

/* One target's input to the renderer. Every field but run may be unset. */
struct mp_prom_input {
	const struct mp_run *run;           /* NULL: only the two exporter families */
	const struct mp_diagnosis *diag;    /* NULL: no findings, status from the engine */
	const struct mp_prom_label *labels; /* put first on every series */
	int nlabels;
	double last_probe; /* unix time; < 0 leaves the family out */
	double backoff;    /* seconds; < 0 leaves the family out */
};

/* A family being written: its HELP and TYPE come out before the first
 * sample only, so a family without samples leaves no trace. */
struct mp_prom_writer {
	FILE *out;
	const char *name;
	const char *type; /* "gauge", "counter", "histogram" */
	const char *help;
	bool started;
};

/* The whole exposition of one run (no extra labels), for --format
 * prometheus and /probe. 0, or -1 when a write failed. */
int mp_render_prometheus(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d);
/* n inputs family by family: HELP/TYPE once per family, then the samples
 * of every input. 0, or -1 when a write failed. */
int mp_render_prometheus_inputs(FILE *out, const struct mp_prom_input *in, int n);

/* Building blocks, shared with the exporter's own series. */

/* Name, type and help of a family. */
void mp_prom_family_info(enum mp_prom_family f, const char **name, const char **type,
			 const char **help);
/* The samples of one family for one input, without HELP/TYPE. */
void mp_prom_family_samples(FILE *out, enum mp_prom_family f, const struct mp_prom_input *in);
/* HELP and TYPE lines of a family. */
void mp_prom_header(FILE *out, const char *name, const char *type, const char *help);
/* Starts a family for writer w; its header is written with the first sample. */
void mp_prom_begin(struct mp_prom_writer *w, FILE *out, const char *name, const char *type,
		   const char *help);
/* One sample: name (NULL = the family's own, else e.g. "..._bucket"), the
 * labels of a (na of them) and then of b (nb), and the value. */
void mp_prom_sample(struct mp_prom_writer *w, const char *name, const struct mp_prom_label *a,
		    int na, const struct mp_prom_label *b, int nb, double value);
/* A label value escaped for the exposition format: invalid UTF-8 and
 * control bytes become '?', then '\\', '"' and newline are escaped as
 * \\, \" and \n. Cut to fit len (at a character, never mid-escape). */
void mp_prom_escape(const char *in, char *out, size_t len);
/* A sample value: shortest round-trip form, "NaN", "+Inf", "-Inf". */
void mp_prom_value(double v, char *out, size_t len);

#endif
