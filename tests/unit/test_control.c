/*
 * Unit tests of the control measurement (probe/run/control.c): which ports
 * are kept (only those an endpoint failed to connect to), the order and
 * fields of the results, and mp_control_port_outcome over hand-made
 * results. The connections are real, to listening sockets of this process
 * on 127.0.0.2 and 127.0.0.3 (a --resolve pin names the control host).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/tls.h"
#include "probe/run/control.h"
#include "harness.h"

/* A listening socket on addr:port (port 0: any); its port in *port. */
static int
listener(const char *addr, uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(*port)};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	inet_pton(AF_INET, addr, &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
endpoint(struct mp_endpoint_result *e, uint16_t port, bool ok, enum mp_class cls)
{
	memset(e, 0, sizeof(*e));
	e->spec = (struct mp_endpoint_spec){PROTO_SMTP, port, SEC_STARTTLS};
	snprintf(e->address, sizeof(e->address), "127.0.0.1");
	e->nsteps = 1;
	e->steps[0] = (struct mp_step_result){.step = STEP_CONNECT, .ok = ok, .cls = cls};
	e->ok = ok;
}

/* Port a failed (refused) at the mail server, port b connected: only a is
 * kept, at both control hosts, in the order they were given. */
static void
test_keep_failed_ports(void)
{
	uint16_t a = 0, b = 0;
	int la = listener("127.0.0.2", &a), lb = listener("127.0.0.2", &b);
	struct mp_account acc;
	struct mp_endpoint_result eps[2];
	struct mp_run run = {0};
	struct mp_deadline dl;
	char err[128];
	struct mp_tls_ctx *tls = mp_tls_ctx_new(NULL, err, sizeof(err));

	CHECK(la >= 0 && lb >= 0 && tls != NULL, "listeners and TLS context");
	mp_account_init(&acc);
	acc.nendpoints = 2;
	acc.endpoints[0] = (struct mp_endpoint_spec){PROTO_SMTP, a, SEC_STARTTLS};
	acc.endpoints[1] = (struct mp_endpoint_spec){PROTO_SMTP, b, SEC_STARTTLS};
	acc.ncontrols = 2;
	snprintf(acc.controls[0], MP_HOST_MAX, "ctl.test");
	snprintf(acc.controls[1], MP_HOST_MAX, "127.0.0.3");
	CHECK(mp_pin_parse("ctl.test:*:127.0.0.2", &acc.pins[0], err, sizeof(err)) == 0, "pin");
	acc.npins = 1;
	endpoint(&eps[0], a, false, CLASS_CONNECT_REFUSED);
	endpoint(&eps[1], b, true, CLASS_NONE);
	run.endpoints = eps;
	run.nendpoints = 2;
	mp_deadline_in(&dl, 5);
	mp_control_finish(mp_control_start(&acc, tls, &dl), &run, NULL);
	CHECK(run.ncontrol == 2, "one result per control host, only for the failed port");
	if (run.ncontrol == 2) {
		CHECK_STR(run.control[0].host, "ctl.test", "first control host first");
		CHECK_STR(run.control[0].address, "127.0.0.2", "pinned address");
		CHECK(run.control[0].port == a && run.control[0].ok && !run.control[0].tls,
		      "connected at the control host");
		CHECK_STR(run.control[1].address, "127.0.0.3", "IP literal control host");
		CHECK(!run.control[1].ok && run.control[1].cls == CLASS_CONNECT_REFUSED,
		      "refused at the second");
	}
	CHECK(mp_control_port_outcome(&run, a, AF_UNSPEC) == CONTROL_REACHED, "port a reached");
	CHECK(mp_control_port_outcome(&run, b, AF_UNSPEC) == CONTROL_NOT_TRIED, "port b not kept");
	free(run.control);
	mp_account_cleanup(&acc);
	mp_tls_ctx_free(tls);
	close(la);
	close(lb);
}

/* Every port connected: nothing kept, and no wait for the control hosts. */
static void
test_nothing_failed(void)
{
	uint16_t a = 0;
	int la = listener("127.0.0.2", &a);
	struct mp_account acc;
	struct mp_endpoint_result ep;
	struct mp_run run = {0};
	struct mp_deadline dl;

	mp_account_init(&acc);
	acc.nendpoints = 1;
	acc.endpoints[0] = (struct mp_endpoint_spec){PROTO_SMTP, a, SEC_STARTTLS};
	acc.ncontrols = 1;
	snprintf(acc.controls[0], MP_HOST_MAX, "127.0.0.2");
	endpoint(&ep, a, true, CLASS_NONE);
	run.endpoints = &ep;
	run.nendpoints = 1;
	mp_deadline_in(&dl, 5);
	mp_control_finish(mp_control_start(&acc, NULL, &dl), &run, NULL);
	CHECK(run.ncontrol == 0 && run.control == NULL, "nothing kept when no port failed");
	mp_account_cleanup(&acc);
	close(la);
}

static struct mp_control_result
result(const char *address, uint16_t port, bool ok, enum mp_class cls)
{
	struct mp_control_result r = {.port = port, .ok = ok, .cls = cls};

	snprintf(r.host, sizeof(r.host), "ctl.test");
	snprintf(r.address, sizeof(r.address), "%s", address);
	return r;
}

static void
test_outcome(void)
{
	struct mp_control_result c[5] = {
	    result("192.0.2.7", 587, false, CLASS_CONNECT_TIMEOUT),
	    result("2001:db8::7", 587, true, CLASS_NONE),
	    result("192.0.2.7", 465, false, CLASS_TLS_HANDSHAKE_FAILED),
	    result("", 993, false, CLASS_DNS_TIMEOUT),
	    result("192.0.2.7", 995, false, CLASS_CONNECT_REFUSED),
	};
	struct mp_run run = {.control = c, .ncontrol = 5};

	CHECK(mp_control_port_outcome(&run, 587, AF_UNSPEC) == CONTROL_REACHED, "587: any family");
	CHECK(mp_control_port_outcome(&run, 587, AF_INET) == CONTROL_BLOCKED, "587 over IPv4");
	CHECK(mp_control_port_outcome(&run, 587, AF_INET6) == CONTROL_REACHED, "587 over IPv6");
	CHECK(mp_control_port_outcome(&run, 465, AF_UNSPEC) == CONTROL_REACHED,
	      "465: TCP got through, the handshake failed");
	CHECK(mp_control_port_outcome(&run, 993, AF_INET) == CONTROL_UNRESOLVED, "993: no address");
	CHECK(mp_control_port_outcome(&run, 995, AF_UNSPEC) == CONTROL_BLOCKED, "995 refused");
	CHECK(mp_control_port_outcome(&run, 25, AF_UNSPEC) == CONTROL_NOT_TRIED, "25 not tried");
	CHECK(mp_control_wanted(CLASS_CONNECT_UNREACHABLE) &&
		  !mp_control_wanted(CLASS_READ_TIMEOUT),
	      "which classes call for a control");
}

int
main(void)
{
	test_keep_failed_ports();
	test_nothing_failed();
	test_outcome();
	return test_report();
}
