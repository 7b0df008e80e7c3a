/*
 * The guided mode's answer on the screen: one plain sentence that says
 * whether e-mail works from here, and what to do when it does not, in the
 * customer's language. The same verdict the report opens with; everything
 * else is in the report.
 */
#include "probe/render/render.h"
#include "probe/render/report.h"

#define SHOWN 2048

void
mp_render_text_guided(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		      enum mp_lang l)
{
	char text[SHOWN], advice[SHOWN], line[2 * SHOWN + 64];
	bool login = run->account != NULL && run->account->password != NULL;

	mp_report_verdict(run, d, l, text, sizeof(text), advice, sizeof(advice));
	if (d->status == STATUS_OK)
		snprintf(text, sizeof(text), "%s",
			 mp_word(l, login ? W_G_RESULT_OK : W_G_RESULT_OK_NO_LOGIN));
	fputc('\n', out);
	snprintf(line, sizeof(line), "%s: %s", mp_word(l, W_G_RESULT), text);
	mp_render_wrapped(out, line, 0);
	if (advice[0] != '\0') {
		snprintf(line, sizeof(line), "%s: %s", mp_word(l, L_WHAT_TO_DO), advice);
		mp_render_wrapped(out, line, 0);
	}
}
