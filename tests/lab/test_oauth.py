#!/usr/bin/python3
"""OAuth2 logins (issue 17) against real servers: Dovecot's oauth2 passdb
asking the lab's token server (RFC 7662 introspection over HTTPS) and Postfix
submission authenticating through Dovecot (tests/lab/oauth.sh).

oauth.lab.test offers only XOAUTH2 and OAUTHBEARER (mailprobe takes
OAUTHBEARER); nobasic.lab.test offers PLAIN, LOGIN and XOAUTH2 and refuses
every password like Microsoft 365. Asserts: a valid token logs in on every
port with each mechanism; expired and wrong-scope tokens are
oauth_token_invalid with what Dovecot says, never login_rejected; the
refresh grant (exactly one per run) gives a working token; a token server
that is down or refuses is said as such; passwords at either server are
oauth_required pointing at the token options; nothing goes to a server whose
certificate is not verified; no token or secret in any output, report or
trace. The lab must be running.
"""
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, LAB, PASSWORD  # noqa: E402

T = mptest.Counter("lab oauth")
PORTS = ["imap:143:starttls", "imap:993:tls", "pop3:110:starttls", "pop3:995:tls",
         "smtp:587:starttls", "smtp:465:tls"]
USER = E["OAUTH_USER"]
CLIENT_ID = "mailprobe-lab"
TMP = tempfile.mkdtemp(prefix="mp-oauth-lab-")
SECRETS = []  # every token and client secret this test made
OUTPUTS = []  # (name, text) of every output, report and trace, checked at the end


def secret(kind):
    s = "%s-%s" % (kind, secrets.token_urlsafe(24))
    SECRETS.append(s)
    return s


def write_tokens(access=None, refresh=None):
    """Replaces the token server's registry (it reads it again on change)."""
    path = os.path.join(E["OAUTH_DIR"], "tokens.json")
    with open(path + ".tmp", "w") as f:
        json.dump({"access": access or {}, "refresh": refresh or {}}, f)
    os.replace(path + ".tmp", path)


def access_token(scope="mail", lifetime=3600):
    t = secret("at")
    write_tokens({t: {"user": USER, "scope": scope, "exp": int(time.time()) + lifetime}})
    return t


def secret_file(name, value):
    path = os.path.join(TMP, "%s-%d" % (name, len(os.listdir(TMP))))
    with open(path, "w") as f:
        f.write(value + "\n")
    os.chmod(path, 0o600)
    return path


def requests_log():
    try:
        with open(os.path.join(E["OAUTH_DIR"], "requests.log")) as f:
            return f.read().splitlines()
    except OSError:
        return []


def probe(name, args, env=None, timeout=8):
    r = mptest.run(["--timeout", str(timeout)] + args, env=env, netns=E["CLIENT_NS"],
                   hang_guard=timeout + 30)
    OUTPUTS.append((name, r.out + r.err))
    return r


def token_run(name, host, token, ports=PORTS, extra=(), timeout=8):
    args = ["--ca-file", E["LAB_CA"], "--user", USER, "--format", "json",
            "--oauth2-token-file", secret_file("token", token)]
    for p in ports:
        args += ["--endpoint", p]
    return probe(name, args + list(extra) + [host], timeout=timeout)


def logins(r):
    """{"proto:port": login step} of a JSON result."""
    return {"%s:%d" % (e["protocol"], e["port"]): r.step(e, "login") or {}
            for e in r.endpoints()}


def findings(r):
    return {f["id"]: f for f in (r.json or {}).get("findings", [])}


def words(f):
    return (f or {}).get("summary", "") + " " + (f or {}).get("advice", "")


