/*
 * Unit tests of the login rules without sockets: a login not tested
 * (auth_skipped) leaves the endpoint ok and has no mailprobe_login_success
 * series; the login gate logs in on a fixed address per (protocol, port)
 * (IPv6 first, then numeric order), tells the other addresses where the login
 * is checked, and answers "deadline" instead of go once the deadline passed.
 * Waits here are hang guards only: every outcome is decided by the order of
 * events, never by how long something took.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/render/render_prometheus.h"
#include "probe/run/login_gate.h"
#include "fixtures.h"
#include "harness.h"

/* connect, tls, capabilities ok; the login as given. */
static void
make_endpoint(struct mp_endpoint_result *e, uint16_t port, enum mp_class login)
{
	struct mp_step_result *st;

	memset(e, 0, sizeof(*e));
	e->spec = (struct mp_endpoint_spec){PROTO_SMTP, port, SEC_TLS};
	snprintf(e->address, sizeof(e->address), "192.0.2.10");
	add_step(e, STEP_CONNECT, true, 0.001, CLASS_NONE, "");
	add_step(e, STEP_TLS, true, 0.01, CLASS_NONE, "");
	add_step(e, STEP_CAPABILITIES, true, 0.001, CLASS_NONE, "");
	st = add_step(e, STEP_LOGIN, login == CLASS_NONE, 0.0, login, "");
	if (login == CLASS_AUTH_SKIPPED)
		st->skip = SKIP_DEADLINE;
	add_step(e, STEP_LOGOUT, false, 0.0, CLASS_READ_TIMEOUT, "");
	e->ok = mp_endpoint_is_ok(e);
}

static void
test_ok_rule(void)
{
	struct mp_endpoint_result e;

	make_endpoint(&e, 465, CLASS_AUTH_SKIPPED);
	CHECK(mp_endpoint_is_ok(&e), "a login not tested leaves the endpoint ok");
	CHECK(mp_step_not_tested(mp_endpoint_step(&e, STEP_LOGIN)), "auth_skipped is not tested");
	CHECK(mp_endpoint_failure(&e) != NULL, "the skipped step is still the first non-ok step");
	make_endpoint(&e, 465, CLASS_AUTH_FAILED);
	CHECK(!mp_endpoint_is_ok(&e), "a rejected login fails the endpoint");
	make_endpoint(&e, 465, CLASS_READ_TIMEOUT);
	CHECK(!mp_endpoint_is_ok(&e), "a login without answer fails the endpoint");
	CHECK(!mp_step_not_tested(mp_endpoint_step(&e, STEP_LOGIN)),
	      "a timed-out login was tested");
	make_endpoint(&e, 465, CLASS_NONE);
	CHECK(mp_endpoint_is_ok(&e), "logout aside");
	e.steps[1].ok = false;
	e.steps[1].cls = CLASS_TLS_UNTRUSTED;
	e.steps[3].ok = false;
	e.steps[3].cls = CLASS_AUTH_SKIPPED;
	CHECK(!mp_endpoint_is_ok(&e), "a certificate failure still fails the endpoint");
}

/* endpoint_up and login_success of a run with a skipped, a timed-out and a
 * rejected login. */
