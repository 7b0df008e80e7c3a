/*
 * HTML escaping and URL encoding. Strings are cleaned first (valid UTF-8,
 * no control bytes), so nothing from a server or the config can break out.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/render/render.h"
#include "exporter/html.h"

#define HTML_TEXT_MAX 4096

void
html_put(FILE *out, const char *s)
{
	char clean[HTML_TEXT_MAX];

	mp_render_clean(s != NULL ? s : "", clean, sizeof(clean), false);
	mp_render_html_escape(out, clean);
}

void
html_put_query(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
}
