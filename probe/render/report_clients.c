/*
 * The report's "settings that work" section: the recommended incoming and
 * outgoing server, then one table per mail client (classic Outlook, the new
 * Outlook for Windows, Thunderbird, Apple Mail) with each setting named the way that client names
 * it. Reads the diagnosis only.
 */
#include <stdio.h>
#include <string.h>

#include "probe/render/report_impl.h"

#define CLIENT_ROWS 8

/* What a cell shows, from the setting of its column. */
enum val {
	V_DASH,    /* not a setting of this column */
	V_PROTO,   /* IMAP / POP3 */
	V_HOST,    /* server name */
	V_PORT,    /* port number */
	V_SEC,     /* SSL/TLS, STARTTLS or the client's word for none */
	V_TLSFLAG, /* Apple Mail's "Use TLS/SSL": on unless plaintext */
	V_USER,    /* user name */
	V_ON,
	V_OFF,
	V_TB_AUTH, /* Thunderbird: Normal password */
	V_AM_AUTH  /* Apple Mail: Password */
};

struct client_row {
	enum mp_word label;
	enum val in, out;
};

struct client {
	enum mp_word name, where, setting, col_in, col_out, sec_none;
	int nrows;
	struct client_row rows[CLIENT_ROWS];
};

static const struct client clients[] = {
    {L_OL_NAME,
     L_OL_WHERE,
     L_OL_SETTING,
     L_OL_COL_IN,
     L_OL_COL_OUT,
     L_OL_SEC_NONE,
     8,
     {{L_OL_ACCOUNT_TYPE, V_PROTO, V_DASH},
      {L_OL_SERVER, V_HOST, V_HOST},
      {L_OL_PORT, V_PORT, V_PORT},
      {L_OL_ENCRYPTION, V_SEC, V_SEC},
      {L_OL_USER, V_USER, V_DASH},
      {L_OL_SPA, V_OFF, V_DASH},
      {L_OL_OUT_AUTH, V_DASH, V_ON},
      {L_OL_SAME, V_DASH, V_ON}}},
    {L_NO_NAME,
     L_NO_WHERE,
     L_NO_SETTING,
     L_NO_COL_IN,
     L_NO_COL_OUT,
     L_NO_SEC_NONE,
     4,
     {{L_NO_SERVER, V_HOST, V_HOST},
      {L_NO_PORT, V_PORT, V_PORT},
      {L_NO_SECURITY, V_SEC, V_SEC},
      {L_NO_USER, V_USER, V_USER}}},
    {L_TB_NAME,
     L_TB_WHERE,
     L_TB_SETTING,
     L_TB_COL_IN,
     L_TB_COL_OUT,
     L_TB_SEC_NONE,
     5,
     {{L_TB_SERVER, V_HOST, V_HOST},
      {L_TB_PORT, V_PORT, V_PORT},
      {L_TB_SECURITY, V_SEC, V_SEC},
      {L_TB_AUTH, V_TB_AUTH, V_TB_AUTH},
      {L_TB_USER, V_USER, V_USER}}},
    {L_AM_NAME,
     L_AM_WHERE,
     L_AM_SETTING,
     L_AM_COL_IN,
     L_AM_COL_OUT,
     L_SEC_NONE,
     6,
     {{L_AM_USER, V_USER, V_USER},
      {L_AM_HOST, V_HOST, V_HOST},
      {L_AM_AUTO, V_OFF, V_OFF},
      {L_AM_PORT, V_PORT, V_PORT},
      {L_AM_TLS, V_TLSFLAG, V_TLSFLAG},
      {L_AM_AUTH, V_AM_AUTH, V_AM_AUTH}}},
};

static const char *
security_name(const struct rp *r, enum mp_security s, enum mp_word none)
{
	return s == SEC_TLS        ? rp_t(r, L_SEC_TLS)
	       : s == SEC_STARTTLS ? rp_t(r, L_SEC_STARTTLS)
				   : rp_t(r, none);
}

/* The user name as shown in the tables: masked with --redact-user, a plain
 * "not given" when there is none. */
