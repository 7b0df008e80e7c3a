/*
 * The HTML timing waterfall of one endpoint: a row per step with an inline
 * SVG bar from the step's start (the sum of the earlier steps' seconds) to
 * its end, on one time axis shared by every endpoint of the report (a round
 * value at or above the longest endpoint). Ok steps green, the failed step
 * red, skipped grey. Widths are percentages, so it fits any screen.
 */
#include <math.h>
#include <string.h>

#include "probe/render/report_impl.h"

#define MAX_TICKS 5

static const char *
bar_colour(enum rp_kind k)
{
	return k == RP_OK ? "#2e7d32" : k == RP_SKIP ? "#9e9e9e" : "#c62828";
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most MAX_TICKS
 * intervals up to max. */
static double
tick_step(double max)
{
	static const double mult[] = {1, 2, 5, 10};
	double p = pow(10.0, floor(log10(max / MAX_TICKS)));

	for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (max / (mult[i] * p) <= MAX_TICKS + 1e-9)
			return mult[i] * p;
	return 10.0 * p;
}

/* The axis end: the common maximum rounded up to a whole tick. */
static double
axis_end(const struct rp *r, double *step)
{
	double max = r->axis_max > 0.0005 ? r->axis_max : 0.0005;

	*step = tick_step(max);
	return ceil(max / *step - 1e-9) * *step;
}

static void
tick_label(const struct rp *r, double secs, double step, char *out, size_t len)
{
	if (secs <= 0.0)
		snprintf(out, len, "0");
	else if (step < 0.001)
		snprintf(out, len, "%.1f ms", secs * 1000.0);
	else if (step < 1.0)
		snprintf(out, len, "%.0f ms", secs * 1000.0);
	else
		snprintf(out, len, "%g s", secs);
	if (r->lang == LANG_DE)
		for (char *p = out; *p != '\0'; p++)
			if (*p == '.')
				*p = ',';
}

static void
grid(FILE *out, double end, double step, int height)
{
	for (double t = step; t < end - step / 2; t += step)
		fprintf(out,
			"<line x1=\"%.3f%%\" x2=\"%.3f%%\" y1=\"0\" y2=\"%d\" stroke=\"#e3e3e3\" "
			"stroke-width=\"1\"/>",
			100.0 * t / end, 100.0 * t / end, height);
}

static void
bar_row(struct rp *r, const struct mp_step_result *s, double start, double end, double step)
{
	double secs = s->seconds > 0.0 ? s->seconds : 0.0;
	const char *colour = bar_colour(rp_step_kind(s));
	char t[32];

	rp_duration(r, secs, t, sizeof(t));
	fputs("<tr><th>", r->out);
	mp_render_html_escape(r->out, rp_step_name(r, s->step));
	fputs("</th><td class=\"bar\"><svg width=\"100%\" height=\"16\" aria-hidden=\"true\">",
	      r->out);
	grid(r->out, end, step, 16);
	fprintf(r->out,
		"<rect x=\"%.3f%%\" y=\"3\" width=\"%.3f%%\" height=\"10\" rx=\"1.5\" fill=\"%s\" "
		"stroke=\"%s\" stroke-width=\"1\"/></svg></td><td class=\"ms\">%s</td></tr>\n",
		100.0 * start / end, 100.0 * secs / end, colour, colour, t);
}

static void
axis_row(struct rp *r, double end, double step)
{
	char label[32];
	double t;
	int i = 0;

	fputs("<tr><th></th><td class=\"bar\"><svg width=\"100%\" height=\"14\" "
	      "aria-hidden=\"true\">",
	      r->out);
	for (t = 0.0; t <= end + step / 2; t = ++i * step) {
		const char *anchor = i == 0 ? "start" : t >= end - step / 2 ? "end" : "middle";

		tick_label(r, t, step, label, sizeof(label));
		fprintf(r->out,
			"<text x=\"%.3f%%\" y=\"11\" font-size=\"10\" fill=\"#555\" "
			"text-anchor=\"%s\">%s</text>",
			100.0 * t / end, anchor, label);
	}
	fputs("</svg></td><td></td></tr>\n", r->out);
}

void
rp_html_waterfall(struct rp *r, const struct mp_endpoint_result *e)
{
	double step, end = axis_end(r, &step), start = 0.0;

	fputs("<div class=\"tw\"><table class=\"wf\" aria-label=\"", r->out);
	mp_render_html_escape(r->out, rp_t(r, L_TIMING));
	fputs("\">\n", r->out);
	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++) {
		bar_row(r, &e->steps[i], start, end, step);
		start += e->steps[i].seconds > 0.0 ? e->steps[i].seconds : 0.0;
	}
	axis_row(r, end, step);
	fputs("</table></div>\n", r->out);
}
