/*
 * The default text output: the answer first. A header with the addresses,
 * one line per endpoint (per address only where the addresses' results
 * differ), the findings with their advice, the recommended settings and
 * the verdict line; a healthy account fits in about 15 lines. -v gives the
 * step-by-step output of render_text.c. Pure output.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "probe/render/render.h"

#define SHOWN 512

#define ANSI_RED "\033[31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

static const char *
col(bool color, const char *code)
{
	return color ? code : "";
}

/* "IMAP  993 SSL/TLS " */
static void
spec_words(const struct mp_endpoint_spec *s, enum mp_lang l, char *out, size_t len)
{
	const char *sec = s->security == SEC_TLS        ? "SSL/TLS"
			  : s->security == SEC_STARTTLS ? "STARTTLS"
							: mp_word(l, W_TXT_NO_ENCRYPTION);
	char upper[16];

	snprintf(upper, sizeof(upper), "%s", mp_proto_str(s->proto));
	for (char *p = upper; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	snprintf(out, len, "%-4s %4u %s", upper, (unsigned)s->port, sec);
}

/* What the login step says, or NULL when none ran. */
static const char *
login_words(const struct mp_endpoint_result *e, enum mp_lang l)
{
	const struct mp_step_result *s = mp_endpoint_step(e, STEP_LOGIN);

	if (s == NULL)
		return NULL;
	if (s->ok)
		return mp_word(l, W_TXT_LOGIN_OK);
	if (s->cls == CLASS_AUTH_FAILED)
		return mp_word(l, W_TXT_LOGIN_REJECTED);
	if (s->cls == CLASS_AUTH_SKIPPED)
		return mp_word(l, W_TXT_LOGIN_NOT_TESTED);
	return mp_word(l, W_TXT_LOGIN_FAILED);
}

/* The failure that counts: a login not tested here is none. */
static const struct mp_step_result *
real_failure(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *f = mp_endpoint_failure(e);

	return f != NULL && mp_step_not_tested(f) ? NULL : f;
}

/* Whether a and b ended the same way (same failing step and class; a login
 * checked on another address counts as the same). */
static bool
same_outcome(const struct mp_endpoint_result *a, const struct mp_endpoint_result *b)
{
	const struct mp_step_result *fa = real_failure(a), *fb = real_failure(b);

	if ((fa == NULL) != (fb == NULL))
		return false;
	return fa == NULL || (fa->step == fb->step && fa->cls == fb->cls);
}

static bool
same_spec(const struct mp_endpoint_result *a, const struct mp_endpoint_result *b)
{
	return a->spec.proto == b->spec.proto && a->spec.port == b->spec.port &&
	       a->spec.security == b->spec.security && strcmp(a->host, b->host) == 0;
}

/* Whether every address of endpoint i's spec ended like it. */
static bool
addresses_agree(const struct mp_run *run, int i, int *count)
{
	bool agree = true;

	*count = 0;
	for (int k = 0; k < run->nendpoints; k++) {
		if (!same_spec(&run->endpoints[k], &run->endpoints[i]))
			continue;
		(*count)++;
		agree &= same_outcome(&run->endpoints[k], &run->endpoints[i]);
	}
	return agree;
}

static bool
shown_before(const struct mp_run *run, int i)
{
	for (int k = 0; k < i; k++)
		if (same_spec(&run->endpoints[k], &run->endpoints[i]))
			return true;
	return false;
}

static double
slowest(const struct mp_run *run, int i, bool all)
{
	double t = 0;

	for (int k = 0; k < run->nendpoints; k++) {
		const struct mp_endpoint_result *e = &run->endpoints[k];

		if (!(all ? same_spec(e, &run->endpoints[i]) : k == i))
			continue;
		for (int s = 0; s < e->nsteps; s++)
			t = e->steps[s].seconds > t ? e->steps[s].seconds : t;
	}
	return t;
}

/* The endpoint of i's spec whose login was tested, when all addresses are
 * shown as one line; else i itself. */
static const struct mp_endpoint_result *
login_shown(const struct mp_run *run, int i, bool all)
{
	for (int k = 0; all && k < run->nendpoints; k++) {
		const struct mp_step_result *l = mp_endpoint_step(&run->endpoints[k], STEP_LOGIN);

		if (same_spec(&run->endpoints[k], &run->endpoints[i]) && l != NULL &&
		    !mp_step_not_tested(l))
			return &run->endpoints[k];
	}
	return &run->endpoints[i];
}

static void
endpoint_line(FILE *out, const struct mp_run *run, int i, bool all, int naddr, enum mp_lang l,
	      bool color)
{
	const struct mp_endpoint_result *e = &run->endpoints[i];
	const struct mp_step_result *f = real_failure(e);
	const char *login = login_words(login_shown(run, i, all), l);
	char spec[64], where[MP_ADDR_MAX + 32], what[SHOWN], secs[32];

	spec_words(&e->spec, l, spec, sizeof(spec));
	if (e->address[0] == '\0')
		snprintf(where, sizeof(where), "-");
	else if (all && naddr > 1)
		snprintf(where, sizeof(where), "%d %s", naddr, mp_word(l, W_TXT_ADDRESSES));
	else
		snprintf(where, sizeof(where), "%s", e->address);
	if (f != NULL && f->step != STEP_LOGIN) {
		snprintf(what, sizeof(what), "%s %s", mp_word_step(l, f->step),
			 mp_class_str(f->cls));
	} else {
		snprintf(what, sizeof(what), "%s", login != NULL ? login : "");
	}
	mp_words_seconds(l, slowest(run, i, all), secs, sizeof(secs));
	fprintf(out, "  %-18s %s%-6s%s %-15s %7s  %s\n", spec,
		col(color, f == NULL ? ANSI_GREEN : ANSI_RED),
		mp_word(l, f == NULL || f->step == STEP_LOGIN ? W_TXT_OK : W_TXT_FAILED_UPPER),
		col(color, ANSI_RESET), where, secs, what);
}

static void
header(FILE *out, const struct mp_run *run, enum mp_lang l, bool color)
{
	const struct mp_resolve_result *r = &run->resolve;
	char host[SHOWN], msg[SHOWN];

	mp_render_clean(run->host, host, sizeof(host), false);
	fprintf(out, "%smailprobe %s%s", col(color, ANSI_BOLD), host, col(color, ANSI_RESET));
	if (!r->ok && r->cls != CLASS_NONE) {
		mp_render_message(run->account, r->message, msg, sizeof(msg));
		fprintf(out, "  %s %s%s%s %s\n\n", mp_word(l, W_TXT_RESOLVE), col(color, ANSI_RED),
			mp_class_str(r->cls), col(color, ANSI_RESET), msg);
		return;
	}
	fprintf(out, "  (%s %.0f ms:", mp_word(l, W_TXT_RESOLVE), r->seconds * 1000.0);
	for (int i = 0; i < r->naddr && i < MP_MAX_ADDRS; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : " ", r->addrs[i]);
	fputs(")\n\n", out);
}

/* The endpoints, one line per port, per address only where they differ. */
static void
endpoint_lines(FILE *out, const struct mp_run *run, enum mp_lang l, bool color)
{
	for (int i = 0; i < run->nendpoints; i++) {
		int naddr;
		bool agree = addresses_agree(run, i, &naddr);

		if (agree && shown_before(run, i))
			continue;
		endpoint_line(out, run, i, agree, naddr, l, color);
	}
}

void
mp_render_text_brief(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		     enum mp_lang l, bool color)
{
	header(out, run, l, color);
	endpoint_lines(out, run, l, color);
	mp_render_text_findings(out, run, d, l);
	mp_render_text_verdict(out, run, d, l, color);
}
