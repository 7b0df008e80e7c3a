/*
 * /probe requests in flight per target host, so one slow target cannot
 * take every worker of the probe pool (web.max_concurrent_probes_per_target).
 * Thread-safe; holds only hosts with a probe in flight.
 */
#ifndef MAILPROBE_EXPORTER_INFLIGHT_H
#define MAILPROBE_EXPORTER_INFLIGHT_H

struct inflight;

/* NULL when out of memory. */
struct inflight *inflight_new(void);
void inflight_free(struct inflight *f);
/* Takes one slot of host: 0, or -1 when max are taken (or out of memory). */
int inflight_take(struct inflight *f, const char *host, int max);
/* Gives back a slot inflight_take gave. */
void inflight_give(struct inflight *f, const char *host);
/* Slots taken for host (for tests). */
int inflight_count(struct inflight *f, const char *host);

#endif