static void
test_series(void)
{
	struct mp_endpoint_result eps[3];
	struct mp_diagnosis d;
	struct mp_run run;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	make_endpoint(&eps[0], 465, CLASS_AUTH_SKIPPED);
	make_endpoint(&eps[1], 587, CLASS_READ_TIMEOUT);
	make_endpoint(&eps[2], 2525, CLASS_AUTH_FAILED);
	memset(&d, 0, sizeof(d));
	memset(&run, 0, sizeof(run));
	run.resolve.ok = true;
	run.endpoints = eps;
	run.nendpoints = 3;
	f = open_memstream(&text, &len);
	CHECK(mp_render_prometheus(f, &run, &d) == 0, "renders");
	fclose(f);
	CHECK(strstr(text, "mailprobe_endpoint_up{protocol=\"smtp\",port=\"465\",security=\"tls\","
			   "address=\"192.0.2.10\"} 1\n") != NULL,
	      "endpoint_up 1 when only the login was not tested");
	CHECK(strstr(text, "mailprobe_login_success{protocol=\"smtp\",port=\"465\"") == NULL,
	      "no login_success for a login not tested");
	CHECK(strstr(text, "mailprobe_login_success{protocol=\"smtp\",port=\"587\",security="
			   "\"tls\",address=\"192.0.2.10\"} 0\n") != NULL,
	      "login_success 0 for a login without answer");
	CHECK(strstr(text, "mailprobe_login_success{protocol=\"smtp\",port=\"2525\",security="
			   "\"tls\",address=\"192.0.2.10\"} 0\n") != NULL,
	      "login_success 0 for a rejected login");
	CHECK(strstr(text, "mailprobe_endpoint_up{protocol=\"smtp\",port=\"2525\",security="
			   "\"tls\",address=\"192.0.2.10\"} 0\n") != NULL,
	      "endpoint_up 0 after a rejected login");
	free(text);
}

static struct mp_addr
addr(const char *s)
{
	struct mp_addr a;

	CHECK(mp_addr_parse(s, &a) == 0, "address parses");
	return a;
}

static void
test_order(void)
{
	struct mp_addr v6 = addr("2001:db8::20"), v6b = addr("2001:db8::3");
	struct mp_addr two = addr("127.0.0.2"), ten = addr("127.0.0.10");

	CHECK(mp_gate_addr_order(&v6, &two) < 0, "IPv6 before IPv4");
	CHECK(mp_gate_addr_order(&two, &v6) > 0, "IPv4 after IPv6");
	CHECK(mp_gate_addr_order(&two, &ten) < 0, "numeric order, not text order (v4)");
	CHECK(mp_gate_addr_order(&v6b, &v6) < 0, "numeric order, not text order (v6)");
	CHECK(mp_gate_addr_order(&ten, &ten) == 0, "same address");
}

/* A run's gate: jobs given as (port, address), ranked. */
struct fixture {
	struct mp_gate g;
	struct mp_deadline dl;
	struct mp_check_config cfg[6];
	int n;
};

static void
fixture_init(struct fixture *fx, double timeout)
{
	memset(fx, 0, sizeof(*fx));
	mp_deadline_in(&fx->dl, timeout);
	CHECK(mp_gate_init(&fx->g, 6, &fx->dl) == 0, "gate init");
}

static int
job(struct fixture *fx, enum mp_proto proto, uint16_t port, const char *address)
{
	struct mp_check_config *c = &fx->cfg[fx->n];

	c->spec = (struct mp_endpoint_spec){proto, port, SEC_TLS};
	c->addr = addr(address);
	c->index = fx->n;
	mp_gate_set(&fx->g, fx->n, &c->spec, &c->addr);
	return fx->n++;
}

static enum mp_login_decision
begin(struct fixture *fx, int i, char *on)
{
	on[0] = '\0';
	return fx->g.ops.begin(fx->g.ops.ctx, &fx->cfg[i], on);
}

/* One address per port logs in; the others are told where. */
static void
test_stable_address(void)
{
	struct fixture fx;
	char on[MP_ADDR_MAX];
	int a, b, c;

	fixture_init(&fx, 30);
	a = job(&fx, PROTO_IMAP, 993, "127.0.0.10");
	b = job(&fx, PROTO_IMAP, 993, "::1");
	c = job(&fx, PROTO_IMAP, 993, "127.0.0.2");
	mp_gate_rank(&fx.g);
	CHECK(fx.g.slots[b].rank == 0 && fx.g.slots[c].rank == 1 && fx.g.slots[a].rank == 2,
	      "ranks: ::1, 127.0.0.2, 127.0.0.10");
	CHECK(begin(&fx, b, on) == LOGIN_GO, "the first address logs in");
	CHECK(begin(&fx, a, on) == LOGIN_NOT_HERE, "another address does not");
	CHECK_STR(on, "::1", "and is told where the login is checked");
	fx.g.ops.end(fx.g.ops.ctx, &fx.cfg[b], CLASS_NONE);
	CHECK(begin(&fx, c, on) == LOGIN_NOT_HERE, "nor after that login ended");
	CHECK_STR(on, "::1", "same address");
	mp_gate_cleanup(&fx.g);
}

