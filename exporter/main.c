/*
 * mailprobe_exporter: the Prometheus exporter of mailprobe. Loads the
 * config, serves HTTP, probes configured targets on a schedule; SIGHUP
 * reloads the config (a bad one is logged and the old one kept), SIGTERM
 * and SIGINT cancel in-flight probes and exit 0. Exit 3: bad flags or
 * config; 1: the server could not start.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "checks/tls.h"
#include "checks/version.h"
#include "exporter/flags.h"
#include "exporter/http.h"
#include "exporter/log.h"
#include "exporter/scheduler.h"

#define EXIT_CONFIG 3
#define DRAIN_USEC 200000    /* for the last answers to go out */
#define FDS_BESIDES_HTTP 512 /* probes, files, the log */
#define MAX_LOOPS 8
#define PROBE_STACK (512 * 1024)
#define NO_FIBERS_ENV "MAILPROBE_TEST_NO_FIBERS" /* a test switch: probes on threads */

static double
wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void
log_warnings(const struct cfg_report *rep, bool plain)
{
	for (int i = 0; i < rep->nwarnings; i++) {
		if (plain)
			fprintf(stderr, "warning: %s\n", rep->warnings[i]);
		else
			xlog(LVL_WARN, "config", "warning", rep->warnings[i], NULL);
	}
}

static int
check_only(const struct flags *fl)
{
	struct cfg_report rep;
	struct config *c = config_load(fl->config_file, &rep);

	log_warnings(&rep, true);
	if (c == NULL) {
		fprintf(stderr, "error: %s\n", rep.error);
		return EXIT_CONFIG;
	}
	printf("%s: OK (%d modules, %d targets)\n",
	       fl->config_file ? fl->config_file : "(built-in)", c->nmodules, c->ntargets);
	config_put(c);
	return 0;
}

static bool
web_changed(const struct config *a, const struct config *b)
{
	bool listen = a->nlisten != b->nlisten;

	for (int i = 0; i < a->nlisten && !listen; i++)
		listen = strcmp(a->listen[i], b->listen[i]) != 0;
	return listen || strcmp(a->tls_cert_file, b->tls_cert_file) != 0 ||
	       strcmp(a->tls_key_file, b->tls_key_file) != 0 ||
	       a->max_connections != b->max_connections ||
	       a->max_connections_per_client != b->max_connections_per_client;
}

static void
reload(struct state *st, const char *file)
{
	struct cfg_report rep;
	struct config *c = config_load(file, &rep), *old;
	char n[16];

	log_warnings(&rep, false);
	if (c == NULL) {
		pthread_mutex_lock(&st->mu);
		st->reload_ok = false;
		pthread_mutex_unlock(&st->mu);
		xlog(LVL_ERROR, "config reload failed, the previous config stays in use", "error",
		     rep.error, NULL);
		return;
	}
	old = state_config(st);
	config_keep_tokens(c, old);
	if (web_changed(old, c))
		xlog(LVL_WARN, "listen, TLS and connection limits change only with a restart",
		     NULL);
	config_put(old);
	snprintf(n, sizeof(n), "%d", c->ntargets);
	state_set_config(st, c);
	pthread_mutex_lock(&st->mu);
	st->reload_ok = true;
	st->reload_success_time = wall_now();
	pthread_mutex_unlock(&st->mu);
	xlog(LVL_INFO, "config reloaded", "targets", n, NULL);
}

/* Probes (/probe's, and the scheduled ones in a pool of their own) run on
 * fibers, one event loop per processor (up to MAX_LOOPS): a probe in
 * flight costs a fiber's stack, not a thread; on threads, said in the log,
 * when the loops cannot start (or NO_FIBERS_ENV asks for it, for tests).
 * At most max_probes run at once, max_pending wait. */
static struct pool *
probe_pool_new(const char *name, int max_probes, int max_pending)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nloops = ncpu < 1 ? 1 : ncpu > MAX_LOOPS ? MAX_LOOPS : (int)ncpu;
	struct pool *p = NULL;

	if (getenv(NO_FIBERS_ENV) == NULL &&
	    (p = pool_new_fibers(nloops, PROBE_STACK, max_probes, max_pending)) != NULL)
		return p;
	xlog(LVL_WARN, "probes run on threads: the event loops could not start", "pool", name,
	     NULL);
	return pool_new(max_probes, max_pending);
}

