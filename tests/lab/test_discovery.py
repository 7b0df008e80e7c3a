#!/usr/bin/python3
"""Discovery, sending and delivery against the lab: dnsmasq serves SRV, MX
and address records of the discovery domains, the lab's HTTPS server the
autoconfig files (see tests/lab/lab.sh), Postfix delivers to Dovecot. The
lab must be running.
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, no_secret, probe  # noqa: E402

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
    T.check(("smtp", "mail.lab.test", 2525, "starttls") in servers(sources(r).get("srv", {})),
            "conflict.test: the discovery shows the SRV record's dead port")
    T.check(not any(e["port"] == 2525 for e in r.endpoints()),
            "conflict.test: the autoconfig file (verified HTTPS) wins over SRV",
            str([e["port"] for e in r.endpoints()]))
    rec = (r.json or {}).get("recommended", {}).get("outgoing") or {}
    T.check(rec.get("port") in (587, 465), "conflict.test: recommends a working port", str(rec))
    # the dead SRV port is not probed (the verified file wins): the conflict,
    # a warning, is all that is wrong
    T.check(r.rc == 1, "conflict.test: the conflict is a warning, exit 1", "rc=%d" % r.rc)


LOGS = ("dovecot.log", "postfix.log")


def log_sizes():
    return {n: os.path.getsize(os.path.join(E["LAB_LOG_DIR"], n))
            if os.path.exists(os.path.join(E["LAB_LOG_DIR"], n)) else 0 for n in LOGS}


def logged_since(sizes):
    """What the lab's Dovecot and Postfix logged after sizes (log_sizes())."""
    text = ""
    for n in LOGS:
        with open(os.path.join(E["LAB_LOG_DIR"], n), errors="replace") as fh:
            fh.seek(sizes[n])
            text += fh.read()
    return text


def logins_at(text, addr):
    """Server-side logins (Dovecot) and SASL authentications (Postfix) seen in text;
    Dovecot's lines carry the local address, Postfix's do not."""
    return [ln for ln in text.split("\n")
            if ("Login: user=<" in ln and "lip=%s," % addr in ln) or "sasl_username=" in ln
            or "auth failed" in ln]


def trust_of(r, source):
    return sorted({(f["host"], f.get("trusted"), f.get("trust"))
                   for f in sources(r).get(source, {}).get("found", [])})


def login_steps(r):
    return [r.step(e, "login") for e in r.endpoints()]


def forged(args, timeout=6):
    """alice@forged.test: SRV and MX (plain DNS) name wronghost.lab.test, whose
    certificate is valid for that name: an attacker's server. The lab account
    and password are offered, as a user would."""
    before = log_sizes()
    r = probe(CA + ["--format", "json", "-4", "--user", E["LAB_USER"]] + args +
              ["alice@forged.test"], password=PASSWORD, timeout=timeout)
    return r, logins_at(logged_since(before), E["LAB_ADDR_WRONGHOST"])


def test_forged_dns_gets_no_password():
    r, logins = forged(["--trace"])
    valid("forged.test", r)
    no_secret(r, "forged.test")
    T.check(logins == [], "forged.test: the password never reached the server DNS named",
            str(logins[:3]))
    T.check(len(r.endpoints()) == 4 and
            all(e["host"] == "wronghost.lab.test" for e in r.endpoints()),
            "forged.test: the discovered endpoints are still checked")
    steps = login_steps(r)
    T.check(steps and all(s and s["class"] == "auth_skipped" for s in steps),
            "forged.test: every login auth_skipped", str([s and s.get("class") for s in steps]))
    T.check(steps and all(s and "wronghost.lab.test" in s["message"] and "forged.test" in
                          s["message"] and "SRV" in s["message"] for s in steps),
            "forged.test: the message names the host, the source and the domain",
            steps[0]["message"] if steps and steps[0] else "")
    T.check(all(e["steps"][-1]["step"] == "logout" and
                all(s["ok"] for s in e["steps"] if s["step"] in ("connect", "tls", "greeting",
                                                                 "capabilities"))
                for e in r.endpoints()), "forged.test: checked up to the login")
    T.check(trust_of(r, "srv") == [("wronghost.lab.test", False, "untrusted")] and
            trust_of(r, "mx") == [("wronghost.lab.test", False, "untrusted")],
            "forged.test: discovery says untrusted", str(trust_of(r, "srv")))
    sent = re.findall(r"C: [^\n]*\b(AUTH|AUTHENTICATE|LOGIN|USER|PASS)\b", r.err)
    T.check("C: " in r.err and not sent, "forged.test: no credential command in the transcript",
            str(sent[:3]))
    fs = {f["id"]: f for f in (r.json or {}).get("findings", [])}
    f = fs.get("discovery_untrusted")
    T.check(f is not None and f["severity"] == "warning" and "wronghost.lab.test" in f["summary"]
            and "forged.test" in f["summary"] and "--trust-discovered" in f["advice"],
            "forged.test: discovery_untrusted names the host, the domain and how to confirm it",
            str(sorted(fs)))
    rec = (r.json or {}).get("recommended", {})
    T.check(rec.get("incoming") is None and rec.get("outgoing") is None,
            "forged.test: the forged server is never recommended", str(rec))
    T.check(r.rc == 1, "forged.test: a warning (exit 1), the endpoints work", "rc=%d" % r.rc)


