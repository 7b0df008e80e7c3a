#!/usr/bin/python3
"""Lab suite: mailprobe against real Dovecot and Postfix (tests/lab/lab.sh),
from the client namespace, as a mail client would. Asserts classes, facts,
exit codes, the one-failed-login rule, secrets never shown or sent, and
deadlines (hang guard: timeout + 2 s). The lab must be running.
"""
import base64
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "lab.sh")


def lab_env():
    out = subprocess.run(["sh", LAB, "env"], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.split("\n"):
        line = line.strip()
        if "=" in line and not line.startswith("#"):
            k, _, v = line.partition("=")
            env[k.replace("export ", "").strip()] = v.strip().strip("'\"")
    return env


E = lab_env()
PASSWORD = open(E["LAB_PASSWORD_FILE"]).read().rstrip("\n")
T = mptest.Counter("lab")


def probe(args, password=None, timeout=8, hang=None):
    """mailprobe in the client namespace; password via the environment."""
    env = {"MAILPROBE_PASSWORD": password} if password is not None else None
    full = ["--timeout", str(timeout)] + args
    return mptest.run(full, env=env, netns=E["CLIENT_NS"],
                      hang_guard=hang if hang else timeout + 30)


def base_args(ca=True, user=True):
    a = []
    if ca:
        a += ["--ca-file", E["LAB_CA"]]
    if user:
        a += ["--user", E["LAB_USER"]]
    return a


def check_schema(r, name):
    errs = mptest.schema_errors(r.json) if r.json is not None else ["no JSON"]
    T.check(errs == [], name + ": schema-valid", str(errs[:3]))


def no_secret(r, name):
    T.check(PASSWORD not in r.out and PASSWORD not in r.err, name + ": no password in output")
    b64 = base64.b64encode(b"\0" + E["LAB_USER"].encode() + b"\0" + PASSWORD.encode()).decode()
    T.check(b64 not in r.out and b64 not in r.err, name + ": no SASL blob in output")


def by_endpoint(r):
    """{(protocol, port, security, address): endpoint}"""
    return {(e["protocol"], e["port"], e["security"], e["address"]): e for e in r.endpoints()}


def test_success_with_login():
    name = "success+login"
    r = probe(base_args() + ["--format", "json", "-4", E["LAB_HOST"]], password=PASSWORD)
    T.check(r.rc == 0, name + ": exit 0", "rc=%d %s" % (r.rc, r.err[-200:]))
    if not T.check(r.json is not None, name + ": JSON"):
        return
    check_schema(r, name)
    no_secret(r, name)
    j = r.json
    T.check(j["status"] == "ok" and j["findings"] == [], name + ": status ok")
    T.check(j["resolve"]["ok"] and E["LAB_ADDR"] in j["resolve"]["addresses"],
            name + ": resolve", str(j["resolve"]))
    eps = r.endpoints()
    T.check(len(eps) == 4, name + ": four endpoints at one address", str(len(eps)))
    order = {"tls": ["connect", "tls", "greeting", "capabilities", "login", "logout"],
             "starttls": ["connect", "greeting", "starttls", "tls", "capabilities", "login",
                          "logout"]}
    for e in eps:
        tag = "%s:%d:%s" % (e["protocol"], e["port"], e["security"])
        steps = [s["step"] for s in e["steps"]]
        T.check(e["ok"] and all(s["ok"] for s in e["steps"]), name + ": " + tag + " all ok")
        T.check(steps == order[e["security"]], name + ": " + tag + " step order", str(steps))
        tls = r.step(e, "tls")
        T.check(tls and tls["tls_version"].startswith("TLSv1."), name + ": " + tag + " version")
        cert = (tls or {}).get("cert", {})
        T.check(cert.get("verified") is True and cert.get("hostname_match") is True,
                name + ": " + tag + " cert verified")
        T.check(len(cert.get("sha256", "")) == 64 and cert.get("days_left", 0) > 30,
                name + ": " + tag + " cert facts", str(cert))
        T.check("mail.lab.test" in cert.get("subject", ""), name + ": " + tag + " subject")
        login = r.step(e, "login")
        T.check(login and login.get("mechanism") in ("PLAIN", "LOGIN", "USER"),
                name + ": " + tag + " mechanism", str(login))
        caps = r.step(e, "capabilities")
        T.check(caps and len(caps.get("capabilities", [])) > 0, name + ": " + tag + " caps")
    smtp = by_endpoint(r).get(("smtp", 587, "starttls", E["LAB_ADDR"]))
    if smtp:
        pre = r.step(smtp, "starttls").get("capabilities", [])
        post = r.step(smtp, "capabilities").get("capabilities", [])
        T.check("STARTTLS" in pre, name + ": 587 pre-TLS caps offer STARTTLS", str(pre))
        T.check(any(c.startswith("AUTH") and "PLAIN" in c for c in post),
                name + ": 587 AUTH PLAIN after TLS", str(post))
        T.check(not any(c.startswith("AUTH") for c in pre),
                name + ": 587 no AUTH before TLS (smtpd_tls_auth_only)", str(pre))


def test_no_credentials():
    name = "no credentials"
    r = probe(["--ca-file", E["LAB_CA"], "--format", "json", E["LAB_HOST"]])
    T.check(r.rc == 0, name + ": exit 0", "rc=%d" % r.rc)
    if not T.check(r.json is not None, name + ": JSON"):
        return
    check_schema(r, name)
    eps = r.endpoints()
    T.check(len(eps) == 8, name + ": 4 endpoints x 2 addresses (IPv4 + IPv6)", str(len(eps)))
    T.check(all(r.step(e, "login") is None for e in eps), name + ": no login step")
    T.check(all(e["ok"] for e in eps), name + ": all ok")
    T.check(r.json["recommended"]["username"] is None, name + ": no username")


def test_wrong_password():
    name = "wrong password"
    r = probe(base_args() + ["--format", "json", "-4", "--trace", E["LAB_HOST"]],
              password="wrong-" + PASSWORD)
    T.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
    if not T.check(r.json is not None, name + ": JSON"):
        return
    check_schema(r, name)
    logins = [r.step(e, "login") for e in r.endpoints()]
    classes = sorted(s["class"] for s in logins if s is not None)
    T.check(classes.count("auth_failed") == 1, name + ": exactly one auth_failed", str(classes))
    T.check(classes.count("auth_skipped") == 3, name + ": the others auth_skipped",
            str(classes))
    failed = [e for e in r.endpoints() if (r.step(e, "login") or {}).get("class") == "auth_failed"]
    T.check(failed and failed[0]["protocol"] in ("imap", "pop3"),
            name + ": the rejected login is an incoming one", str(failed[:1]))
    T.check("wrong-" + PASSWORD not in r.out + r.err, name + ": no password in output/trace")
    T.check("***" in r.err, name + ": trace shows credentials as ***")


def test_failure_delay_past_deadline():
    """Dovecot answers a failed login after its failure delay (2 s, checked
    against whole seconds: somewhat over 1 s at the least); with a deadline of
    1 s from the start, the login sent after connect and TLS is always
    answered after it.  With a deadline before that,
    the one login sent times out and says so, the logins queued behind it
    are not sent ("not tested: the deadline ..."), and those endpoints, which
    connected and verified TLS, stay ok."""
    name = "failure delay past the deadline"
    r = probe(base_args() + ["--format", "json", "-4", "--trace", E["LAB_HOST"]],
              password="wrong-" + PASSWORD, timeout=1.0)
    if not T.check(r.json is not None and len(r.endpoints()) == 4, name + ": JSON", r.err[-300:]):
        return
    check_schema(r, name)
    logins = [r.step(e, "login") or {} for e in r.endpoints()]
    slow = [s for s in logins if s.get("class") == "read_timeout"]
    queued = [s for s in logins if s.get("class") == "auth_skipped"]
    T.check(len(slow) == 1 and "did not answer the login" in slow[0].get("message", ""),
            name + ": one login sent, not answered in time, said so", str(logins))
    T.check(len(queued) == 3 and all("deadline" in s.get("message", "") for s in queued),
            name + ": the other three not tested (deadline)", str(logins))
    skipped = [e for e in r.endpoints() if (r.step(e, "login") or {}).get("class") == "auth_skipped"]
    T.check(all(e["ok"] for e in skipped) and len(skipped) == 3,
            name + ": their endpoints are ok", str([e["ok"] for e in skipped]))
    sent = [l for l in r.err.split("\n") if l.strip().startswith("C:") and
            any(w in l for w in ("AUTH", "AUTHENTICATE", "PASS"))]
    T.check(len(sent) == 1, name + ": one credential command in the transcript", str(sent))


def test_refused():
    name = "refused"
    r = probe(base_args(user=False) + ["--format", "json", "-4", "--endpoint",
                                        "smtp:2525:starttls", E["LAB_HOST"]])
    eps = r.endpoints()
    T.check(r.rc == 2 and eps and eps[0]["steps"][0]["class"] == "connect_refused",
            name + ": connect_refused", r.out[-300:])


def test_dropped():
    name = "dropped 587"
    subprocess.run(["sh", LAB, "block", "587", "drop"], check=True)
    try:
        r = probe(base_args(user=False) + ["--format", "json", "-4", E["LAB_HOST"]],
                  timeout=3)
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)
    T.check(r.seconds < 3 + mptest.HANG_MARGIN, name + ": ends within one timeout",
            "%.1f s" % r.seconds)
    ep = by_endpoint(r).get(("smtp", 587, "starttls", E["LAB_ADDR"]))
    T.check(ep is not None and ep["steps"][0]["class"] == "connect_timeout",
            name + ": connect_timeout", str(ep))
    others = [e for e in r.endpoints() if e["port"] != 587]
    T.check(others and all(e["ok"] for e in others), name + ": other ports ok")


