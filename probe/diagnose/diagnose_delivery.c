/*
 * The delivery check's verdict: a refused sender or recipient is
 * sending_rejected, any other failure endpoint_failed, both critical. The
 * evidence points at the run's delivery result. No I/O here.
 */
#include "checks/delivery.h"
#include "probe/diagnose/diagnose_rules.h"

void
dx_rules_delivery(struct dx *x)
{
	const struct mp_delivery_result *r = x->run->delivery;
	bool refused;
	struct mp_finding *f;
	struct mp_evidence ev = {.kind = EV_DELIVERY, .step = STEP_SEND};

	if (r == NULL || !r->ran || r->ok)
		return;
	refused = r->cls == CLASS_SENDER_REJECTED || r->cls == CLASS_RECIPIENT_REJECTED;
	if ((f = dx_add(x, refused ? "sending_rejected" : "endpoint_failed", SEV_CRITICAL)) == NULL)
		return;
	ev.endpoint = x->run->delivery_endpoint;
	ev.has_step = ev.endpoint >= 0;
	ev.cls = r->cls;
	dx_evidence_add(f, &ev);
}
