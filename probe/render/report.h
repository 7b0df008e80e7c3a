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

/* Writes the whole report to out: the verdict with a traffic light, the
 * working settings per mail client (Outlook, Thunderbird, Apple Mail), the
 * findings, every endpoint's steps (HTML: with a timing waterfall), the
 * transcripts and the environment. Strings from the network are cleaned and
 * escaped for the format; the password is masked, and with --redact-user
 * (run->account->redact_user) the user name too. 0, or -1 when an argument
 * is NULL, memory runs out or a write fails. */
int mp_report_write(FILE *out, const struct mp_run *run, const struct mp_diagnosis *d,
		    enum mp_report_format fmt, enum mp_lang lang);

#endif
