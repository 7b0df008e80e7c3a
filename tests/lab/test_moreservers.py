#!/usr/bin/python3
"""Lab suite against OpenSMTPD, Sendmail, Cyrus IMAP and GNU Mailutils
(tests/lab/moreservers.sh, in the chroot and namespace of servers.sh): each
healthy, with a wrong password, stopped, dropped at the server, with an
expired certificate, without STARTTLS, hung, slow to greet; and OpenSMTPD
6.8 of Debian 12, whose every TLS handshake ends in an "internal error"
alert. Asserts the step classes with the server's words, and that every
verdict says what the evidence shows and no more. The lab must be running.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, LAB  # noqa: E402
import test_servers  # noqa: E402
from test_servers import common, eps, failed_at, probe, refused, tag, works  # noqa: E402

T = mptest.Counter("moreservers")
test_servers.T = T  # its helpers count here
BLAME_NETWORK = ("This network blocks", "Your network blocks", "Ihr Netz sperrt",
                 "Dieses Netz sperrt")
INCOMING = (("imap", 993), ("imap", 143), ("pop3", 995), ("pop3", 110))


def findings(r):
    return [f for f in (r.json or {}).get("findings", [])]


def said(f):
    return (f or {}).get("summary", "") + " / " + (f or {}).get("advice", "")


def finding(r, fid, port=None):
    """The finding fid (the one naming port, for endpoint_failed)."""
    for f in findings(r):
        if f["id"] == fid and (port is None or "port %d " % port in f.get("summary", "") + " "):
            return f
    return None


def no_blame(name, r):
    text = " ".join(said(f) for f in findings(r))
    T.check(not any(b in text for b in BLAME_NETWORK),
            name + ": no finding blames this network", text[:600])


def srv(*args):
    subprocess.run(["sh", LAB, "srv"] + list(args), check=True)


def endpoints(*specs):
    out = []
    for s in specs:
        out += ["--endpoint", s]
    return out


def addr(name):
    return E[name]


# ------------------------------------------------------------------ healthy

def test_sendmail_healthy():
    name = "sendmail healthy"
    r = probe(endpoints("smtp:587:starttls", "smtp:465:tls", "smtp:25:starttls") +
              ["sendmail.lab.test"])
    common(name, r)
    got = eps(r)
    a = addr("SENDMAIL_ADDR")
    for port in (587, 465, 25):
        e = got.get(("smtp", port, a))
        if T.check(e is not None, name + ": smtp:%d probed" % port, str(sorted(got))):
            lg = works(name, r, e, login=port != 25)
            if port != 25:
                T.check(lg and "235" in lg["message"], name + ": %d accepts the login" % port,
                        str(lg))
    e = got.get(("smtp", 587, a))
    if e:
        pre = (r.step(e, "starttls") or {}).get("capabilities", [])
        post = (r.step(e, "capabilities") or {}).get("capabilities", [])
        T.check(not any(c.startswith("AUTH") for c in pre) and "AUTH PLAIN LOGIN" in post,
                name + ": AUTH only after STARTTLS, as 'AUTH PLAIN LOGIN'", "%s / %s" % (pre, post))
        greet = (r.step(e, "greeting") or {}).get("message", "")
        T.check("Sendmail" in greet, name + ": the greeting is Sendmail's", greet)
    T.check(r.rc == 0, name + ": exit 0", "rc=%d" % r.rc)


def incoming_healthy(name, host, a, word):
    r = probe(endpoints("imap:993:tls", "imap:143:starttls", "pop3:995:tls",
                        "pop3:110:starttls") + [host], timeout=10)
    common(name, r)
    got = eps(r)
    for proto, port in INCOMING:
        e = got.get((proto, port, a))
        if T.check(e is not None, name + ": %s:%d probed" % (proto, port), str(sorted(got))):
            works(name, r, e)
    T.check(r.rc == 0, name + ": exit 0", "rc=%d" % r.rc)
    return r, got


def test_cyrus_healthy():
    """The first login creates the INBOX (autocreate_quota); Cyrus answers
    a second login racing it with "-ERR [SYS/TEMP] ... Mailbox already
    exists" (auth_error, a temporary failure): one IMAP login first."""
    name = "cyrus healthy"
    a = addr("CYRUS_ADDR")
    r = probe(["--endpoint", "imap:993:tls", "cyrus.lab.test"])
    for e in r.endpoints():
        works(name + " (first login)", r, e)
    r, got = incoming_healthy(name, "cyrus.lab.test", a, "Cyrus")
    e = got.get(("imap", 143, a))
    if e:
        greet = r.step(e, "greeting") or {}
        T.check("Cyrus IMAP" in greet.get("message", "") and
                "LOGINDISABLED" in greet.get("capabilities", []),
                name + ": Cyrus' greeting, login disabled before TLS", str(greet)[:300])
        post = (r.step(e, "capabilities") or {}).get("capabilities", [])
        T.check("AUTH=PLAIN" in post, name + ": AUTH=PLAIN after STARTTLS", str(post))
    e = got.get(("pop3", 995, a))
    if e:
        caps = (r.step(e, "capabilities") or {}).get("capabilities", [])
        T.check(any(c.startswith("SASL") and "PLAIN" in c for c in caps),
                name + ": POP3 CAPA lists SASL PLAIN", str(caps))


