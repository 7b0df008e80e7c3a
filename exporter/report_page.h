/*
 * The support report of a finished probe as HTML (probe/report.c).
 */
#ifndef MAILPROBE_EXPORTER_REPORT_PAGE_H
#define MAILPROBE_EXPORTER_REPORT_PAGE_H

#include "exporter/probe.h"

/* The report (free it), or NULL when it could not be made. */
char *report_build(const struct probe_res *r);

#endif
