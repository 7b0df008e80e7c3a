/*
 * Small HTML helpers for the status page and the report page: escaping
 * text and attributes, and percent-encoding a query value.
 */
#ifndef MAILPROBE_EXPORTER_HTML_H
#define MAILPROBE_EXPORTER_HTML_H

#include <stdio.h>

/* s with & < > " ' as entities (invalid UTF-8 and control bytes cleaned). */
void html_put(FILE *out, const char *s);
/* s percent-encoded for a URL query value. */
void html_put_query(FILE *out, const char *s);

#endif
