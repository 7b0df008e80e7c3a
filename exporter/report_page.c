/*
 * The support report of a scheduled target's latest result: rendered as
 * self-contained HTML by probe/report.c when the result comes in (the run
 * is gone afterwards), in every language, and served by
 * GET /report?target=NAME[&lang=en|de].
 */
#include <stdlib.h>
#include <string.h>

#include "probe/render/report.h"
#include "exporter/http.h"
#include "exporter/report_page.h"

#define REPORT_MAX (4 * 1024 * 1024)

/* The report in language l appended to out, NUL-terminated; -1 on error. */
static int
report_one(FILE *out, const struct probe_res *r, enum mp_lang l)
{
	struct mp_report_options ro = {.format = REPORT_HTML, .lang = l};

	if (mp_report_write(out, &r->run, r->diag, &ro) < 0)
		return -1;
	return fputc('\0', out) == EOF ? -1 : 0;
}

char *
report_build(const struct probe_res *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc = r->diag != NULL ? 0 : -1;

	if (out == NULL)
		return NULL;
	for (int l = 0; l < LANG_COUNT && rc == 0; l++)
		rc = report_one(out, r, (enum mp_lang)l);
	if (fclose(out) != 0 || rc < 0 || len > REPORT_MAX) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool
page_lang(struct MHD_Connection *c, enum mp_lang *l)
{
	const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");

	*l = LANG_EN;
	if (code == NULL)
		return true;
	for (int i = 0; i < LANG_COUNT; i++)
		if (strcmp(code, mp_lang_code((enum mp_lang)i)) == 0) {
			*l = (enum mp_lang)i;
			return true;
		}
	return false;
}

enum MHD_Result
page_lang_refused(struct MHD_Connection *c)
{
	return http_send_text(c, MHD_HTTP_BAD_REQUEST, "the lang parameter must be en or de\n");
}

enum MHD_Result
route_report(struct state *st, struct config *cfg, struct MHD_Connection *c)
{
	const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "target");
	enum mp_lang l;
	char *html;

	if (!page_lang(c, &l))
		return page_lang_refused(c);
	if (name == NULL)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "the target parameter is missing\n");
	if (config_target(cfg, name) == NULL)
		return http_send_text(c, MHD_HTTP_NOT_FOUND, "no configured target \"%.100s\"\n",
				      name);
	if ((html = store_report(st->store, name, l)) == NULL)
		return http_send_text(c, MHD_HTTP_NOT_FOUND,
				      "no result for \"%.100s\" yet: try again after its first "
				      "probe\n",
				      name);
	return http_send(c, MHD_HTTP_OK, TYPE_HTML, html, strlen(html));
}
