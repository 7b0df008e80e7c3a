/*
 * The diagnosis in text output: findings with their advice, in the
 * language asked for, and the recommended settings. Pure output.
 */
#include <string.h>

#include "checks/delivery.h"
#include "checks/path.h"
#include "probe/diagnose/diagnose.h"
#include "probe/run/discover.h"
#include "probe/render/render.h"

#define SHOWN 2048
#define WRAP_MIN 40 /* narrower terminals get the lines as they are */

static int wrap_width; /* 0: no wrapping */

void
mp_render_set_width(int columns)
{
	wrap_width = columns >= WRAP_MIN ? columns : 0;
}

void
mp_render_wrapped(FILE *out, const char *s, int indent)
{
	int col0 = 0;

	for (;;) {
		size_t cut = 0;
		int cols = col0;
		bool fits = true;

		for (size_t i = 0; s[i] != '\0' && wrap_width > 0; i++) {
			if (s[i] == ' ' && cols <= wrap_width && cols > indent)
				cut = i;
			if (((unsigned char)s[i] & 0xC0) != 0x80 && ++cols > wrap_width) {
				fits = false;
				break;
			}
		}
		if (fits || cut == 0) {
			fprintf(out, "%s\n", s);
			return;
		}
		fprintf(out, "%.*s\n%*s", (int)cut, s, indent, "");
		for (s += cut; *s == ' '; s++)
			;
		col0 = indent;
	}
}

static const char *
security_words(enum mp_security s, enum mp_lang l)
{
	switch (s) {
	case SEC_TLS:
		return "SSL/TLS";
	case SEC_STARTTLS:
		return "STARTTLS";
	default:
		return mp_word(l, W_TXT_NO_ENCRYPTION);
	}
}

/* Whether the run probed any endpoint of this direction. */
static bool
probed(const struct mp_run *run, bool outgoing)
{
	for (int i = 0; i < run->nendpoints; i++)
		if (mp_proto_is_outgoing(run->endpoints[i].spec.proto) == outgoing &&
		    run->endpoints[i].spec.port != 25)
			return true;
	return false;
}

static void
setting_line(FILE *out, const struct mp_run *run, const char *label, const struct mp_setting *s,
	     bool outgoing, enum mp_lang l)
{
	char host[SHOWN];

	if (!s->present && !probed(run, outgoing)) {
		fprintf(out, "  %-10s %s\n", label, mp_word(l, W_TXT_DIR_NOT_CHECKED));
		return;
	}
	if (!s->present) {
		fprintf(out, "  %-10s %s\n", label, mp_word(l, W_TXT_NOTHING_WORKS));
		return;
	}
	mp_render_clean(s->host, host, sizeof(host), false);
	fprintf(out, "  %-10s %s %s, port %u, %s\n", label, mp_protocol(s->proto)->upper, host,
		(unsigned)s->port, security_words(s->security, l));
}

static void
finding_lines(FILE *out, const struct mp_run *run, const struct mp_finding *f, enum mp_lang l)
{
	char said[SHOWN], summary[SHOWN], advice[SHOWN];
	const char *sev = mp_word(l, f->severity == SEV_CRITICAL  ? W_TXT_SEV_CRITICAL
				     : f->severity == SEV_WARNING ? W_TXT_SEV_WARNING
								  : W_TXT_SEV_INFO);

	mp_words_finding(run, f, l, said, sizeof(said), advice, sizeof(advice));
	mp_render_message(run->account, said, summary, sizeof(summary));
	snprintf(said, sizeof(said), "%s", advice);
	mp_render_message(run->account, said, advice, sizeof(advice));
	char line[2 * SHOWN];

	snprintf(line, sizeof(line), "  %-8s %s (%s)", sev, summary, f->id);
	mp_render_wrapped(out, line, 11);
	snprintf(line, sizeof(line), "           %s", advice);
	mp_render_wrapped(out, line, 11);
}

static void
discovery_lines(FILE *out, const struct mp_run *run, enum mp_lang l)
{
	const struct mp_discovery *d = run->discovery;
	char shown[SHOWN];

	if (d == NULL)
		return;
	mp_render_clean(d->domain, shown, sizeof(shown), false);
	fprintf(out, "\n%s %s\n", mp_word(l, W_TXT_DISCOVERY_FOR), shown);
	for (int i = 0; i < SOURCE_COUNT; i++) {
		const struct mp_source_result *s = &d->sources[i];

		mp_render_message(run->account, s->message, shown, sizeof(shown));
		fprintf(out, "  %-10s %-4s %s\n", mp_source_str(s->source), s->ok ? "ok" : "-",
			shown);
		for (int k = 0; k < s->nfound; k++) {
			char spec[48], host[SHOWN];
			struct mp_endpoint_spec e = {s->found[k].proto, s->found[k].port,
						     s->found[k].security};

			mp_endpoint_spec_str(&e, spec, sizeof(spec));
			mp_render_clean(s->found[k].host, host, sizeof(host), false);
			fprintf(out, "                  %s @ %s\n", spec, host);
		}
	}
}

/* Paths that could not be measured, and why (a skip is no silent gap). */
static void
skipped_path_lines(FILE *out, const struct mp_run *run, enum mp_lang l)
{
	for (int i = 0; i < run->npaths; i++) {
		const struct mp_path_result *p = &run->paths[i];
		char why[SHOWN];

		if (!p->skipped)
			continue;
		mp_render_clean(p->skip_reason, why, sizeof(why), false);
		fprintf(out, "  %s: %s port %u: %s\n", mp_word(l, W_TXT_PATH_SKIPPED), p->address,
			(unsigned)p->port, why);
	}
}

void
mp_render_text_findings(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
			enum mp_lang l)
{
	char user[MP_HOST_MAX + 8], shown[SHOWN];

	discovery_lines(out, run, l);
	if (run->delivery != NULL) {
		char msg[SHOWN];

		mp_render_message(run->account, run->delivery->message, msg, sizeof(msg));
		fprintf(out, "\n%s  %s  %s\n", mp_word(l, W_TXT_DELIVERY),
			run->delivery->ok ? "ok" : mp_class_str(run->delivery->cls), msg);
	}
	if (d->nfindings > 0)
		fprintf(out, "\n%s\n", mp_word(l, W_TXT_FINDINGS));
	for (int i = 0; i < d->nfindings; i++)
		finding_lines(out, run, &d->findings[i], l);
	skipped_path_lines(out, run, l);
	fprintf(out, "\n%s\n", mp_word(l, W_TXT_RECOMMENDED));
	setting_line(out, run, mp_word(l, W_TXT_INCOMING), &d->recommended.incoming, false, l);
	setting_line(out, run, mp_word(l, W_TXT_OUTGOING), &d->recommended.outgoing, true, l);
	mp_render_user(run->account, user, sizeof(user));
	mp_render_clean(user, shown, sizeof(shown), false);
	if (shown[0] != '\0')
		fprintf(out, "  %-10s %s\n", mp_word(l, W_TXT_USER_NAME), shown);
	fputc('\n', out);
}
