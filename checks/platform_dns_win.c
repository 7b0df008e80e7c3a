/*
 * SRV and MX lookups on Windows: DnsQuery_A (windns, -ldnsapi) behind the
 * same mp_dns_lookup the Linux build runs with libresolv (checks/dns.c),
 * under the run's deadline (mp_bg_call). DnsQuery hands back parsed records
 * and no AD bit, so an answer is never "authenticated" on Windows: the
 * discovery treats it as unauthenticated DNS, as it treats a remote
 * resolver on Linux. Records are bounded to MP_DNS_RECORDS_MAX.
 */
#ifdef _WIN32
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/platform.h"

#include <windns.h>

#include "checks/bg.h"
#include "checks/dns.h"

struct query {
	char name[MP_NAME_MAX];
	enum mp_dns_type type;
	DNS_STATUS status;
	struct mp_dns_answer answer;
};

/* One record into out (SRV target "." means "not offered": left out). */
static void
record_add(const DNS_RECORDA *r, enum mp_dns_type type, struct mp_dns_answer *out)
{
	struct mp_dns_record *rec = &out->records[out->n];
	const char *target;

	if (type == DNS_SRV && r->wType == DNS_TYPE_SRV) {
		target = r->Data.SRV.pNameTarget;
		rec->priority = r->Data.SRV.wPriority;
		rec->weight = r->Data.SRV.wWeight;
		rec->port = r->Data.SRV.wPort;
	} else if (type == DNS_MX && r->wType == DNS_TYPE_MX) {
		target = r->Data.MX.pNameExchange;
		rec->priority = r->Data.MX.wPreference;
	} else {
		return;
	}
	if (target == NULL || target[0] == '\0' || strcmp(target, ".") == 0)
		return;
	snprintf(rec->target, sizeof(rec->target), "%s", target);
	if (strlen(rec->target) > 1 && rec->target[strlen(rec->target) - 1] == '.')
		rec->target[strlen(rec->target) - 1] = '\0';
	out->n++;
}

static void
query_run(void *arg)
{
	struct query *q = arg;
	DNS_RECORDA *list = NULL;
	WORD type = q->type == DNS_SRV ? DNS_TYPE_SRV : DNS_TYPE_MX;

	q->status = DnsQuery_A(q->name, type, DNS_QUERY_STANDARD, NULL, (PDNS_RECORD *)&list, NULL);
	if (q->status != 0)
		return;
	for (DNS_RECORDA *r = list; r != NULL && q->answer.n < MP_DNS_RECORDS_MAX; r = r->pNext)
		if (r->Flags.S.Section == DnsSectionAnswer)
			record_add(r, q->type, &q->answer);
	DnsRecordListFree((PDNS_RECORD)list, DnsFreeRecordList);
}

enum mp_class
mp_dns_lookup(const char *name, enum mp_dns_type type, const struct mp_deadline *dl,
	      struct mp_dns_answer *out)
{
	struct query *q = calloc(1, sizeof(*q));
	enum mp_bg_rc rc;
	enum mp_class cls = CLASS_NONE;
	char why[64];

	memset(out, 0, sizeof(*out));
	if (q == NULL)
		return mp_dns_fail(out, CLASS_DNS_ERROR, name, "out of memory");
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->type = type;
	rc = mp_bg_call(query_run, NULL, q, sizeof(*q), dl);
	if (rc != BG_DONE) {
		cls = mp_dns_fail(out, CLASS_DNS_TIMEOUT, name, "no answer before the deadline");
	} else if (q->status == DNS_ERROR_RCODE_NAME_ERROR || q->status == DNS_INFO_NO_RECORDS) {
		out->nodata = true;
	} else if (q->status != 0) {
		snprintf(why, sizeof(why), "DNS query failed (error %ld)", (long)q->status);
		cls = mp_dns_fail(out, CLASS_DNS_ERROR, name, why);
	} else {
		*out = q->answer;
		mp_dns_sort(out);
		out->nodata = out->n == 0;
	}
	free(q);
	return cls;
}
#endif
