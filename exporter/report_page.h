/*
 * The support report of a finished probe as HTML (probe/report.c), and
 * the pages' lang parameter.
 */
#ifndef MAILPROBE_EXPORTER_REPORT_PAGE_H
#define MAILPROBE_EXPORTER_REPORT_PAGE_H

#include <microhttpd.h>
#include <stdbool.h>

#include "probe/words/words.h"
#include "exporter/probe.h"

/* The report in every language, each NUL-terminated, in enum mp_lang's
 * order (free it), or NULL when it could not be made. */
char *report_build(const struct probe_res *r);

/* The request's lang parameter (en when absent) into *l; false when it is
 * neither en nor de. */
bool page_lang(struct MHD_Connection *c, enum mp_lang *l);
/* The 400 answer to a bad lang parameter. */
enum MHD_Result page_lang_refused(struct MHD_Connection *c);

#endif
