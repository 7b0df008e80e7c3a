/*
 * Unit tests of the protocol table (checks/protocols.c): names, directions,
 * the relay port, the default and --all port sets, the SRV services, and
 * that an unknown protocol stops the program instead of becoming SMTP.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checks/result.h"
#include "harness.h"

static void
test_rows(void)
{
	static const char *const names[PROTO_COUNT] = {"smtp", "imap", "pop3"};
	static const char *const upper[PROTO_COUNT] = {"SMTP", "IMAP", "POP3"};

	for (int p = 0; p < PROTO_COUNT; p++) {
		const struct mp_protocol *row = mp_protocol((enum mp_proto)p);

		CHECK((int)row->id == p, "row id is its index");
		CHECK_STR(row->name, names[p], "name");
		CHECK_STR(row->upper, upper[p], "upper name");
		CHECK_STR(mp_proto_str((enum mp_proto)p), names[p], "mp_proto_str");
		CHECK(mp_proto_parse(names[p]) == p, "parse round trip");
		CHECK(mp_protocol_find(names[p]) == row, "find by name");
		CHECK(row->ops != NULL, "every protocol has a dialog");
	}
	CHECK(mp_proto_parse("SMTP") == -1, "names are lower case");
	CHECK(mp_proto_parse("sieve") == -1, "unknown name");
	CHECK(mp_protocol_find(NULL) == NULL, "NULL name");
}

static void
test_direction(void)
{
	CHECK(mp_proto_is_outgoing(PROTO_SMTP), "smtp is outgoing");
	CHECK(!mp_proto_is_outgoing(PROTO_IMAP), "imap is incoming");
	CHECK(!mp_proto_is_outgoing(PROTO_POP3), "pop3 is incoming");
	CHECK(mp_proto_is_relay_port(PROTO_SMTP, 25), "smtp 25 is the relay port");
	CHECK(!mp_proto_is_relay_port(PROTO_SMTP, 587), "587 is not");
	CHECK(!mp_proto_is_relay_port(PROTO_IMAP, 25), "no relay port for imap");
	CHECK(!mp_proto_is_relay_port(PROTO_POP3, 0), "port 0 is no relay port");
}

static bool
spec_is(const struct mp_endpoint_spec *e, enum mp_proto p, uint16_t port, enum mp_security s)
{
	return e->proto == p && e->port == port && e->security == s;
}

static void
test_port_sets(void)
{
	struct mp_endpoint_spec e[8];
	int n = mp_proto_ports(DIR_INCOMING, true, e, 8);

	CHECK(n == 2 && spec_is(&e[0], PROTO_IMAP, 993, SEC_TLS) &&
		  spec_is(&e[1], PROTO_POP3, 995, SEC_TLS),
	      "incoming default set: 993, 995");
	n = mp_proto_ports(DIR_OUTGOING, true, e, 8);
	CHECK(n == 2 && spec_is(&e[0], PROTO_SMTP, 587, SEC_STARTTLS) &&
		  spec_is(&e[1], PROTO_SMTP, 465, SEC_TLS),
	      "outgoing default set: 587, 465");
	n = mp_proto_ports(DIR_INCOMING, false, e, 8);
	CHECK(n == 2 && spec_is(&e[0], PROTO_IMAP, 143, SEC_STARTTLS) &&
		  spec_is(&e[1], PROTO_POP3, 110, SEC_STARTTLS),
	      "incoming --all extras: 143, 110");
	n = mp_proto_ports(DIR_OUTGOING, false, e, 8);
	CHECK(n == 1 && spec_is(&e[0], PROTO_SMTP, 25, SEC_STARTTLS), "outgoing --all extra: 25");
	CHECK(mp_proto_ports(DIR_INCOMING, true, e, 1) == 1, "bounded by max");
}

static void
test_srv(void)
{
	static const char *const want[] = {"_submissions._tcp", "_submission._tcp", "_imaps._tcp",
					   "_imap._tcp",        "_pop3s._tcp",      "_pop3._tcp"};
	struct mp_srv_service s[16];
	int n = mp_proto_srv_services(s, 16);

	CHECK(n == 6, "six SRV services");
	for (int i = 0; i < n && i < 6; i++)
		CHECK_STR(s[i].label, want[i], "SRV order: implicit TLS first");
	CHECK(s[0].proto == PROTO_SMTP && s[0].security == SEC_TLS, "submissions is smtp tls");
	CHECK(s[5].proto == PROTO_POP3 && s[5].security == SEC_STARTTLS, "pop3 is starttls");
	CHECK(mp_proto_srv_services(s, 2) == 2, "bounded by max");
}

/* An unknown protocol is a bug: the lookup aborts, it never becomes SMTP. */
static void
test_unknown_aborts(void)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		const struct mp_protocol *row = mp_protocol((enum mp_proto)PROTO_COUNT);

		_exit(row != NULL ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "child ran");
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "unknown protocol aborts");
}

int
main(void)
{
	test_rows();
	test_direction();
	test_port_sets();
	test_srv();
	test_unknown_aborts();
	return test_report();
}
