#!/usr/bin/python3
"""The verdicts of issue 13 against real servers (Postfix + Dovecot, and
Exim + Courier in tests/lab/servers.sh): whose fault it is, said only as far
as the evidence goes. Asserts findings, cause and basis, exit codes and the
words a customer reads. The lab must be running (with its second mail system
for the cases that need it).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD  # noqa: E402
from test_servers import blocked, probe  # noqa: E402

T = mptest.Counter("verdicts")
BLAME_NETWORK = ("This network blocks", "Your network blocks", "Ihr Netz sperrt",
                 "Dieses Netz sperrt")


def findings(r):
    return {f["id"]: f for f in (r.json or {}).get("findings", [])}


def words(f):
    return (f or {}).get("summary", "") + " " + (f or {}).get("advice", "")


def test_imap_only_host():
    """Nothing on 587/465 at an IMAP-only host: the server refuses, which is
    no network block and no advice to use the internet provider's relay."""
    name = "imap-only host"
    r = probe(["imaponly.lab.test"], timeout=6)
    fs = findings(r)
    f = fs.get("outgoing_blocked")
    T.check(f is not None and f.get("cause") == "server" and
            f.get("basis") == "refused_by_server", name + ": outgoing_blocked, cause server",
            str({k: (v.get("cause"), v.get("basis")) for k, v in fs.items()}))
    T.check(not any(b in words(f) for b in BLAME_NETWORK) and "relay" not in words(f).lower(),
            name + ": not blamed on the customer's network, no relay advice", words(f))
    T.check(r.rc == 2, name + ": critical, exit 2", "rc=%d" % r.rc)


def test_split_587_dropped():
    """Separate SMTP host, 587 dropped on the way, 465 works: the outgoing
    verdict from the outgoing host's own ports, both causes named."""
    name = "split host, 587 dropped"
    r = blocked([587], "drop", ["--discover", "split.test"], timeout=4)
    fs = findings(r)
    f = fs.get("outgoing_port_blocked")
    T.check(f is not None and f.get("cause") == "unknown", name + ": outgoing_port_blocked, "
            "cause unknown", str(sorted(fs)))
    T.check("smtp.split.test" in words(f) and "another network" in words(f),
            name + ": names the outgoing host and how to tell the causes apart", words(f))
    T.check("endpoint_failed" not in fs and "discovery_conflict" not in fs,
            name + ": no endpoint_failed, no discovery_conflict", str(sorted(fs)))
    T.check(r.rc == 1, name + ": a warning, exit 1", "rc=%d" % r.rc)


def test_temporary_failure():
    """Every login fails temporarily (Courier's auth daemon away, Exim
    deferring AUTH): the provider's problem, never 'check the password'."""
    name = "temporary login failure"
    r = probe(["tempfail.lab.test"], timeout=10)
    fs = findings(r)
    f = fs.get("endpoint_failed")
    T.check("login_rejected" not in fs and f is not None, name + ": endpoint_failed, "
            "no login_rejected", str(sorted(fs)))
    T.check("temporary" in words(f) and "password" not in words(f).lower(),
            name + ": temporary, no word of the password", words(f))
    T.check(r.json and r.json["recommended"]["incoming"] is not None,
            name + ": the settings still work (recommended)", str(r.json and
                                                                r.json["recommended"]))


def test_ipv6_nothing_listening():
    """An IPv6 address where nothing listens refuses: a server matter, not a
    broken address family on the customer's side."""
    name = "IPv6, nothing listening"
    r = probe(["dual.lab.test"], timeout=6)
    fs = findings(r)
    f = fs.get("address_down")
    T.check("address_family_broken" not in fs and f is not None and f.get("cause") == "server",
            name + ": address_down, cause server, no address_family_broken", str(sorted(fs)))
    T.check(E["DUAL_ADDR6"] in words(f), name + ": names the address", words(f))


