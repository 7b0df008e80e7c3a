#!/usr/bin/python3
"""Diagnosis against the lab and hostile networks: each case asserts the
finding (id, severity), the class behind it, the recommended settings, the
exit code, and that no credential reached the hostile side. Middleboxes
(tests/hostile/proxy.py) and scripted servers run in the client namespace
on its loopback, in front of the lab. The lab must be running.
"""
import base64
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, LAB, probe  # noqa: E402

HOSTILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile")
T = mptest.Counter("diagnosis")
CA = ["--ca-file", E["LAB_CA"]]
USER = ["--user", E["LAB_USER"]]


def findings(r):
    return {f["id"]: f for f in (r.json or {}).get("findings", [])}


def rec(r, which):
    return ((r.json or {}).get("recommended") or {}).get(which)


def expect(name, r, fid, severity, rc, cls=None):
    fs = findings(r)
    T.check(r.json is not None and mptest.schema_errors(r.json) == [], name + ": schema-valid",
            r.err[-200:])
    f = fs.get(fid)
    T.check(f is not None and f["severity"] == severity, name + ": finding %s %s" % (fid, severity),
            str(sorted(fs)))
    T.check(r.rc == rc, name + ": exit %d" % rc, "rc=%d" % r.rc)
    if f is not None and cls is not None:
        classes = [e["class"] for e in f["evidence"]]
        T.check(cls in classes, name + ": evidence class " + cls, str(classes))
    if f is not None:
        T.check(len(f["summary"]) > 10 and len(f["advice"]) > 10, name + ": summary and advice")
    T.check(PASSWORD not in r.out + r.err, name + ": no password in output")
    return f


def setting(r, which):
    s = rec(r, which)
    return None if s is None else (s["protocol"], s["port"], s["security"])


def blocked(ports, how, args, timeout=3):
    for p in ports:
        subprocess.run(["sh", LAB, "block", str(p), how], check=True)
    try:
        return probe(args, password=PASSWORD, timeout=timeout)
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)


def test_drop_587():
    r = blocked([587], "drop", CA + USER + ["--format", "json", "-4", E["LAB_HOST"]])
    expect("drop 587", r, "outgoing_port_blocked", "warning", 1, "connect_timeout")
    T.check(setting(r, "outgoing") == ("smtp", 465, "tls"), "drop 587: recommends 465 SSL/TLS",
            str(rec(r, "outgoing")))
    T.check(setting(r, "incoming") == ("imap", 993, "tls"), "drop 587: recommends IMAP 993")
    T.check(rec(r, "username") == E["LAB_USER"], "drop 587: user name")
    r = blocked([587], "drop", CA + USER + ["--format", "json", "-4", "--lang", "de",
                                            E["LAB_HOST"]])
    f = findings(r).get("outgoing_port_blocked", {})
    T.check("465" in f.get("advice", "") and "Port" in f.get("summary", ""),
            "drop 587: JSON stays English with --lang de", f.get("summary", ""))


def test_reset_587():
    r = blocked([587], "reset", CA + USER + ["--format", "json", "-4", E["LAB_HOST"]])
    expect("reset 587", r, "outgoing_port_blocked", "warning", 1, "connect_refused")


def test_drop_587_465():
    r = blocked([587, 465], "drop", CA + USER + ["--format", "json", "-4", E["LAB_HOST"]])
    expect("drop 587+465", r, "outgoing_blocked", "critical", 2, "connect_timeout")
    T.check(rec(r, "outgoing") is None, "drop 587+465: no outgoing setting")
    T.check(setting(r, "incoming") == ("imap", 993, "tls"), "drop 587+465: incoming still")


def test_host_unreachable():
    r = blocked([993, 995, 587, 465], "drop", CA + USER + ["--format", "json", "-4",
                                                           E["LAB_HOST"]], timeout=2)
    expect("all dropped", r, "host_unreachable", "critical", 2, "connect_timeout")


def test_port25():
    r = blocked([25], "drop", CA + USER + ["--format", "json", "-4", "--ports", "all",
                                           E["LAB_HOST"]], timeout=2)
    expect("drop 25", r, "port25_blocked", "info", 0, "connect_timeout")
    T.check(r.json and r.json["status"] == "ok", "drop 25: status stays ok")


