/*
 * The Prometheus text exposition of runs: a fixed table of families (HELP,
 * TYPE), each filled from the result model. No registry and no state: the
 * same inputs give the same bytes. Label values come from our own tables
 * (classes, steps, finding ids) or the caller's labels, always escaped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/delivery.h"
#include "probe/render/render.h"
#include "probe/render/render_prometheus.h"
#include "probe/run/runner.h"

#define LABEL_MAX 1024 /* one escaped label value */
#define EP_LABELS 6    /* protocol, port, security, address, step, class */

struct family {
	const char *name;
	const char *type;
	const char *help;
};

static const struct family families[PROM_FAMILY_COUNT] = {
    [PROM_PROBE_SUCCESS] = {"probe_success", "gauge",
			    "Whether the probe succeeded: 1 unless the status is critical."},
    [PROM_PROBE_DURATION] = {"probe_duration_seconds", "gauge",
			     "How long the probe took to complete, in seconds."},
    [PROM_PROBE_DNS_LOOKUP] = {"probe_dns_lookup_time_seconds", "gauge",
			       "How long the DNS lookup of the host took, in seconds."},
    [PROM_PROBE_IP_PROTOCOL] = {"probe_ip_protocol", "gauge",
				"6 if any IPv6 address was probed, else 4."},
    [PROM_PROBE_SSL_EARLIEST_EXPIRY] = {"probe_ssl_earliest_cert_expiry", "gauge",
					"Earliest certificate expiry over all endpoints, in "
					"unixtime."},
    [PROM_PROBE_TLS_VERSION] = {"probe_tls_version_info", "gauge",
				"The TLS versions the endpoints negotiated, one series per "
				"version."},
    [PROM_STATUS] = {"mailprobe_status", "gauge",
		     "Status from the worst finding: 0 ok, 1 warning, 2 critical."},
    [PROM_ENDPOINT_UP] = {"mailprobe_endpoint_up", "gauge",
			  "1 when every step the endpoint ran succeeded, logout and a login not "
			  "tested (auth_skipped) aside."},
    [PROM_STEP_SUCCESS] = {"mailprobe_step_success", "gauge",
			   "1 when the step succeeded, 0 when it failed."},
    [PROM_STEP_DURATION] = {"mailprobe_step_duration_seconds", "gauge",
			    "How long the step took, in seconds."},
    [PROM_STEP_FAILURE] = {"mailprobe_step_failure_info", "gauge",
			   "A failed step and its failure class; absent when the step "
			   "succeeded."},
    [PROM_LOGIN_SUCCESS] = {"mailprobe_login_success", "gauge",
			    "1 when the login on the endpoint succeeded, 0 when it was sent and "
			    "failed; absent when no login was tested there."},
    [PROM_CERT_NOT_AFTER] = {"mailprobe_cert_not_after_timestamp_seconds", "gauge",
			     "Expiry of the certificate the endpoint sent, in unixtime."},
    [PROM_CERT_VERIFIED] = {"mailprobe_cert_verified", "gauge",
			    "1 when the certificate chain verified against the trust store."},
    [PROM_FINDING] = {"mailprobe_finding", "gauge",
		      "1 while the diagnosis finding holds; absent otherwise."},
    [PROM_DELIVERY_SECONDS] = {"mailprobe_delivery_seconds", "gauge",
			       "How long the delivery check took, in seconds."},
    [PROM_CONTROL_UP] = {"mailprobe_control_up", "gauge",
			 "1 when a port that failed at the mail server connected at the control "
			 "host (with the TLS handshake on TLS ports; any address), else 0."},
    [PROM_LAST_PROBE_TIMESTAMP] = {"mailprobe_last_probe_timestamp_seconds", "gauge",
				   "When the cached result of this target was produced, in "
				   "unixtime (the series of /metrics are cached, not live)."},
    [PROM_LOGIN_BACKOFF] = {"mailprobe_login_backoff_seconds", "gauge",
			    "Seconds between login attempts after an auth_failed (doubling up "
			    "to 1 h); 0 without back-off."},
};

void
mp_prom_family_info(enum mp_prom_family f, const char **name, const char **type, const char **help)
{
	*name = families[f].name;
	*type = families[f].type;
	*help = families[f].help;
}

void
mp_prom_value(double v, char *out, size_t len)
{
	if (isnan(v)) {
		snprintf(out, len, "NaN");
	} else if (isinf(v)) {
		snprintf(out, len, "%sInf", v > 0 ? "+" : "-");
	} else {
		snprintf(out, len, "%.15g", v);
		if (strtod(out, NULL) != v)
			snprintf(out, len, "%.17g", v);
	}
}

