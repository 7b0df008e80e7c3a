/*
 * The exporter's own series: build info, probes by result, the probe
 * duration histogram, the config reload status and the standard process_*
 * series read from /proc/self. Written with the exposition renderer's
 * building blocks, so escaping and number format are the same.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checks/tls.h"
#include "checks/version.h"
#include "exporter/state.h"
#include "exporter/token_source.h"

static void
gauge(FILE *out, const char *name, const char *help, double v)
{
	struct mp_prom_writer w;

	mp_prom_begin(&w, out, name, "gauge", help);
	mp_prom_sample(&w, NULL, NULL, 0, NULL, 0, v);
}

static void
build_info(FILE *out)
{
	struct mp_prom_writer w;
	struct mp_prom_label l[2] = {{"version", MAILPROBE_VERSION},
				     {"openssl", mp_tls_library_version()}};

	mp_prom_begin(&w, out, "mailprobe_exporter_build_info", "gauge",
		      "Always 1; the labels name the mailprobe version and the OpenSSL library.");
	mp_prom_sample(&w, NULL, l, 2, NULL, 0, 1);
}

static void
probe_series(FILE *out, struct probe_stats *s)
{
	struct mp_prom_writer w;
	struct mp_prom_label ok = {"result", "success"}, bad = {"result", "failure"}, le;
	char bound[32];

	pthread_mutex_lock(&s->mu);
	mp_prom_begin(&w, out, "mailprobe_probes_total", "counter",
		      "Probes run (scheduled and /probe), by result (success: probe_success 1).");
	mp_prom_sample(&w, NULL, &ok, 1, NULL, 0, (double)s->success);
	mp_prom_sample(&w, NULL, &bad, 1, NULL, 0, (double)s->failure);
	mp_prom_begin(&w, out, "mailprobe_probe_duration_seconds", "histogram",
		      "How long probes took, in seconds.");
	for (int i = 0; i < DURATION_BUCKETS; i++) {
		mp_prom_value(duration_bounds[i], bound, sizeof(bound));
		le = (struct mp_prom_label){"le", bound};
		mp_prom_sample(&w, "mailprobe_probe_duration_seconds_bucket", &le, 1, NULL, 0,
			       (double)s->buckets[i]);
	}
	le = (struct mp_prom_label){"le", "+Inf"};
	mp_prom_sample(&w, "mailprobe_probe_duration_seconds_bucket", &le, 1, NULL, 0,
		       (double)s->count);
	mp_prom_sample(&w, "mailprobe_probe_duration_seconds_sum", NULL, 0, NULL, 0, s->sum);
	mp_prom_sample(&w, "mailprobe_probe_duration_seconds_count", NULL, 0, NULL, 0,
		       (double)s->count);
	pthread_mutex_unlock(&s->mu);
}

static void
reload_series(FILE *out, struct state *st)
{
	bool ok;
	double ts;

	pthread_mutex_lock(&st->mu);
	ok = st->reload_ok;
	ts = st->reload_success_time;
	pthread_mutex_unlock(&st->mu);
	gauge(out, "mailprobe_config_last_reload_successful",
	      "1 when the last config (re)load worked, 0 when it failed and the previous config "
	      "stays in use.",
	      ok ? 1 : 0);
	gauge(out, "mailprobe_config_last_reload_success_timestamp_seconds",
	      "When the config was last loaded successfully, in unixtime.", ts);
}

static void
refused_series(FILE *out, struct state *st)
{
	struct mp_prom_writer w;

	mp_prom_begin(&w, out, "mailprobe_http_refused_total", "counter",
		      "Connections and requests the web side turned away, by reason "
		      "(client_connections: over web.max_connections_per_client; auth_rate_limit: "
		      "429 after failed logins; query_parameters: 414).");
	for (int i = 0; i < REFUSED_N; i++) {
		struct mp_prom_label l = {"reason", state_refusal_str((enum web_refusal)i)};

		mp_prom_sample(&w, NULL, &l, 1, NULL, 0, (double)atomic_load(&st->refused[i]));
	}
}

/* Per module with the OAuth2 refresh grant: the current access token's
 * remaining lifetime (once a grant was tried) and the grants by result. */
