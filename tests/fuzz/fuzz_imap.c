/*
 * libFuzzer target: the IMAP response and CAPABILITY parsers (checks/parse.c).
 * Every line of the input (and the whole input as one line) goes through
 * mp_imap_parse_line; the offsets it returns are checked against the line
 * (abort() on a violation), then the capability list and the response code
 * are parsed from exact-size copies of the ranges it named, as checks/imap.c
 * does.
 */
#include "checks/parse.h"
#include "checks/session.h"
#include "fuzz_util.h"

#define TAG_MAX sizeof(((struct mp_imap_line *)0)->tag)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_tag(const struct mp_imap_line *l)
{
	size_t tn;

	FUZZ_ASSERT(fuzz_terminated(l->tag, TAG_MAX));
	tn = strlen(l->tag);
	if (l->kind != IMAP_TAGGED) {
		FUZZ_ASSERT(tn == 0);
		return;
	}
	FUZZ_ASSERT(tn > 0 && tn < TAG_MAX);
	for (size_t i = 0; i < tn; i++) {
		unsigned char ch = (unsigned char)l->tag[i];

		FUZZ_ASSERT(ch > 0x20 && ch < 0x7f && strchr("(){%*\"\\+", ch) == NULL);
	}
	FUZZ_ASSERT(l->status == IMAP_OK || l->status == IMAP_NO || l->status == IMAP_BAD);
}

/* The response code of text (as imap_read passes it) into buffers of
 * several sizes. */
static void
check_resp_code(const char *text, size_t n, size_t outlen)
{
	char *t = fuzz_dup((const uint8_t *)text, n);
	char *out = malloc(outlen);
	size_t on;

	FUZZ_ASSERT(out != NULL);
	memset(out, 'Z', outlen);
	mp_imap_resp_code(t, n, out, outlen);
	FUZZ_ASSERT(fuzz_terminated(out, outlen));
	on = strlen(out);
	FUZZ_ASSERT(on < outlen);
	if (on > 0) {
		FUZZ_ASSERT(n >= 2 && t[0] == '[');
		FUZZ_ASSERT(on <= n - 1 && memcmp(out, t + 1, on) == 0);
		FUZZ_ASSERT(memchr(t, ']', n) != NULL);
	}
	free(out);
	free(t);
}

static void
one_line(const char *line, size_t n, void *arg)
{
	struct mp_imap_line l;
	int rc;

	(void)arg;
	memset(&l, 0x5a, sizeof(l)); /* the parser must set every field */
	rc = mp_imap_parse_line(line, n, &l);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(l.literal >= -1 && l.literal <= 10000000000009LL);
	if (l.literal >= 0)
		FUZZ_ASSERT(n >= 3 && line[n - 1] == '}');
	if (rc == -1) {
		FUZZ_ASSERT(l.kind == IMAP_INVALID);
		return;
	}
	FUZZ_ASSERT(l.kind == IMAP_UNTAGGED || l.kind == IMAP_TAGGED ||
		    l.kind == IMAP_CONTINUATION);
	FUZZ_ASSERT(l.status >= IMAP_OK && l.status <= IMAP_OTHER);
	FUZZ_ASSERT(l.text_off <= n);
	FUZZ_ASSERT(l.caps_off <= n && l.caps_len <= n - l.caps_off);
	if (l.capability)
		FUZZ_ASSERT(l.kind == IMAP_UNTAGGED);
	if (l.kind == IMAP_CONTINUATION)
		FUZZ_ASSERT(n >= 1 && line[0] == '+' && l.caps_len == 0);
	if (l.kind == IMAP_UNTAGGED) /* leading blanks are tolerated */
		FUZZ_ASSERT(memchr(line, '*', n) != NULL);
	check_tag(&l);

	/* The capability list from an exact-size copy of its range. */
	if (l.caps_len > 0) {
		char *caps = fuzz_dup((const uint8_t *)line + l.caps_off, l.caps_len);

		FUZZ_ASSERT((mp_imap_caps(caps, l.caps_len) & ~CAP_ALL) == 0);
		free(caps);
	}
	/* The response code after the status, into a roomy and a tight buffer. */
	check_resp_code(line + l.text_off, n - l.text_off, 64);
	check_resp_code(line + l.text_off, n - l.text_off, 1 + n % 16);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *all = fuzz_dup(data, size);

	one_line(all, size, NULL);
	free(all);
	fuzz_each_line(data, size, one_line, NULL);
	/* The whole input as a capability list. */
	all = fuzz_dup(data, size);
	FUZZ_ASSERT((mp_imap_caps(all, size) & ~CAP_ALL) == 0);
	free(all);
	return 0;
}
