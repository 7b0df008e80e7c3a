/*
 * --format nagios: the monitoring-plugins output format. One status line
 * "MAILPROBE <STATUS> - <summary> | <perfdata>", then one line per failed
 * endpoint. Texts never contain '|', which would start perfdata.
 */
#include <string.h>

#include "probe/diagnose/diagnose.h"
#include "probe/render/render.h"

#define SHOWN_MAX 1024
#define LABEL_MAX 160

static const char *
status_upper(enum mp_status s)
{
	switch (s) {
	case STATUS_OK:
		return "OK";
	case STATUS_WARNING:
		return "WARNING";
	case STATUS_CRITICAL:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

/* A message fit for plugin output: cleaned, secrets masked, no '|'. */
static void
plugin_text(const struct mp_account *a, const char *in, char *out, size_t len)
{
	mp_render_message(a, in, out, len);
	for (char *p = out; *p != '\0'; p++)
		if (*p == '|')
			*p = '/';
}

/* Seconds with up to 6 decimals, without trailing zeros: "0.012", "3". */
static void
fmt_secs(double s, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%.6f", s > 0.0 ? s : 0.0);
	if ((p = strchr(buf, '.')) == NULL)
		return;
	p += strlen(p) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
}

/* "imap_993_tls_198.18.0.10", "imap_993_tls_2001_db8__10": an IPv6
 * address's colons become '_' (Nagios tools split perfdata on '=' and
 * treat ':' in labels inconsistently). */
static void
perf_label(const struct mp_endpoint_result *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s_%u_%s_%s", mp_proto_str(e->spec.proto), (unsigned)e->spec.port,
		 mp_security_str(e->spec.security),
		 e->address[0] != '\0' ? e->address : "unresolved");
	for (char *p = buf; *p != '\0'; p++)
		if (*p == ':' || *p == '\'' || *p == '=' || *p == ' ')
			*p = '_';
}

static double
endpoint_seconds(const struct mp_endpoint_result *e)
{
	double t = 0.0;

	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++)
		t += e->steps[i].seconds;
	return t;
}

static void
perf_endpoint(FILE *out, const struct mp_run *run, const struct mp_endpoint_result *e)
{
	const struct mp_step_result *tls = mp_endpoint_step(e, STEP_TLS);
	const struct mp_account *a = run->account;
	char label[LABEL_MAX], num[32];

	perf_label(e, label, sizeof(label));
	fmt_secs(endpoint_seconds(e), num, sizeof(num));
	fprintf(out, " '%s_seconds'=%ss;;;0 '%s_ok'=%d;;;0;1", label, num, label, e->ok ? 1 : 0);
	if (tls != NULL && tls->cert.present)
		fprintf(out, " '%s_cert_days_left'=%d;%d:;%d:", label, tls->cert.days_left,
			a != NULL ? a->cert_warn_days : 14, a != NULL ? a->cert_crit_days : 3);
}

/* "3/4 endpoints ok, smtp:587:starttls@198.18.0.10 connect connect_timeout
 * (+1 more)" or "resolve failed: dns_nxdomain (...)". */
static void
summary(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d)
{
	const struct mp_endpoint_result *first = NULL;
	const struct mp_step_result *f;
	char spec[64], msg[SHOWN_MAX], said[SHOWN_MAX], advice[SHOWN_MAX];
	int nok = 0, nfail = 0;

	if (d->nfindings > 0 && d->findings[0].severity != SEV_INFO) {
		mp_words_finding(run, &d->findings[0], LANG_EN, said, sizeof(said), advice,
				 sizeof(advice));
		plugin_text(run->account, said, msg, sizeof(msg));
		for (size_t n = strlen(msg); n > 0 && (msg[n - 1] == '.' || msg[n - 1] == ' '); n--)
			msg[n - 1] = '\0'; /* "works; 6/8", not "works.; 6/8" */
		fprintf(out, "%s: %s; ", d->findings[0].id, msg);
	}
	if (!run->resolve.ok) {
		plugin_text(run->account, run->resolve.message, msg, sizeof(msg));
		fprintf(out, "resolve failed: %s%s%s%s", mp_class_str(run->resolve.cls),
			msg[0] != '\0' ? " (" : "", msg, msg[0] != '\0' ? ")" : "");
		return;
	}
	for (int i = 0; i < run->nendpoints; i++) {
		nok += run->endpoints[i].ok;
		if (!run->endpoints[i].ok && nfail++ == 0)
			first = &run->endpoints[i];
	}
	fprintf(out, "%d/%d endpoints ok", nok, run->nendpoints);
	if (first == NULL)
		return;
	mp_endpoint_spec_str(&first->spec, spec, sizeof(spec));
	f = mp_endpoint_failure(first);
	fprintf(out, ", %s@%s %s %s", spec, first->address, f != NULL ? mp_step_str(f->step) : "",
		f != NULL ? mp_class_str(f->cls) : "");
	if (nfail > 1)
		fprintf(out, " (+%d more)", nfail - 1);
}

static void
long_text(FILE *out, const struct mp_run *run)
{
	const struct mp_endpoint_result *e;
	const struct mp_step_result *f;
	char spec[64], msg[SHOWN_MAX];

	for (int i = 0; i < run->nendpoints; i++) {
		e = &run->endpoints[i];
		f = mp_endpoint_failure(e);
		if (e->ok || f == NULL) /* not checked: the summary says why */
			continue;
		mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
		plugin_text(run->account, f->message, msg, sizeof(msg));
		fprintf(out, "%s @ %s: %s %s: %s\n", spec,
			e->address[0] != '\0' ? e->address : "(unresolved)", mp_step_str(f->step),
			mp_class_str(f->cls), msg);
	}
}

void
mp_render_nagios(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d)
{
	char num[32];

	fprintf(out, "MAILPROBE %s - ", status_upper(d->status));
	summary(out, run, d);
	fmt_secs(run->resolve.seconds, num, sizeof(num));
	fprintf(out, " | 'resolve_seconds'=%ss;;;0", num);
	for (int i = 0; i < run->nendpoints; i++)
		perf_endpoint(out, run, &run->endpoints[i]);
	fputc('\n', out);
	long_text(out, run);
}