def start(cmd, log):
    p = subprocess.Popen(["ip", "netns", "exec", E["CLIENT_NS"], "/usr/bin/python3"] + cmd +
                         ["--log", log, "--lifetime", "30"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("PORT "):
        p.kill()
        raise RuntimeError("helper did not start: %s" % cmd)
    return p, int(line.split()[1])


def no_credential(name, log):
    sent = open(log, "rb").read() if os.path.exists(log) else b""
    b64 = base64.b64encode(b"\0" + E["LAB_USER"].encode() + b"\0" + PASSWORD.encode())
    T.check(PASSWORD.encode() not in sent and b64 not in sent and b"AUTH" not in sent,
            name + ": no credential reached the hostile side", repr(sent[-200:]))


def proxied(mode, port_spec, args, extra=()):
    """Runs a probe with one endpoint through a proxy in the client netns."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "client.log")
        cmd = [os.path.join(HOSTILE, "proxy.py"), mode, "--upstream",
               "%s:%d" % (E["LAB_ADDR"], port_spec[1])] + list(extra)
        p, port = start(cmd, log)
        try:
            ep = "%s:%d:%s" % (port_spec[0], port, port_spec[2])
            r = probe(CA + USER + ["--format", "json", "-4", "--endpoint", ep, "--resolve",
                                   "%s:%d:127.0.0.1" % (E["LAB_HOST"], port)] + args +
                      [E["LAB_HOST"]], password=PASSWORD, timeout=4)
        finally:
            p.kill()
            p.wait()
        return r, log


def test_stripping_proxy():
    r, log = proxied("strip-starttls", ("smtp", 587, "starttls"),
                     ["--endpoint", "imap:993:tls", "--endpoint", "smtp:465:tls"])
    f = expect("strip proxy", r, "starttls_stripped", "critical", 2, "starttls_stripped")
    no_credential("strip proxy", log)
    T.check(setting(r, "outgoing") == ("smtp", 465, "tls"), "strip proxy: recommends 465",
            str(rec(r, "outgoing")))
    r, log = proxied("drop-starttls", ("smtp", 587, "starttls"),
                     ["--endpoint", "smtp:587:starttls", "--endpoint", "smtp:465:tls"])
    expect("drop-STARTTLS proxy", r, "starttls_stripped", "critical", 2, "starttls_unsupported")
    no_credential("drop-STARTTLS proxy", log)


def test_intercepting_proxy():
    with tempfile.TemporaryDirectory() as certs:
        ca, cert, key = mptest.make_certs(certs, names=(E["LAB_HOST"],))
        r, log = proxied("intercept-tls", ("imap", 993, "tls"),
                         ["--endpoint", "imap:993:tls", "--endpoint", "smtp:465:tls"],
                         extra=["--cert", cert, "--key", key])
    expect("intercepting proxy", r, "tls_intercepted", "critical", 2, "tls_untrusted")
    no_credential("intercepting proxy", log)


def cert_case(name, addr, fid, severity, rc, cls, extra=()):
    r = probe(CA + USER + ["--format", "json", "--resolve", "%s:*:%s" % (E["LAB_HOST"], addr)] +
              list(extra) + [E["LAB_HOST"]], password=PASSWORD)
    expect(name, r, fid, severity, rc, cls)
    return r


def test_certificates():
    r = cert_case("expired", E["LAB_ADDR_EXPIRED"], "cert_expired", "critical", 2, "tls_expired")
    T.check(all((r.step(e, "login") or {}).get("class") == "auth_skipped" for e in r.endpoints()),
            "expired: no login attempted")
    r = cert_case("not yet valid", E["LAB_ADDR_NOTYET"], "clock_skew", "warning", 2,
                  "tls_not_yet_valid")
    T.check("endpoint_failed" in findings(r), "not yet valid: endpoints still failed")
    cert_case("no intermediate", E["LAB_ADDR_NOCHAIN"], "cert_chain_incomplete", "warning", 1,
              "tls_untrusted")
    r = cert_case("expiring", E["LAB_ADDR_EXPIRING"], "cert_expiring", "warning", 1, None)
    T.check(setting(r, "incoming") == ("imap", 993, "tls"), "expiring: settings still work")
    cert_case("expiring, crit 6 days", E["LAB_ADDR_EXPIRING"], "cert_expiring", "critical", 2,
              None, ["--cert-crit-days", "6"])


def test_logins():
    r = probe(CA + USER + ["--format", "json", "-4", E["LAB_HOST"]], password="nope" + PASSWORD)
    f = expect("wrong password", r, "login_rejected", "critical", 2, "auth_failed")
    T.check(setting(r, "incoming") == ("imap", 993, "tls"), "wrong password: settings work")
    r = probe(CA + ["--user", "alice", "--format", "json", "-4", E["LAB_HOST"]],
              password=PASSWORD)
    f = expect("user without domain", r, "login_rejected", "critical", 2, "auth_failed") or {}
    T.check("full e-mail address" in f.get("advice", "") and "@" in f.get("advice", ""),
            "user without domain: advice names the full address", f.get("advice", ""))
    r = probe(CA + ["--format", "json", "-4", E["LAB_HOST"]])
    expect("no credentials", r, "login_not_tested", "info", 0)


def test_outgoing_only():
    with tempfile.TemporaryDirectory() as tmp:
        ca, cert, key = mptest.make_certs(tmp, names=(E["LAB_HOST"],))
        bundle = os.path.join(tmp, "bundle.pem")
        with open(bundle, "w") as f:
            f.write(open(E["LAB_CA"]).read() + open(ca).read())
        log = os.path.join(tmp, "smtp.log")
        p, port = start([os.path.join(HOSTILE, "server.py"), "smtps-auth-rejected", "--cert",
                         cert, "--key", key], log)
        try:
            r = probe(["--ca-file", bundle] + USER +
                      ["--format", "json", "-4", "--endpoint", "imap:993:tls", "--endpoint",
                       "smtp:%d:tls" % port, "--resolve", "%s:%d:127.0.0.1" % (E["LAB_HOST"], port),
                       E["LAB_HOST"]], password=PASSWORD)
        finally:
            p.kill()
            p.wait()
    expect("outgoing-only rejection", r, "login_rejected_outgoing_only", "critical", 2,
           "auth_failed")


def test_wrong_mode():
    r = probe(CA + USER + ["--format", "json", "-4", "--endpoint", "smtp:587:tls", "--endpoint",
                           "imap:993:tls", E["LAB_HOST"]], password=PASSWORD, timeout=3)
    expect("SSL on 587", r, "wrong_security_mode", "warning", 1, "tls_plaintext_port")
    r = probe(CA + ["--format", "json", "-4", "--endpoint", "smtp:465:starttls", "--endpoint",
                    "imap:993:tls", E["LAB_HOST"]], timeout=2)
    expect("STARTTLS on 465", r, "wrong_security_mode", "warning", 1, "greeting_timeout")


def nft_client(*rules):
    for rule in rules:
        subprocess.run(["ip", "netns", "exec", E["CLIENT_NS"], "nft"] + list(rule), check=True)


def test_addresses():
    nft_client(["add", "table", "inet", "mp_diag"],
               ["add", "chain", "inet", "mp_diag", "out",
                "{ type filter hook output priority 0 ; }"],
               ["add", "rule", "inet", "mp_diag", "out", "ip6", "daddr", E["LAB_ADDR6"], "drop"],
               ["add", "rule", "inet", "mp_diag", "out", "ip", "daddr", "198.18.0.99", "drop"])
    try:
        r = probe(CA + USER + ["--format", "json", E["LAB_HOST"]], password=PASSWORD, timeout=2)
        expect("IPv6 broken", r, "address_family_broken", "warning", 1, "connect_timeout")
        pins = "%s:*:%s,198.18.0.99" % (E["LAB_HOST"], E["LAB_ADDR"])
        r = probe(CA + USER + ["--format", "json", "--resolve", pins, E["LAB_HOST"]],
                  password=PASSWORD, timeout=2)
        expect("one address down", r, "address_down", "warning", 1, "connect_timeout")
    finally:
        nft_client(["delete", "table", "inet", "mp_diag"])


def test_local_firewall():
    """This computer's own firewall rejects (ICMP port unreachable from its
    own address, nft's plain reject in the client namespace): the verdict is
    this computer, not the provider; a reset instead stays the server's."""
    nft_client(["add", "table", "inet", "mp_diag"],
               ["add", "chain", "inet", "mp_diag", "out",
                "{ type filter hook output priority 0 ; }"],
               ["add", "rule", "inet", "mp_diag", "out", "tcp", "dport", "587", "reject"])
    try:
        r = probe(CA + USER + ["--format", "json", "-4", E["LAB_HOST"]], password=PASSWORD,
                  timeout=3)
        f = expect("local reject 587", r, "outgoing_port_blocked", "warning", 1,
                   "connect_refused")
        T.check(f is not None and (f.get("cause"), f.get("basis")) == ("network", "local_firewall"),
                "local reject 587: cause network, basis local_firewall",
                str(f and (f.get("cause"), f.get("basis"))))
        T.check(f is not None and "firewall on this computer" in f["summary"] and
                "provider" not in f["advice"], "local reject 587: this computer's firewall",
                str(f and f["summary"]))
        e = [x for x in r.endpoints() if x["port"] == 587]
        T.check(len(e) == 1 and (r.step(e[0], "connect") or {}).get("icmp_from") ==
                E["LAB_CLIENT_ADDR"], "local reject 587: the ICMP came from the client's address",
                str(e and r.step(e[0], "connect")))
        T.check(setting(r, "outgoing") == ("smtp", 465, "tls"), "local reject 587: 465 SSL/TLS")
    finally:
        nft_client(["delete", "table", "inet", "mp_diag"])


def test_artefacts():
    """Reports in every format and language and the client settings files,
    for a successful run and for blocked 587: they parse, carry the right
    settings, and never the password."""
    import plistlib
    for blocked_587 in (False, True):
        tag = "blocked" if blocked_587 else "ok"
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for fmt in ("md", "html", "txt"):
                for lang in ("en", "de"):
                    files.append((os.path.join(tmp, "r-%s.%s" % (lang, fmt)), lang))
            for path, lang in files:
                args = CA + USER + ["--format", "json", "-4", "--lang", lang, "--report", path,
                                    "--client-config", os.path.join(tmp, "cc"), E["LAB_HOST"]]
                if blocked_587:
                    r = blocked([587], "drop", args)
                else:
                    r = probe(args, password=PASSWORD)
                T.check(r.rc == (1 if blocked_587 else 0) and os.path.getsize(path) > 500,
                        "%s report %s: written" % (tag, os.path.basename(path)), "rc=%d" % r.rc)
                T.check(r.json is not None and mptest.schema_errors(r.json) == [],
                        "%s report run: JSON schema-valid" % tag)
            for path, lang in files:
                text = open(path, encoding="utf-8").read()
                name = "%s %s" % (tag, os.path.basename(path))
                T.check(PASSWORD not in text, name + ": no password")
                T.check(E["LAB_HOST"] in text and "993" in text, name + ": settings")
                if blocked_587:
                    T.check("465" in text and "outgoing_port_blocked" in text, name + ": 465")
                word = "Verbindungssicherheit" if lang == "de" else "Connection security"
                T.check(word in text, name + ": Thunderbird's words in " + lang)
                if path.endswith(".html"):
                    x = subprocess.run(["xmllint", "--html", "--noout", path],
                                       capture_output=True, text=True)
                    errs = [l for l in x.stderr.split("\n") if "error" in l and
                            "Tag svg" not in l and "Tag rect" not in l and "Tag line" not in l
                            and "Tag text" not in l and "Tag title" not in l and "Tag g " not in l
                            and "Tag details" not in l and "Tag summary" not in l
                            and "Tag circle" not in l]
                    T.check(errs == [], name + ": HTML parses", str(errs[:3]))
                    T.check("http://" not in text and "https://" not in text and
                            "<script" not in text, name + ": self-contained")
            cc = os.path.join(tmp, "cc")
            xml = open(os.path.join(cc, "config-v1.1.xml")).read()
            x = subprocess.run(["xmllint", "--noout", os.path.join(cc, "config-v1.1.xml")])
            T.check(x.returncode == 0, tag + " autoconfig: parses")
            want = "465" if blocked_587 else "587"
            T.check("<port>%s</port>" % want in xml and "<port>993</port>" in xml,
                    tag + " autoconfig: ports", xml[:300])
            pl = plistlib.load(open(os.path.join(cc, "mailprobe.mobileconfig"), "rb"))
            acct = pl["PayloadContent"][0]
            T.check(acct.get("OutgoingMailServerPortNumber") == int(want) and
                    acct.get("IncomingMailServerHostName") == E["LAB_HOST"],
                    tag + " profile: hosts and ports", str(acct)[:300])
            for fn in os.listdir(cc):
                T.check(PASSWORD not in open(os.path.join(cc, fn), errors="replace").read(),
                        tag + " " + fn + ": no password")


def main():
    tests = [test_drop_587, test_reset_587, test_drop_587_465, test_host_unreachable,
             test_port25, test_stripping_proxy, test_intercepting_proxy, test_certificates,
             test_logins, test_outgoing_only, test_wrong_mode, test_addresses,
             test_local_firewall, test_artefacts]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