def test_mailutils_healthy():
    name = "mailutils healthy"
    a = addr("MAILUTILS_ADDR")
    r, got = incoming_healthy(name, "mailutils.lab.test", a, "IMAP4rev1")
    e = got.get(("pop3", 110, a))
    if e:
        lg = r.step(e, "login") or {}
        T.check(lg.get("ok") is True and "opened mailbox" in lg.get("message", ""),
                name + ": POP3 USER/PASS after STLS", str(lg))


def test_opensmtpd_tls_fault():
    """Debian 12's OpenSMTPD answers every TLS handshake with an alert: the
    server's TLS setup, said with the alert; no 'nothing listens', no blame
    on this network."""
    name = "opensmtpd TLS alert"
    r = probe(endpoints("smtp:587:starttls", "smtp:465:tls") + ["smtpd.lab.test"])
    common(name, r)
    got = eps(r)
    a = addr("SMTPD_ADDR")
    for port in (587, 465):
        e = got.get(("smtp", port, a))
        if T.check(e is not None, name + ": smtp:%d probed" % port, str(sorted(got))):
            failed_at(name, e, "tls", "tls_handshake_failed",
                      'the server ended the TLS handshake with the alert "internal error"')
            f = finding(r, "endpoint_failed", port)
            T.check("server's TLS setup" in said(f) and "Nothing listens" not in said(f),
                    name + ": %d: the server's TLS setup, not 'nothing listens'" % port, said(f))
    e = got.get(("smtp", 587, a))
    if e:
        greet = (r.step(e, "greeting") or {}).get("message", "")
        pre = (r.step(e, "starttls") or {}).get("capabilities", [])
        T.check("OpenSMTPD" in greet and "STARTTLS" in pre and
                not any(c.startswith("AUTH") for c in pre),
                name + ": OpenSMTPD's greeting, STARTTLS offered, AUTH not before TLS",
                "%s / %s" % (greet, pre))
    no_blame(name, r)
    T.check(r.rc == 2, name + ": critical, exit 2", "rc=%d" % r.rc)


# ------------------------------------------------------------------ wrong password