static void
oauth2_series(FILE *out, struct state *st)
{
	static const char *const results[TOKEN_OUTCOMES] = {"granted", "refused", "failed"};
	struct config *c = state_config(st);
	struct mp_prom_writer w;
	struct token_stats ts;

	mp_prom_begin(&w, out, "mailprobe_oauth2_token_expires_in_seconds", "gauge",
		      "Seconds the module's current OAuth2 access token has left (0: none valid), "
		      "once the exporter tried a refresh_token grant for it.");
	for (int i = 0; i < c->nmodules; i++) {
		struct mp_prom_label l = {"module", c->modules[i].name};

		if (token_source_stats(c->modules[i].cred.token, &ts) && ts.tried)
			mp_prom_sample(&w, NULL, &l, 1, NULL, 0, ts.expires_in);
	}
	mp_prom_begin(&w, out, "mailprobe_oauth2_grants_total", "counter",
		      "OAuth2 refresh_token grants of the module's token endpoint, by result "
		      "(granted; refused: an answer without a token, e.g. invalid_grant; failed: "
		      "no answer, e.g. connect_refused or tls_untrusted).");
	for (int i = 0; i < c->nmodules; i++) {
		if (!token_source_stats(c->modules[i].cred.token, &ts))
			continue;
		for (int r = 0; r < TOKEN_OUTCOMES; r++) {
			struct mp_prom_label l[2] = {{"module", c->modules[i].name},
						     {"result", results[r]}};

			mp_prom_sample(&w, NULL, l, 2, NULL, 0, (double)ts.grants[r]);
		}
	}
	config_put(c);
}

/* Field n (1-based, as in proc(5)) of /proc/self/stat. */
static double
stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');
	int field = 2;

	if (p == NULL)
		return 0;
	for (p++; *p != '\0' && field < n; p++)
		if (*p == ' ')
			field++;
	return strtod(p, NULL);
}

static double
boot_time(void)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[256];
	double bt = 0;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "btime ", 6) == 0)
			bt = strtod(line + 6, NULL);
	if (f != NULL)
		fclose(f);
	return bt;
}

static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	if (d != NULL)
		closedir(d);
	return n > 0 ? n - 1 : 0; /* not the directory's own descriptor */
}

static void
process_series(FILE *out)
{
	FILE *f = fopen("/proc/self/stat", "r");
	char stat[1024] = "";
	double tick = (double)sysconf(_SC_CLK_TCK), page = (double)sysconf(_SC_PAGESIZE);
	struct rlimit rl;

	if (f != NULL) {
		if (fgets(stat, sizeof(stat), f) == NULL)
			stat[0] = '\0';
		fclose(f);
	}
	gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
	      stat_field(stat, 24) * page);
	gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
	      stat_field(stat, 23));
	gauge(out, "process_start_time_seconds",
	      "Start time of the process since unix epoch in seconds.",
	      boot_time() + stat_field(stat, 22) / tick);
	gauge(out, "process_open_fds", "Number of open file descriptors.", open_fds());
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		gauge(out, "process_max_fds", "Maximum number of open file descriptors.",
		      rl.rlim_cur == RLIM_INFINITY ? -1 : (double)rl.rlim_cur);
	struct mp_prom_writer w;

	mp_prom_begin(&w, out, "process_cpu_seconds_total", "counter",
		      "Total user and system CPU time spent in seconds.");
	mp_prom_sample(&w, NULL, NULL, 0, NULL, 0,
		       (stat_field(stat, 14) + stat_field(stat, 15)) / tick);
}

void
selfmetrics_render(struct state *st, FILE *out)
{
	build_info(out);
	probe_series(out, &st->stats);
	reload_series(out, st);
	refused_series(out, st);
	oauth2_series(out, st);
	process_series(out);
}