def test_untrusted():
    name = "untrusted"
    r = probe(base_args(ca=False) + ["--format", "json", "-4", "--trace", E["LAB_HOST"]],
              password=PASSWORD)
    T.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
    if not T.check(r.json is not None, name + ": JSON"):
        return
    check_schema(r, name)
    for e in r.endpoints():
        tls = r.step(e, "tls")
        login = r.step(e, "login")
        T.check(tls and tls.get("class") == "tls_untrusted", name + ": tls_untrusted")
        T.check(tls and tls["cert"]["verified"] is False and len(tls["cert"]["sha256"]) == 64,
                name + ": facts recorded although unverified")
        T.check(r.step(e, "capabilities") is not None, name + ": capabilities still run")
        T.check(login and login.get("class") == "auth_skipped", name + ": login auth_skipped")
    sent = [l for l in r.err.split("\n") if l.strip().startswith("C:")]
    T.check(len(sent) > 0, name + ": trace has client lines")
    T.check(not any(w in l for l in sent for w in ("AUTH", "LOGIN", "PASS", "USER")),
            name + ": no credential sent", str(sent))


def cert_case(name, addr, ports, cls, extra=()):
    pins = ["--resolve", "%s:%s:%s" % (E["LAB_HOST"], ports, addr)]
    r = probe(base_args(user=False) + ["--format", "json"] + pins + list(extra) +
              [E["LAB_HOST"]])
    T.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
    eps = [e for e in r.endpoints() if e["address"] == addr]
    T.check(len(eps) > 0, name + ": endpoints at the pinned address")
    for e in eps:
        tls = r.step(e, "tls")
        T.check(tls is not None and tls.get("class") == cls, name + ": " + cls,
                str(tls)[:300])
    return r


