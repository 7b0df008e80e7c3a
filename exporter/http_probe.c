/*
 * GET /probe?target=HOST&module=NAME[&debug=true]: checks the request at
 * once (400, 403), then suspends the connection and hands the probe to the
 * bounded probe pool (503 when it is full). The worker renders the answer
 * and resumes the connection; the HTTP thread only sends it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks/deadline.h"
#include "probe/render/render.h"
#include "exporter/allow.h"
#include "exporter/duration.h"
#include "exporter/http.h"
#include "exporter/log.h"
#include "exporter/login_use.h"

#define SCRAPE_HEADER "X-Prometheus-Scrape-Timeout-Seconds"
struct probe_ctx {
	struct state *st;
	struct config *cfg; /* a reference for the probe's lifetime */
	struct MHD_Connection *conn;
	struct allow_result allow;
	const struct cfg_module *module;
	double timeout;
	bool debug;
	struct login_use login; /* the login limiter's say on this probe */
	/* the answer */
	unsigned status;
	const char *type;
	char *body;
	size_t len;
};

/* The deadline from the scrape-timeout header (probe_scrape_deadline). */
static int
scrape_timeout(struct MHD_Connection *c, double module_timeout, double *out)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, SCRAPE_HEADER);

	return probe_scrape_deadline(h, module_timeout, out);
}

static void
answer(struct probe_ctx *x, unsigned status, const char *type, char *body, size_t len)
{
	free(x->body);
	x->status = status;
	x->type = type;
	x->body = body;
	x->len = len;
}

static void
answer_text(struct probe_ctx *x, unsigned status, const char *text)
{
	size_t n = strlen(text);
	char *body = malloc(n + 2);

	if (body != NULL) {
		memcpy(body, text, n);
		memcpy(body + n, "\n", 2);
	}
	answer(x, status, TYPE_TEXT, body, body != NULL ? n + 1 : 0);
}

/* The series of one run, with the back-off of a configured target. */
static void
write_series(FILE *out, const struct probe_ctx *x, const struct probe_res *r, double backoff)
{
	struct mp_prom_input in = {
	    .run = &r->run, .diag = r->diag, .last_probe = -1, .backoff = backoff};

	mp_render_prometheus_inputs(out, &in, 1);
	login_use_series(out, &x->login, r);
}

static void
write_debug(FILE *out, const struct probe_ctx *x, const struct probe_res *r, double backoff)
{
	fprintf(out, "Probe of %s with module %s, deadline %.3f s\n\n", x->allow.host,
		x->module->name, x->timeout);
	login_use_note(out, &x->login);
	fputs("Transcript (credentials masked):\n\n", out);
	mp_render_trace(out, &r->run);
	fputs("Result:\n\n", out);
	if (r->diag != NULL)
		mp_render_text(out, &r->run, r->diag, LANG_EN, false);
	fputs("\nSeries:\n\n", out);
	write_series(out, x, r, backoff);
}

