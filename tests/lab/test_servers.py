#!/usr/bin/python3
"""Lab suite against the second mail system (tests/lab/servers.sh: Exim 4.96
and Courier-IMAP 5 with GnuTLS, in their own chroot and namespace) and its
topologies: SMTP and IMAP on separate hosts, an IMAP-only host, a host whose
logins all fail temporarily, a dual-stack host with nothing on IPv6.

Asserts step-level facts only (connect, TLS, login classes and the server's
words per endpoint), not findings. The lab must be running.
"""
import base64
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, LAB  # noqa: E402

T = mptest.Counter("servers")
LOGIN_PORTS = {993, 995, 143, 110, 587, 465}
INCOMING = (("imap", 993), ("pop3", 995), ("imap", 143), ("pop3", 110))
OUTGOING = (("smtp", 587), ("smtp", 465), ("smtp", 25))


def probe(args, password=PASSWORD, timeout=8):
    env = {"MAILPROBE_PASSWORD": password} if password is not None else None
    full = ["--format", "json", "--timeout", str(timeout), "--ca-file", E["LAB_CA"],
            "--user", E["LAB_USER"]] + args
    return mptest.run(full, env=env, netns=E["CLIENT_NS"], hang_guard=timeout + 30)


def eps(r):
    """{(protocol, port, address): endpoint}"""
    return {(e["protocol"], e["port"], e["address"]): e for e in r.endpoints()}


def common(name, r):
    T.check(r.json is not None and mptest.schema_errors(r.json) == [], name + ": schema-valid JSON",
            r.err[-300:])
    b64 = base64.b64encode(b"\0" + E["LAB_USER"].encode() + b"\0" + PASSWORD.encode()).decode()
    T.check(PASSWORD not in r.out + r.err and b64 not in r.out + r.err,
            name + ": no secret in output")


def tag(e):
    return "%s:%d@%s" % (e["protocol"], e["port"], e["address"])


def works(name, r, e, login=True):
    """Every step ok, TLS verified for the host's name, login as asked."""
    t = name + ": " + tag(e)
    T.check(e["ok"] and all(s["ok"] for s in e["steps"]), t + " all steps ok",
            str([(s["step"], s.get("class"), s["message"][:60]) for s in e["steps"] if not s["ok"]]))
    tls = r.step(e, "tls") or {}
    cert = tls.get("cert", {})
    T.check(cert.get("verified") is True and cert.get("hostname_match") is True,
            t + " certificate verified for the name", str(cert)[:200])
    lg = r.step(e, "login")
    if login:
        T.check(lg is not None and lg["ok"], t + " login ok", str(lg))
    return lg


def refused(name, e):
    f = mptest.Result.failed_step(None, e) or {}
    T.check((f.get("step"), f.get("class")) == ("connect", "connect_refused"),
            name + ": " + tag(e) + " connect_refused", str(f))


def failed_at(name, e, step, cls, words=None):
    f = mptest.Result.failed_step(None, e) or {}
    T.check((f.get("step"), f.get("class")) == (step, cls),
            name + ": %s %s %s" % (tag(e), step, cls), str(f))
    if words is not None:
        T.check(words in f.get("message", ""), name + ": " + tag(e) + " message has the server's "
                "words " + repr(words), f.get("message", ""))
    return f


def blocked(ports, how, args, timeout):
    for p in ports:
        subprocess.run(["sh", LAB, "block", str(p), how], check=True)
    try:
        return probe(args, timeout=timeout)
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)


def test_running():
    T.check(E.get("LAB_EXTRA") == "running", "Exim and Courier run (lab.sh env: LAB_EXTRA)",
            "state %r; see build/lab/log/labroot-build.log and lab.sh start's output"
            % E.get("LAB_EXTRA"))


def test_split_smtp_host():
    name = "split smtp.split.test"
    r = probe(["--ports", "all", "smtp.split.test"])
    common(name, r)
    got = eps(r)
    a = E["SPLIT_SMTP_ADDR"]
    T.check(len(got) == 7, name + ": seven endpoints at one address", str(sorted(got)))
    for port in (587, 465, 25):
        e = got.get(("smtp", port, a))
        if T.check(e is not None, name + ": smtp:%d probed" % port):
            lg = works(name, r, e, login=port != 25)
            if port != 25:
                T.check(lg and lg.get("mechanism") in ("PLAIN", "LOGIN") and "235" in lg["message"],
                        name + ": Exim accepts the login on %d" % port, str(lg))
    e = got.get(("smtp", 587, a))
    if e:
        pre = (r.step(e, "starttls") or {}).get("capabilities", [])
        post = (r.step(e, "capabilities") or {}).get("capabilities", [])
        T.check(not any(c.startswith("AUTH") for c in pre) and
                any(c.startswith("AUTH") and "PLAIN" in c for c in post),
                name + ": 587 offers AUTH only after STARTTLS", "%s / %s" % (pre, post))
        greet = (r.step(e, "greeting") or {}).get("message", "")
        T.check("Exim" in greet, name + ": the greeting is Exim's", greet)
    each(name, got, a, INCOMING, lambda e: refused(name, e))


def each(name, got, addr, pairs, fn):
    """fn(endpoint) for every (protocol, port) of pairs, which must be probed."""
    for proto, port in pairs:
        e = got.get((proto, port, addr))
        if T.check(e is not None, name + ": %s:%d probed" % (proto, port), str(sorted(got))):
            fn(e)


