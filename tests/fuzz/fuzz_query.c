/*
 * libFuzzer target: what /probe takes from a request without DNS: the
 * target argument through the allow-list (exporter/allow.c) against a fixed
 * config, and the X-Prometheus-Scrape-Timeout-Seconds header. Input: the
 * target, a newline, the header value.
 */
#include "exporter/allow.h"
#include "exporter/config.h"
#include "exporter/duration.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char config_json[] =
    "{\"targets\": [{\"name\": \"t\", \"host\": \"mail.example.com\"}],"
    " \"allow\": [\"*.example.net\", \"192.0.2.25\", \"2001:db8::25\", \"mx.example.org\"]}";

static struct config *
fixed_config(void)
{
	static struct config *c;
	struct cfg_report rep;

	if (c == NULL)
		c = config_load_text(config_json, "fuzz.json", "/nonexistent", &rep);
	FUZZ_ASSERT(c != NULL);
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strdup(data, size), *nl = memchr(text, '\n', size);
	struct allow_result r;
	double t, d;

	if (nl != NULL)
		*nl = '\0';
	allow_check(fixed_config(), text, &r);
	FUZZ_ASSERT(r.verdict >= ALLOW_CONFIGURED && r.verdict <= ALLOW_DENIED);
	FUZZ_ASSERT(memchr(r.host, '\0', sizeof(r.host)) != NULL);
	FUZZ_ASSERT(memchr(r.reason, '\0', sizeof(r.reason)) != NULL);
	if (r.verdict == ALLOW_BAD || r.verdict == ALLOW_DENIED)
		FUZZ_ASSERT(r.reason[0] != '\0');
	if (nl != NULL) {
		if (probe_scrape_deadline(nl + 1, 10.0, &t) == 0)
			FUZZ_ASSERT(t > 0 && t <= 10.0);
		(void)duration_parse(nl + 1, &d);
	}
	free(text);
	return 0;
}
