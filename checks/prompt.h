/*
 * Asking a person for a password on a terminal: the prompt on stderr, the
 * answer read from the terminal with echo off (restored on Ctrl-C too).
 */
#ifndef MAILPROBE_PROMPT_H
#define MAILPROBE_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/secret.h"

/* Whether fd is a terminal. */
bool mp_is_terminal(int fd);
/* Prints prompt on stderr, reads one line from terminal fd without echo.
 * The line as a secret; NULL with err "" for an empty line, or NULL with a
 * one-line reason in err. */
struct mp_secret *mp_secret_prompt(int fd, const char *prompt, char *err, size_t errlen);

#endif
