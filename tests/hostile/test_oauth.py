#!/usr/bin/python3
"""OAuth2 logins (issue 17): SASL OAUTHBEARER (RFC 7628) and XOAUTH2 against
scripted SMTP, IMAP and POP3 servers (server.py, *-oauth-*): the mechanism is
chosen from the capabilities (OAUTHBEARER first), the initial response is
exactly what the RFC says, the RFC 7628 failure dialog (base64 JSON
challenge, the client's %x01 reply, the final failure) gives the status as
the login's message and fact, and the token never appears in any output nor
reaches a server outside verified TLS.

Runs alone (prints "N passed, N failed") and from test_hostile.py.
"""
import base64
import os
import pty
import select
import subprocess
import sys
import tempfile
import termios
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
import tokenserver  # noqa: E402
import server as scripted  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = scripted.OAUTH_TOKEN
USER = scripted.OAUTH_USER
TIMEOUT = 4.0

# (scenario, protocol, mechanism, oauth status or None when the login works)
LOGINS = [
    ("smtps-oauth-ok", "smtp", "OAUTHBEARER", None),
    ("smtps-oauth-invalid", "smtp", "OAUTHBEARER", "invalid_token"),
    ("smtps-oauth-scope", "smtp", "XOAUTH2", "insufficient_scope"),
    ("imaps-oauth-ok", "imap", "OAUTHBEARER", None),
    ("imaps-oauth-invalid", "imap", "OAUTHBEARER", "invalid_token"),
    ("imaps-oauth-scope", "imap", "XOAUTH2", "insufficient_scope"),
    ("pop3s-oauth-ok", "pop3", "XOAUTH2", None),
    ("pop3s-oauth-invalid", "pop3", "OAUTHBEARER", "invalid_token"),
    ("pop3s-oauth-scope", "pop3", "XOAUTH2", "insufficient_scope"),
]


def start(scenario, certs, log):
    p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "server.py"), scenario,
                          "--cert", certs[1], "--key", certs[2], "--lifetime", "40",
                          "--log", log], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("PORT "):
        p.kill()
        raise RuntimeError("server %s did not start" % scenario)
    return p, int(line.split()[1])