void
mp_prom_escape(const char *in, char *out, size_t len)
{
	char clean[LABEL_MAX];
	size_t o = 0;

	if (len == 0)
		return;
	mp_render_clean(in != NULL ? in : "", clean, sizeof(clean), true);
	for (const char *p = clean; *p != '\0'; p++) {
		const char *rep = *p == '\\'   ? "\\\\"
				  : *p == '"'  ? "\\\""
				  : *p == '\n' ? "\\n"
					       : NULL;
		size_t k = rep != NULL ? 2 : 1;

		if (o + k >= len)
			break;
		if (rep != NULL)
			memcpy(out + o, rep, 2);
		else
			out[o] = *p;
		o += k;
	}
	out[o] = '\0';
}

void
mp_prom_header(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
mp_prom_begin(struct mp_prom_writer *w, FILE *out, const char *name, const char *type,
	      const char *help)
{
	w->out = out;
	w->name = name;
	w->type = type;
	w->help = help;
	w->started = false;
}

static void
put_labels(FILE *out, const struct mp_prom_label *l, int n, bool *first)
{
	char v[LABEL_MAX];

	for (int i = 0; i < n; i++) {
		mp_prom_escape(l[i].value, v, sizeof(v));
		fprintf(out, "%s%s=\"%s\"", *first ? "{" : ",", l[i].name, v);
		*first = false;
	}
}

void
mp_prom_sample(struct mp_prom_writer *w, const char *name, const struct mp_prom_label *a, int na,
	       const struct mp_prom_label *b, int nb, double value)
{
	char num[64];
	bool first = true;

	if (!w->started) {
		mp_prom_header(w->out, w->name, w->type, w->help);
		w->started = true;
	}
	fputs(name != NULL ? name : w->name, w->out);
	put_labels(w->out, a, na, &first);
	put_labels(w->out, b, nb, &first);
	if (!first)
		fputc('}', w->out);
	mp_prom_value(value, num, sizeof(num));
	fprintf(w->out, " %s\n", num);
}

/* Seconds to the microsecond: 0.012345, not 0.012344999999999. */
static double
secs(double s)
{
	return s > 0 ? round(s * 1e6) / 1e6 : 0;
}

/* A sample of the family with the input's labels and n more. */
static void
emit(struct mp_prom_writer *w, const struct mp_prom_input *in, const struct mp_prom_label *l, int n,
     double v)
{
	mp_prom_sample(w, NULL, in->labels, in->nlabels, l, n, v);
}

/* protocol, port, security, address into l (port text in portbuf). */
static int
endpoint_labels(const struct mp_endpoint_result *e, struct mp_prom_label *l, char *portbuf,
		size_t portlen)
{
	snprintf(portbuf, portlen, "%u", (unsigned)e->spec.port);
	l[0] = (struct mp_prom_label){"protocol", mp_proto_str(e->spec.proto)};
	l[1] = (struct mp_prom_label){"port", portbuf};
	l[2] = (struct mp_prom_label){"security", mp_security_str(e->spec.security)};
	l[3] = (struct mp_prom_label){"address", e->address};
	return 4;
}

static const struct mp_diagnosis *
diag_of(const struct mp_prom_input *in)
{
	return in->diag;
}

/* The diagnosis' status; without one (the exporter's error paths) the
 * engine's: critical when anything but port 25 failed. */
static enum mp_status
status_of(const struct mp_prom_input *in)
{
	return in->diag != NULL ? in->diag->status : mp_run_base_status(in->run);
}

/* probe_ip_protocol: 6 if any IPv6 address was probed, 4 if only IPv4,
 * 0 when no address was probed at all. */
static int
ip_protocol(const struct mp_run *run)
{
	int proto = 0;

	for (int i = 0; i < run->nendpoints; i++) {
		if (strchr(run->endpoints[i].address, ':') != NULL)
			return 6;
		if (run->endpoints[i].address[0] != '\0')
			proto = 4;
	}
	return proto;
}

static void
earliest_expiry(struct mp_prom_writer *w, const struct mp_prom_input *in)
{
	const struct mp_run *run = in->run;
	bool any = false;
	time_t min = 0;

	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_step_result *t = mp_endpoint_step(&run->endpoints[i], STEP_TLS);

		if (t != NULL && t->cert.present && (!any || t->cert.not_after < min)) {
			min = t->cert.not_after;
			any = true;
		}
	}
	if (any)
		emit(w, in, NULL, 0, (double)min);
}

/* "TLSv1.3" -> "TLS 1.3" (blackbox_exporter's spelling); others as they are. */
static const char *
tls_version_name(const char *v, char *buf, size_t len)
{
	if (strcmp(v, "TLSv1") == 0)
		return "TLS 1.0";
	if (strncmp(v, "TLSv", 4) == 0) {
		snprintf(buf, len, "TLS %s", v + 4);
		return buf;
	}
	return v;
}

