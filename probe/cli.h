/*
 * The mailprobe command line: options and the HOST|ADDRESS argument into a
 * struct mp_account and struct mp_output_options (see mailprobe(1)). Reads the password source;
 * prints only for --help and --version. No global state: safe to call again.
 */
#ifndef MAILPROBE_CLI_H
#define MAILPROBE_CLI_H

#include <stdio.h>

#include "probe/render/render.h"
#include "probe/run/account.h"

#define MP_PASSWORD_ENV "MAILPROBE_PASSWORD"
#define MP_OAUTH2_TOKEN_ENV "MAILPROBE_OAUTH2_TOKEN"

/*
 * Parses argv into *a (what to probe) and *o (what to show), which this
 * initialises itself.
 * Returns 0 when the account is ready (free it with mp_account_cleanup());
 * 1 when --help or --version was printed on stdout (exit 0); -1 on a usage
 * error with one line in err naming the option and the bad value (exit 3).
 * On 1 and -1 nothing is left to free. MAILPROBE_PASSWORD is always read
 * and removed from the environment.
 */
int mp_cli_parse(int argc, char **argv, struct mp_account *a, struct mp_output_options *o,
		 char *err, size_t errlen);
/* The --help text and the --version line. */
void mp_cli_usage(FILE *out);
void mp_cli_version(FILE *out);

#endif