def token_file(tmp):
    path = os.path.join(tmp, "token")
    with open(path, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(path, 0o600)
    return path


def probe(certs, tmp, scenario, mode, extra, env=None, stdin=None):
    """mailprobe against scenario; returns (result, lines the server got)."""
    log = os.path.join(tmp, scenario + "-%d.log" % len(os.listdir(tmp)))
    server, port = start(scenario, certs, log)
    proto, sec = mode.split(":")
    args = ["--user", USER, "--timeout", str(TIMEOUT), "--ca-file", certs[0],
            "--endpoint", "%s:%d:%s" % (proto, port, sec),
            "--resolve", "hostile.test:%d:127.0.0.1" % port] + extra + ["hostile.test"]
    try:
        r = mptest.run(args, env=env, stdin=stdin, hang_guard=TIMEOUT + 30)
    finally:
        server.kill()
        server.wait()
    got = open(log, "rb").read().decode("latin-1") if os.path.exists(log) else ""
    return r, got


def secret_forms():
    """The token as it is and in every form a client sends it."""
    return [TOKEN, scripted.oauth_initial("XOAUTH2").decode(),
            scripted.oauth_initial("OAUTHBEARER").decode(),
            base64.b64encode(TOKEN.encode()).decode()]


def no_token(t, name, text):
    t.check(not any(f in text for f in secret_forms()), name + ": the token in no form")


def test_login(t, certs, tmp, case):
    scenario, proto, mech, status = case
    tf = token_file(tmp)
    r, got = probe(certs, tmp, scenario, proto + ":tls",
                   ["--format", "json", "--oauth2-token-file", tf])
    name = scenario
    if not t.check(r.json is not None, name + ": JSON output", r.err[-300:]):
        return
    t.check(mptest.schema_errors(r.json) == [], name + ": schema-valid",
            str(mptest.schema_errors(r.json)[:3]))
    login = r.step(r.endpoints()[0], "login") or {}
    t.check(login.get("mechanism") == mech, name + ": mechanism " + mech, str(login))
    initial = scripted.oauth_initial(mech).decode()
    t.check(initial in got, name + ": the RFC's initial response on the wire", got[-300:])
    t.check("PLAIN" not in got.upper().replace("AUTH=PLAIN", ""),
            name + ": no password mechanism tried", got[-300:])
    if status is None:
        t.check(login.get("ok") is True and r.rc == 0, name + ": login ok, exit 0",
                "rc=%d %s" % (r.rc, login))
        t.check("oauth_status" not in login, name + ": no oauth_status", str(login))
    else:
        reply = "AQ==" if mech == "OAUTHBEARER" else ""
        lines = got.splitlines()
        t.check(lines[lines.index(next(x for x in lines if initial in x)) + 1] == reply,
                name + ": the client's reply to the challenge is %r" % reply, got[-300:])
        t.check(login.get("class") == "auth_failed", name + ": class auth_failed", str(login))
        t.check(login.get("oauth_status") == status, name + ": fact oauth_status " + status,
                str(login))
        msg = login.get("message", "")
        t.check(status in msg and "(client reply ok)" in msg,
                name + ": message names the status and the final failure", msg)
        ids = {f["id"]: f["severity"] for f in r.json.get("findings", [])}
        t.check(ids.get("oauth_token_invalid") == "critical" and "login_rejected" not in ids,
                name + ": finding oauth_token_invalid, not login_rejected", str(ids))
        t.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
        summary = next((f.get("summary", "") for f in r.json.get("findings", [])
                        if f["id"] == "oauth_token_invalid"), "")
        t.check("with the status %s" % status in summary,
                name + ": the finding's summary names the status", summary)
    no_token(t, name + " output", r.out + r.err)


def test_trace(t, certs, tmp):
    """--trace shows the command with *** for the token, never the token."""
    name = "oauth trace"
    r, got = probe(certs, tmp, "smtps-oauth-invalid", "smtp:tls",
                   ["--trace", "--oauth2-token-file", token_file(tmp)])
    t.check("C: AUTH OAUTHBEARER ***" in r.out + r.err, name + ": AUTH OAUTHBEARER ***",
            (r.out + r.err)[-400:])
    t.check("C: AQ==" in r.out + r.err, name + ": the %x01 reply shown", (r.out + r.err)[-400:])
    no_token(t, name, r.out + r.err)


def test_sources(t, certs, tmp):
    """The token from the environment and from stdin; never from argv."""
    r, _ = probe(certs, tmp, "imaps-oauth-ok", "imap:tls", ["--format", "json"],
                 env={"MAILPROBE_OAUTH2_TOKEN": TOKEN})
    t.check(r.rc == 0, "token from MAILPROBE_OAUTH2_TOKEN logs in", r.err[-300:])
    r, _ = probe(certs, tmp, "pop3s-oauth-ok", "pop3:tls",
                 ["--format", "json", "--oauth2-token-stdin"], stdin=TOKEN + "\n")
    t.check(r.rc == 0, "token from --oauth2-token-stdin logs in", r.err[-300:])
    r = mptest.run(["--user", USER, "--oauth2-token=" + TOKEN, "hostile.test"])
    t.check(r.rc == 3 and "tokens never go in argv" in r.err and TOKEN not in r.err,
            "--oauth2-token on the command line refused, not echoed",
            "rc=%d %s" % (r.rc, r.err))
    r = mptest.run(["--user", USER, "--oauth2-token-file", token_file(tmp), "hostile.test"],
                   env={"MAILPROBE_PASSWORD": "pw"})
    t.check(r.rc == 3 and "more than one credential source" in r.err,
            "a token and a password: refused", "rc=%d %s" % (r.rc, r.err))
    r = mptest.run(["--oauth2-token-file", token_file(tmp), "hostile.test"])
    t.check(r.rc == 3 and "a token needs --user" in r.err, "a token needs --user",
            "rc=%d %s" % (r.rc, r.err))


def echo_off(master, limit=10.0):
    """Waits (bounded) until the terminal's echo is off: the prompt may show
    before it is, and input typed before would be flushed."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not termios.tcgetattr(master)[3] & termios.ECHO:
            return True
        time.sleep(0.01)
    return False


def tty_probe(certs, tmp, answer):
    """mailprobe --oauth2-token-stdin with a terminal as stdin and stderr
    (a pty) against pop3s-oauth-ok: answer is typed once the prompt shows.
    Returns (exit code, JSON stdout, what the terminal showed)."""
    log = os.path.join(tmp, "tty-%d.log" % len(os.listdir(tmp)))
    server, port = start("pop3s-oauth-ok", certs, log)
    master, slave = pty.openpty()
    args = [mptest.BIN, "--user", USER, "--timeout", str(TIMEOUT), "--ca-file", certs[0],
            "--endpoint", "pop3:%d:tls" % port, "--resolve", "hostile.test:%d:127.0.0.1" % port,
            "--format", "json", "--oauth2-token-stdin", "hostile.test"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILPROBE_")}
    p = subprocess.Popen(args, stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    shown, typed = b"", False
    try:
        while p.poll() is None or select.select([master], [], [], 0)[0]:
            if not select.select([master], [], [], TIMEOUT + 20)[0]:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            if not typed and b"OAuth2 access token for" in shown and echo_off(master):
                os.write(master, answer.encode() + b"\n")
                typed = True
        out = p.communicate(timeout=TIMEOUT + 20)[0].decode()
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
        os.close(master)
        server.kill()
        server.wait()
    return p.returncode, out, shown.decode("utf-8", "replace")


def test_tty(t, certs, tmp):
    """--oauth2-token-stdin on a terminal prompts and reads without echo."""
    rc, out, shown = tty_probe(certs, tmp, TOKEN)
    t.check("OAuth2 access token for %s: " % USER in shown, "tty: the prompt names the user",
            shown[-200:])
    r = mptest.Result(rc, out, "", 0, 0)
    login = r.step(r.endpoints()[0], "login") if r.endpoints() else None
    t.check(rc == 0 and login is not None and login.get("ok") is True,
            "tty: the typed token logs in, exit 0", "rc=%d %s" % (rc, shown[-300:]))
    no_token(t, "tty: terminal (no echo)", shown)
    no_token(t, "tty: output", out)
    rc, out, shown = tty_probe(certs, tmp, "")
    t.check(rc == 3 and "--oauth2-token-stdin: the token is empty" in shown,
            "tty: an empty answer is exit 3 with one line", "rc=%d %s" % (rc, shown[-300:]))


def test_gate(t, certs, tmp):
    """A server without an OAuth mechanism gets no AUTH at all (no fallback
    to the password mechanisms); a stripped STARTTLS gets no token."""
    tf = token_file(tmp)
    r, got = probe(certs, tmp, "smtps-oauth-none", "smtp:tls",
                   ["--format", "json", "--oauth2-token-file", tf])
    login = r.step(r.endpoints()[0], "login") or {} if r.json else {}
    t.check(login.get("class") == "auth_unsupported" and
            "neither OAUTHBEARER nor XOAUTH2" in login.get("message", ""),
            "no OAuth offered: auth_unsupported, says so", str(login))
    t.check("AUTH " not in got.upper(), "no OAuth offered: no AUTH sent", got[-300:])
    r, got = probe(certs, tmp, "starttls-stripped", "smtp:starttls",
                   ["--format", "json", "--oauth2-token-file", tf])
    no_token(t, "stripped STARTTLS: server", got)
    no_token(t, "stripped STARTTLS: output", r.out + r.err)


REFRESH = "1//refresh-Tok+en/secret"
CLIENT_SECRET = "client-Secret-42"


def secret_path(tmp, name, value):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(value + "\n")
    os.chmod(path, 0o600)
    return path


def test_refresh(t, certs, tmp):
    """The refresh_token grant over verified HTTPS gets the access token the
    login then uses; a refused grant or an unverified token endpoint is exit
    3 with one line; no secret of the grant in any output."""
    ts = tokenserver.TokenServer(certs, {REFRESH: "probe-client"}, client_secret=CLIENT_SECRET,
                                 token=lambda n: TOKEN)
    grant = ["--oauth2-refresh-token-file", secret_path(tmp, "refresh", REFRESH),
             "--oauth2-token-url", ts.url, "--oauth2-client-id", "probe-client",
             "--oauth2-client-secret-file", secret_path(tmp, "csecret", CLIENT_SECRET)]
    secrets = [REFRESH, CLIENT_SECRET, urllib.parse.quote(REFRESH, safe="")]
    try:
        r, got = probe(certs, tmp, "smtps-oauth-ok", "smtp:tls", ["--format", "json"] + grant)
        t.check(r.rc == 0 and r.json is not None, "refresh grant: the login works, exit 0",
                "rc=%d %s" % (r.rc, r.err[-300:]))
        t.check(ts.forms[-1:] == [{"grant_type": ["refresh_token"], "refresh_token": [REFRESH],
                                   "client_id": ["probe-client"],
                                   "client_secret": [CLIENT_SECRET]}],
                "refresh grant: the token endpoint got the grant, nothing else",
                str(len(ts.forms)))
        t.check(scripted.oauth_initial("OAUTHBEARER").decode() in got,
                "refresh grant: the new access token on the wire", got[-200:])
        no_token(t, "refresh grant output", r.out + r.err)
        t.check(not any(x in r.out + r.err for x in secrets), "refresh grant: no grant secret")
        bad = list(grant)
        bad[1] = secret_path(tmp, "refresh-bad", "1//revoked")
        r, got = probe(certs, tmp, "smtps-oauth-ok", "smtp:tls", ["--format", "json"] + bad)
        t.check(r.rc == 3 and "invalid_grant" in r.err and "AUTH" not in got,
                "refused grant: exit 3 naming invalid_grant, no login", "rc=%d %s" % (r.rc, r.err))
        n = len(ts.forms)
        r = mptest.run(["--user", USER, "--timeout", str(TIMEOUT), "hostile.test"] + grant,
                       hang_guard=TIMEOUT + 30)
        t.check(r.rc == 3 and "tls_untrusted" in r.err and len(ts.forms) == n,
                "unverified token endpoint: exit 3, nothing posted",
                "rc=%d %s" % (r.rc, r.err[-200:]))
        t.check(not any(x in r.out + r.err for x in secrets), "unverified: no grant secret")
        r, got = probe(certs, tmp, "smtps-oauth-ok", "smtp:tls",
                       ["--format", "json", "--oauth2-scope", "mail offline_access"] + grant)
        t.check(r.rc == 0 and ts.forms[-1].get("scope") == ["mail offline_access"],
                "--oauth2-scope goes with the grant", "rc=%d %s" % (r.rc, ts.forms[-1:]))
    finally:
        ts.close()
    r = mptest.run(["--user", USER, "--oauth2-token-url", "http://localhost/token",
                    "hostile.test"])
    t.check(r.rc == 3 and "no https:// URL" in r.err, "an http:// token URL refused", r.err)
    r = mptest.run(["--user", USER, "--oauth2-client-id", "x", "hostile.test"])
    t.check(r.rc == 3 and "only with --oauth2-refresh-token-file" in r.err,
            "grant settings without a refresh token refused", r.err)
    r = mptest.run(["--user", USER, "--oauth2-scope", "a\"b", "hostile.test"])
    t.check(r.rc == 3 and "--oauth2-scope" in r.err and "is no scope" in r.err,
            "a scope with '\"' refused", r.err)
    r = mptest.run(["--user", USER, "--oauth2-scope", "mail", "hostile.test"])
    t.check(r.rc == 3 and "--oauth2-scope: only with --oauth2-refresh-token-file" in r.err,
            "--oauth2-scope without a refresh token refused", r.err)


def run_all(t, certs, tmp):
    sub = os.path.join(tmp, "oauth")
    os.makedirs(sub, exist_ok=True)
    for case in LOGINS:
        test_login(t, certs, sub, case)
    test_trace(t, certs, sub)
    test_sources(t, certs, sub)
    test_tty(t, certs, sub)
    test_gate(t, certs, sub)
    test_refresh(t, certs, sub)


def main():
    t = mptest.Counter("oauth")
    with tempfile.TemporaryDirectory() as tmp:
        run_all(t, mptest.make_certs(tmp, names=("hostile.test", "localhost")), tmp)
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