def test_trust_discovered_logs_in():
    r, logins = forged(["--trust-discovered"])
    valid("--trust-discovered", r)
    steps = login_steps(r)
    T.check(steps and all(s and s["ok"] for s in steps), "--trust-discovered: logged in",
            str([s and s.get("class") for s in steps]))
    T.check(any("Login: user=<" in ln for ln in logins),
            "--trust-discovered: the server saw the login (the log check can fail)",
            str(logins[:2]))
    T.check(trust_of(r, "srv") == [("wronghost.lab.test", True, "user")],
            "--trust-discovered: trust user", str(trust_of(r, "srv")))


def test_autoconfig_beats_forged_srv():
    """spoofed.test: autoconfig over verified HTTPS names mail.lab.test, forged
    SRV records name wronghost.lab.test."""
    before = log_sizes()
    r = probe(CA + ["--format", "json", "-4", "--user", E["LAB_USER"], "alice@spoofed.test"],
              password=PASSWORD, timeout=6)
    logins = logins_at(logged_since(before), E["LAB_ADDR_WRONGHOST"])
    valid("spoofed.test", r)
    T.check(r.endpoints() and all(e["host"] == E["LAB_HOST"] for e in r.endpoints()),
            "spoofed.test: the autoconfig servers are probed, not the SRV ones",
            str(sorted({e["host"] for e in r.endpoints()})))
    steps = login_steps(r)
    T.check(steps and all(s and s["ok"] for s in steps), "spoofed.test: logged in there",
            str([s and s.get("class") for s in steps]))
    T.check(not [ln for ln in logins if "Login: user=<" in ln],
            "spoofed.test: nothing logged in at the SRV host", str(logins[:2]))
    rec = (r.json or {}).get("recommended") or {}
    T.check(all((rec.get(k) or {}).get("host") == E["LAB_HOST"] for k in ("incoming", "outgoing")),
            "spoofed.test: the recommended servers are autoconfig's", str(rec))
    T.check(trust_of(r, "srv") == [("wronghost.lab.test", False, "untrusted")] and
            trust_of(r, "autoconfig") == [(E["LAB_HOST"], True, "autoconfig_https")],
            "spoofed.test: trust per source", str(trust_of(r, "srv") + trust_of(r, "autoconfig")))


def test_in_domain_is_trusted():
    r = probe(CA + ["--format", "json", "-4", "--user", E["LAB_USER"], "x@guess.test"],
              password=PASSWORD)
    T.check(trust_of(r, "guess") == [("mail.guess.test", True, "in_domain")],
            "guess.test: a host in the domain is trusted", str(trust_of(r, "guess")))
    steps = login_steps(r)
    T.check(steps and all(s and s["ok"] for s in steps), "guess.test: logged in",
            str([s and s.get("class") for s in steps]))
    r = probe(CA + ["--format", "json", "-4", "alice@lab.test"])
    T.check(trust_of(r, "srv") == [(E["LAB_HOST"], True, "autoconfig_https")],
            "lab.test: a host autoconfig also names is trusted by it", str(trust_of(r, "srv")))


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
             test_forged_dns_gets_no_password, test_trust_discovered_logs_in,
             test_autoconfig_beats_forged_srv, test_in_domain_is_trusted,
             test_blocked_port_is_no_conflict, test_nothing_found,
             test_send, test_delivery]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