struct waiter {
	struct fixture *fx;
	int i;
	enum mp_login_decision d;
	char on[MP_ADDR_MAX];
};

static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->d = begin(w->fx, w->i, w->on);
	return NULL;
}

static void
pause_briefly(void)
{
	struct timespec ts = {0, 50 * 1000 * 1000};

	nanosleep(&ts, NULL); /* lets the waiter reach the gate first (mostly) */
}

/* Port 465 at 127.0.0.2 and 127.0.0.1; 127.0.0.2 asks the gate first, in a
 * thread (w, t). Returns 127.0.0.1's job. */
static int
start_later_first(struct fixture *fx, struct waiter *w, pthread_t *t)
{
	int later, first;

	fixture_init(fx, 30);
	later = job(fx, PROTO_SMTP, 465, "127.0.0.2");
	first = job(fx, PROTO_SMTP, 465, "127.0.0.1");
	mp_gate_rank(&fx->g);
	*w = (struct waiter){.fx = fx, .i = later};
	pthread_create(t, NULL, waiter_main, w);
	pause_briefly();
	return first;
}

/* A later address that reaches its login first waits for the earlier one:
 * the earlier one logs in; when the earlier one ends without a login, the
 * later one goes. */
static void
test_earlier_address_wins(void)
{
	struct fixture fx;
	struct waiter w;
	pthread_t t;
	char on[MP_ADDR_MAX];
	int first;

	first = start_later_first(&fx, &w, &t);
	CHECK(begin(&fx, first, on) == LOGIN_GO, "the earlier address logs in, even when second");
	pthread_join(t, NULL);
	CHECK(w.d == LOGIN_NOT_HERE, "the later address waited and does not log in");
	CHECK_STR(w.on, "127.0.0.1", "it names the earlier address");
	mp_gate_cleanup(&fx.g);

	first = start_later_first(&fx, &w, &t);
	fx.g.ops.finished(fx.g.ops.ctx, &fx.cfg[first]); /* e.g. its connect failed */
	pthread_join(t, NULL);
	CHECK(w.d == LOGIN_GO, "the next address logs in when the earlier one could not");
	mp_gate_cleanup(&fx.g);
}

/* Logins queued behind a slow one are not sent once the deadline passed;
 * after a rejection the others are skipped. */
static void
test_deadline_and_rejection(void)
{
	struct fixture fx;
	char on[MP_ADDR_MAX];
	int slow, queued, other;

	fixture_init(&fx, 0.5);
	slow = job(&fx, PROTO_IMAP, 993, "127.0.0.1");
	queued = job(&fx, PROTO_POP3, 995, "127.0.0.1");
	other = job(&fx, PROTO_SMTP, 465, "127.0.0.1");
	mp_gate_rank(&fx.g);
	CHECK(begin(&fx, slow, on) == LOGIN_GO, "the first login goes");
	CHECK(begin(&fx, queued, on) == LOGIN_DEADLINE,
	      "a login still waiting at the deadline is not sent");
	CHECK(begin(&fx, other, on) == LOGIN_DEADLINE, "nor any after it");
	mp_gate_cleanup(&fx.g);

	fixture_init(&fx, 30);
	slow = job(&fx, PROTO_IMAP, 993, "127.0.0.1");
	other = job(&fx, PROTO_SMTP, 465, "127.0.0.1");
	mp_gate_rank(&fx.g);
	CHECK(begin(&fx, slow, on) == LOGIN_GO, "login");
	fx.g.ops.end(fx.g.ops.ctx, &fx.cfg[slow], CLASS_AUTH_FAILED);
	CHECK(begin(&fx, other, on) == LOGIN_SKIP, "skipped after a rejection");
	mp_gate_cleanup(&fx.g);
}

int
main(void)
{
	test_ok_rule();
	test_series();
	test_order();
	test_stable_address();
	test_earlier_address_wins();
	test_deadline_and_rejection();
	return test_report();
}
