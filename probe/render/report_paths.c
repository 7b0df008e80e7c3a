/*
 * The report's path section: for each blocked port whose path was measured
 * (checks/path.c), its hops beside those of a working port of the same
 * address: where the working port reaches the server and where the blocked
 * port's packets are last seen. Every format gets a table (TTL, the two
 * answers); HTML also gets an SVG of the two rows of hops. Reads the run's
 * facts only.
 */
#include <stdio.h>
#include <string.h>

#include "checks/path.h"
#include "probe/render/report_impl.h"

/* A path to addr that reached the server on another port. */
static const struct mp_path_result *
working_path(const struct mp_run *run, const struct mp_path_result *blocked)
{
	for (int i = 0; i < run->npaths; i++) {
		const struct mp_path_result *p = &run->paths[i];

		if (p != blocked && strcmp(p->address, blocked->address) == 0 && !p->skipped &&
		    p->reached > 0 && p->hops[p->reached - 1].answer == HOP_SYN_ACK)
			return p;
	}
	return NULL;
}

static bool
is_blocked(const struct mp_path_result *p)
{
	return !p->skipped && (p->reached == 0 || p->hops[p->reached - 1].answer != HOP_SYN_ACK);
}

/* What one hop answered: the router's address, "server", or "-". */
static void
hop_cell(const struct rp *r, const struct mp_path_result *p, int ttl, char *out, size_t len)
{
	const struct mp_path_hop *h;

	if (ttl > p->nhops || ttl < 1) {
		snprintf(out, len, "%s", rp_t(r, L_DASH));
		return;
	}
	h = &p->hops[ttl - 1];
	if (h->answer == HOP_NONE)
		snprintf(out, len, "%s", rp_t(r, L_PATH_NONE));
	else if (h->answer == HOP_SYN_ACK || h->answer == HOP_RESET)
		snprintf(out, len, "%s (%s)", h->addr, rp_t(r, L_PATH_SERVER));
	else
		snprintf(out, len, "%s", h->addr);
}

static int
max_ttl(const struct mp_path_result *a, const struct mp_path_result *b)
{
	int n = a->nhops > b->nhops ? a->nhops : b->nhops;

	return n > MP_PATH_MAX_HOPS ? MP_PATH_MAX_HOPS : n;
}

static void
hop_table(struct rp *r, const struct mp_path_result *good, const struct mp_path_result *bad)
{
	char h1[64], h2[64], ttl[16], c1[RP_CELL_MAX], c2[RP_CELL_MAX];
	const char *head[3] = {"TTL", h1, h2}, *cells[3] = {ttl, c1, c2};
	int n = max_ttl(good, bad);

	snprintf(h1, sizeof(h1), "%s %u", rp_t(r, L_GRID_PORT), (unsigned)good->port);
	snprintf(h2, sizeof(h2), "%s %u", rp_t(r, L_GRID_PORT), (unsigned)bad->port);
	rp_table_start(r, 3, head);
	r->tab->style = "path";
	for (int t = 1; t <= n; t++) {
		snprintf(ttl, sizeof(ttl), "%d", t);
		hop_cell(r, good, t, c1, sizeof(c1));
		hop_cell(r, bad, t, c2, sizeof(c2));
		rp_table_add(r, t > bad->last_hop && bad->reached == 0 ? RP_FAIL : RP_PLAIN, cells);
	}
	rp_table_emit(r);
}

static void
one_path(struct rp *r, const struct mp_path_result *bad, const struct mp_path_result *good)
{
	char title[128];

	snprintf(title, sizeof(title), rp_t(r, L_PATH_TITLE), (unsigned)bad->port,
		 (unsigned)good->port, bad->address);
	r->ops->heading(r, 3, title);
	if (r->ops->path_svg != NULL)
		r->ops->path_svg(r, good, bad);
	hop_table(r, good, bad);
}

void
rp_section_paths(struct rp *r)
{
	bool any = false;

	for (int i = 0; i < r->run->npaths; i++) {
		const struct mp_path_result *bad = &r->run->paths[i];
		const struct mp_path_result *good =
		    is_blocked(bad) ? working_path(r->run, bad) : NULL;

		if (good == NULL)
			continue;
		if (!any)
			r->ops->heading(r, 2, rp_t(r, L_PATHS));
		any = true;
		one_path(r, bad, good);
	}
}

/* The HTML picture: two rows of hops on one TTL axis; filled where a hop
 * answered, the server green, the blocked row ending in a red mark after its
 * last answer. */
void
rp_html_path_svg(struct rp *r, const struct mp_path_result *good, const struct mp_path_result *bad)
{
	const struct mp_path_result *rows[2] = {good, bad};
	int n = max_ttl(good, bad), w = 60 + 40 * (n > 0 ? n : 1);

	fprintf(r->out, "<svg class=\"path\" viewBox=\"0 0 %d 70\" width=\"100%%\" role=\"img\">\n",
		w);
	for (int row = 0; row < 2; row++) {
		const struct mp_path_result *p = rows[row];
		int y = 20 + 30 * row;

		fprintf(r->out, "<text x=\"0\" y=\"%d\" font-size=\"11\">%u</text>\n", y + 4,
			(unsigned)p->port);
		fprintf(r->out,
			"<line x1=\"40\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9e9e9e\"/>\n", y,
			40 + 40 * (p->reached > 0 ? p->reached : p->last_hop), y);
		for (int t = 1; t <= n && t <= p->nhops; t++) {
			enum mp_hop_answer a = p->hops[t - 1].answer;
			const char *fill = a == HOP_SYN_ACK ? "#2e7d32"
					   : a == HOP_NONE  ? "#ffffff"
							    : "#546e7a";

			fprintf(r->out,
				"<circle cx=\"%d\" cy=\"%d\" r=\"7\" fill=\"%s\" "
				"stroke=\"#546e7a\"/>\n",
				40 + 40 * t, y, fill);
		}
		if (p == bad && p->reached == 0)
			fprintf(
			    r->out,
			    "<text x=\"%d\" y=\"%d\" font-size=\"16\" fill=\"#c62828\">✖</text>\n",
			    52 + 40 * p->last_hop, y + 6);
	}
	fputs("</svg>\n", r->out);
}
