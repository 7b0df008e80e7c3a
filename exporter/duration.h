/*
 * Prometheus-style durations ("500ms", "10s", "1m", "1h30m"): units y, w,
 * d, h, m, s, ms, each at most once and largest first. Pure; no I/O.
 */
#ifndef MAILPROBE_EXPORTER_DURATION_H
#define MAILPROBE_EXPORTER_DURATION_H

/* s -> seconds. 0, or -1 when s is not a duration. "0" is 0 seconds. */
int duration_parse(const char *s, double *seconds);

#endif