def test_valid_token_every_port():
    """A valid token logs in on all six ports of both servers: OAUTHBEARER
    where offered, XOAUTH2 where it is the only OAuth mechanism."""
    for host, mech in ((E["OAUTH_HOST"], "OAUTHBEARER"), (E["NOBASIC_HOST"], "XOAUTH2")):
        name = "valid token at %s" % host
        seen = len(requests_log())
        r = token_run(name, host, access_token())
        if not T.check(r.json is not None, name + ": JSON", r.err[-300:]):
            continue
        ls = logins(r)
        T.check(len(ls) == len(PORTS), name + ": every port probed", str(sorted(ls)))
        bad = {k: (v.get("ok"), v.get("mechanism"), v.get("message")) for k, v in ls.items()
               if not v.get("ok") or v.get("mechanism") != mech}
        T.check(not bad, name + ": every login ok with " + mech, str(bad))
        T.check(r.rc == 0 and findings(r) == {}, name + ": exit 0, no finding",
                "rc=%d %s" % (r.rc, sorted(findings(r))))
        checked = [x for x in requests_log()[seen:] if " introspect active user=%s " % USER in x]
        T.check(len(checked) == len(PORTS), name + ": the token server checked the token once "
                "per login", str(requests_log()[seen:]))


def one_failed_login(name, r):
    """The run's one attempted login (the others skip after a rejection)."""
    tried = [v for v in logins(r).values() if v.get("class") not in (None, "auth_skipped")]
    T.check(len(tried) == 1, name + ": one login tried", str(logins(r)))
    return tried[0] if tried else {}


def expect_token_invalid(name, r, status, mech="OAUTHBEARER"):
    login = one_failed_login(name, r)
    T.check(login.get("class") == "auth_failed" and login.get("mechanism") == mech,
            name + ": auth_failed with " + mech, str(login))
    T.check(login.get("oauth_status") == status, name + ": oauth_status " + status, str(login))
    fs = findings(r)
    f = fs.get("oauth_token_invalid")
    T.check(f is not None and f["severity"] == "critical" and "login_rejected" not in fs and
            "oauth_required" not in fs, name + ": oauth_token_invalid, not login_rejected",
            str(sorted(fs)))
    T.check("Renew the token" in words(f), name + ": advice renews the token", words(f))
    T.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
    return login


def test_expired_token():
    """An expired token on IMAP, POP3 and SMTP: Dovecot's failure dialog
    gives the status (OAUTHBEARER: RFC 7628's invalid_token; XOAUTH2:
    Google's form, the HTTP status "401"), oauth_token_invalid."""
    for port in ("imap:993:tls", "pop3:110:starttls", "smtp:587:starttls"):
        name = "expired token on " + port
        r = token_run(name, E["OAUTH_HOST"], access_token(lifetime=-60), ports=[port])
        if T.check(r.json is not None, name + ": JSON", r.err[-300:]):
            expect_token_invalid(name, r, "invalid_token")
    name = "expired token, XOAUTH2 on 465"
    r = token_run(name, E["NOBASIC_HOST"], access_token(lifetime=-60), ports=["smtp:465:tls"])
    if T.check(r.json is not None, name + ": JSON", r.err[-300:]):
        expect_token_invalid(name, r, "401", mech="XOAUTH2")


def test_wrong_scope():
    """A live token without the scope "mail". Dovecot 2.3's oauth2 passdb
    fails it like any other refused token: its RFC 7628 status is
    invalid_token, not insufficient_scope (the log says which scope was
    missing), so the finding is oauth_token_invalid with that status."""
    name = "token without the mail scope"
    seen = len(requests_log())
    r = token_run(name, E["OAUTH_HOST"], access_token(scope="profile"), ports=["imap:993:tls"])
    if T.check(r.json is not None, name + ": JSON", r.err[-300:]):
        expect_token_invalid(name, r, "invalid_token")
    T.check(any("introspect active user=%s scope=profile" % USER in x
                for x in requests_log()[seen:]),
            name + ": the token server called it active (the scope refused it)",
            str(requests_log()[seen:]))


def grant_args(refresh, client_secret=None, ca=True):
    a = ["--user", USER, "--oauth2-refresh-token-file", secret_file("refresh", refresh),
         "--oauth2-token-url", E["OAUTH_TOKEN_URL"], "--oauth2-client-id", CLIENT_ID]
    if client_secret is not None:
        a += ["--oauth2-client-secret-file", secret_file("client-secret", client_secret)]
    if ca:
        a += ["--ca-file", E["LAB_CA"]]
    return a


def grants_since(seen):
    return [x for x in requests_log()[seen:] if " grant " in x]


