/*
 * Text output for people (--format text, --trace) and the small helpers the
 * other renderers share: cleaning strings from the network, masking the
 * password and user, time stamps. Reads results only.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/credential.h"
#include "probe/render/render.h"

#define LINE_MAX_OUT 2048 /* one shown message or fact */
#define TITLE_MAX 160     /* "smtp:587:starttls @ ADDRESS" */

#define ANSI_RED "\033[31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

/* Length of the valid UTF-8 sequence at s (code point in *cp), 0 when it is
 * not one: overlong forms, surrogates and values over U+10FFFF are refused. */
static size_t
utf8_seq(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, v = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, v = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, v = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Invisible characters that change how the text around them shows
 * (Unicode general category Cf, and the line and paragraph separators): the
 * bidirectional controls U+200E/F, U+202A-202E, U+2066-2069 and U+061C can
 * make a server's words read backwards ("Trojan Source", CVE-2021-42574),
 * zero-width ones hide text, U+2028/9 break lines. */
static bool
format_char(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
	    {0x00ad, 0x00ad},   {0x0600, 0x0605},   {0x061c, 0x061c}, {0x06dd, 0x06dd},
	    {0x070f, 0x070f},   {0x180e, 0x180e},   {0x200b, 0x200f}, {0x2028, 0x202e},
	    {0x2060, 0x206f},   {0xfeff, 0xfeff},   {0xfff9, 0xfffb}, {0x110bd, 0x110bd},
	    {0x1d173, 0x1d17a}, {0xe0001, 0xe007f},
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

void
mp_render_clean(const char *in, char *out, size_t outlen, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0, n, k;
	const char *src;
	char shown[16];
	uint32_t cp = 0;

	if (outlen == 0)
		return;
	while (p != NULL && *p != '\0') {
		n = utf8_seq(p, &cp);
		src = (const char *)p;
		k = n;
		if (n == 0)
			src = "?", k = n = 1;
		else if (cp == '\r' && keep_newlines)
			src = "", k = 0;
		else if (cp == '\n' && keep_newlines)
			;
		else if (cp == '\t')
			src = " ", k = 1;
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			src = "?", k = 1;
		else if (format_char(cp)) {
			k = (size_t)snprintf(shown, sizeof(shown), "<U+%04X>", (unsigned)cp);
			src = shown;
		}
		if (o + k >= outlen)
			break;
		memcpy(out + o, src, k);
		o += k;
		p += n;
	}
	out[o] = '\0';
}

/* in -> out with every needle replaced by repl; cut to fit outlen. */
static void
replace_all(const char *in, const char *needle, const char *repl, bool icase, char *out,
	    size_t outlen)
{
	size_t nl = strlen(needle), rl = strlen(repl), o = 0;

	if (outlen == 0)
		return;
	while (*in != '\0' && o + 1 < outlen) {
		bool hit = nl > 0 && (icase ? strncasecmp(in, needle, nl) == 0
					    : strncmp(in, needle, nl) == 0);

		if (hit && o + rl < outlen) {
			memcpy(out + o, repl, rl);
			o += rl;
			in += nl;
		} else if (hit) {
			break;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

void
mp_render_user(const struct mp_account *a, char *out, size_t outlen)
{
	const char *at;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (a == NULL || a->user[0] == '\0')
		return;
	if (!a->redact_user) {
		snprintf(out, outlen, "%s", a->user);
		return;
	}
	at = strrchr(a->user, '@');
	snprintf(out, outlen, "%c***%s", (unsigned char)a->user[0] < 0x80 ? a->user[0] : '*',
		 at != NULL ? at : "");
}

/* in -> out with a form of the user name (NULL: none) replaced by repl;
 * tmp has room for outlen. */
static void
replace_form(char *out, size_t outlen, char *tmp, const char *form, const char *repl)
{
	if (form == NULL || form[0] == '\0')
		return;
	snprintf(tmp, outlen, "%s", out);
	replace_all(tmp, form, repl, false, out, outlen);
}

/* Masks the user name (--redact-user) in each form a client sends it: as
 * is (any case), IMAP-quoted and base64 (AUTH LOGIN). The password is not
 * searched for here: checks/ records it in no form, and withholds server
 * text that holds it; masking server words by match would point at it. */
static void
mask_secrets(const struct mp_account *a, const char *in, char *out, size_t outlen, char *tmp)
{
	char user[MP_HOST_MAX + 8], *b64, *quoted;

	snprintf(out, outlen, "%s", in);
	if (a == NULL || !a->redact_user || a->user[0] == '\0')
		return;
	mp_render_user(a, user, sizeof(user));
	replace_all(in, a->user, user, true, out, outlen);
	b64 = mp_base64(a->user, strlen(a->user));
	quoted = mp_imap_quoted(a->user, strlen(a->user));
	replace_form(out, outlen, tmp, b64, "***");
	replace_form(out, outlen, tmp, quoted, "\"***\"");
	free(b64);
	free(quoted);
}

void
mp_render_message(const struct mp_account *a, const char *msg, char *out, size_t outlen)
{
	char masked[LINE_MAX_OUT], tmp[LINE_MAX_OUT];

	mask_secrets(a, msg, masked, sizeof(masked), tmp);
	mp_render_clean(masked, out, outlen, false);
}

void
mp_render_time(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outlen, "1970-01-01T00:00:00Z");
}

const char *
mp_render_status_word(enum mp_status s)
{
	switch (s) {
	case STATUS_OK:
		return "ok";
	case STATUS_WARNING:
		return "warning";
	case STATUS_CRITICAL:
		return "critical";
	default:
		return "unknown";
	}
}

static const char *
col(bool color, const char *code)
{
	return color ? code : "";
}

/* "        LABEL         " with the label padded to 14 columns (UTF-8
 * letters count once). */
static void
label(FILE *out, const char *l)
{
	int cols = 0;

	for (const char *p = l; *p != '\0'; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(out, "        %s%*s", l, cols < 14 ? 14 - cols : 1, "");
}

static void
cert_lines(FILE *out, enum mp_lang l, const struct mp_cert *c)
{
	char buf[LINE_MAX_OUT], when[32];

	mp_render_clean(c->subject, buf, sizeof(buf), false);
	label(out, mp_word(l, W_TXT_CERTIFICATE));
	fprintf(out, "%s\n", buf);
	mp_render_clean(c->issuer, buf, sizeof(buf), false);
	label(out, mp_word(l, W_TXT_ISSUER));
	fprintf(out, "%s\n", buf);
	mp_render_time(c->not_after, when, sizeof(when));
	label(out, c->days_left >= 0 ? mp_word(l, W_TXT_EXPIRES) : mp_word(l, W_TXT_EXPIRED));
	fprintf(out, "%s (%d %s)\n", when, c->days_left >= 0 ? c->days_left : -c->days_left,
		c->days_left >= 0 ? mp_word(l, W_TXT_DAYS_LEFT) : mp_word(l, W_TXT_DAYS_AGO));
	mp_render_clean(c->verify_error, buf, sizeof(buf), false);
	label(out, mp_word(l, W_TXT_VERIFIED));
	fprintf(out, "%s%s%s%s\n", c->verified ? mp_word(l, W_TXT_YES) : mp_word(l, W_TXT_NO),
		buf[0] != '\0' ? " (" : "", buf, buf[0] != '\0' ? ")" : "");
	label(out, mp_word(l, W_TXT_HOSTNAME));
	fprintf(out, "%s\n",
		c->hostname_match ? mp_word(l, W_TXT_MATCHES) : mp_word(l, W_TXT_NO_MATCH));
}

/* The certificates shown so far (by SHA-256), so -v shows each once. */
struct seen {
	int n;
	char sha256[MP_MAX_ENDPOINTS * 2][65];
};

/* Whether the certificate was shown before; remembers it. */
static bool
seen_before(struct seen *seen, const struct mp_cert *c)
{
	if (seen == NULL || c->sha256[0] == '\0')
		return false;
	for (int i = 0; i < seen->n; i++)
		if (strcmp(seen->sha256[i], c->sha256) == 0)
			return true;
	if (seen->n < (int)(sizeof(seen->sha256) / sizeof(seen->sha256[0])))
		snprintf(seen->sha256[seen->n++], sizeof(seen->sha256[0]), "%s", c->sha256);
	return false;
}

static void
facts_lines(FILE *out, const struct mp_account *a, const struct mp_step_result *s, enum mp_lang l,
	    struct seen *seen)
{
	char buf[LINE_MAX_OUT], caps[MP_CAPS_MAX];

	if (s->step == STEP_TLS && (s->tls_version[0] != '\0' || s->cipher[0] != '\0')) {
		mp_render_message(a, s->cipher, buf, sizeof(buf));
		label(out, mp_word(l, W_TXT_PROTOCOL));
		fprintf(out, "%s %s\n", s->tls_version, buf);
	}
	if (s->step == STEP_TLS && s->cert.present && !seen_before(seen, &s->cert))
		cert_lines(out, l, &s->cert);
	if (s->has_capabilities && s->capabilities[0] != '\0') {
		snprintf(caps, sizeof(caps), "%s", s->capabilities);
		for (char *p = caps; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		for (size_t n = strlen(caps); n > 0 && caps[n - 1] == ' '; n--)
			caps[n - 1] = '\0';
		mp_render_message(a, caps, buf, sizeof(buf));
		label(out, mp_word(l, W_TXT_CAPABILITIES));
		fprintf(out, "%s\n", buf);
	}
	if (s->step == STEP_LOGIN && s->mechanism[0] != '\0') {
		mp_render_clean(s->mechanism, buf, sizeof(buf), false);
		label(out, mp_word(l, W_TXT_MECHANISM));
		fprintf(out, "%s\n", buf);
	}
}

static void
step_line(FILE *out, const struct mp_account *a, const struct mp_step_result *s, enum mp_lang l,
	  bool color, struct seen *seen)
{
	char said[MP_MESSAGE_MAX], msg[LINE_MAX_OUT];

	/* a login not tested is no failure: neither red nor FAIL */
	const char *c = s->ok ? ANSI_GREEN : mp_step_not_tested(s) ? ANSI_YELLOW : ANSI_RED;

	mp_words_step_message(l, s, said, sizeof(said));
	mp_render_message(a, said, msg, sizeof(msg));
	fprintf(out, "  %s%-6s%s  %-13s %6.0f ms", col(color, c),
		mp_word(l, s->ok                   ? W_TXT_OK
			   : mp_step_not_tested(s) ? W_TXT_SKIP
						   : W_TXT_FAILED_UPPER),
		col(color, ANSI_RESET), mp_word_step(l, s->step), s->seconds * 1000.0);
	if (!s->ok && s->cls != CLASS_NONE)
		fprintf(out, "  %s%s%s", col(color, c), mp_class_str(s->cls),
			col(color, ANSI_RESET));
	if (msg[0] != '\0')
		fprintf(out, "  %s", msg);
	fputc('\n', out);
	facts_lines(out, a, s, l, seen);
}

static void
endpoint_title(const struct mp_endpoint_result *e, char *buf, size_t len)
{
	char spec[64];

	mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
	snprintf(buf, len, "%s @ %s", spec, e->address[0] != '\0' ? e->address : "(unresolved)");
}

static void
endpoint_block(FILE *out, const struct mp_account *a, const struct mp_endpoint_result *e,
	       enum mp_lang l, bool color, struct seen *seen)
{
	char title[TITLE_MAX];

	endpoint_title(e, title, sizeof(title));
	fprintf(out, "%s%s%s  %s%s%s\n", col(color, ANSI_BOLD), title, col(color, ANSI_RESET),
		col(color, e->ok ? ANSI_GREEN : ANSI_RED),
		mp_word(l, e->ok ? W_TXT_ST_OK : W_TXT_FAILED_UPPER), col(color, ANSI_RESET));
	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++)
		step_line(out, a, &e->steps[i], l, color, seen);
	if (e->nsteps == 0)
		fprintf(out, "  %s\n", mp_word(l, W_TXT_NOT_CHECKED));
	fputc('\n', out);
}

void
mp_render_text_endpoint_for(FILE *out, const struct mp_account *a,
			    const struct mp_endpoint_result *e, enum mp_lang l, bool color)
{
	endpoint_block(out, a, e, l, color, NULL);
}

void
mp_render_text_endpoint(FILE *out, const struct mp_endpoint_result *e, enum mp_lang l, bool color)
{
	mp_render_text_endpoint_for(out, NULL, e, l, color);
}

void
mp_render_text_header(FILE *out, const struct mp_run *run, enum mp_lang l, bool color)
{
	const struct mp_resolve_result *r = &run->resolve;
	char host[LINE_MAX_OUT], msg[LINE_MAX_OUT];

	mp_render_clean(run->host, host, sizeof(host), false);
	fprintf(out, "%smailprobe %s%s\n", col(color, ANSI_BOLD), host, col(color, ANSI_RESET));
	if (!r->ok && r->cls == CLASS_NONE) { /* printed before resolving (live) */
		fputc('\n', out);
		return;
	}
	if (!r->ok) {
		mp_render_message(run->account, r->message, msg, sizeof(msg));
		fprintf(out, "%s  %sFAIL  %s%s  %s\n\n", mp_word(l, W_TXT_RESOLVE),
			col(color, ANSI_RED), mp_class_str(r->cls), col(color, ANSI_RESET), msg);
		return;
	}
	fprintf(out, "%s  %.0f ms ", mp_word(l, W_TXT_RESOLVE), r->seconds * 1000.0);
	for (int i = 0; i < r->naddr && i < MP_MAX_ADDRS; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : " ", r->addrs[i]);
	fputs("\n\n", out);
}

static const char *
status_color(enum mp_status s)
{
	return s == STATUS_OK ? ANSI_GREEN : s == STATUS_WARNING ? ANSI_YELLOW : ANSI_RED;
}

static enum mp_word
status_word(enum mp_status s)
{
	return s == STATUS_OK         ? W_TXT_ST_OK
	       : s == STATUS_WARNING  ? W_TXT_ST_WARNING
	       : s == STATUS_CRITICAL ? W_TXT_ST_CRITICAL
				      : W_TXT_ST_UNKNOWN;
}

/* Works from here: nothing failed, or only a login that was not tested. */
static bool
counts_ok(const struct mp_endpoint_result *e)
{
	const struct mp_step_result *f = mp_endpoint_failure(e);

	return e->ok || (f != NULL && f->step == STEP_LOGIN && f->cls == CLASS_AUTH_SKIPPED);
}

void
mp_render_text_verdict(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		       enum mp_lang l, bool color)
{
	int nok = 0, n = 0;

	for (int i = 0; i < run->nendpoints; i++) {
		n += !mp_proto_is_relay_port(run->endpoints[i].spec.proto,
					     run->endpoints[i].spec.port);
		nok += !mp_proto_is_relay_port(run->endpoints[i].spec.proto,
					       run->endpoints[i].spec.port) &&
		       counts_ok(&run->endpoints[i]);
	}
	char secs[32];

	mp_words_seconds(l, run->duration, secs, sizeof(secs));
	fprintf(out, "%s   %s%s%s  %d/%d %s %s\n", mp_word(l, W_TXT_STATUS),
		col(color, status_color(d->status)), mp_word(l, status_word(d->status)),
		col(color, ANSI_RESET), nok, n, mp_word(l, W_TXT_ENDPOINTS_OK), secs);
}

void
mp_render_text_summary(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		       enum mp_lang l, bool color)
{
	char title[TITLE_MAX];
	const struct mp_step_result *f;

	if (!run->resolve.ok)
		fprintf(out, "%s   %s: %s\n", mp_word(l, W_TXT_FAILED), mp_word(l, W_TXT_RESOLVE),
			mp_class_str(run->resolve.cls));
	for (int i = 0; i < run->nendpoints; i++) {
		f = mp_endpoint_failure(&run->endpoints[i]);
		if (counts_ok(&run->endpoints[i]) || f == NULL)
			continue;
		endpoint_title(&run->endpoints[i], title, sizeof(title));
		fprintf(out, "%s   %s: %s %s\n", mp_word(l, W_TXT_FAILED), title,
			mp_word_step(l, f->step), mp_class_str(f->cls));
	}
	mp_render_text_findings(out, run, d, l);
	mp_render_text_verdict(out, run, d, l, color);
}

void
mp_render_text(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d, enum mp_lang l,
	       bool color)
{
	struct seen *seen = calloc(1, sizeof(*seen)); /* NULL: every certificate shown */

	mp_render_text_header(out, run, l, color);
	for (int i = 0; i < run->nendpoints; i++)
		endpoint_block(out, run->account, &run->endpoints[i], l, color, seen);
	mp_render_text_summary(out, run, d, l, color);
	free(seen);
}

/* The transcript with secrets masked and cleaned, keeping its lines. */
static void
trace_body(FILE *out, const struct mp_account *a, const char *t)
{
	size_t len = strlen(t) * 4 + 64;
	char *masked = malloc(len), *tmp = malloc(len), *clean = malloc(len);

	if (masked != NULL && tmp != NULL && clean != NULL) {
		mask_secrets(a, t, masked, len, tmp);
		mp_render_clean(masked, clean, len, true);
		fputs(clean, out);
		if (clean[0] != '\0' && clean[strlen(clean) - 1] != '\n')
			fputc('\n', out);
	} else {
		fputs("(out of memory)\n", out);
	}
	free(masked);
	free(tmp);
	free(clean);
}

void
mp_render_trace(FILE *out, const struct mp_run *run)
{
	const struct mp_endpoint_result *e;
	char title[TITLE_MAX];

	for (int i = 0; i < run->nendpoints; i++) {
		e = &run->endpoints[i];
		endpoint_title(e, title, sizeof(title));
		fprintf(out, "== %s\n", title);
		if (e->transcript == NULL || e->transcript[0] == '\0')
			fputs("(no transcript)\n", out);
		else
			trace_body(out, run->account, e->transcript);
		fputc('\n', out);
	}
}

void
mp_output_options_init(struct mp_output_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FORMAT_TEXT;
	o->lang = LANG_EN;
}