static void
tls_versions(struct mp_prom_writer *w, const struct mp_prom_input *in)
{
	const struct mp_run *run = in->run;
	const char *seen[MP_MAX_ENDPOINTS];
	char buf[32];
	int nseen = 0;

	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_step_result *t = mp_endpoint_step(&run->endpoints[i], STEP_TLS);
		bool dup = false;

		if (t == NULL || t->tls_version[0] == '\0')
			continue;
		for (int k = 0; k < nseen; k++)
			dup = dup || strcmp(seen[k], t->tls_version) == 0;
		if (dup || nseen == MP_MAX_ENDPOINTS)
			continue;
		seen[nseen++] = t->tls_version;
		struct mp_prom_label l = {"version",
					  tls_version_name(t->tls_version, buf, sizeof(buf))};
		emit(w, in, &l, 1, 1);
	}
}

static void
endpoint_up(struct mp_prom_writer *w, const struct mp_prom_input *in,
	    const struct mp_endpoint_result *e)
{
	struct mp_prom_label l[EP_LABELS];
	char port[8];
	int n = endpoint_labels(e, l, port, sizeof(port));

	emit(w, in, l, n, e->ok ? 1 : 0);
}

/* The step families: success, duration, failure info. */
static void
endpoint_steps(struct mp_prom_writer *w, enum mp_prom_family f, const struct mp_prom_input *in,
	       const struct mp_endpoint_result *e)
{
	struct mp_prom_label l[EP_LABELS];
	char port[8];
	int n = endpoint_labels(e, l, port, sizeof(port));

	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++) {
		const struct mp_step_result *s = &e->steps[i];

		l[n] = (struct mp_prom_label){"step", mp_step_str(s->step)};
		if (f == PROM_STEP_SUCCESS)
			emit(w, in, l, n + 1, s->ok ? 1 : 0);
		else if (f == PROM_STEP_DURATION)
			emit(w, in, l, n + 1, secs(s->seconds));
		else if (!s->ok && s->cls != CLASS_NONE) {
			l[n + 1] = (struct mp_prom_label){"class", mp_class_str(s->cls)};
			emit(w, in, l, n + 2, 1);
		}
	}
}

/* Login and certificate facts, per endpoint that has them. */
static void
endpoint_facts(struct mp_prom_writer *w, enum mp_prom_family f, const struct mp_prom_input *in,
	       const struct mp_endpoint_result *e)
{
	struct mp_prom_label l[EP_LABELS];
	char port[8];
	int n = endpoint_labels(e, l, port, sizeof(port));
	const struct mp_step_result *s;

	if (f == PROM_LOGIN_SUCCESS) {
		if ((s = mp_endpoint_step(e, STEP_LOGIN)) != NULL && !mp_step_not_tested(s))
			emit(w, in, l, n, s->ok ? 1 : 0);
		return;
	}
	s = mp_endpoint_step(e, STEP_TLS);
	if (s == NULL || !s->cert.present)
		return;
	if (f == PROM_CERT_NOT_AFTER)
		emit(w, in, l, n, (double)s->cert.not_after);
	else
		emit(w, in, l, n, s->cert.verified ? 1 : 0);
}

static void
endpoint_family(struct mp_prom_writer *w, enum mp_prom_family f, const struct mp_prom_input *in)
{
	for (int i = 0; i < in->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &in->run->endpoints[i];

		if (f == PROM_ENDPOINT_UP)
			endpoint_up(w, in, e);
		else if (f == PROM_STEP_SUCCESS || f == PROM_STEP_DURATION ||
			 f == PROM_STEP_FAILURE)
			endpoint_steps(w, f, in, e);
		else
			endpoint_facts(w, f, in, e);
	}
}

static const char *
severity_word(enum mp_severity s)
{
	return s == SEV_CRITICAL ? "critical" : s == SEV_WARNING ? "warning" : "info";
}

/* One series per (id, severity): a finding listed twice is one series. */
static void
findings(struct mp_prom_writer *w, const struct mp_prom_input *in)
{
	const struct mp_diagnosis *d = diag_of(in);

	for (int i = 0; d != NULL && i < d->nfindings && i < MP_MAX_FINDINGS; i++) {
		const struct mp_finding *f = &d->findings[i];
		bool dup = false;

		for (int k = 0; k < i; k++)
			dup = dup || (strcmp(d->findings[k].id, f->id) == 0 &&
				      d->findings[k].severity == f->severity);
		if (dup || f->id == NULL)
			continue;
		struct mp_prom_label l[3] = {{"id", f->id},
					     {"severity", severity_word(f->severity)},
					     {"cause", mp_cause_str(f->cause)}};
		emit(w, in, l, f->cause != CAUSE_NONE ? 3 : 2, 1);
	}
}

