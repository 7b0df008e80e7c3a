/*
 * Unit tests of the exporter's results store: /metrics relabelling
 * (target and target labels first, escaped, HELP/TYPE once), the login
 * back-off (doubling to 1 h, reset by a good login and by a reload, the
 * /probe gate serving cached samples), scheduling marks and the bounded
 * latency history.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/deadline.h"
#include "exporter/store.h"
#include "fixtures.h"
#include "harness.h"

static struct config *
make_config(void)
{
	struct cfg_report rep;
	const char *text = "{\"targets\": [{\"name\": \"t1\", \"host\": \"a.example\", "
			   "\"labels\": {\"tier\": \"a\\\"b\"}}, {\"name\": \"t2\", \"host\": "
			   "\"b.example\", \"interval\": \"10s\"}]}";

	return config_load_text(text, "test.json", "/nonexistent", &rep);
}

static void
fake_result(struct result *r, bool auth_failed, bool login_ok)
{
	memset(r, 0, sizeof(*r));
	r->c.at = 1795678354;
	r->c.samples[PROM_PROBE_SUCCESS] = strdup("probe_success 1\n");
	r->c.samples[PROM_ENDPOINT_UP] =
	    strdup("mailprobe_endpoint_up{protocol=\"imap\",port=\"993\"} 1\n"
		   "mailprobe_endpoint_up{protocol=\"smtp\",port=\"465\"} 0\n");
	r->view = calloc(1, sizeof(*r->view));
	r->view->eps = calloc(1, sizeof(*r->view->eps));
	r->view->neps = 1;
	snprintf(r->view->eps[0].key, sizeof(r->view->eps[0].key), "imap:993:tls@192.0.2.1");
	r->view->eps[0].seconds = 0.01;
	r->view->eps[0].ok = true;
	r->auth_failed = auth_failed;
	r->login_ok = login_ok;
}

static char *
metrics(struct store *s, const struct config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	store_render_metrics(s, c, f);
	fclose(f);
	return buf;
}

static void
test_due(struct store *s, const struct config *c)
{
	int idx[4];
	double wait;

	CHECK(store_take_due(s, c, mp_now(), idx, 4, &wait) == 2 && idx[0] == 0 && idx[1] == 1,
	      "both targets due at the start");
	CHECK(store_take_due(s, c, mp_now(), idx, 4, &wait) == 0, "running targets are not due");
}

/* Between a reload's reconcile and its config swap the scheduler still
 * holds the config before: it takes nothing (its settings are old), and
 * takes the re-probes with the new config. */
static void
test_due_after_reload(const struct config *c)
{
	struct config *c2 = make_config(); /* the same targets, as most reloads */
	struct store *s = store_new();
	int idx[4];
	double wait = 0;

	CHECK(c2 != NULL && s != NULL && store_reconcile(s, c) == 0 && store_reconcile(s, c2) == 0,
	      "reload: reconciled with the new config");
	if (c2 != NULL && s != NULL) {
		CHECK(store_take_due(s, c, mp_now(), idx, 4, &wait) == 0 && wait <= 1.0,
		      "reload: the config before takes nothing");
		CHECK(store_take_due(s, c2, mp_now(), idx, 4, &wait) == 2,
		      "reload: the new config takes the re-probes");
	}
	store_free(s);
	config_put(c2);
}

static void
test_metrics(struct store *s, const struct config *c)
{
	struct result r;
	char *text;

	fake_result(&r, false, true);
	store_finish_sched(s, c, "t1", mp_now(), &r);
	text = metrics(s, c);
	CHECK(strstr(text, "probe_success{target=\"t1\",tier=\"a\\\"b\"} 1\n") != NULL,
	      "no-label series relabelled, escaped");
	CHECK(strstr(text, "mailprobe_endpoint_up{target=\"t1\",tier=\"a\\\"b\",protocol=\"imap\","
			   "port=\"993\"} 1\n") != NULL,
	      "labelled series: target labels first");
	CHECK(count(text, "# TYPE mailprobe_endpoint_up gauge") == 1, "HELP/TYPE once");
	CHECK(strstr(text, "mailprobe_last_probe_timestamp_seconds{target=\"t1\",tier=\"a\\\"b\"} "
			   "1795678354\n") != NULL,
	      "age series");
	CHECK(strstr(text, "mailprobe_last_probe_timestamp_seconds{target=\"t2\"}") == NULL,
	      "no age without a result");
	CHECK(strstr(text, "mailprobe_login_backoff_seconds{target=\"t2\"} 0\n") != NULL,
	      "back-off 0 for every target");
	free(text);
}

