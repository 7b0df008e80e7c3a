/*
 * The guided mode: mailprobe started without arguments by a person at a
 * terminal (on Windows, a double-click). It asks for the e-mail address and
 * the password (hidden), runs the usual check with discovery, shows the
 * answer in the system's language, writes the support report as HTML on
 * the desktop (or in the current folder), opens it and says what to send
 * to support. The password lives only in memory.
 */
#ifndef MAILPROBE_GUIDED_H
#define MAILPROBE_GUIDED_H

#include <stdbool.h>

#include "probe/render/render.h"
#include "probe/run/account.h"

/* Whether to run guided: no arguments, and a person at a terminal (stdin
 * a terminal, and stdout one or a console window of our own). */
bool mp_guided_wanted(int argc);

/* Greets, asks for the address (re-asked with a one-line reason, at most
 * three times) and the password, and creates the empty report file; fills
 * *a (free with mp_account_cleanup) and *o (o->guided). From here on Ctrl-C
 * says "cancelled" and removes the report file. 0, or -1 when no address
 * was given (said on the screen; exit 3); *a needs no cleanup then. */
int mp_guided_ask(struct mp_account *a, struct mp_output_options *o);

/* After the run (exit code rc): where the report is and what to send,
 * opens it, removes a report file that stayed empty, and in a console
 * window of our own waits for Enter before it closes. Returns rc. */
int mp_guided_finish(const struct mp_output_options *o, int rc);

#endif
