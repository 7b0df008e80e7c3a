/*
 * The report's endpoints section: the name resolution, then per endpoint
 * its result, the timing waterfall (formats that have one), every step with
 * its time, class and the server's words, and the TLS facts. Reads the run
 * only.
 */
#include <string.h>

#include "probe/render/report_impl.h"

static void
resolve_line(struct rp *r)
{
	const struct mp_resolve_result *rs = &r->run->resolve;
	char text[RP_CELL_MAX], addrs[MP_MAX_ADDRS * (MP_ADDR_MAX + 2)] = "", t[32];
	char msg[RP_CELL_MAX];

	if (rs->ok) {
		for (int i = 0; i < rs->naddr && i < MP_MAX_ADDRS; i++)
			snprintf(addrs + strlen(addrs), sizeof(addrs) - strlen(addrs), "%s%s",
				 i > 0 ? ", " : "", rs->addrs[i]);
		rp_duration(r, rs->seconds, t, sizeof(t));
		snprintf(text, sizeof(text), rp_t(r, L_RESOLVE_OK), t, addrs);
	} else {
		rp_msg(r, rs->message, msg, sizeof(msg));
		snprintf(text, sizeof(text), rp_t(r, L_RESOLVE_FAILED), mp_class_str(rs->cls), msg);
	}
	r->ops->field(r, rp_t(r, L_RESOLVE), text);
}

static void
step_table(struct rp *r, const struct mp_endpoint_result *e)
{
	const char *head[] = {rp_t(r, L_STEP), rp_t(r, L_RESULT), rp_t(r, L_TIME),
			      rp_t(r, L_MESSAGE)};
	static const enum mp_word result[] = {
	    [RP_OK] = L_R_OK, [RP_FAIL] = L_R_FAILED, [RP_SKIP] = L_R_SKIPPED};
	char t[32], res[96], said[MP_MESSAGE_MAX], msg[RP_CELL_MAX];
	const char *cells[4] = {NULL, res, t, msg};

	rp_table_start(r, 4, head);
	r->tab->style = "steps";
	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++) {
		const struct mp_step_result *s = &e->steps[i];
		enum rp_kind k = rp_step_kind(s);

		cells[0] = rp_step_name(r, s->step);
		snprintf(res, sizeof(res), "%s%s%s", rp_t(r, result[k]), s->ok ? "" : ": ",
			 s->ok ? "" : mp_class_str(s->cls));
		rp_duration(r, s->seconds, t, sizeof(t));
		mp_words_step_message(r->lang, s, said, sizeof(said));
		rp_msg(r, said, msg, sizeof(msg));
		rp_table_add(r, k, cells);
	}
	rp_table_emit(r);
}

static void
cert_field(struct rp *r, const struct mp_cert *c)
{
	char subj[MP_NAME_MAX * 2], iss[MP_NAME_MAX * 2], date[96], valid[160];
	char text[RP_CELL_MAX], err[256];

	rp_msg(r, c->subject, subj, sizeof(subj));
	rp_msg(r, c->issuer, iss, sizeof(iss));
	rp_msg(r, c->verify_error, err, sizeof(err));
	rp_date(r, c->not_after, false, date, sizeof(date));
	if (c->days_left >= 0)
		snprintf(valid, sizeof(valid), rp_t(r, L_DAYS_LEFT), date, c->days_left);
	else
		snprintf(valid, sizeof(valid), rp_t(r, L_DAYS_AGO), date, -c->days_left);
	snprintf(text, sizeof(text), "%s, %s %s; %s; %s: %s%s%s%s; %s: %s", subj,
		 rp_t(r, L_ISSUED_BY), iss, valid, rp_t(r, L_VERIFIED),
		 rp_t(r, c->verified ? L_YES : L_NO), err[0] != '\0' ? " (" : "", err,
		 err[0] != '\0' ? ")" : "", rp_t(r, L_NAME_MATCH),
		 rp_t(r, c->hostname_match ? L_YES : L_NO));
	r->ops->field(r, rp_t(r, L_CERT), text);
}

