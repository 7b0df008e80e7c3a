/*
 * libFuzzer target: the --endpoint and --resolve value parsers
 * (probe/account.c): mp_endpoint_parse and mp_pin_parse on a NUL-terminated
 * copy of the input, plus mp_host_valid and mp_arg_quote, which they use for
 * host names and error messages. Results and error messages are checked
 * (abort() on a violation).
 */
#include <arpa/inet.h>

#include "probe/run/account.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Error buffers: the CLI's size and a tight one. */
static const size_t err_sizes[] = {256, 1 + 24};

static void
check_endpoint(const char *s)
{
	for (size_t i = 0; i < sizeof(err_sizes) / sizeof(err_sizes[0]); i++) {
		char *err = malloc(err_sizes[i]);
		struct mp_endpoint_spec spec;
		int rc;

		FUZZ_ASSERT(err != NULL);
		memset(err, 'Z', err_sizes[i]);
		rc = mp_endpoint_parse(s, &spec, err, err_sizes[i]);
		FUZZ_ASSERT(rc == 0 || rc == -1);
		if (rc == 0) {
			FUZZ_ASSERT(spec.proto >= 0 && spec.proto < PROTO_COUNT);
			FUZZ_ASSERT(spec.security >= 0 && spec.security < SEC_COUNT);
			FUZZ_ASSERT(spec.port >= 1);
			FUZZ_ASSERT(strlen(s) < 64);
		} else {
			FUZZ_ASSERT(fuzz_terminated(err, err_sizes[i]));
			FUZZ_ASSERT(err[0] == '"' && strchr(err, '\n') == NULL);
		}
		free(err);
	}
}

static void
check_pin(const char *s)
{
	for (size_t i = 0; i < sizeof(err_sizes) / sizeof(err_sizes[0]); i++) {
		char *err = malloc(err_sizes[i]);
		struct mp_pin pin;
		int rc;

		FUZZ_ASSERT(err != NULL);
		memset(err, 'Z', err_sizes[i]);
		memset(&pin, 0x5a, sizeof(pin));
		rc = mp_pin_parse(s, &pin, err, err_sizes[i]);
		FUZZ_ASSERT(rc == 0 || rc == -1);
		if (rc == -1) {
			FUZZ_ASSERT(fuzz_terminated(err, err_sizes[i]));
			FUZZ_ASSERT(err[0] == '"' && strchr(err, '\n') == NULL);
			free(err);
			continue;
		}
		FUZZ_ASSERT(fuzz_terminated(pin.host, sizeof(pin.host)));
		FUZZ_ASSERT(mp_host_valid(pin.host));
		FUZZ_ASSERT(pin.port >= 0 && pin.port <= 65535);
		FUZZ_ASSERT(pin.naddr >= 1 && pin.naddr <= MP_MAX_PIN_ADDRS);
		for (int k = 0; k < pin.naddr; k++) {
			unsigned char bin[16];

			FUZZ_ASSERT(fuzz_terminated(pin.addrs[k], MP_ADDR_MAX));
			FUZZ_ASSERT(inet_pton(AF_INET, pin.addrs[k], bin) == 1 ||
				    inet_pton(AF_INET6, pin.addrs[k], bin) == 1);
		}
		/* The pin is found again under its own host name and port. */
		{
			static struct mp_account a;

			memset(&a, 0, sizeof(a));
			a.npins = 1;
			a.pins[0] = pin;
			FUZZ_ASSERT(mp_pin_find(&a, pin.host, pin.port) == &a.pins[0]);
		}
		free(err);
	}
}

static void
check_quote(const char *s, size_t len)
{
	char *buf = malloc(len > 0 ? len : 1);

	FUZZ_ASSERT(buf != NULL);
	mp_arg_quote(s, buf, len);
	if (len > 0) {
		FUZZ_ASSERT(fuzz_terminated(buf, len));
		for (const char *p = buf; *p != '\0'; p++)
			FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size);

	check_endpoint(s);
	check_pin(s);
	(void)mp_host_valid(s);
	check_quote(s, 100);
	check_quote(s, size % 12);
	free(s);
	return 0;
}
