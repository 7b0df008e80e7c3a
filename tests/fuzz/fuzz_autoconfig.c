/*
 * libFuzzer target: the autoconfig parser (probe/autoconfig.c, expat) on
 * whole documents. Invariants: found endpoints are within bounds, with a
 * valid protocol, security, port and a terminated host name.
 */
#include "probe/run/discover.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_source_result src;
	char tmpl[64];
	char *doc = fuzz_dup(data, size);

	memset(&src, 0, sizeof(src));
	mp_autoconfig_parse(doc, size, "example.com", "alice", &src, tmpl, sizeof(tmpl));
	FUZZ_ASSERT(src.nfound >= 0 && src.nfound <= MP_FOUND_MAX);
	FUZZ_ASSERT(memchr(tmpl, '\0', sizeof(tmpl)) != NULL);
	for (int i = 0; i < src.nfound; i++) {
		const struct mp_found *f = &src.found[i];

		FUZZ_ASSERT((unsigned)f->proto < PROTO_COUNT);
		FUZZ_ASSERT((unsigned)f->security < SEC_COUNT);
		FUZZ_ASSERT(f->port >= 1);
		FUZZ_ASSERT(memchr(f->host, '\0', sizeof(f->host)) != NULL && f->host[0] != '\0');
	}
	free(doc);
	return 0;
}