def test_refresh_grant():
    """Refresh token file + token URL + client id (+ secret): one grant,
    then the new access token logs in on every port; a client without a
    secret works too."""
    confidential, public, cs = secret("rt"), secret("rt"), secret("cs")
    write_tokens(refresh={
        confidential: {"user": USER, "scope": "mail", "lifetime": 3600, "client_id": CLIENT_ID,
                       "client_secret": cs},
        public: {"user": USER, "scope": "mail", "lifetime": 600, "client_id": CLIENT_ID}})
    for rt, sec, what in ((confidential, cs, "with a client secret"),
                          (public, None, "without a client secret")):
        name = "refresh grant " + what
        seen = len(requests_log())
        r = probe(name, grant_args(rt, sec) + ["--format", "json"] +
                  sum((["--endpoint", p] for p in PORTS), []) + [E["OAUTH_HOST"]])
        ok = {k: v.get("ok") for k, v in logins(r).items()} if r.json else {}
        T.check(r.rc == 0 and len(ok) == len(PORTS) and all(ok.values()),
                name + ": every login works with the granted token",
                "rc=%d %s %s" % (r.rc, ok, r.err[-300:]))
        g = grants_since(seen)
        T.check(len(g) == 1 and " grant ok client_id=%s user=%s" % (CLIENT_ID, USER) in g[0],
                name + ": the token server saw exactly one grant", str(g))


def test_grant_refused():
    """A revoked refresh token and a wrong client secret: exit 3 with the
    token endpoint's error, no login tried."""
    rt, cs = secret("rt"), secret("cs")
    write_tokens(refresh={rt: {"user": USER, "scope": "mail", "lifetime": 600,
                               "client_id": CLIENT_ID, "client_secret": cs}})
    for name, args, want in (
            ("revoked refresh token", grant_args(secret("rt"), cs), "HTTP 400: invalid_grant"),
            ("wrong client secret", grant_args(rt, secret("cs")), "HTTP 401: invalid_client")):
        seen = len(requests_log())
        r = probe(name, args + [E["OAUTH_HOST"]])
        T.check(r.rc == 3 and "--oauth2-token-url" in r.err and want in r.err,
                name + ": exit 3, the endpoint's answer named", "rc=%d %s" % (r.rc, r.err))
        T.check(not any("introspect" in x for x in requests_log()[seen:]),
                name + ": no login attempted", str(requests_log()[seen:]))


def lab(*args):
    return subprocess.run(["sh", LAB] + list(args), capture_output=True, text=True)


def test_token_server_down():
    """The token endpoint refuses connections (port 443 of the token server
    reset from the client's side): exit 3, the line names the token URL and
    that the connection was refused; no login tried."""
    rt = secret("rt")
    write_tokens(refresh={rt: {"user": USER, "scope": "mail", "lifetime": 600,
                               "client_id": CLIENT_ID}})
    name = "token server down"
    if not T.check(lab("block", "443", "reset").returncode == 0, name + ": block 443"):
        return
    try:
        r = probe(name, grant_args(rt) + [E["OAUTH_HOST"]])
    finally:
        lab("unblock", "443")
    T.check(r.rc == 3 and "--oauth2-token-url" in r.err and "refused" in r.err,
            name + ": exit 3, the token URL's connection refused", "rc=%d %s" % (r.rc, r.err))
    T.check(r.out == "" and len(r.err.strip().splitlines()) == 1, name + ": one line",
            r.out + r.err)


INTROSPECTION_DOWN = """table inet mp_oauth_down
delete table inet mp_oauth_down
table inet mp_oauth_down {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr %s tcp dport 443 counter reject with tcp reset
  }
}
""" % E["OAUTH_ADDR"]


