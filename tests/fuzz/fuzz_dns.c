/*
 * libFuzzer target: DNS replies as res_nquery returns them, through
 * mp_dns_parse (checks/dns.c) for SRV and MX. Invariants: the record count
 * is bounded, records are sorted by priority, targets are terminated and
 * never empty.
 */
#include "checks/dns.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const uint8_t *msg, size_t size, enum mp_dns_type type)
{
	struct mp_dns_answer a;

	memset(&a, 0, sizeof(a));
	if (mp_dns_parse(msg, (int)size, type, &a) != 0)
		return;
	FUZZ_ASSERT(a.n >= 0 && a.n <= MP_DNS_RECORDS_MAX);
	for (int i = 0; i < a.n; i++) {
		FUZZ_ASSERT(memchr(a.records[i].target, '\0', sizeof(a.records[i].target)) != NULL);
		FUZZ_ASSERT(a.records[i].target[0] != '\0');
		if (i > 0)
			FUZZ_ASSERT(a.records[i - 1].priority <= a.records[i].priority);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (size > 65535)
		return 0;
	copy = (uint8_t *)fuzz_dup(data, size);
	check(copy, size, DNS_SRV);
	check(copy, size, DNS_MX);
	free(copy);
	return 0;
}
