/*
 * libFuzzer target: what a path measurement reads from the network
 * (checks/path.c, checks/path_raw.c): raw ICMP (with the outer IPv4 header)
 * and ICMPv6 messages through mp_path_parse_icmp, and the same bytes as the
 * control data of an error-queue recvmsg through mp_path_parse_errqueue.
 * The first byte picks the family. Invariants: an accepted message is a
 * time-exceeded or unreachable answer with a terminated, non-empty sender.
 */
#include <sys/socket.h>

#include "checks/path.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_icmp(int af, const uint8_t *msg, size_t size)
{
	struct sockaddr_in6 from = {.sin6_family = AF_INET6};
	struct mp_path_icmp ic;

	from.sin6_addr.s6_addr[0] = 0xfd;
	from.sin6_addr.s6_addr[15] = 1;
	if (mp_path_parse_icmp(af, msg, size, &from, &ic) != 0)
		return;
	FUZZ_ASSERT(ic.answer == HOP_TIME_EXCEEDED || ic.answer == HOP_UNREACHABLE);
	FUZZ_ASSERT(memchr(ic.sender, '\0', sizeof(ic.sender)) != NULL && ic.sender[0] != '\0');
}

/* Control data must be aligned like a cmsghdr: an aligned heap copy. */
static void
check_errqueue(int af, const uint8_t *data, size_t size)
{
	void *control = malloc(size > 0 ? size : 1);
	enum mp_hop_answer a = HOP_NONE;
	char addr[MP_ADDR_MAX];
	int code = -1;

	if (control == NULL)
		abort();
	if (size > 0)
		memcpy(control, data, size);
	if (mp_path_parse_errqueue(af, control, size, &a, &code, addr, sizeof(addr)) == 0) {
		FUZZ_ASSERT(a == HOP_TIME_EXCEEDED || a == HOP_UNREACHABLE);
		FUZZ_ASSERT(memchr(addr, '\0', sizeof(addr)) != NULL && addr[0] != '\0');
	}
	free(control);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int af;
	char *copy;

	if (size < 1 || size > 4096)
		return 0;
	af = (data[0] & 1) ? AF_INET6 : AF_INET;
	copy = fuzz_dup(data + 1, size - 1);
	check_icmp(af, (const uint8_t *)copy, size - 1);
	check_errqueue(af, (const uint8_t *)copy, size - 1);
	free(copy);
	return 0;
}