def test_introspection_down():
    """Dovecot cannot reach the introspection endpoint (reset inside the
    server's namespace). IMAP and POP3 answer a temporary failure
    ([UNAVAILABLE], [SYS/TEMP]); Postfix turns it into a bare "535 5.7.8
    Error: authentication failed: (reason unavailable)" without an RFC 7628
    status. The verdict: the server's temporary trouble (endpoint_failed),
    never an invalid token or a wrong password."""
    name = "introspection down"
    token = access_token()
    nft = subprocess.run(["sh", LAB, "server", "nft", "-f", "-"], input=INTROSPECTION_DOWN,
                         capture_output=True, text=True)
    if not T.check(nft.returncode == 0, name + ": block introspection", nft.stderr):
        return
    try:
        r = token_run(name, E["OAUTH_HOST"], token,
                      ports=["imap:993:tls", "pop3:995:tls", "smtp:465:tls"])
    finally:
        subprocess.run(["sh", LAB, "server", "nft", "delete", "table", "inet", "mp_oauth_down"],
                       capture_output=True)
    if not T.check(r.json is not None, name + ": JSON", r.err[-300:]):
        return
    fs = findings(r)
    ls = logins(r)
    T.check(ls.get("imap:993", {}).get("class") == "auth_error" and
            "[UNAVAILABLE]" in ls["imap:993"].get("message", "") and
            ls.get("pop3:995", {}).get("class") == "auth_error",
            name + ": IMAP and POP3 say the failure is temporary", str(ls))
    smtp = ls.get("smtp:465", {})
    T.check(smtp.get("class") == "auth_failed" and "oauth_status" not in smtp and
            "(reason unavailable)" in smtp.get("message", ""),
            name + ": SMTP (Postfix) a bare 535, no RFC 7628 status", str(smtp))
    T.check("oauth_token_invalid" not in fs and "login_rejected" not in fs and
            "oauth_required" not in fs, name + ": no token or password finding", str(sorted(fs)))
    failed = [f for f in r.json["findings"] if f["id"] == "endpoint_failed"]
    T.check(any("temporary" in words(f) for f in failed),
            name + ": endpoint_failed, temporary (one finding per class)",
            str([words(f) for f in failed]))


def test_basic_auth_disabled():
    """A password at oauth.lab.test (no password mechanism offered) and at
    nobasic.lab.test (535 5.7.139 and its IMAP/POP3 equivalents):
    oauth_required on every protocol, the advice naming the token options."""
    cases = [(E["OAUTH_HOST"], ["imap:993:tls", "pop3:995:tls", "smtp:587:starttls"],
              "auth_unsupported")]
    cases += [(E["NOBASIC_HOST"], [p], "auth_failed")
              for p in ("imap:143:starttls", "pop3:995:tls", "smtp:587:starttls",
                        "smtp:465:tls")]
    for host, ports, cls in cases:
        name = "password at %s %s" % (host, " ".join(ports))
        args = ["--ca-file", E["LAB_CA"], "--user", USER, "--format", "json"]
        for p in ports:
            args += ["--endpoint", p]
        r = probe(name, args + [host], env={"MAILPROBE_PASSWORD": PASSWORD})
        if not T.check(r.json is not None, name + ": JSON", r.err[-300:]):
            continue
        tried = {k: v for k, v in logins(r).items() if v.get("class") != "auth_skipped"}
        T.check(tried and all(v.get("class") == cls for v in tried.values()),
                name + ": login " + cls, str(logins(r)))
        if host == E["OAUTH_HOST"]:
            pop = tried.get("pop3:995", {})
            T.check(pop.get("mechanism") == "USER" and "only OAuth" in pop.get("message", ""),
                    name + ": POP3 USER/PASS refused (Dovecot still lists USER) is no password "
                    "matter", str(pop))
        if host == E["NOBASIC_HOST"]:
            T.check(all("5.7.139" in v.get("message", "") for v in tried.values()),
                    name + ": the server's 5.7.139 text in the login", str(tried))
        fs = findings(r)
        f = fs.get("oauth_required")
        T.check(f is not None and "login_rejected" not in fs,
                name + ": oauth_required, not login_rejected", str(sorted(fs)))
        T.check("--oauth2-token-file" in words(f) and "--oauth2-refresh-token-file" in words(f),
                name + ": the advice names the token options", words(f))
        T.check(r.rc == 2, name + ": exit 2", "rc=%d" % r.rc)
        OUTPUTS.append((name + " (password)", ""))
        T.check(PASSWORD not in r.out + r.err, name + ": no password in the output")