/* --deliver: how long the message took, when the check ran. */
static void
delivery(struct mp_prom_writer *w, const struct mp_prom_input *in)
{
	const struct mp_delivery_result *d = in->run->delivery;

	if (d != NULL && d->ran)
		emit(w, in, NULL, 0, secs(d->seconds));
}

/* Whether result i is the first of its (host, port); up is then whether
 * any address of that pair worked. */
static bool
control_first(const struct mp_run *run, int i, bool *up)
{
	const struct mp_control_result *c = &run->control[i];

	*up = false;
	for (int k = 0; k < run->ncontrol; k++) {
		const struct mp_control_result *o = &run->control[k];

		if (o->port != c->port || strcmp(o->host, c->host) != 0)
			continue;
		if (k < i)
			return false;
		*up = *up || o->ok;
	}
	return true;
}

/* --control: one series per (control host, port) that was kept. */
static void
control_up(struct mp_prom_writer *w, const struct mp_prom_input *in)
{
	const struct mp_run *run = in->run;
	char port[8];
	bool up;

	for (int i = 0; i < run->ncontrol; i++) {
		if (!control_first(run, i, &up))
			continue;
		snprintf(port, sizeof(port), "%u", (unsigned)run->control[i].port);
		struct mp_prom_label l[2] = {{"host", run->control[i].host}, {"port", port}};
		emit(w, in, l, 2, up ? 1 : 0);
	}
}

/* The families with one sample per run. */
static void
run_family(struct mp_prom_writer *w, enum mp_prom_family f, const struct mp_prom_input *in)
{
	const struct mp_run *run = in->run;
	int proto;

	switch (f) {
	case PROM_PROBE_SUCCESS:
		emit(w, in, NULL, 0, status_of(in) < STATUS_CRITICAL ? 1 : 0);
		break;
	case PROM_PROBE_DURATION:
		emit(w, in, NULL, 0, secs(run->duration));
		break;
	case PROM_PROBE_DNS_LOOKUP:
		emit(w, in, NULL, 0, secs(run->resolve.seconds));
		break;
	case PROM_PROBE_IP_PROTOCOL:
		if ((proto = ip_protocol(run)) != 0)
			emit(w, in, NULL, 0, proto);
		break;
	case PROM_STATUS:
		emit(w, in, NULL, 0, (double)status_of(in));
		break;
	default:
		break;
	}
}

static void
family_samples(struct mp_prom_writer *w, enum mp_prom_family f, const struct mp_prom_input *in)
{
	if (f == PROM_LAST_PROBE_TIMESTAMP || f == PROM_LOGIN_BACKOFF) {
		double v = f == PROM_LAST_PROBE_TIMESTAMP ? in->last_probe : in->backoff;

		if (v >= 0)
			emit(w, in, NULL, 0, v);
		return;
	}
	if (in->run == NULL)
		return;
	if (f == PROM_PROBE_SSL_EARLIEST_EXPIRY)
		earliest_expiry(w, in);
	else if (f == PROM_PROBE_TLS_VERSION)
		tls_versions(w, in);
	else if (f >= PROM_ENDPOINT_UP && f <= PROM_CERT_VERIFIED)
		endpoint_family(w, f, in);
	else if (f == PROM_FINDING)
		findings(w, in);
	else if (f == PROM_DELIVERY_SECONDS)
		delivery(w, in);
	else if (f == PROM_CONTROL_UP)
		control_up(w, in);
	else
		run_family(w, f, in);
}

void
mp_prom_family_samples(FILE *out, enum mp_prom_family f, const struct mp_prom_input *in)
{
	struct mp_prom_writer w;

	mp_prom_begin(&w, out, families[f].name, families[f].type, families[f].help);
	w.started = true; /* no header */
	family_samples(&w, f, in);
}

int
mp_render_prometheus_inputs(FILE *out, const struct mp_prom_input *in, int n)
{
	struct mp_prom_writer w;

	for (int f = 0; f < PROM_FAMILY_COUNT; f++) {
		mp_prom_begin(&w, out, families[f].name, families[f].type, families[f].help);
		for (int i = 0; i < n; i++)
			family_samples(&w, (enum mp_prom_family)f, &in[i]);
	}
	return ferror(out) ? -1 : 0;
}

int
mp_render_prometheus(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d)
{
	struct mp_prom_input in = {.run = run, .diag = d, .last_probe = -1, .backoff = -1};

	return mp_render_prometheus_inputs(out, &in, 1);
}
