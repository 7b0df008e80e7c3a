#!/usr/bin/python3
"""Hostile-peer tests: for each scripted server (server.py), mailprobe must
report DESIGN.md's class at the right step, end by its deadline (hang guard:
timeout + 2 s) and stay under a memory bound, and never send a credential
where it must not.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
import test_control  # noqa: E402

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
    "imaps-oauth-only": ("oauth_required", "critical"),
    "imaps-basic-disabled": ("oauth_required", "critical"),
    "starttls-stripped": ("starttls_stripped", "critical"),
    "tls-plaintext-reply": ("wrong_security_mode", "warning"),
    "smtps-auth-rejected": ("login_rejected", "critical"),
}


def start_server(scenario, certs, log):
    ca, cert, key = certs
    p = subprocess.Popen([sys.executable if False else "/usr/bin/python3",
                          os.path.join(HERE, "server.py"), scenario, "--cert", cert,
                          "--key", key, "--lifetime", "40", "--log", log],
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


def main():
    t = mptest.Counter("hostile")
    only = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        certs = mptest.make_certs(tmp, names=("hostile.test", test_control.CONTROL_NAME))
        for case in CASES:
            if only and case[0] not in only:
                continue
            run_case(t, certs, tmp, case)
        if not only or "pop3s-no-capa" in only:
            test_pop3_no_capa(t, certs, tmp)
        if not only or "control" in only:
            test_control.run_all(t, certs, tmp)
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
