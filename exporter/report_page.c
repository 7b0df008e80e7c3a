/*
 * The support report of a scheduled target's latest result: rendered as
 * self-contained HTML by probe/report.c when the result comes in (the run
 * is gone afterwards), served by GET /report?target=NAME.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/render/report.h"
#include "exporter/http.h"
#include "exporter/report_page.h"

#define REPORT_MAX (4 * 1024 * 1024)

char *
report_build(const struct probe_res *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	if (out == NULL)
		return NULL;
	struct mp_report_options ro = {.format = REPORT_HTML, .lang = LANG_EN};

	rc = r->diag != NULL ? mp_report_write(out, &r->run, r->diag, &ro) : -1;
	if (fclose(out) != 0 || rc < 0 || len > REPORT_MAX) {
		free(buf);
		return NULL;
	}
	return buf;
}

enum MHD_Result
route_report(struct state *st, struct config *cfg, struct MHD_Connection *c)
{
	const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "target");
	char *html;

	if (name == NULL)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "the target parameter is missing\n");
	if (config_target(cfg, name) == NULL)
		return http_send_text(c, MHD_HTTP_NOT_FOUND, "no configured target \"%.100s\"\n",
				      name);
	if ((html = store_report(st->store, name)) == NULL)
		return http_send_text(c, MHD_HTTP_NOT_FOUND,
				      "no result for \"%.100s\" yet: try again after its first "
				      "probe\n",
				      name);
	return http_send(c, MHD_HTTP_OK, TYPE_HTML, html, strlen(html));
}