/* 200 with the series (or the debug text) of a finished probe. */
static void
answer_run(struct probe_ctx *x, const struct probe_res *r, double backoff)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL) {
		answer_text(x, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		return;
	}
	if (x->debug)
		write_debug(out, x, r, backoff);
	else
		write_series(out, x, r, backoff);
	if (fclose(out) != 0) {
		free(buf);
		answer_text(x, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		return;
	}
	answer(x, MHD_HTTP_OK, x->debug ? TYPE_TEXT : TYPE_METRICS, buf, len);
}

/* In login back-off: the cached series and the back-off, no new login.
 * False when nothing is cached (then probe without credentials). */
static bool
answer_gated(struct probe_ctx *x, bool *gated)
{
	const struct cfg_target *t = x->allow.target;
	struct mp_prom_input in = {.last_probe = -1};
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	bool cached = false;

	*gated = false;
	if (t == NULL || !(t->cred.present || x->module->cred.present))
		return false; /* no login in this probe: nothing to back off from */
	if ((out = open_memstream(&buf, &len)) == NULL)
		return false;
	*gated = store_probe_gate(x->st->store, t->name, mp_now(), out, &cached, &in.backoff);
	if (cached)
		mp_render_prometheus_inputs(out, &in, 1);
	fclose(out);
	if (!cached) {
		free(buf);
		return false;
	}
	answer(x, MHD_HTTP_OK, TYPE_METRICS, buf, len);
	return true;
}

static void
finish_configured(struct probe_ctx *x, const struct probe_res *r, double *backoff)
{
	struct cached c;

	if (cached_render(r, &c) == 0)
		store_finish_probe(x->st->store, x->cfg, x->allow.target->name, &c, r->auth_failed,
				   r->login_ok);
	cached_free(&c);
	*backoff = store_backoff(x->st->store, x->allow.target->name);
}

static void
run_probe(struct probe_ctx *x, bool no_login)
{
	struct probe_req rq = {.cfg = x->cfg,
			       .target = x->allow.target,
			       .module = x->module,
			       .check_addrs = x->allow.verdict == ALLOW_NAME,
			       .no_login = no_login,
			       .timeout = x->timeout,
			       .cancel = &x->st->cancel,
			       .dns_budget = &x->st->probe_dns};
	struct probe_res r;
	double t0 = mp_now(), backoff = -1;

	snprintf(rq.host, sizeof(rq.host), "%s", x->allow.host);
	login_use_begin(&x->login, x->st->logins, &rq);
	probe_execute(&rq, &r);
	login_use_end(&x->login, x->st->logins, &r);
	if (atomic_load(&x->st->cancel)) {
		answer_text(x, MHD_HTTP_SERVICE_UNAVAILABLE, "the exporter is shutting down");
	} else if (r.http_status != 200) {
		answer_text(x, (unsigned)r.http_status, r.reason);
	} else {
		if (x->allow.target != NULL)
			finish_configured(x, &r, &backoff);
		answer_run(x, &r, backoff);
		state_count_probe(x->st, probe_res_success(&r), mp_now() - t0);
	}
	xlog(LVL_DEBUG, "probe", "target", x->allow.host, "module", x->module->name, "result",
	     r.http_status != 200 ? r.reason : mp_render_status_word(probe_res_status(&r)), NULL);
	probe_res_cleanup(&r);
}

static void
probe_job(void *arg)
{
	struct probe_ctx *x = arg;
	bool gated;

	if (atomic_load(&x->st->cancel))
		answer_text(x, MHD_HTTP_SERVICE_UNAVAILABLE, "the exporter is shutting down");
	else if (!answer_gated(x, &gated))
		run_probe(x, gated);
	inflight_give(x->st->inflight, x->allow.host);
}

/* After the pool counted the probe done (pool_submit_then): the client's
 * next request then finds the worker free. */
static void
probe_answer(void *arg)
{
	struct probe_ctx *x = arg;

	MHD_resume_connection(x->conn); /* last: the connection may go away after it */
}

/* 400/403 before any probe; 0 when the request may go on. */
static enum MHD_Result
precheck(struct probe_ctx *x, struct MHD_Connection *c, bool *done)
{
	const char *target = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "target");
	const char *module = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "module");
	const char *debug = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "debug");

	*done = true;
	if (target == NULL)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "the target parameter is missing\n");
	if ((x->module = config_module(x->cfg, module != NULL ? module : "default")) == NULL)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "unknown module \"%.100s\"\n",
				      module);
	if (scrape_timeout(c, x->module->timeout, &x->timeout) < 0)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "malformed %s header\n",
				      SCRAPE_HEADER);
	x->debug = debug != NULL && strcmp(debug, "true") == 0;
	allow_check(x->cfg, target, &x->allow);
	if (x->allow.verdict == ALLOW_BAD)
		return http_send_text(c, MHD_HTTP_BAD_REQUEST, "%s\n", x->allow.reason);
	if (x->allow.verdict == ALLOW_DENIED)
		return http_send_text(c, MHD_HTTP_FORBIDDEN, "%s\n", x->allow.reason);
	if (!config_module_serves(x->module, x->allow.host))
		return http_send_text(c, MHD_HTTP_FORBIDDEN,
				      "module \"%.100s\" has credentials, and %s is not in its "
				      "credential_hosts\n",
				      x->module->name, x->allow.host);
	*done = false;
	return MHD_YES;
}

/* A slot of the target, then the pool; -1 with the reason (503). */
static int
submit(struct probe_ctx *x, char *msg, size_t len)
{
	const struct config *cfg = x->cfg;
	int per = cfg->max_probes_per_target < cfg->max_concurrent_probes
		      ? cfg->max_probes_per_target
		      : cfg->max_concurrent_probes;

	if (inflight_take(x->st->inflight, x->allow.host, per) < 0) {
		snprintf(
		    msg, len,
		    "too many probes of %.100s in flight (max_concurrent_probes_per_target %d)",
		    x->allow.host, per);
		return -1;
	}
	if (pool_submit_then(x->st->probe_pool, probe_job, probe_answer, x) == 0)
		return 0;
	inflight_give(x->st->inflight, x->allow.host);
	snprintf(msg, len, "too many probes in flight (max_concurrent_probes %d)",
		 cfg->max_concurrent_probes);
	return -1;
}

enum MHD_Result
route_probe(struct state *st, struct config *cfg, struct MHD_Connection *c, void **con_cls)
{
	struct probe_ctx *x = calloc(1, sizeof(*x));
	enum MHD_Result ret;
	bool done;
	char msg[256];

	if (x == NULL)
		return http_send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	*x = (struct probe_ctx){.st = st, .cfg = config_ref(cfg), .conn = c};
	ret = precheck(x, c, &done);
	if (done) {
		route_probe_free(x);
		return ret;
	}
	*con_cls = x; /* freed by the completion callback */
	MHD_suspend_connection(c);
	if (submit(x, msg, sizeof(msg)) < 0) {
		answer_text(x, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
		xlog(LVL_WARN, "probe refused", "target", x->allow.host, "reason", msg, NULL);
		MHD_resume_connection(c);
	}
	return MHD_YES;
}

enum MHD_Result
route_probe_resumed(struct MHD_Connection *c, void *ctx)
{
	struct probe_ctx *x = ctx;
	char *body = x->body;
	size_t len = x->len;

	x->body = NULL; /* MHD frees it with the response */
	x->len = 0;
	return http_send(c, x->status != 0 ? x->status : MHD_HTTP_INTERNAL_SERVER_ERROR,
			 x->type != NULL ? x->type : TYPE_TEXT, body, len);
}

void
route_probe_free(void *ctx)
{
	struct probe_ctx *x = ctx;

	config_put(x->cfg);
	login_use_cleanup(&x->login);
	free(x->body);
	free(x);
}
