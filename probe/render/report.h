/*
 * The support report (--report FILE): one document for the customer and the
 * support engineer, in Markdown, self-contained HTML or plain text, in
 * English or German. Pure output over a finished run and its diagnosis: it
 * never changes them and never shows the password.
 */
#ifndef MAILPROBE_REPORT_H
#define MAILPROBE_REPORT_H

#include <stdio.h>

#include "probe/diagnose/diagnose.h"
#include "probe/words/words.h"

enum mp_report_format { REPORT_MD, REPORT_HTML, REPORT_TXT };

/* The format a file name asks for by its extension (.md, .html, .txt; any
 * case), or -1 for anything else. */
int mp_report_format_from_path(const char *path);

struct mp_report_options {
	enum mp_report_format format;
	enum mp_lang lang;
	const char *ticket; /* a reference shown at the top (--ticket), or NULL */
};

/* Writes the whole report to out, answer first: the verdict with a traffic
 * light and what to do, a port x address grid, the findings with their
 * evidence, the working settings per mail client (Outlook classic and new,
 * Thunderbird, Apple Mail), every endpoint's steps (HTML: a waterfall; the
 * working ones folded), the transcripts, and when and from where it was
 * made. Strings from the network are cleaned and
 * escaped for the format; the password is masked, and with --redact-user
 * (run->account->redact_user) the user name too. 0, or -1 when an argument
 * is NULL, memory runs out or a write fails. */
int mp_report_write(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		    const struct mp_report_options *o);

/* The report's verdict in language l: the worst finding's summary (or
 * how many endpoints worked) into text, and what to do, the worst
 * non-information finding's advice ("" when none), into advice; cleaned,
 * the password masked. The guided mode shows the same answer. */
void mp_report_verdict(const struct mp_run *run, const struct mp_diagnosis *d, enum mp_lang l,
		       char *text, size_t tlen, char *advice, size_t alen);

#endif