def test_refused_587_only():
    """A single refused 587 (the server's address answers with a reset):
    'nothing accepts connections there', not 'your network blocks'."""
    name = "587 refused"
    r = blocked([587], "reset", ["smtp.split.test"], timeout=4)
    fs = findings(r)
    f = fs.get("outgoing_port_blocked")
    T.check(f is not None and f.get("cause") == "server", name + ": cause server",
            str(sorted(fs)))
    T.check(not any(b in words(f) for b in BLAME_NETWORK), name + ": no 'your network blocks'",
            words(f))


def test_postfix_down():
    """The main lab with 587 and 465 refused at the server (Postfix down):
    a server-side fault."""
    name = "postfix ports refused"
    r = blocked([587, 465], "reset", [E["LAB_HOST"]], timeout=4)
    fs = findings(r)
    f = fs.get("outgoing_blocked")
    T.check(f is not None and f.get("cause") == "server" and
            not any(b in words(f) for b in BLAME_NETWORK),
            name + ": outgoing_blocked, cause server", str(sorted(fs)))


def test_login_address_stable():
    """Issue 13 item 8 on a real server: mail.lab.test has an IPv6 and an
    IPv4 address; every run logs in on the same one (IPv6 first) and the
    other says where the login was checked."""
    name = "login address"
    seen = []
    for _ in range(2):
        r = probe(["--endpoint", "imap:993:tls", E["LAB_HOST"]], timeout=6)
        logins = {e["address"]: (r.step(e, "login") or {}) for e in r.endpoints()}
        ok = sorted(a for a, s in logins.items() if s.get("ok"))
        seen.append(ok)
        other = logins.get(E["LAB_ADDR"], {})
        T.check(other.get("class") == "auth_skipped" and
                E["LAB_ADDR6"] in other.get("message", ""),
                name + ": the IPv4 address says the login was checked on the IPv6 one",
                str(other))
        T.check(r.rc == 0 and all(e["ok"] for e in r.endpoints()),
                name + ": both endpoints ok, exit 0", "rc=%d" % r.rc)
    T.check(seen == [[E["LAB_ADDR6"]], [E["LAB_ADDR6"]]],
            name + ": the login is on the IPv6 address in every run", str(seen))


def test_greeting_slow_postfix():
    """Postfix on mail.lab.test greets 6 s late on the lab's slow port (a
    client restriction that sleeps before the 220, as a slow lookup of the
    client's address would): the check works, with the warning greeting_slow
    that names the seconds, both usual causes and how to tell them apart,
    and blames no network. (Sendmail's greet_pause: test_moreservers.py.)"""
    name = "postfix greeting late"
    port = int(E["SLOW_GREETING_PORT"])
    late = float(E["SLOW_GREETING_SECONDS"])
    r = probe(["-4", "--endpoint", "smtp:%d:starttls" % port, E["LAB_HOST"]], password=None,
              timeout=12)  # no AUTH on this port: the login stays untested
    e = (r.endpoints() or [{}])[0]
    greeting = (r.step(e, "greeting") if e else None) or {}
    T.check(e.get("ok") is True and greeting.get("seconds", 0) >= late - 0.1,
            name + ": works, the greeting late", str(greeting))
    f = findings(r).get("greeting_slow")
    T.check(f is not None and f.get("severity") == "warning" and "port %d" % port in words(f) and
            "port 113" in words(f) and "another network" in words(f),
            name + ": greeting_slow with the port, both causes and how to tell", words(f))
    T.check(not any(b in words(f) for b in BLAME_NETWORK) and r.rc == 1,
            name + ": no network blamed, exit 1", "rc=%d" % r.rc)


def main():
    tests = [test_postfix_down, test_login_address_stable, test_greeting_slow_postfix]
    if E.get("LAB_EXTRA") == "running":
        tests += [test_imap_only_host, test_split_587_dropped, test_temporary_failure,
                  test_ipv6_nothing_listening, test_refused_587_only]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