static void
test_backoff(struct store *s, const struct config *c)
{
	double want = 120, b = 0;
	struct result r;
	bool cached = false, ok = true;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	for (int i = 0; i<8; i++, want = want * 2> 3600 ? 3600 : want * 2) {
		fake_result(&r, true, false);
		store_finish_sched(s, c, "t1", mp_now(), &r);
		ok = ok && store_backoff(s, "t1") == want;
	}
	CHECK(ok, "back-off doubles from 2 x 60 s up to 1 h");
	f = open_memstream(&buf, &len);
	CHECK(store_probe_gate(s, "t1", mp_now(), f, &cached, &b) && cached && b == 3600,
	      "/probe is gated and served from the cache");
	fclose(f);
	CHECK(buf != NULL && strstr(buf, "# TYPE probe_success gauge\nprobe_success 1\n") != NULL,
	      "cached samples without target labels");
	free(buf);
	fake_result(&r, false, false);
	store_finish_sched(s, c, "t1", mp_now(), &r);
	CHECK(store_backoff(s, "t1") == 3600, "a run without login keeps the back-off");
	fake_result(&r, false, true);
	store_finish_sched(s, c, "t1", mp_now(), &r);
	CHECK(store_backoff(s, "t1") == 0, "a good login resets it");
	fake_result(&r, true, false);
	store_finish_sched(s, c, "t1", mp_now(), &r);
	CHECK(store_reconcile(s, c) == 0 && store_backoff(s, "t1") == 0, "a reload resets it");
}

static void
hist_points(void *ctx, struct entry *const *e, int n)
{
	int *points = ctx;

	*points = n > 0 && e[0]->nhist == 1 ? e[0]->hist[0].n : -1;
}

static void
test_history(struct store *s, const struct config *c)
{
	struct result r;
	int points = 0;

	for (int i = 0; i < 3 * HIST_POINTS; i++) {
		fake_result(&r, false, true);
		store_finish_sched(s, c, "t1", mp_now(), &r);
	}
	store_with_lock(s, hist_points, &points);
	CHECK(points == HIST_POINTS, "history ring stays bounded");
	CHECK(store_report(s, "t1", LANG_EN) == NULL, "no report without one");
}

/* The report is kept in every language (English, NUL, German, NUL): each
 * request gets the part of its language. */
static void
test_report_langs(struct store *s, const struct config *c)
{
	static const char both[] = "<p>report</p>\0<p>Bericht</p>";
	struct result r;
	char *en, *de;

	fake_result(&r, false, true);
	r.report = malloc(sizeof(both));
	memcpy(r.report, both, sizeof(both));
	store_finish_sched(s, c, "t1", mp_now(), &r);
	en = store_report(s, "t1", LANG_EN);
	de = store_report(s, "t1", LANG_DE);
	CHECK(en != NULL && strcmp(en, "<p>report</p>") == 0, "report in English");
	CHECK(de != NULL && strcmp(de, "<p>Bericht</p>") == 0, "report in German");
	free(en);
	free(de);
}

int
main(void)
{
	struct config *c = make_config();
	struct store *s = store_new();

	CHECK(c != NULL && s != NULL, "setup");
	if (c == NULL || s == NULL)
		return test_report();
	CHECK(store_reconcile(s, c) == 0, "reconcile");
	test_due(s, c);
	test_due_after_reload(c);
	test_metrics(s, c);
	test_backoff(s, c);
	test_history(s, c);
	test_report_langs(s, c);
	store_free(s);
	config_put(c);
	return test_report();
}
