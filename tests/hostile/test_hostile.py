#!/usr/bin/python3
"""Hostile-peer tests: for each scripted server (server.py), mailprobe must
report the documented class at the right step, end by its deadline (hang guard:
timeout + 2 s) and stay under a memory bound, and never send a credential
where it must not.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
import test_bidi  # noqa: E402
import test_control  # noqa: E402
import test_dnssec  # noqa: E402
import test_oauth  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "hostile-secret-Pw9"
TIMEOUT = 3.0
RSS_LIMIT_KB = 64 * 1024

# (scenario, protocol:security, step, class, needs credentials, message part)
CASES = [
    ("silent", "smtp:starttls", "greeting", "greeting_timeout", False, None),
    ("trickle", "smtp:starttls", "greeting", "greeting_timeout", False, None),
    ("huge-greeting", "smtp:starttls", "greeting", "line_too_long", False, None),
    ("random-bytes", "imap:starttls", "greeting", "wrong_protocol", False, None),
    ("http", "smtp:starttls", "greeting", "greeting_timeout", False, None),
    ("close", "pop3:starttls", "greeting", "peer_closed", False, None),
    ("reset", "smtp:starttls", "greeting", "peer_reset", False, None),
    ("ehlo-endless", "smtp:starttls", "starttls", "line_too_long", False, None),
    ("imap-endless-literal", "imap:starttls", "starttls", "line_too_long", False, None),
    ("starttls-stripped", "smtp:starttls", "starttls", "starttls_stripped", True, "masked"),
    ("starttls-inject", "smtp:starttls", "starttls", "protocol_error", True, "injection"),
    ("starttls-unsupported", "smtp:starttls", "starttls", "starttls_unsupported", True, None),
    ("smtp-rejecting", "smtp:starttls", "greeting", "server_rejected", False, "554"),
    ("imap-on-smtp-port", "smtp:starttls", "greeting", "wrong_protocol", False, "IMAP"),
    ("tls-close-in-handshake", "smtp:tls", "tls", "peer_closed", False, None),
    ("tls-plaintext-reply", "smtp:tls", "tls", "tls_plaintext_port", False, "220"),
    ("tls-old-only", "smtp:tls", "tls", "tls_version_too_old", False, None),
    ("smtps-login-hang", "smtp:tls", "login", "read_timeout", True, None),
    ("smtps-oauth-only", "smtp:tls", "login", "auth_unsupported", True, "OAuth"),
    ("smtps-basic-disabled", "smtp:tls", "login", "auth_failed", True, "5.7.139"),
    ("smtps-web-login", "smtp:tls", "login", "auth_failed", True, "5.7.9"),
    ("smtps-basic-disabled-2nd-line", "smtp:tls", "login", "auth_failed", True, "5.7.139"),
    ("smtps-auth-rejected", "smtp:tls", "login", "auth_failed", True, "5.7.8"),
    ("imaps-oauth-only", "imap:tls", "login", "auth_unsupported", True, "OAuth"),
    ("imaps-basic-disabled", "imap:tls", "login", "auth_failed", True, "basic"),
    # temporary server trouble at login is auth_error with the server's words
    ("smtps-auth-tempfail", "smtp:tls", "login", "auth_error", True, "4.7.0 Temporary"),
    ("imaps-unavailable", "imap:tls", "login", "auth_error", True, "[UNAVAILABLE]"),
    ("imaps-serverbug", "imap:tls", "login", "auth_error", True, "[SERVERBUG]"),
    ("imaps-inuse", "imap:tls", "login", "auth_error", True, "[INUSE]"),
    ("imaps-bye-in-auth", "imap:tls", "login", "auth_error", True, "Temporary problem"),
    ("pop3s-sys-temp", "pop3:tls", "login", "auth_error", True, "[SYS/TEMP]"),
    ("pop3s-in-use", "pop3:tls", "login", "auth_error", True, "[IN-USE]"),
    ("pop3s-temporary-words", "pop3:tls", "login", "auth_error", True, "Temporary problem"),
    ("pop3s-auth-rejected", "pop3:tls", "login", "auth_failed", True, "[AUTH]"),
]


# The diagnosis these scripted providers must get.
FINDINGS = {
    "smtps-oauth-only": ("oauth_required", "critical"),
    "smtps-basic-disabled": ("oauth_required", "critical"),
    "smtps-web-login": ("oauth_required", "critical"),
    "smtps-basic-disabled-2nd-line": ("oauth_required", "critical"),
    "imaps-oauth-only": ("oauth_required", "critical"),
    "imaps-basic-disabled": ("oauth_required", "critical"),
    "starttls-stripped": ("starttls_stripped", "critical"),
    "tls-plaintext-reply": ("wrong_security_mode", "warning"),
    "smtps-auth-rejected": ("login_rejected", "critical"),
    # a login the server never answers: slow or penalised authentication, not an outage
    "smtps-login-hang": ("login_timeout", "warning"),
}


def start_server(scenario, certs, log, bind=None):
    ca, cert, key = certs
    extra = ["--bind", bind] if bind else []
    p = subprocess.Popen([sys.executable if False else "/usr/bin/python3",
                          os.path.join(HERE, "server.py"), scenario, "--cert", cert,
                          "--key", key, "--lifetime", "40", "--log", log] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("PORT "):
        p.kill()
        raise RuntimeError("server %s did not start" % scenario)
    return p, int(line.split()[1])


def run_case(t, certs, tmp, case):
    scenario, mode, step, cls, creds, part = case
    proto, sec = mode.split(":")
    log = os.path.join(tmp, scenario + ".log")
    server, port = start_server(scenario, certs, log)
    args = ["--format", "json", "--timeout", str(TIMEOUT), "--ca-file", certs[0],
            "--endpoint", "%s:%d:%s" % (proto, port, sec),
            "--resolve", "hostile.test:%d:127.0.0.1" % port, "hostile.test"]
    env = {}
    if creds:
        args = ["--user", "probe@hostile.test"] + args
        env["MAILPROBE_PASSWORD"] = PASSWORD
    try:
        r = mptest.run(args, env=env, hang_guard=TIMEOUT + 30)
    finally:
        server.kill()
        server.wait()
    name = scenario
    t.check(r.seconds < TIMEOUT + mptest.HANG_MARGIN, name + ": ends by the deadline",
            "(%.1f s)" % r.seconds)
    if not mptest.SANITIZED:
        t.check(r.maxrss_kb < RSS_LIMIT_KB, name + ": peak RSS bound", "(%d KiB)" % r.maxrss_kb)
    if not t.check(r.json is not None, name + ": JSON output", r.err[-300:]):
        return
    t.check(mptest.schema_errors(r.json) == [], name + ": schema-valid",
            str(mptest.schema_errors(r.json)[:3]))
    want = FINDINGS.get(scenario, (None, "critical"))
    rc = {"critical": 2, "warning": 1}[want[1]]
    t.check(r.rc == rc and r.json["status"] == want[1], name + ": %s, exit %d" % (want[1], rc),
            "rc=%d" % r.rc)
    ep = r.endpoints()[0]
    failed = r.failed_step(ep)
    got = (failed or {}).get("step"), (failed or {}).get("class")
    t.check(got == (step, cls), name + ": class", "got %s, want %s" % (got, (step, cls)))
    if cls == "auth_error":
        lo = r.step(ep, "logout") or {}
        t.check(lo.get("ok") is True, name + ": logout after a temporary failure is no failure",
                str(lo))
    if part:
        t.check(part.lower() in (failed or {}).get("message", "").lower(),
                name + ": message names " + part, (failed or {}).get("message", ""))
    want = FINDINGS.get(scenario)
    if want:
        ids = {f["id"]: f["severity"] for f in r.json.get("findings", [])}
        t.check(ids.get(want[0]) == want[1], name + ": finding %s %s" % want, str(ids))
    sent = open(log, "rb").read().decode("latin-1") if os.path.exists(log) else ""
    import base64
    b64 = base64.b64encode(b"\0probe@hostile.test\0" + PASSWORD.encode()).decode()
    t.check(PASSWORD not in r.out + r.err, name + ": no password in output")
    if step in ("greeting", "starttls", "tls") or cls in ("starttls_stripped",):
        t.check(PASSWORD not in sent and b64 not in sent,
                name + ": no credential sent to the hostile side")


def test_pop3_no_capa(t, certs, tmp):
    """A POP3 server without CAPA: the capabilities step is ok and says so in
    its own words, not with the server's -ERR; the login falls back to
    USER/PASS and works."""
    name = "pop3s-no-capa"
    server, port = start_server(name, certs, os.path.join(tmp, name + ".log"))
    args = ["--format", "json", "--timeout", str(TIMEOUT), "--ca-file", certs[0],
            "--user", "probe@hostile.test", "--endpoint", "pop3:%d:tls" % port,
            "--resolve", "hostile.test:%d:127.0.0.1" % port, "hostile.test"]
    try:
        r = mptest.run(args, env={"MAILPROBE_PASSWORD": PASSWORD}, hang_guard=TIMEOUT + 30)
    finally:
        server.kill()
        server.wait()
    if not t.check(r.json is not None, name + ": JSON output", r.err[-300:]):
        return
    ep = r.endpoints()[0]
    caps = r.step(ep, "capabilities") or {}
    login = r.step(ep, "login") or {}
    t.check(caps.get("ok") is True, name + ": capabilities step ok", str(caps))
    t.check(caps.get("message") == "no CAPA (USER/PASS assumed)",
            name + ": capabilities message", caps.get("message", ""))
    t.check(login.get("ok") is True and login.get("mechanism") == "USER",
            name + ": USER/PASS login works", str(login))
    t.check(r.rc == 0, name + ": exit 0", "rc=%d" % r.rc)


# --- several endpoints and the login gate ------------------------------------

def run_logins(certs, tmp, name, servers, timeout, bind=None, addrs="127.0.0.1"):
    """Runs one mailprobe over several scripted servers, one endpoint each
    (servers: [(scenario, protocol:security)]); returns the result and, per
    endpoint, the lines its server received."""
    procs, logs, args = [], [], ["--user", "probe@hostile.test"]
    try:
        for k, (scenario, mode) in enumerate(servers):
            log = os.path.join(tmp, "%s-%d.log" % (name, k))
            server, port = start_server(scenario, certs, log, bind)
            procs.append(server)
            logs.append(log)
            proto, sec = mode.split(":")
            args += ["--endpoint", "%s:%d:%s" % (proto, port, sec),
                     "--resolve", "hostile.test:%d:%s" % (port, addrs)]
        args += ["--format", "json", "--timeout", str(timeout), "--ca-file", certs[0],
                 "hostile.test"]
        r = mptest.run(args, env={"MAILPROBE_PASSWORD": PASSWORD}, hang_guard=timeout + 30)
    finally:
        for server in procs:
            server.kill()
            server.wait()
    received = [open(log, "rb").read().decode("latin-1") if os.path.exists(log) else ""
                for log in logs]
    return r, received


def logins_sent(text):
    return sum(1 for line in text.splitlines()
               if line.split(" ")[0].upper() == "AUTH" or " AUTHENTICATE " in line.upper())


def login_of(r, ep):
    return r.step(ep, "login") or {}


def test_logins_queued_at_deadline(t, certs, tmp):
    """Three SMTP ports whose server never answers AUTH: one login is sent
    and times out (its own message); the two waiting behind it in the gate
    are not sent and say "not tested", and their endpoints stay ok."""
    name = "logins queued at the deadline"
    r, received = run_logins(certs, tmp, "queued", [("smtps-login-hang", "smtp:tls")] * 3,
                             TIMEOUT)
    t.check(r.seconds < TIMEOUT + mptest.HANG_MARGIN, name + ": ends by the deadline")
    if not t.check(r.json is not None and len(r.endpoints()) == 3, name + ": JSON", r.err[-300:]):
        return
    t.check(mptest.schema_errors(r.json) == [], name + ": schema-valid")
    logins = [login_of(r, ep) for ep in r.endpoints()]
    slow = [s for s in logins if s.get("class") == "read_timeout"]
    skipped = [s for s in logins if s.get("class") == "auth_skipped"]
    t.check(len(slow) == 1 and len(skipped) == 2, name + ": one timed out, two not tested",
            str([(s.get("class"), s.get("message")) for s in logins]))
    t.check(all("did not answer the login" in s.get("message", "") for s in slow),
            name + ": the timed-out login says the server did not answer it", str(slow))
    t.check(all("not tested" in s.get("message", "") and "deadline" in s.get("message", "")
                for s in skipped), name + ": the others say not tested (deadline)", str(skipped))
    oks = [ep["ok"] for ep in r.endpoints() if login_of(r, ep).get("class") == "auth_skipped"]
    t.check(oks == [True, True], name + ": endpoints with a login not tested are ok", str(oks))
    t.check(sum(logins_sent(x) for x in received) == 1, name + ": one AUTH sent in all",
            str([logins_sent(x) for x in received]))


def test_incoming_slow_reject(t, certs, tmp):
    """Courier: IMAP answers a failed login after 5 s, longer than the
    deadline; the SMTP login waits for it and is not sent."""
    name = "slow IMAP reject"
    r, received = run_logins(certs, tmp, "slowreject",
                             [("imaps-slow-reject", "imap:tls"), ("smtps-auth-rejected", "smtp:tls")],
                             TIMEOUT)
    t.check(r.seconds < TIMEOUT + mptest.HANG_MARGIN, name + ": ends by the deadline")
    if not t.check(r.json is not None and len(r.endpoints()) == 2, name + ": JSON", r.err[-300:]):
        return
    imap = [ep for ep in r.endpoints() if ep["protocol"] == "imap"][0]
    smtp = [ep for ep in r.endpoints() if ep["protocol"] == "smtp"][0]
    li, ls = login_of(r, imap), login_of(r, smtp)
    t.check(li.get("class") == "read_timeout" and "did not answer the login" in li.get("message", ""),
            name + ": IMAP login timed out, said so", str(li))
    t.check(ls.get("class") == "auth_skipped" and "deadline" in ls.get("message", ""),
            name + ": SMTP login not tested (deadline)", str(ls))
    t.check(smtp["ok"] is True, name + ": the SMTP endpoint is ok (connect and TLS worked)")
    t.check(logins_sent(received[1]) == 0, name + ": nothing sent to SMTP after the deadline",
            received[1])
    t.check(PASSWORD not in r.out + r.err, name + ": no password in output")


def test_login_address_stable(t, certs, tmp):
    """Two addresses of one port; the later one in the fixed order reaches its
    login first (the server delays 127.0.0.1): the login is still made on
    127.0.0.1, and 127.0.0.2 says where it was checked."""
    name = "login address"
    r, received = run_logins(certs, tmp, "stable", [("smtps-ok-slow-first", "smtp:tls")], 8.0,
                             bind="127.0.0.1,127.0.0.2", addrs="127.0.0.2,127.0.0.1")
    if not t.check(r.json is not None and len(r.endpoints()) == 2, name + ": JSON", r.err[-300:]):
        return
    by = {ep["address"]: ep for ep in r.endpoints()}
    first, second = by.get("127.0.0.1", {}), by.get("127.0.0.2", {})
    t.check(login_of(r, first).get("ok") is True, name + ": login on 127.0.0.1",
            str(login_of(r, first)))
    l2 = login_of(r, second)
    t.check(l2.get("class") == "auth_skipped" and l2.get("message") == "login checked on 127.0.0.1",
            name + ": 127.0.0.2 says login checked on 127.0.0.1", str(l2))
    t.check(first.get("ok") is True and second.get("ok") is True, name + ": both endpoints ok")
    t.check(r.rc == 0 and r.json.get("status") == "ok", name + ": status ok",
            "rc=%d %s" % (r.rc, r.json.get("status")))
    t.check(logins_sent(received[0]) == 1, name + ": one AUTH sent", received[0])


def test_greeting_late(t, certs, tmp):
    """A server that greets 5.5 s after the handshake but works: the check
    passes with a warning, greeting_slow, that names the seconds and both
    usual causes; a greeting late is no failure."""
    name = "late greeting"
    r, received = run_logins(certs, tmp, "late", [("smtps-greet-late", "smtp:tls")], 10.0)
    if not t.check(r.json is not None and len(r.endpoints()) == 1, name + ": JSON", r.err[-300:]):
        return
    t.check(mptest.schema_errors(r.json) == [], name + ": schema-valid")
    ep = r.endpoints()[0]
    greeting = r.step(ep, "greeting") or {}
    t.check(ep.get("ok") is True and greeting.get("ok") is True and
            greeting.get("seconds", 0) >= 5.0, name + ": the endpoint works, the greeting late",
            str(greeting))
    found = {f["id"]: f for f in r.json.get("findings", [])}
    f = found.get("greeting_slow", {})
    t.check(f.get("severity") == "warning" and "endpoint_failed" not in found,
            name + ": greeting_slow (warning), no failure", str(list(found)))
    words = f.get("summary", "") + " " + f.get("advice", "")
    t.check("port %s" % ep["port"] in words and " s " in words and "another network" in words,
            name + ": the text names the port, the seconds and how to tell the causes apart",
            words[:300])
    t.check(r.rc == 1 and r.json.get("status") == "warning", name + ": exit 1, warning",
            "rc=%d" % r.rc)


LOGIN_TESTS = {"late-greeting": test_greeting_late,
               "logins-queued": test_logins_queued_at_deadline,
               "slow-reject": test_incoming_slow_reject,
               "login-address": test_login_address_stable}


def main():
    t = mptest.Counter("hostile")
    only = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        certs = mptest.make_certs(tmp, names=("hostile.test", test_control.CONTROL_NAME,
                                              "localhost"))
        for case in CASES:
            if only and case[0] not in only:
                continue
            run_case(t, certs, tmp, case)
        if not only or "pop3s-no-capa" in only:
            test_pop3_no_capa(t, certs, tmp)
        if not only or "control" in only:
            test_control.run_all(t, certs, tmp)
        if not only or "bidi" in only:
            test_bidi.run_all(t, tmp)
        if not only or "oauth" in only:
            test_oauth.run_all(t, certs, tmp)
        if not only or "dnssec" in only:
            test_dnssec.run_all(t)
        for key, fn in LOGIN_TESTS.items():
            if not only or key in only:
                fn(t, certs, tmp)
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