static void
caps_field(struct rp *r, const struct mp_step_result *s)
{
	char caps[MP_CAPS_MAX], text[RP_CELL_MAX], label[96];

	snprintf(caps, sizeof(caps), "%s", s->capabilities);
	for (char *p = caps; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	for (size_t n = strlen(caps); n > 0 && caps[n - 1] == ' '; n--)
		caps[n - 1] = '\0';
	rp_msg(r, caps, text, sizeof(text));
	if (s->step == STEP_CAPABILITIES)
		snprintf(label, sizeof(label), "%s", rp_t(r, L_CAPS));
	else /* the starttls step's list, from before TLS */
		snprintf(label, sizeof(label), "%s (%s)", rp_t(r, L_CAPS),
			 rp_step_name(r, s->step));
	r->ops->field(r, label, text);
}

static void
facts_fields(struct rp *r, const struct mp_endpoint_result *e)
{
	char raw[128], text[RP_CELL_MAX];

	for (int i = 0; i < e->nsteps && i < STEP_COUNT; i++) {
		const struct mp_step_result *s = &e->steps[i];

		if (s->step == STEP_TLS && s->tls_version[0] != '\0') {
			snprintf(raw, sizeof(raw), "%s %s", s->tls_version, s->cipher);
			rp_msg(r, raw, text, sizeof(text));
			r->ops->field(r, rp_t(r, L_TLS), text);
		}
		if (s->step == STEP_TLS && s->cert.present)
			cert_field(r, &s->cert);
		if (s->has_capabilities && s->capabilities[0] != '\0')
			caps_field(r, s);
		if (s->step == STEP_LOGIN && s->mechanism[0] != '\0') {
			rp_msg(r, s->mechanism, text, sizeof(text));
			r->ops->field(r, rp_t(r, L_MECHANISM), text);
		}
	}
}

static void
one_endpoint(struct rp *r, const struct mp_endpoint_result *e)
{
	char title[RP_TITLE_MAX];

	rp_endpoint_title(r, e, title, sizeof(title));
	r->ops->badge_heading(r, e->ok ? RP_OK : RP_FAIL, rp_t(r, e->ok ? L_EP_OK : L_EP_FAILED),
			      title);
	if (e->nsteps <= 0) {
		r->ops->para(r, rp_t(r, L_NOT_CHECKED));
		return;
	}
	if (r->ops->waterfall != NULL)
		r->ops->waterfall(r, e);
	step_table(r, e);
	facts_fields(r, e);
}

/* Failed endpoints first and open; the working ones after them, folded
 * where the format can fold. */
void
rp_section_endpoints(struct rp *r)
{
	bool any_ok = false;

	r->ops->heading(r, 2, rp_t(r, L_ENDPOINTS));
	resolve_line(r);
	for (int i = 0; i < r->run->nendpoints; i++) {
		if (!r->run->endpoints[i].ok)
			one_endpoint(r, &r->run->endpoints[i]);
		any_ok |= r->run->endpoints[i].ok;
	}
	if (any_ok && r->ops->fold_begin != NULL)
		r->ops->fold_begin(r, rp_t(r, L_DETAILS_OK));
	for (int i = 0; i < r->run->nendpoints; i++)
		if (r->run->endpoints[i].ok)
			one_endpoint(r, &r->run->endpoints[i]);
	if (any_ok && r->ops->fold_end != NULL)
		r->ops->fold_end(r);
}

/* "993 SSL/TLS", the row name of a port in the grid. */
static void
grid_row_name(const struct mp_endpoint_spec *s, char *out, size_t len)
{
	char spec[64];

	mp_endpoint_spec_str(s, spec, sizeof(spec));
	snprintf(out, len, "%s", spec);
}

/* One cell: ok, the failing step's class, or not tested. */
static enum rp_kind
grid_cell(const struct rp *r, const struct mp_endpoint_result *e, char *out, size_t len)
{
	const struct mp_step_result *f;

	if (e == NULL) {
		snprintf(out, len, "%s", rp_t(r, L_DASH));
		return RP_SKIP;
	}
	f = mp_endpoint_failure(e);
	if (e->nsteps == 0) {
		snprintf(out, len, "%s", rp_t(r, L_NOT_TESTED));
		return RP_SKIP;
	}
	if (f == NULL) {
		snprintf(out, len, "%s", rp_t(r, L_OK));
		return RP_OK;
	}
	if (f->step == STEP_LOGIN && f->cls == CLASS_AUTH_SKIPPED) {
		snprintf(out, len, "%s (%s: %s)", rp_t(r, L_OK), rp_step_name(r, STEP_LOGIN),
			 rp_t(r, L_NOT_TESTED));
		return RP_OK;
	}
	snprintf(out, len, "%s: %s", rp_step_name(r, f->step), mp_class_str(f->cls));
	return RP_FAIL;
}

static const struct mp_endpoint_result *
endpoint_at(const struct mp_run *run, const struct mp_endpoint_spec *s, const char *addr)
{
	for (int i = 0; i < run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &run->endpoints[i];

		if (e->spec.proto == s->proto && e->spec.port == s->port &&
		    e->spec.security == s->security && strcmp(e->address, addr) == 0)
			return e;
	}
	return NULL;
}

static bool
spec_seen_before(const struct mp_run *run, int i)
{
	const struct mp_endpoint_spec *s = &run->endpoints[i].spec;

	for (int k = 0; k < i; k++)
		if (run->endpoints[k].spec.proto == s->proto &&
		    run->endpoints[k].spec.port == s->port &&
		    run->endpoints[k].spec.security == s->security)
			return true;
	return false;
}

/* The distinct addresses probed (at most RP_MAX_COLS - 1 columns). */
static int
grid_addresses(const struct mp_run *run, const char **addrs, int max)
{
	int n = 0;

	for (int i = 0; i < run->nendpoints && n < max; i++) {
		bool seen = false;

		for (int k = 0; k < n; k++)
			seen |= strcmp(addrs[k], run->endpoints[i].address) == 0;
		if (!seen)
			addrs[n++] = run->endpoints[i].address;
	}
	return n;
}

/* The port x address grid: every port a row, every address a column. */
void
rp_section_grid(struct rp *r)
{
	const char *addrs[RP_MAX_COLS - 1], *head[RP_MAX_COLS];
	char cells[RP_MAX_COLS][RP_CELL_MAX], shown[RP_MAX_COLS - 1][RP_CELL_MAX];
	int n = grid_addresses(r->run, addrs, RP_MAX_COLS - 1);

	if (n == 0)
		return;
	r->ops->heading(r, 2, rp_t(r, L_GRID));
	head[0] = rp_t(r, L_GRID_PORT);
	for (int k = 0; k < n; k++) {
		rp_msg(r, addrs[k][0] != '\0' ? addrs[k] : "-", shown[k], sizeof(shown[k]));
		head[k + 1] = shown[k];
	}
	rp_table_start(r, n + 1, head);
	r->tab->style = "grid";
	for (int i = 0; i < r->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &r->run->endpoints[i];
		const char *row[RP_MAX_COLS];
		enum rp_kind worst = RP_OK;

		if (spec_seen_before(r->run, i))
			continue;
		grid_row_name(&e->spec, cells[0], sizeof(cells[0]));
		row[0] = cells[0];
		for (int k = 0; k < n; k++) {
			enum rp_kind kd = grid_cell(r, endpoint_at(r->run, &e->spec, addrs[k]),
						    cells[k + 1], sizeof(cells[k + 1]));

			worst = kd == RP_FAIL ? RP_FAIL : worst;
			row[k + 1] = cells[k + 1];
		}
		rp_table_add(r, worst, row);
	}
	rp_table_emit(r);
}
