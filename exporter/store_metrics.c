/*
 * /metrics from the store: per family, HELP/TYPE once, then the cached
 * samples of every target with target="<name>" and the target's labels put
 * in front of the series' own labels; then the age and back-off series.
 * One pass under the store lock, so a scrape sees one consistent state.
 */
#include <string.h>

#include "exporter/store.h"

#define PREFIX_MAX 12288 /* target + 16 labels, escaped */

struct mctx {
	const struct config *cfg;
	FILE *out;
};

/* target="<name>" and the target's labels, escaped, comma-separated. */
static void
label_prefix(const struct cfg_target *t, char *out, size_t len)
{
	char v[CFG_LABEL_VALUE_MAX * 2 + 8];
	size_t o;

	mp_prom_escape(t->name, v, sizeof(v));
	o = (size_t)snprintf(out, len, "target=\"%s\"", v);
	for (int i = 0; i < t->nlabels && o < len; i++) {
		mp_prom_escape(t->labels[i].value, v, sizeof(v));
		o += (size_t)snprintf(out + o, len - o, ",%s=\"%s\"", t->labels[i].name, v);
	}
}

/* Each line "name{a="b"} v" or "name v" of text with prefix's labels first. */
static void
relabel(FILE *out, const char *text, const char *prefix)
{
	const char *line = text, *nl, *cut;

	for (; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		cut = strpbrk(line, "{ ");
		if (cut == NULL || cut > nl)
			break;
		fwrite(line, 1, (size_t)(cut - line), out);
		fprintf(out, "{%s%s", prefix, *cut == '{' ? (cut[1] == '}' ? "" : ",") : "}");
		fwrite(cut + (*cut == '{'), 1, (size_t)(nl - cut - (*cut == '{')), out);
		fputc('\n', out);
		if (*nl == '\0')
			break;
	}
}

static bool
family_has(struct entry *const *e, int n, enum mp_prom_family f)
{
	for (int i = 0; i < n; i++)
		if (e[i] != NULL && e[i]->sched.samples[f] != NULL && e[i]->sched.samples[f][0])
			return true;
	return false;
}

static void
cached_families(struct mctx *m, struct entry *const *e, int n)
{
	const char *name, *type, *help;
	char prefix[PREFIX_MAX];

	for (int f = 0; f < PROM_LAST_PROBE_TIMESTAMP; f++) {
		if (!family_has(e, n, (enum mp_prom_family)f))
			continue;
		mp_prom_family_info((enum mp_prom_family)f, &name, &type, &help);
		mp_prom_header(m->out, name, type, help);
		for (int i = 0; i < n; i++) {
			if (e[i] == NULL || e[i]->sched.samples[f] == NULL)
				continue;
			label_prefix(&m->cfg->targets[i], prefix, sizeof(prefix));
			relabel(m->out, e[i]->sched.samples[f], prefix);
		}
	}
}

/* The age and back-off series: one per target that has a result / any. */
static void
state_families(struct mctx *m, struct entry *const *e, int n)
{
	for (int f = PROM_LAST_PROBE_TIMESTAMP; f < PROM_FAMILY_COUNT; f++) {
		struct mp_prom_writer w;
		const char *name, *type, *help;

		mp_prom_family_info((enum mp_prom_family)f, &name, &type, &help);
		mp_prom_begin(&w, m->out, name, type, help);
		for (int i = 0; i < n && i < m->cfg->ntargets; i++) {
			const struct cfg_target *t = &m->cfg->targets[i];
			struct mp_prom_label l[CFG_MAX_LABELS + 1];
			bool last = f == PROM_LAST_PROBE_TIMESTAMP;

			if (e[i] == NULL || (last && e[i]->sched.at == 0))
				continue;
			l[0] = (struct mp_prom_label){"target", t->name};
			for (int k = 0; k < t->nlabels; k++)
				l[k + 1] =
				    (struct mp_prom_label){t->labels[k].name, t->labels[k].value};
			mp_prom_sample(&w, NULL, l, t->nlabels + 1, NULL, 0,
				       last ? (double)e[i]->sched.at : e[i]->backoff);
		}
	}
}

static void
render_locked(void *ctx, struct entry *const *e, int n)
{
	struct mctx *m = ctx;

	if (n > m->cfg->ntargets) /* a reload in between: render what matches */
		n = m->cfg->ntargets;
	for (int i = 0; i < n; i++)
		if (e[i] != NULL && strcmp(e[i]->name, m->cfg->targets[i].name) != 0)
			return; /* the store belongs to another config generation */
	cached_families(m, e, n);
	state_families(m, e, n);
}

void
store_render_metrics(struct store *s, const struct config *cfg, FILE *out)
{
	struct mctx m = {.cfg = cfg, .out = out};

	store_with_lock(s, render_locked, &m);
}
