/*
 * From a finished probe to what the store keeps: the exposition samples
 * per family (no target labels: /metrics adds them, /probe has none), the
 * status page's view, and the latency history points. Messages shown are
 * masked (password) and cleaned; no I/O here.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/render/render.h"
#include "exporter/store.h"

int
cached_render(const struct probe_res *r, struct cached *out)
{
	struct mp_prom_input in = {
	    .run = &r->run, .diag = r->diag, .last_probe = -1, .backoff = -1};

	memset(out, 0, sizeof(*out));
	for (int f = 0; f < PROM_FAMILY_COUNT; f++) {
		size_t len = 0;
		FILE *m = open_memstream(&out->samples[f], &len);

		if (m == NULL) {
			cached_free(out);
			return -1;
		}
		mp_prom_family_samples(m, (enum mp_prom_family)f, &in);
		if (fclose(m) != 0) {
			cached_free(out);
			return -1;
		}
	}
	out->at = r->run.started_at > 0 ? r->run.started_at : time(NULL);
	return 0;
}

void
cached_free(struct cached *c)
{
	for (int f = 0; f < PROM_FAMILY_COUNT; f++) {
		free(c->samples[f]);
		c->samples[f] = NULL;
	}
	c->at = 0;
}

static double
endpoint_seconds(const struct mp_endpoint_result *e)
{
	double t = 0;

	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++)
		if (e->steps[i].step != STEP_LOGOUT)
			t += e->steps[i].seconds;
	return t;
}

static void
ep_view_fill(const struct probe_res *r, const struct mp_endpoint_result *e, struct ep_view *v)
{
	const struct mp_step_result *f = mp_endpoint_failure(e);
	char spec[32], words[VIEW_TEXT_MAX];

	mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
	snprintf(v->key, sizeof(v->key), "%s@%s", spec,
		 e->address[0] != '\0' ? e->address : "(unresolved)");
	v->ok = e->ok;
	v->seconds = endpoint_seconds(e);
	v->step = f != NULL && !e->ok ? (int)f->step : -1;
	v->cls = f != NULL ? f->cls : CLASS_NONE;
	for (int l = 0; f != NULL && l < LANG_COUNT; l++) {
		mp_words_step_message((enum mp_lang)l, f, words, sizeof(words));
		mp_render_message(&r->account, words, v->message[l], sizeof(v->message[l]));
	}
}

static void
findings_fill(const struct probe_res *r, struct view *v)
{
	const struct mp_diagnosis *d = r->diag;

	for (int i = 0; d != NULL && i < d->nfindings && v->finds != NULL; i++) {
		struct finding_view *fv = &v->finds[v->nfind++];
		const struct mp_finding *f = &d->findings[i];

		snprintf(fv->id, sizeof(fv->id), "%s", f->id != NULL ? f->id : "");
		fv->severity = f->severity;
		for (int l = 0; l < LANG_COUNT; l++) {
			char said[VIEW_TEXT_MAX], advice[VIEW_TEXT_MAX];

			mp_words_finding(&r->run, f, (enum mp_lang)l, said, sizeof(said), advice,
					 sizeof(advice));
			mp_render_message(&r->account, said, fv->summary[l],
					  sizeof(fv->summary[l]));
		}
	}
}

struct view *
view_build(const struct probe_res *r)
{
	struct view *v = calloc(1, sizeof(*v));
	int nf = r->diag != NULL ? r->diag->nfindings : 0;

	if (v == NULL)
		return NULL;
	v->status = probe_res_status(r);
	v->at = r->run.started_at;
	v->duration = r->run.duration;
	v->resolve = r->run.resolve.ok ? CLASS_NONE : r->run.resolve.cls;
	v->eps = calloc((size_t)r->run.nendpoints + 1, sizeof(*v->eps));
	v->finds = calloc((size_t)nf + 1, sizeof(*v->finds));
	if (v->eps == NULL || v->finds == NULL) {
		view_free(v);
		return NULL;
	}
	for (int i = 0; i < r->run.nendpoints; i++)
		ep_view_fill(r, &r->run.endpoints[i], &v->eps[v->neps++]);
	findings_fill(r, v);
	return v;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	free(v->eps);
	free(v->finds);
	free(v);
}

static struct hist *
hist_find(struct entry *e, const char *key)
{
	for (int i = 0; i < e->nhist; i++)
		if (strcmp(e->hist[i].key, key) == 0)
			return &e->hist[i];
	if (e->nhist == HIST_MAX)
		return NULL;
	snprintf(e->hist[e->nhist].key, sizeof(e->hist[0].key), "%s", key);
	return &e->hist[e->nhist++];
}

void
hist_add(struct entry *e, const struct view *v)
{
	if (e->hist == NULL && (e->hist = calloc(HIST_MAX, sizeof(*e->hist))) == NULL)
		return;
	for (int i = 0; i < v->neps; i++) {
		struct hist *h = hist_find(e, v->eps[i].key);

		if (h == NULL)
			continue;
		h->secs[h->head] = (float)v->eps[i].seconds;
		h->ok[h->head] = v->eps[i].ok;
		h->head = (h->head + 1) % HIST_POINTS;
		if (h->n < HIST_POINTS)
			h->n++;
	}
}
