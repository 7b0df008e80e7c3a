/*
 * libFuzzer target: the exporter's config loader (exporter/config*.c) on
 * whole JSON documents, from memory. A document either loads (and is freed)
 * or is refused with a one-line error naming where.
 */
#include "exporter/config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_report rep;
	char *text = fuzz_strdup(data, size);
	struct config *c = config_load_text(text, "fuzz.json", "/nonexistent", &rep);

	if (c == NULL) {
		FUZZ_ASSERT(rep.error[0] != '\0');
		FUZZ_ASSERT(strchr(rep.error, '\n') == NULL);
	} else {
		FUZZ_ASSERT(rep.error[0] == '\0');
		config_put(c);
	}
	free(text);
	return 0;
}