static void
user_shown(const struct rp *r, char *out, size_t len)
{
	rp_user(r, r->d->recommended.username, out, len);
	if (out[0] == '\0')
		snprintf(out, len, "%s", rp_t(r, L_USER_NONE));
}

static void
cell_value(const struct rp *r, const struct client *c, enum val v, const struct mp_setting *s,
	   char *out, size_t len)
{
	out[0] = '\0';
	if (!s->present && v != V_DASH)
		v = V_DASH;
	switch (v) {
	case V_DASH:
		snprintf(out, len, "%s", rp_t(r, L_DASH));
		break;
	case V_PROTO:
		snprintf(out, len, "%s", mp_protocol(s->proto)->upper);
		break;
	case V_HOST:
		rp_msg(r, s->host, out, len);
		break;
	case V_PORT:
		snprintf(out, len, "%u", (unsigned)s->port);
		break;
	case V_SEC:
		snprintf(out, len, "%s", security_name(r, s->security, c->sec_none));
		break;
	case V_TLSFLAG:
		snprintf(out, len, "%s", rp_t(r, s->security != SEC_NONE ? L_ON : L_OFF));
		break;
	case V_USER:
		user_shown(r, out, len);
		break;
	case V_ON:
	case V_OFF:
		snprintf(out, len, "%s", rp_t(r, v == V_ON ? L_ON : L_OFF));
		break;
	case V_TB_AUTH:
	case V_AM_AUTH:
		snprintf(out, len, "%s",
			 rp_t(r, v == V_TB_AUTH ? L_TB_AUTH_NORMAL : L_AM_AUTH_PASSWORD));
		break;
	}
}

static void
client_table(struct rp *r, const struct client *c)
{
	const struct mp_setting *in = &r->d->recommended.incoming;
	const struct mp_setting *out = &r->d->recommended.outgoing;
	char col_in[RP_CELL_MAX], a[RP_CELL_MAX], b[RP_CELL_MAX];
	const char *head[3] = {rp_t(r, c->setting), col_in, rp_t(r, c->col_out)};
	const char *cells[3] = {NULL, a, b};

	snprintf(col_in, sizeof(col_in), rp_t(r, c->col_in),
		 in->present ? mp_protocol(in->proto)->upper : "IMAP/POP3");
	rp_table_start(r, 3, head);
	r->tab->style = "client";
	for (int i = 0; i < c->nrows && i < CLIENT_ROWS; i++) {
		cells[0] = rp_t(r, c->rows[i].label);
		cell_value(r, c, c->rows[i].in, in, a, sizeof(a));
		cell_value(r, c, c->rows[i].out, out, b, sizeof(b));
		rp_table_add(r, RP_PLAIN, cells);
	}
	rp_table_emit(r);
}

static void
setting_field(struct rp *r, enum mp_word label, const struct mp_setting *s, enum mp_word none)
{
	char host[MP_HOST_MAX], text[RP_CELL_MAX];

	if (!s->present) {
		r->ops->field(r, rp_t(r, label), rp_t(r, none));
		return;
	}
	rp_msg(r, s->host, host, sizeof(host));
	snprintf(text, sizeof(text), rp_t(r, L_SETTING_LINE), mp_protocol(s->proto)->upper, host,
		 (unsigned)s->port, security_name(r, s->security, L_SEC_NONE));
	r->ops->field(r, rp_t(r, label), text);
}

void
rp_section_settings(struct rp *r)
{
	const struct mp_recommended *rec = &r->d->recommended;
	char user[RP_CELL_MAX];

	r->ops->heading(r, 2, rp_t(r, L_SETTINGS));
	if (!rec->incoming.present && !rec->outgoing.present) {
		r->ops->para(r, rp_t(r, L_NO_SETTINGS));
		return;
	}
	setting_field(r, L_INCOMING, &rec->incoming, L_NO_IN);
	setting_field(r, L_OUTGOING, &rec->outgoing, L_NO_OUT);
	user_shown(r, user, sizeof(user));
	r->ops->field(r, rp_t(r, L_USERNAME), user);
	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
		r->ops->heading(r, 3, rp_t(r, clients[i].name));
		r->ops->para(r, rp_t(r, clients[i].where));
		client_table(r, &clients[i]);
	}
}
