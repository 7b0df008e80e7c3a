/*
 * How often /probe may log in with one module at one host: at most once per
 * the module's min_login_interval. Within it a probe runs without
 * credentials and reports the last login's result (its login_success
 * samples) with its age. Thread-safe; one entry per (module, host) that
 * /probe logged in to, so bounded by the config (credentials go only to
 * configured targets in a module's credential_hosts).
 */
#ifndef MAILPROBE_EXPORTER_LOGINS_H
#define MAILPROBE_EXPORTER_LOGINS_H

#include <stdbool.h>

struct logins;

/* The last login /probe made with a module at a host. */
struct login_last {
	bool have;     /* false: the first login is still running */
	double age;    /* seconds since its result came */
	bool ok;       /* it worked */
	char *samples; /* its mailprobe_login_success samples (free it); may be NULL */
};

/* NULL when out of memory. */
struct logins *logins_new(void);
void logins_free(struct logins *l);
/* true: log in now (logins_done must follow); false: a login began less
 * than interval seconds ago, and *last says what it gave. */
bool logins_take(struct logins *l, const char *module, const char *host, double interval,
		 double now, struct login_last *last);
/* The end of a login logins_take allowed: tried says whether a login step
 * ran at all (when not, the slot is given back), ok whether it worked,
 * samples its login_success samples (copied; may be NULL). */
void logins_done(struct logins *l, const char *module, const char *host, bool tried, bool ok,
		 const char *samples, double now);

#endif
