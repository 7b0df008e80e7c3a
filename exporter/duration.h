/*
 * Prometheus-style durations ("500ms", "10s", "1m", "1h30m"): units y, w,
 * d, h, m, s, ms, each at most once and largest first. Pure; no I/O.
 */
#ifndef MAILPROBE_EXPORTER_DURATION_H
#define MAILPROBE_EXPORTER_DURATION_H

/* s -> seconds. 0, or -1 when s is not a duration. "0" is 0 seconds. */
int duration_parse(const char *s, double *seconds);

#define PROBE_SCRAPE_MARGIN 0.5
/* The /probe deadline: the module's timeout, or the
 * X-Prometheus-Scrape-Timeout-Seconds header less 0.5 s when smaller (half
 * of it when it is 0.5 s or less). header may be NULL. 0, or -1 when the
 * header is malformed (a 400). Pure. */
int probe_scrape_deadline(const char *header, double module_timeout, double *out);

#endif
