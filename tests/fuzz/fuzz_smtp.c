/*
 * libFuzzer target: the SMTP reply parser (checks/parse.c). Every line of the
 * input goes through mp_smtp_parse_line and mp_smtp_ehlo_caps the way
 * checks/smtp.c uses them, the whole input once more as one line (lines may
 * hold NUL and CR bytes), and consecutive lines are checked as one
 * multi-line reply.
 */
#include "checks/parse.h"
#include "checks/session.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reply {
	int code;  /* of the reply's first line, 0 before one */
	int lines; /* lines of the current reply */
	unsigned caps;
};

static void
one_line(const char *line, size_t n, void *arg)
{
	struct reply *r = arg;
	int code = -7;
	bool last = false;
	int rc = mp_smtp_parse_line(line, n, &code, &last);

	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_ASSERT(n >= 3);
		FUZZ_ASSERT(code >= 200 && code <= 599);
		FUZZ_ASSERT(code == (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
		FUZZ_ASSERT(last == (n == 3 || line[3] == ' '));
		FUZZ_ASSERT(n == 3 || line[3] == ' ' || line[3] == '-');
		/* A reply line is recognised as some protocol's first line. */
		FUZZ_ASSERT(mp_guess_protocol(line, n) != NULL);
	} else {
		FUZZ_ASSERT(code == -7); /* untouched on failure */
	}
	/* The keyword part of an EHLO line, as smtp_read passes it. */
	if (n > 4)
		FUZZ_ASSERT((mp_smtp_ehlo_caps(line + 4, n - 4) & ~CAP_ALL) == 0);
	FUZZ_ASSERT((mp_smtp_ehlo_caps(line, n) & ~CAP_ALL) == 0);
	/* A multi-line reply as smtp_read folds it: the keyword flags of the
	 * lines after the first, while the code stays the same. */
	if (rc != 0 || (r->lines > 0 && code != r->code)) {
		r->lines = 0;
		return;
	}
	if (r->lines == 0)
		r->code = code;
	else if (n > 4)
		r->caps |= mp_smtp_ehlo_caps(line + 4, n - 4);
	r->lines = last ? 0 : r->lines + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r = {0, 0, 0};
	char *all = fuzz_dup(data, size);

	one_line(all, size, &r);
	free(all);
	memset(&r, 0, sizeof(r));
	fuzz_each_line(data, size, one_line, &r);
	FUZZ_ASSERT((r.caps & ~CAP_ALL) == 0);
	return 0;
}