def test_wrong_passwords():
    cases = (("sendmail", "smtp:465:tls", "sendmail.lab.test", "535 5.7.0"),
             ("cyrus imap", "imap:993:tls", "cyrus.lab.test", "NO"),
             ("cyrus pop3", "pop3:110:starttls", "cyrus.lab.test", "-ERR [AUTH]"),
             ("mailutils imap", "imap:143:starttls", "mailutils.lab.test", "NO"),
             ("mailutils pop3", "pop3:995:tls", "mailutils.lab.test", "-ERR [AUTH]"))
    for who, spec, host, words in cases:
        name = who + " wrong password"
        r = probe(["--endpoint", spec, host], password="wrong-" + PASSWORD, timeout=12)
        common(name, r)
        for e in r.endpoints():
            failed_at(name, e, "login", "auth_failed", words)
        f = finding(r, "login_rejected")
        T.check(f is not None and r.rc == 2, name + ": login_rejected, exit 2",
                str([x["id"] for x in findings(r)]))


# ------------------------------------------------------------------ server-side faults

def test_stopped():
    """A stopped service refuses: the server's side, said so."""
    name = "opensmtpd stopped"
    srv("stop", "opensmtpd")
    try:
        r = probe(["smtpd.lab.test"], timeout=6)
    finally:
        srv("start", "opensmtpd")
    for e in r.endpoints():
        refused(name, e)
    f = finding(r, "host_unreachable")
    T.check(f is not None and f.get("cause") == "server" and
            f.get("basis") == "refused_by_server", name + ": host_unreachable, cause server",
            str([(x["id"], x.get("cause")) for x in findings(r)]))
    no_blame(name, r)

    name = "mailutils pop3d stopped"
    srv("stop", "mailutils-pop3")
    try:
        r = probe(endpoints("imap:993:tls", "pop3:995:tls") + ["mailutils.lab.test"], timeout=6)
    finally:
        srv("start", "mailutils-pop3")
    got = eps(r)
    a = addr("MAILUTILS_ADDR")
    if T.check(("pop3", 995, a) in got and ("imap", 993, a) in got, name + ": both probed"):
        refused(name, got[("pop3", 995, a)])
        works(name, r, got[("imap", 993, a)])
    f = finding(r, "endpoint_failed", 995)
    T.check("Nothing listens" in said(f), name + ": 'nothing listens' for 995", said(f))
    no_blame(name, r)


def test_dropped_at_server():
    """A port dropped by the server's own filter looks like any drop from
    here: both causes said, with how to tell them apart."""
    name = "sendmail 587 dropped at the server"
    srv("block", addr("SENDMAIL_ADDR"), "587")
    try:
        r = probe(endpoints("smtp:587:starttls", "smtp:465:tls") + ["sendmail.lab.test"],
                  timeout=4)
    finally:
        srv("unblock")
    f = finding(r, "outgoing_port_blocked")
    T.check(f is not None and f.get("cause") == "unknown" and "server's side" in said(f) and
            "another network" in said(f), name + ": outgoing_port_blocked, cause unknown, "
            "both causes and how to tell them apart", said(f))
    no_blame(name, r)

    name = "cyrus 993 dropped at the server"
    srv("block", addr("CYRUS_ADDR"), "993")
    try:
        r = probe(endpoints("imap:993:tls", "pop3:995:tls") + ["cyrus.lab.test"], timeout=4)
    finally:
        srv("unblock")
    got = eps(r)
    e = got.get(("imap", 993, addr("CYRUS_ADDR")))
    if T.check(e is not None, name + ": 993 probed"):
        failed_at(name, e, "connect", "connect_timeout")
    f = finding(r, "endpoint_failed", 993)
    T.check("at the server" in said(f) and "another network" in said(f),
            name + ": this network or the server, and how to tell", said(f))
    no_blame(name, r)