def incoming_only(name, host, addr):
    """IMAP and POP3 work with every login; nothing listens for SMTP."""
    r = probe(["--ports", "all", host])
    common(name, r)
    got = eps(r)

    def courier(e):
        works(name, r, e)
        greet = (r.step(e, "greeting") or {}).get("message", "")
        T.check(e["protocol"] == "pop3" or "Courier" in greet,
                name + ": " + tag(e) + " greeting is Courier's", greet)

    each(name, got, addr, INCOMING, courier)
    each(name, got, addr, OUTGOING, lambda e: refused(name, e))


def test_split_imap_host():
    incoming_only("split imap.split.test", "imap.split.test", E["SPLIT_IMAP_ADDR"])


def test_imap_only():
    incoming_only("imap-only imaponly.lab.test", "imaponly.lab.test", E["IMAPONLY_ADDR"])


def split_587_blocked(how, want):
    """Separate SMTP host, 587 dropped or refused on the way, 465 works."""
    name = "split, 587 " + how
    r = blocked([587], how, ["smtp.split.test"], timeout=4)
    common(name, r)
    got = eps(r)
    a = E["SPLIT_SMTP_ADDR"]
    e587, e465 = got.get(("smtp", 587, a)), got.get(("smtp", 465, a))
    if T.check(e587 is not None and e465 is not None, name + ": 587 and 465 probed"):
        failed_at(name, e587, "connect", want)
        works(name, r, e465)


def test_split_587_dropped():
    split_587_blocked("drop", "connect_timeout")


def test_split_587_refused():
    split_587_blocked("reset", "connect_refused")


def test_split_discovery():
    """split.test's SRV records name two hosts; both are probed and work."""
    name = "split discovery"
    r = probe(["--discover", "split.test"], timeout=10)
    common(name, r)
    hosts = {(e["host"], e["protocol"], e["port"]): e for e in r.endpoints()}
    for key in (("imap.split.test", "imap", 993), ("imap.split.test", "pop3", 995),
                ("smtp.split.test", "smtp", 587), ("smtp.split.test", "smtp", 465)):
        e = hosts.get(key)
        if T.check(e is not None, name + ": %s %s:%d probed" % key, str(sorted(hosts))):
            works(name, r, e)


def test_temporary_failure():
    """Courier without its auth daemon, Exim with a deferred authenticator:
    every login is auth_error with the server's words; the rest works."""
    name = "tempfail tempfail.lab.test"
    r = probe(["--ports", "all", "tempfail.lab.test"], timeout=10)
    common(name, r)
    got = eps(r)
    a = E["TEMPFAIL_ADDR"]
    words = {"imap": "Temporary problem, please try again later",
             "pop3": "Temporary problem, please try again later",
             "smtp": "435 Unable to authenticate at present"}
    T.check(len(got) == 7, name + ": seven endpoints", str(sorted(got)))
    for (proto, port, addr), e in sorted(got.items()):
        T.check(addr == a, name + ": at its address", addr)
        for step in ("connect", "tls", "greeting"):
            st = r.step(e, step) or {}
            T.check(st.get("ok") is True, name + ": %s %s ok" % (tag(e), step), str(st)[:200])
        if port in LOGIN_PORTS:
            failed_at(name, e, "login", "auth_error", words[proto])
            lo = r.step(e, "logout") or {}
            T.check(lo.get("ok") is True, name + ": " + tag(e) + " logout not a failure of its own",
                    str(lo))
        else:
            works(name, r, e, login=False)


def test_wrong_password_courier():
    """The contrast: a wrong password on Courier is auth_failed, not auth_error."""
    name = "courier wrong password"
    r = probe(["--endpoint", "imap:993:tls", "imaponly.lab.test"], password="wrong-" + PASSWORD,
              timeout=12)
    common(name, r)
    for e in r.endpoints():
        failed_at(name, e, "login", "auth_failed")


def test_wrong_password_exim():
    name = "exim wrong password"
    r = probe(["--endpoint", "smtp:465:tls", "smtp.split.test"], password="wrong-" + PASSWORD)
    common(name, r)
    for e in r.endpoints():
        failed_at(name, e, "login", "auth_failed", "535")


def test_ipv6_nothing_listening():
    name = "dual.lab.test, nothing on IPv6"
    r = probe(["dual.lab.test"])
    common(name, r)
    got = eps(r)
    for proto, port in (("imap", 993), ("pop3", 995), ("smtp", 587), ("smtp", 465)):
        e4, e6 = got.get((proto, port, E["DUAL_ADDR"])), got.get((proto, port, E["DUAL_ADDR6"]))
        if T.check(e4 is not None and e6 is not None, name + ": %s:%d on both families"
                   % (proto, port), str(sorted(got))):
            works(name, r, e4)
            refused(name, e6)


def main():
    tests = [test_running]
    if E.get("LAB_EXTRA") == "running":
        tests += [test_split_smtp_host, test_split_imap_host, test_split_587_dropped,
                  test_split_587_refused, test_split_discovery, test_imap_only,
                  test_temporary_failure, test_wrong_password_courier, test_wrong_password_exim,
                  test_ipv6_nothing_listening]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