def test_cert_cases():
    r = cert_case("expired", E["LAB_ADDR_EXPIRED"], "*", "tls_expired")
    ep = r.endpoints()[0] if r.endpoints() else {}
    tls = r.step(ep, "tls") or {}
    T.check(tls.get("cert", {}).get("days_left", 0) < 0, "expired: days_left negative")
    r = cert_case("hostname", E["LAB_ADDR_WRONGHOST"], "993", "tls_hostname_mismatch")
    others = [e for e in r.endpoints() if e["port"] != 993]
    T.check(others and all(e["ok"] for e in others), "hostname: unpinned ports use DNS, ok")
    cert_case("not yet valid", E["LAB_ADDR_NOTYET"], "*", "tls_not_yet_valid")


def test_wrong_modes():
    r = probe(base_args(user=False) + ["--format", "json", "-4", "--endpoint", "smtp:587:tls",
                                        E["LAB_HOST"]], timeout=4)
    ep = r.endpoints()[0] if r.endpoints() else {}
    st = r.failed_step(ep) or {}
    T.check((st.get("step"), st.get("class")) == ("tls", "tls_plaintext_port"),
            "587 as tls: tls_plaintext_port", str(st))
    r = probe(base_args(user=False) + ["--format", "json", "-4", "--endpoint",
                                        "smtp:465:starttls", E["LAB_HOST"]], timeout=3)
    ep = r.endpoints()[0] if r.endpoints() else {}
    st = r.failed_step(ep) or {}
    T.check((st.get("step"), st.get("class")) == ("greeting", "greeting_timeout"),
            "465 as starttls: greeting_timeout", str(st))
    T.check(r.seconds < 3 + mptest.HANG_MARGIN, "465 as starttls: ends by the deadline")