def test_misconfigured():
    """misconf.lab.test: Sendmail 587 and Mailutils 143/110 without
    STARTTLS, 993/995 with an expired certificate, nothing on 25 or 465."""
    name = "misconfigured"
    r = probe(["--ports", "all", "misconf.lab.test"], timeout=8)
    common(name, r)
    got = eps(r)
    a = addr("MISCONF_ADDR")
    words = {("smtp", 587): "503 5.5.0 TLS not available",
             ("imap", 143): "BAD", ("pop3", 110): "-ERR"}
    for (proto, port), w in words.items():
        e = got.get((proto, port, a))
        if T.check(e is not None, name + ": %s:%d probed" % (proto, port)):
            failed_at(name, e, "starttls", "starttls_unsupported", w)
    f = finding(r, "endpoint_failed", 587)
    T.check("does not offer STARTTLS" in said(f) and "another network" in said(f) and
            "Nothing listens" not in said(f),
            name + ": STARTTLS missing: the provider's, with the rarer cause", said(f))
    for proto, port in (("imap", 993), ("pop3", 995)):
        e = got.get((proto, port, a))
        if T.check(e is not None, name + ": %s:%d probed" % (proto, port)):
            failed_at(name, e, "tls", "tls_expired")
            lg = r.step(e, "login") or {}
            T.check(lg.get("class") == "auth_skipped", name + ": " + tag(e) +
                    " no password over an expired certificate", str(lg))
    T.check(finding(r, "cert_expired") is not None, name + ": cert_expired")
    f = finding(r, "port25_blocked")
    T.check(f is not None and f.get("cause") == "server" and "refuses" in said(f) and
            "this network" not in said(f),
            name + ": port 25 refused at the server, not 'from this network'", said(f))
    no_blame(name, r)


def test_hung_server():
    """Mailutils imap4d stopped with SIGSTOP: the kernel accepts, nothing
    answers. Not 'nothing listens', not this network's doing."""
    name = "mailutils imap4d hung"
    srv("pause", "mailutils-imap")
    try:
        r = probe(["--endpoint", "imap:993:tls", "mailutils.lab.test"], timeout=3)
    finally:
        srv("resume", "mailutils-imap")
    for e in r.endpoints():
        failed_at(name, e, "tls", "read_timeout")
    f = finding(r, "endpoint_failed", 993)
    T.check("connection was accepted" in said(f) and "Nothing listens" not in said(f),
            name + ": accepted, nothing sent", said(f))
    no_blame(name, r)


def test_slow_greeting():
    """Sendmail's greet_pause (6 s) on slow.lab.test: with 3 s a greeting
    timeout that says the server was silent; with 10 s it works, with the
    warning greeting_slow (the seconds, both usual causes, how to tell)."""
    name = "sendmail greeting pause"
    r = probe(["--endpoint", "smtp:587:starttls", "slow.lab.test"], timeout=3)
    for e in r.endpoints():
        failed_at(name, e, "greeting", "greeting_timeout")
    f = finding(r, "endpoint_failed", 587)
    T.check("connection was accepted" in said(f) and "--timeout" in said(f),
            name + ": silent server, try a longer --timeout", said(f))
    no_blame(name, r)
    r = probe(["--endpoint", "smtp:587:starttls", "slow.lab.test"], timeout=10)
    common(name, r)
    for e in r.endpoints():
        works(name + " (10 s)", r, e)
        T.check((r.step(e, "greeting") or {}).get("seconds", 0) >= 5.9,
                name + ": the greeting step took the pause", str(r.step(e, "greeting")))
    f = finding(r, "greeting_slow")
    T.check(f is not None and f.get("severity") == "warning" and "port 587" in said(f) and
            "another network" in said(f), name + ": greeting_slow names port 587 and how to "
            "tell the causes apart", said(f))
    T.check(r.rc == 1 and finding(r, "endpoint_failed") is None,
            name + ": a warning (exit 1), nothing failed", "rc=%d" % r.rc)
    no_blame(name, r)


def main():
    tests = [lambda: T.check(E.get("LAB_EXTRA") == "running", "the chroot's servers run",
                             "state %r" % E.get("LAB_EXTRA"))]
    if E.get("LAB_EXTRA") == "running":
        tests += [test_sendmail_healthy, test_cyrus_healthy, test_mailutils_healthy,
                  test_opensmtpd_tls_fault, test_wrong_passwords, test_stopped,
                  test_dropped_at_server, test_misconfigured, test_hung_server,
                  test_slow_greeting]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
