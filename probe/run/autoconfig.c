/*
 * The Mozilla autoconfig format (config-v1.1.xml), parsed with expat into
 * found endpoints. Pure: no I/O; entity expansion is off and the document
 * size and depth are bounded by the caller and here.
 */
#include <expat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "probe/run/discover.h"

#define AUTOCONFIG_DEPTH_MAX 16

struct server {
	bool incoming;
	char type[16];
	char hostname[MP_HOST_MAX];
	char port[8];
	char socket[16];
	char username[64];
};

struct parse {
	const char *domain, *localpart;
	struct mp_source_result *src;
	char *user_tmpl;
	size_t user_tmpl_len;
	int depth;
	bool in_server;
	struct server cur;
	char *field; /* where character data goes, NULL when nowhere */
	size_t field_len;
	bool too_deep;
};

static const char *
attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i] != NULL; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return "";
}

static void
field_for(struct parse *p, const char *el)
{
	struct server *s = &p->cur;

	p->field = NULL;
	if (!p->in_server)
		return;
	if (strcmp(el, "hostname") == 0)
		p->field = s->hostname, p->field_len = sizeof(s->hostname);
	else if (strcmp(el, "port") == 0)
		p->field = s->port, p->field_len = sizeof(s->port);
	else if (strcmp(el, "socketType") == 0)
		p->field = s->socket, p->field_len = sizeof(s->socket);
	else if (strcmp(el, "username") == 0)
		p->field = s->username, p->field_len = sizeof(s->username);
}

static void XMLCALL
on_start(void *ud, const char *el, const char **atts)
{
	struct parse *p = ud;

	if (++p->depth > AUTOCONFIG_DEPTH_MAX) {
		p->too_deep = true;
		return;
	}
	if (strcmp(el, "incomingServer") == 0 || strcmp(el, "outgoingServer") == 0) {
		memset(&p->cur, 0, sizeof(p->cur));
		p->in_server = true;
		p->cur.incoming = el[0] == 'i';
		snprintf(p->cur.type, sizeof(p->cur.type), "%s", attr(atts, "type"));
		return;
	}
	field_for(p, el);
}

static void XMLCALL
on_text(void *ud, const char *s, int len)
{
	struct parse *p = ud;
	size_t have;

	if (p->field == NULL)
		return;
	have = strlen(p->field);
	for (int i = 0; i < len && have + 1 < p->field_len; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
			p->field[have++] = s[i];
	p->field[have] = '\0';
}

/* "%EMAILDOMAIN%" style placeholders in a host name. */
static void
expand(const char *in, const char *domain, const char *localpart, char *out, size_t outlen)
{
	size_t o = 0;

	while (*in != '\0' && o + 1 < outlen) {
		const char *rep = NULL;
		size_t skip = 0;

		if (strncmp(in, "%EMAILDOMAIN%", 13) == 0)
			rep = domain, skip = 13;
		else if (strncmp(in, "%EMAILLOCALPART%", 16) == 0)
			rep = localpart, skip = 16;
		if (rep == NULL) {
			out[o++] = *in++;
			continue;
		}
		o += (size_t)snprintf(out + o, outlen - o, "%s", rep);
		if (o >= outlen)
			o = outlen - 1;
		in += skip;
	}
	out[o] = '\0';
}

static int
security_of(const char *socket)
{
	if (strcasecmp(socket, "SSL") == 0)
		return SEC_TLS;
	if (strcasecmp(socket, "STARTTLS") == 0)
		return SEC_STARTTLS;
	if (strcasecmp(socket, "plain") == 0)
		return SEC_NONE;
	return -1;
}

static void
server_done(struct parse *p)
{
	struct server *s = &p->cur;
	struct mp_source_result *src = p->src;
	int proto = mp_proto_parse(s->type), sec = security_of(s->socket);
	long port = strtol(s->port, NULL, 10);
	struct mp_found *f;

	p->in_server = false;
	if (proto < 0 || sec < 0 || port < 1 || port > 65535 || s->hostname[0] == '\0' ||
	    src->nfound >= MP_FOUND_MAX ||
	    mp_proto_is_outgoing((enum mp_proto)proto) == s->incoming)
		return;
	f = &src->found[src->nfound++];
	f->proto = (enum mp_proto)proto;
	f->security = (enum mp_security)sec;
	f->port = (uint16_t)port;
	expand(s->hostname, p->domain, p->localpart, f->host, sizeof(f->host));
	if (s->incoming && p->user_tmpl[0] == '\0')
		snprintf(p->user_tmpl, p->user_tmpl_len, "%s", s->username);
}

static void XMLCALL
on_end(void *ud, const char *el)
{
	struct parse *p = ud;

	p->depth--;
	p->field = NULL;
	if (p->in_server &&
	    (strcmp(el, "incomingServer") == 0 || strcmp(el, "outgoingServer") == 0))
		server_done(p);
}

int
mp_autoconfig_parse(const char *xml, size_t len, const char *domain, const char *localpart,
		    struct mp_source_result *src, char *user_tmpl, size_t user_tmpl_len)
{
	XML_Parser xp = XML_ParserCreate(NULL);
	struct parse p = {.domain = domain,
			  .localpart = localpart,
			  .src = src,
			  .user_tmpl = user_tmpl,
			  .user_tmpl_len = user_tmpl_len};
	int rc = 0;

	src->nfound = 0;
	user_tmpl[0] = '\0';
	if (xp == NULL || len > 1024 * 1024) {
		snprintf(src->message, sizeof(src->message), "autoconfig: cannot parse");
		if (xp != NULL)
			XML_ParserFree(xp);
		return -1;
	}
	XML_SetUserData(xp, &p);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(xp, xml, (int)len, 1) == XML_STATUS_ERROR || p.too_deep) {
		snprintf(src->message, sizeof(src->message),
			 "autoconfig: not valid XML at line %lu, byte %ld: %s",
			 (unsigned long)XML_GetCurrentLineNumber(xp),
			 (long)XML_GetCurrentByteIndex(xp),
			 p.too_deep ? "nested too deeply" : XML_ErrorString(XML_GetErrorCode(xp)));
		src->nfound = 0;
		rc = -1;
	}
	XML_ParserFree(xp);
	return rc;
}