def test_all_ports_and_formats():
    r = probe(base_args() + ["--format", "json", "-6", "--ports", "all", E["LAB_HOST"]],
              password=PASSWORD)
    eps = r.endpoints()
    T.check(len(eps) == 7 and all(":" in e["address"] for e in eps),
            "ports all -6: 7 endpoints over IPv6", str(len(eps)))
    T.check(r.rc == 0, "ports all: exit 0", r.out[-500:])
    p25 = [e for e in eps if e["port"] == 25]
    T.check(p25 and r.step(p25[0], "login") is None, "port 25: no login")
    for port in (143, 110):
        e = [x for x in eps if x["port"] == port]
        T.check(e and e[0]["ok"] and r.step(e[0], "login") is not None,
                "port %d STARTTLS with login" % port)
    r = probe(base_args() + ["--format", "nagios", "-4", E["LAB_HOST"]], password=PASSWORD)
    T.check(r.rc == 0 and r.out.startswith("MAILPROBE OK") and "|" in r.out,
            "nagios: OK line with perfdata", r.out[:200])
    r = probe(base_args() + ["-4", E["LAB_HOST"]], password=PASSWORD)
    lines = r.out.splitlines()
    T.check(r.rc == 0 and any(l.split()[:4] == ["IMAP", "993", "SSL/TLS", "ok"] for l in lines if l.strip())
            and "login ok" in r.out and "status   OK" in r.out, "short text output", r.out[:400])
    T.check(len(lines) <= 16, "a healthy account fits in about 15 lines (%d)" % len(lines), r.out)
    no_secret(r, "text")
    r = probe(base_args() + ["-4", "-v", E["LAB_HOST"]], password=PASSWORD)
    T.check(r.rc == 0 and "imap:993:tls" in r.out and "certificate" in r.out and
            "capabilities" in r.out, "-v: every step, certificates and capabilities", r.out[:300])
    no_secret(r, "text -v")
    r = probe(base_args() + ["-4", "-v", "--lang", "de", "--endpoint", "imap:993:tls",
                             E["LAB_HOST"]], password=PASSWORD)
    T.check(r.rc == 0 and "Zertifikat" in r.out and "Endpunkte ok" in r.out and
            "empfohlene Einstellungen" in r.out, "text output in German", r.out[-400:])
    T.check("nicht gepr" in r.out, "German: outgoing not checked when not probed", r.out[-300:])


def test_live_terminal():
    """On a terminal a progress line names one endpoint still waiting and
    never wraps; -v prints each endpoint as it finishes; the short answer
    comes at the end."""
    name = "live terminal"
    base = "ip netns exec %s %s --ca-file %s -4 --timeout 2 %s %s" % (
        E["CLIENT_NS"], mptest.BIN, E["LAB_CA"], "%s", E["LAB_HOST"])
    subprocess.run(["sh", LAB, "block", "587", "drop"], check=True)
    try:
        runs = {}
        for mode in ("", "-v"):
            out = subprocess.run(["script", "-qec", "stty cols 80; " + base % mode, "/dev/null"],
                                 capture_output=True, timeout=30,
                                 env={"TERM": "xterm", "PATH": os.environ["PATH"]})
            runs[mode] = out.stdout.decode("utf-8", "replace")
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)
    text = runs[""]
    T.check("waiting for smtp:587:starttls@" + E["LAB_ADDR"] in text,
            name + ": live line names the waiting endpoint", text[-400:])
    frames = [f for line in text.split("\n") for f in line.split("\r") if "waiting for" in f]
    widest = max((len(f.replace("\x1b[K", "")) for f in frames), default=0)
    T.check(frames and widest < 80, name + ": the live line fits 80 columns (%d)" % widest)
    T.check("\x1b[" in text, name + ": colours on a terminal")
    T.check("outgoing_port_blocked" in text and "(resolve" in text,
            name + ": the answer at the end, with the resolve line", text[-600:])
    verbose = runs["-v"]
    first_ok = verbose.find(":tls @ " + E["LAB_ADDR"])
    waiting = verbose.rfind("waiting for")
    T.check(0 <= first_ok < waiting, name + ": -v prints finished endpoints before the wait ends")


def main():
    tests = [test_live_terminal, test_success_with_login, test_no_credentials, test_wrong_password,
             test_failure_delay_past_deadline, test_refused,
             test_dropped, test_untrusted, test_cert_cases, test_wrong_modes,
             test_all_ports_and_formats]
    return mptest.run_tests(T, tests, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
