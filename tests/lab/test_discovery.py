#!/usr/bin/python3
"""Discovery, sending and delivery against the lab: dnsmasq serves SRV, MX
and address records of the discovery domains, the lab's HTTPS server the
autoconfig files (see tests/lab/lab.sh), Postfix delivers to Dovecot. The
lab must be running.
"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, probe  # noqa: E402

T = mptest.Counter("discovery")
CA = ["--ca-file", E["LAB_CA"]]


def sources(r):
    d = (r.json or {}).get("discovery") or {}
    return {s["source"]: s for s in d.get("sources", [])}


def servers(src):
    return sorted((f["protocol"], f["host"], f["port"], f["security"]) for f in src.get("found", []))


def valid(name, r):
    T.check(r.json is not None, name + ": JSON", r.err[-300:])
    if r.json is not None:
        errs = mptest.schema_errors(r.json)
        T.check(errs == [], name + ": schema-valid", str(errs[:3]))


def test_all_sources():
    r = probe(CA + ["--format", "json", "-4", "alice@lab.test"])
    valid("lab.test", r)
    s = sources(r)
    T.check(r.json and r.json["discovery"]["domain"] == "lab.test", "lab.test: domain")
    T.check(all(s.get(k, {}).get("ok") for k in ("srv", "autoconfig", "mx", "guess")),
            "lab.test: every source answers", str({k: v.get("ok") for k, v in s.items()}))
    T.check(servers(s.get("srv", {})) == sorted([
        ("imap", "mail.lab.test", 993, "tls"), ("pop3", "mail.lab.test", 995, "tls"),
        ("smtp", "mail.lab.test", 587, "starttls"), ("smtp", "mail.lab.test", 465, "tls")]),
        "lab.test: SRV records", str(servers(s.get("srv", {}))))
    T.check(("smtp", "mail.lab.test", 587, "starttls") in servers(s.get("autoconfig", {})),
            "lab.test: autoconfig", str(servers(s.get("autoconfig", {}))))
    T.check("mail.lab.test" in s.get("mx", {}).get("message", ""), "lab.test: MX")
    T.check(r.rc == 0 and all(e["ok"] for e in r.endpoints()), "lab.test: endpoints ok",
            "rc=%d" % r.rc)
    T.check(r.json and r.json["recommended"]["username"] == "alice@lab.test",
            "lab.test: the user name defaults to the address")
    ids = [f["id"] for f in (r.json or {}).get("findings", [])]
    T.check("discovery_conflict" not in ids, "lab.test: sources agree", str(ids))


def test_single_sources():
    for addr, source in (("x@auto.test", "autoconfig"), ("x@mx.test", "mx"),
                         ("x@guess.test", "guess")):
        r = probe(CA + ["--format", "json", "-4", addr])
        valid(addr, r)
        s = sources(r)
        T.check(s.get(source, {}).get("ok") and
                all(not v["ok"] for k, v in s.items() if k != source),
                addr + ": only " + source + " answers", str({k: v.get("ok") for k, v in s.items()}))
        T.check(r.rc == 0 and len(r.endpoints()) == 4 and all(e["ok"] for e in r.endpoints()),
                addr + ": the found servers work", "rc=%d %s" % (r.rc, r.err[-200:]))
    r = probe(CA + ["--format", "json", "-4", "--discover", "mx.test"])
    valid("--discover", r)
    T.check(sources(r).get("mx", {}).get("ok") and r.rc == 0, "--discover DOMAIN without HOST")


def test_conflict():
    r = probe(CA + ["--format", "json", "-4", "x@conflict.test"], timeout=4)
    valid("conflict.test", r)
    fs = {f["id"]: f for f in (r.json or {}).get("findings", [])}
    f = fs.get("discovery_conflict")
    T.check(f is not None and f["severity"] == "warning", "conflict.test: discovery_conflict",
            str(sorted(fs)))
    T.check(f is not None and sorted(e["message"].split(":")[0] for e in f["evidence"]) ==
            ["autoconfig", "srv"] and all(e["step"] == "discover" and e["endpoint"] is None
                                          for e in f["evidence"]),
            "conflict.test: the evidence is the two disagreeing sources",
            str(f and f["evidence"]))
    dead = [e for g in fs.values() if g["id"] != "discovery_conflict" for e in g["evidence"]
            if e["endpoint"] and ":2525:" in e["endpoint"]]
    T.check(dead != [], "conflict.test: the dead SRV endpoint is a reachability finding",
            str(sorted(fs)))
    rec = (r.json or {}).get("recommended", {}).get("outgoing") or {}
    T.check(rec.get("port") in (587, 465), "conflict.test: recommends a working port", str(rec))
    # the dead SRV endpoint is a failed endpoint like any other (critical); the
    # conflict itself is a warning
    T.check(r.rc == 2, "conflict.test: the dead published endpoint makes it critical, exit 2",
            "rc=%d" % r.rc)


def test_blocked_port_is_no_conflict():
    """A published port blocked on the path is the network's fault."""
    import subprocess
    from test_lab import LAB
    subprocess.run(["sh", LAB, "block", "587", "drop"], check=True)
    try:
        r = probe(CA + ["--format", "json", "-4", "alice@lab.test"], timeout=3)
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)
    ids = [f["id"] for f in (r.json or {}).get("findings", [])]
    T.check("outgoing_port_blocked" in ids and "discovery_conflict" not in ids,
            "blocked 587 with discovery: outgoing_port_blocked, no conflict", str(ids))


