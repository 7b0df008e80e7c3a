/*
 * libFuzzer target: the POP3 parsers and the protocol guesser
 * (checks/parse.c). Every line of the input (and the whole input as one line)
 * goes through mp_pop3_status, mp_pop3_capa_caps (dot-unstuffed as
 * checks/pop3.c does) and mp_guess_protocol.
 */
#include "checks/parse.h"
#include "checks/session.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one_line(const char *line, size_t n, void *arg)
{
	int st = mp_pop3_status(line, n);
	const char *proto = mp_guess_protocol(line, n);

	(void)arg;
	FUZZ_ASSERT(st >= -1 && st <= 1);
	if (st == 1)
		FUZZ_ASSERT(n >= 3 && memcmp(line, "+OK", 3) == 0);
	if (st == 0)
		FUZZ_ASSERT(n >= 4 && memcmp(line, "-ERR", 4) == 0);
	if (st >= 0)
		FUZZ_ASSERT(proto != NULL && strcmp(proto, "POP3") == 0);
	if (proto != NULL)
		FUZZ_ASSERT(strcmp(proto, "SMTP") == 0 || strcmp(proto, "IMAP") == 0 ||
			    strcmp(proto, "POP3") == 0 || strcmp(proto, "HTTP") == 0 ||
			    strcmp(proto, "SSH") == 0);

	FUZZ_ASSERT((mp_pop3_capa_caps(line, n) & ~CAP_ALL) == 0);
	if (n >= 2 && line[0] == '.') { /* a dot-stuffed CAPA line */
		char *p = fuzz_dup((const uint8_t *)line + 1, n - 1);

		FUZZ_ASSERT((mp_pop3_capa_caps(p, n - 1) & ~CAP_ALL) == 0);
		free(p);
	}
	FUZZ_ASSERT(mp_keyword_masked(line, n) == 0 || mp_keyword_masked(line, n) == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *all = fuzz_dup(data, size);

	one_line(all, size, NULL);
	free(all);
	fuzz_each_line(data, size, one_line, NULL);
	return 0;
}