def test_untrusted_certificate():
    """Without the lab CA neither the token nor the refresh token leaves
    the client: TLS fails as untrusted on every port, the token server sees
    no introspection and no grant."""
    name = "untrusted certificate"
    token = access_token()
    seen = len(requests_log())
    args = ["--user", USER, "--format", "json", "--oauth2-token-file",
            secret_file("token", token)]
    for p in PORTS:
        args += ["--endpoint", p]
    r = probe(name, args + [E["OAUTH_HOST"]])
    if T.check(r.json is not None, name + ": JSON", r.err[-300:]):
        ls = logins(r)
        T.check(all(v.get("ok") is not True for v in ls.values()) and r.rc == 2,
                name + ": no login succeeds, exit 2", str(ls))
        T.check("tls_untrusted" in r.out, name + ": tls_untrusted reported", r.out[-400:])
    rt = secret("rt")
    write_tokens(refresh={rt: {"user": USER, "scope": "mail", "lifetime": 600,
                               "client_id": CLIENT_ID}})
    r = probe(name + " (grant)", grant_args(rt, ca=False) + [E["OAUTH_HOST"]])
    T.check(r.rc == 3 and "tls_untrusted" in r.err, name + ": the grant stops at TLS, exit 3",
            "rc=%d %s" % (r.rc, r.err))
    T.check(requests_log()[seen:] == [], name + ": the token server saw nothing",
            str(requests_log()[seen:]))


def test_trace_and_report():
    """--trace and --report with a token: *** in the transcript, the token
    in no form anywhere (checked with every other output at the end)."""
    name = "trace and report"
    report = os.path.join(TMP, "report.md")
    r = token_run(name, E["OAUTH_HOST"], access_token(), ports=["imap:993:tls", "smtp:587:starttls"],
                  extra=["--trace", "--report", report])
    out = r.out + r.err
    T.check(r.rc == 0, name + ": logs in", "rc=%d %s" % (r.rc, r.err[-300:]))
    T.check("AUTHENTICATE OAUTHBEARER ***" in out and "AUTH OAUTHBEARER ***" in out,
            name + ": the transcript shows *** for the token", out[-600:])
    if T.check(os.path.exists(report), name + ": report written"):
        OUTPUTS.append((name + " report", open(report).read()))


def forms(s):
    """A secret as it is and inside every SASL initial response."""
    raws = ["user=%s\x01auth=Bearer %s\x01\x01" % (USER, s),
            "n,a=%s,\x01auth=Bearer %s\x01\x01" % (USER, s)]
    return [s] + [base64.b64encode(x.encode()).decode() for x in raws]


def test_no_secret_anywhere():
    """Every output, report and trace of this file, and the servers' logs."""
    logs = ""
    for f in ("dovecot-oauth.log", "dovecot-nobasic.log", "token-server.log"):
        p = os.path.join(E["LAB_LOG_DIR"], f)
        if os.path.exists(p):
            logs += open(p, errors="replace").read()
    texts = OUTPUTS + [("token server's request log", "\n".join(requests_log()))]
    leaks = [(n, s[:6]) for n, text in texts for s in SECRETS for f in forms(s) if f in text]
    T.check(len(texts) > 10 and len(SECRETS) > 10, "secrets checked in %d outputs" % len(texts))
    T.check(leaks == [], "no token, refresh token or client secret in any output", str(leaks))
    T.check(PASSWORD not in "".join(t for _, t in OUTPUTS), "no password in any output")
    T.check(all(s not in logs for s in SECRETS), "no token in the servers' logs either")


def main():
    tests = [test_valid_token_every_port, test_expired_token, test_wrong_scope,
             test_refresh_grant, test_grant_refused, test_token_server_down,
             test_introspection_down, test_basic_auth_disabled, test_untrusted_certificate,
             test_trace_and_report, test_no_secret_anywhere]
    try:
        return mptest.run_tests(T, tests, sys.argv)
    finally:
        write_tokens()
        subprocess.run(["rm", "-rf", TMP])


if __name__ == "__main__":
    sys.exit(main())