def test_nothing_found():
    r = probe(CA + ["--format", "json", "-4", "x@nowhere.test"], timeout=3)
    valid("nowhere.test", r)
    T.check(not any(s["ok"] for s in sources(r).values()), "nowhere.test: no source answers")
    ids = [f["id"] for f in (r.json or {}).get("findings", [])]
    T.check("dns_failure" in ids and r.rc == 2, "nowhere.test: dns_failure, exit 2", str(ids))


def user(args):
    return ["--user", E["LAB_USER"]] + args


def test_send():
    r = probe(CA + user(["--format", "json", "-4", "--mail-from", E["LAB_USER"], "--rcpt-to",
                         E["LAB_USER"], E["LAB_HOST"]]), password=PASSWORD)
    valid("send ok", r)
    sends = [r.step(e, "send") for e in r.endpoints() if e["protocol"] == "smtp"]
    T.check(sends and all(s and s["ok"] for s in sends), "send ok: MAIL FROM/RCPT TO accepted")
    T.check(r.rc == 0, "send ok: exit 0", "rc=%d" % r.rc)
    for rcpt, frm, cls in (("nobody@lab.test", E["LAB_USER"], "recipient_rejected"),
                           (E["LAB_USER"], "bob@lab.test", "sender_rejected")):
        r = probe(CA + user(["--format", "json", "-4", "--mail-from", frm, "--rcpt-to", rcpt,
                             E["LAB_HOST"]]), password=PASSWORD)
        valid(cls, r)
        fs = {f["id"]: f for f in (r.json or {}).get("findings", [])}
        f = fs.get("sending_rejected")
        T.check(f is not None and f["severity"] == "critical" and
                any(e["class"] == cls for e in f["evidence"]), cls + ": sending_rejected",
                str(sorted(fs)))
        T.check(f is not None and "5." in f["summary"], cls + ": the server's words in the summary")
        T.check("login_rejected" not in fs, cls + ": told apart from a login problem")


def maildir_count():
    return len(glob.glob(os.path.join(E["LAB_MAILDIR"], "new", "*")) +
               glob.glob(os.path.join(E["LAB_MAILDIR"], "cur", "*")))


def test_delivery():
    before = maildir_count()
    r = probe(CA + ["--format", "json", "-4", "--deliver", "--deliver-timeout", "20",
                    "alice@lab.test"], password=PASSWORD, timeout=6)
    valid("delivery", r)
    d = (r.json or {}).get("delivery") or {}
    T.check(d.get("ok") is True and d.get("seconds", -1) >= 0, "delivery: ok", str(d))
    T.check(r.rc == 0, "delivery: exit 0", "rc=%d %s" % (r.rc, r.out[-300:]))
    T.check(maildir_count() == before, "delivery: the test message was deleted",
            "%d -> %d" % (before, maildir_count()))
    r = probe(CA + ["--format", "json", "-4", "--deliver", "--deliver-timeout", "5",
                    "alice@lab.test"], password="wrong" + PASSWORD, timeout=5)
    d = (r.json or {}).get("delivery") or {}
    T.check(d.get("ok") is False and d.get("class") and r.rc == 2,
            "delivery with a wrong password fails, exit 2", str(d))


def main():
    tests = [test_all_sources, test_single_sources, test_conflict,
             test_blocked_port_is_no_conflict, test_nothing_found,
             test_send, test_delivery]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