static int
state_init(struct state *st, struct config *cfg, const struct flags *fl)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_init(&st->mu, NULL);
	pthread_mutex_init(&st->stats.mu, NULL);
	st->start_time = wall_now();
	st->sched_dns = (struct mp_bg_budget)MP_BG_BUDGET_INIT(MP_BG_ABANDONED_MAX);
	st->probe_dns = (struct mp_bg_budget)MP_BG_BUDGET_INIT(MP_BG_ABANDONED_MAX);
	st->store = store_new();
	st->probe_pool =
	    probe_pool_new("probe", cfg->max_concurrent_probes, cfg->max_concurrent_probes);
	st->sched_pool = probe_pool_new("scheduled", cfg->max_concurrent_probes, CFG_MAX_TARGETS);
	st->inflight = inflight_new();
	st->logins = logins_new();
	if (st->store == NULL || st->probe_pool == NULL || st->sched_pool == NULL ||
	    st->inflight == NULL || st->logins == NULL)
		return -1;
	snprintf(st->config_file, sizeof(st->config_file), "%s",
		 fl->config_file != NULL ? fl->config_file : "");
	state_set_config(st, cfg);
	st->reload_ok = true;
	st->reload_success_time = wall_now();
	return 0;
}

static void
state_cleanup(struct state *st)
{
	pool_free(st->probe_pool);
	pool_free(st->sched_pool);
	inflight_free(st->inflight);
	logins_free(st->logins);
	config_put(st->cfg);
	store_free(st->store);
	pthread_mutex_destroy(&st->stats.mu);
	pthread_mutex_destroy(&st->mu);
}

static void
log_start(const struct config *cfg)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", cfg->ntargets);
	xlog(LVL_INFO, "starting mailprobe_exporter", "version", MAILPROBE_VERSION, "openssl",
	     mp_tls_library_version(), "config", cfg->path[0] != '\0' ? cfg->path : "(built-in)",
	     "targets", n, NULL);
	if (cfg->tls_cert_file[0] == '\0')
		xlog(LVL_INFO, "TLS is off for the web endpoint (web.tls_cert_file)", NULL);
	if (cfg->nusers == 0)
		xlog(LVL_INFO, "basic authentication is off (web.basic_auth_users)", NULL);
}

/* Room for web.max_connections open connections besides the probes: the
 * soft descriptor limit is raised up to the hard one, or a warning says
 * what is missing. */
static void
raise_fd_limit(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)cfg->max_connections + FDS_BESIDES_HTTP;
	char have[24], need[24];

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= want)
		return;
	snprintf(have, sizeof(have), "%llu", (unsigned long long)rl.rlim_cur);
	snprintf(need, sizeof(need), "%llu", (unsigned long long)want);
	xlog(LVL_WARN, "the descriptor limit is below web.max_connections plus room for probes",
	     "limit", have, "wanted", need, NULL);
}

/* Waits for SIGHUP (reload) until SIGTERM or SIGINT. */
static void
signal_loop(struct state *st, const sigset_t *set, const char *file)
{
	int sig;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(st, file);
			continue;
		}
		xlog(LVL_INFO, "shutting down", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT",
		     NULL);
		return;
	}
}

static int
serve(const struct flags *fl, struct config *cfg)
{
	struct state st;
	struct http *h;
	struct scheduler *sched;
	sigset_t set;
	char err[512];

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread inherits it */
	if (state_init(&st, cfg, fl) < 0) {
		xlog(LVL_ERROR, "out of memory", NULL);
		return 1;
	}
	log_start(cfg);
	raise_fd_limit(cfg);
	h = http_start(&st, cfg,
		       fl->nlisten > 0 ? (char(*)[CFG_LISTEN_MAX])fl->listen : cfg->listen,
		       fl->nlisten > 0 ? fl->nlisten : cfg->nlisten, err, sizeof(err));
	if (h == NULL) {
		xlog(LVL_ERROR, "cannot serve", "error", err, NULL);
		state_cleanup(&st);
		return 1;
	}
	sched = scheduler_start(&st);
	atomic_store(&st.ready, true);
	signal_loop(&st, &set, fl->config_file);
	atomic_store(&st.cancel, 1);
	http_quiesce(h);
	scheduler_stop(sched);
	pool_free(st.probe_pool); /* cancelled probes end within ~0.1 s */
	st.probe_pool = NULL;
	usleep(DRAIN_USEC);
	http_stop(h);
	state_cleanup(&st);
	xlog(LVL_INFO, "stopped", NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct flags fl;
	struct cfg_report rep;
	struct config *cfg;
	char err[256];

	signal(SIGPIPE, SIG_IGN);
	if (flags_parse(argc, argv, &fl, err, sizeof(err)) < 0) {
		fprintf(stderr, "mailprobe_exporter: %s\n", err);
		return EXIT_CONFIG;
	}
	if (fl.help || fl.version) {
		if (fl.help)
			flags_usage(stdout);
		else
			printf("mailprobe_exporter %s (%s)\n", MAILPROBE_VERSION,
			       mp_tls_library_version());
		return 0;
	}
	xlog_set_level((enum xlog_level)fl.log_level);
	if (fl.config_check)
		return check_only(&fl);
	if ((cfg = config_load(fl.config_file, &rep)) == NULL) {
		log_warnings(&rep, false);
		xlog(LVL_ERROR, "cannot load the config", "error", rep.error, NULL);
		return EXIT_CONFIG;
	}
	log_warnings(&rep, false);
	return serve(&fl, cfg);
}
