#!/usr/bin/python3
"""The exporter's OAuth2 credentials (issue 17 item 4) with real parts on
loopback: an HTTPS token server (tests/lib/tokenserver.py, a test-made CA)
that counts its grants, the scripted OAUTHBEARER/XOAUTH2 SMTP server of
tests/hostile/ as the login target, and mailprobe_exporter with a module
that holds the refresh grant's settings and one with an access token file.

Shown here: four scheduled probes starting at once make one grant; /probe
reuses the token; a token past its lifetime is renewed with one grant; with
the token server down and no valid token the login step is
auth_token_unavailable (finding oauth_token_unavailable) and failed grants
pause; SIGHUP with a new refresh token in its file takes effect, and one
with nothing changed keeps the token; a changed token file is read again
without a reload; mailprobe_oauth2_token_expires_in_seconds is positive and
falls, mailprobe_oauth2_grants_total counts by result, promtool finds
nothing; no secret in any answer, page or log line. Ends with
"N passed, N failed".
"""
import base64
import os
import shutil
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "hostile"))
import exlib  # noqa: E402
import mptest  # noqa: E402
import server as scripted  # noqa: E402
import tokenserver  # noqa: E402

T = mptest.Counter("exporter-oauth")
TIMEOUT = 4.0
REFRESH1 = "1//first-Refresh+tok/en"
REFRESH2 = "1//second-Refresh+tok/en"
CLIENT = "probe-client"
CSECRET = "client-Secret-77"
SCOPE = "mail offline_access"
TOKEN = tokenserver.ACCESS_TOKEN
NGRANT = 4  # targets of the grant module
LIMIT = 30.0 * exlib.SLOW


def secrets():
    forms = [TOKEN, base64.b64encode(TOKEN.encode()).decode(),
             scripted.oauth_initial("XOAUTH2").decode(),
             scripted.oauth_initial("OAUTHBEARER").decode()]
    for s in (REFRESH1, REFRESH2, CSECRET):
        forms += [s, urllib.parse.quote(s, safe=""), urllib.parse.quote_plus(s)]
    return forms


def no_secret(what, text):
    found = [s for s in secrets() if s in text]
    T.check(not found, what + ": no secret", "found %d secret forms" % len(found))


def write_secret(folder, name, value, mtime=None):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(value + "\n")
    os.chmod(path, 0o600)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def config(folder, port, ts, ca):
    host = lambda n: "%s.hostile.test" % n  # noqa: E731
    pins = lambda n: ["%s:%d:127.0.0.1" % (host(n), port)]  # noqa: E731
    endpoint = ["smtp:%d:tls" % port]
    grant = {"endpoints": endpoint, "timeout": "%ds" % TIMEOUT, "ca_file": ca,
             "min_login_interval": "1s", "credential_hosts": ["*.hostile.test"],
             "credentials": {"user": scripted.OAUTH_USER,
                             "oauth2_refresh_token_file": "refresh",
                             "oauth2_token_url": ts.url, "oauth2_client_id": CLIENT,
                             "oauth2_client_secret_file": "csecret",
                             "oauth2_scope": SCOPE}}
    tfile = {"endpoints": endpoint, "timeout": "%ds" % TIMEOUT, "ca_file": ca,
             "min_login_interval": "1s", "credential_hosts": [host("tf")],
             "credentials": {"user": scripted.OAUTH_USER, "oauth2_token_file": "token"}}
    targets = [{"name": "t%d" % i, "host": host("t%d" % i), "module": "grant",
                "interval": "1h", "resolve": pins("t%d" % i)} for i in range(1, NGRANT + 1)]
    targets.append({"name": "tf", "host": host("tf"), "module": "tfile", "interval": "1h",
                    "resolve": pins("tf")})
    return {"modules": {"grant": grant, "tfile": tfile}, "targets": targets}


class World:
    def __init__(self, folder):
        self.folder = folder
        self.certs = mptest.make_certs(folder, names=("hostile.test", "localhost", "*.hostile.test"))
        self.ts = tokenserver.TokenServer(self.certs, {REFRESH1: CLIENT},
                                          client_secret=CSECRET, scope=SCOPE, delay=1.0)
        self.smtp, self.port = exlib.hostile("smtps-oauth-ok", folder, self.certs,
                                             lifetime=400)
        write_secret(folder, "refresh", REFRESH1)
        write_secret(folder, "csecret", CSECRET)
        write_secret(folder, "token", TOKEN, mtime=time.time() - 100)
        self.config = config(folder, self.port, self.ts, self.certs[0])
        self.ex = exlib.Exporter(folder, self.config, extra=["--log.level", "debug"])

    def close(self):
        self.ex.proc.stop()
        self.smtp.stop()
        self.ts.close()

    def metrics(self):
        return self.ex.get("/metrics").body

    def probes_done(self):
        m = self.metrics()
        return sum(exlib.sample(m, "mailprobe_probes_total", result=r) or 0
                   for r in ("success", "failure"))

    def wait(self, cond):
        end = time.monotonic() + LIMIT
        while time.monotonic() < end:
            if cond():
                return True
            time.sleep(0.1)
        return False

    def probe(self, target, module="grant", **extra):
        return self.ex.get("/probe", timeout=TIMEOUT + 30, target="%s.hostile.test" % target,
                           module=module, **extra)


def login_ok(body):
    return exlib.sample(body, "mailprobe_login_success") == 1


def test_start(w):
    """Four scheduled probes at once: one grant, with every setting."""
    T.check(w.ex.wait_ready(), "the exporter starts", w.ex.log()[-500:])
    T.check(w.wait(lambda: w.probes_done() >= NGRANT + 1), "the scheduled probes end",
            str(w.probes_done()))
    T.check(w.ts.grants == 1, "%d probes starting at once: one grant" % NGRANT,
            "grants=%d" % w.ts.grants)
    form = w.ts.forms[0] if w.ts.forms else {}
    T.check(form == {"grant_type": ["refresh_token"], "refresh_token": [REFRESH1],
                     "client_id": [CLIENT], "client_secret": [CSECRET], "scope": [SCOPE]},
            "the grant carries refresh token, client id, secret and scope",
            str(sorted(form)))


def test_reuse(w):
    r = w.probe("t1")
    T.check(r.status == 200 and login_ok(r.body), "/probe logs in with the granted token",
            r.body[-400:])
    T.check(w.ts.grants == 1, "/probe reuses the token: no second grant",
            "grants=%d" % w.ts.grants)
    no_secret("/probe", r.body)
    m1 = w.metrics()
    left1 = exlib.sample(m1, "mailprobe_oauth2_token_expires_in_seconds", module="grant")
    time.sleep(1.1)
    m2 = w.metrics()
    left2 = exlib.sample(m2, "mailprobe_oauth2_token_expires_in_seconds", module="grant")
    T.check(left1 is not None and 3000 < left1 <= 3599, "the token's lifetime left is shown",
            str(left1))
    T.check(left2 is not None and left1 is not None and 0 < left2 < left1,
            "the lifetime left falls", "%s then %s" % (left1, left2))
    T.check(exlib.sample(m2, "mailprobe_oauth2_grants_total", module="grant",
                         result="granted") == 1, "grants_total{result=granted} 1")
    T.check(exlib.sample(m2, "mailprobe_oauth2_token_expires_in_seconds", module="tfile")
            is None, "no lifetime series for a token file")
    ok, out = exlib.promtool_check(m2)
    T.check(ok, "promtool check metrics: clean", out[:400])
    no_secret("/metrics", m2)


def test_token_file(w):
    """A token file read again when it changes, no reload needed (the wrong
    token last: a rejected login holds further logins back)."""
    r = w.probe("tf", module="tfile")
    T.check(r.status == 200 and login_ok(r.body), "token file: the login works",
            r.body[-300:])
    write_secret(w.folder, "token", "ya29.not-the-Token")
    time.sleep(1.1)  # past min_login_interval
    r = w.probe("tf", module="tfile")
    T.check(r.status == 200 and exlib.sample(r.body, "mailprobe_login_success") == 0 and
            exlib.sample(r.body, "mailprobe_finding", id="oauth_token_invalid") is not None,
            "the changed token file is read again: its wrong token is refused", r.body[-300:])
    no_secret("/probe token file", r.body)


def reload(w):
    """SIGHUP; waits for the scheduled probes it starts at once."""
    before = w.probes_done()
    w.ex.reload(w.config)
    T.check("config reloaded" in w.ex.log(), "SIGHUP reloads")
    T.check(w.wait(lambda: w.probes_done() >= before + NGRANT + 1),
            "the reload probes the targets again", "%s -> %s" % (before, w.probes_done()))


def test_reload_and_expiry(w):
    """SIGHUP with a new refresh token in its file: the next grant uses it;
    a token past its lifetime is renewed by the next probe."""
    w.ts.refresh_tokens = {REFRESH2: CLIENT}
    w.ts.expires_in = 2
    write_secret(w.folder, "refresh", REFRESH2)
    n = w.ts.grants
    reload(w)
    T.check(w.ts.grants > n, "the probes SIGHUP starts at once run with the new settings",
            "grants %d -> %d" % (n, w.ts.grants))
    r = w.probe("t1")
    T.check(login_ok(r.body), "after SIGHUP /probe logs in", r.body[-300:])
    T.check(w.ts.grants > n and w.ts.refusals == 0 and
            all(f.get("refresh_token") == [REFRESH2] for f in w.ts.forms[n:]),
            "after SIGHUP the grants use the new refresh token",
            "grants %d -> %d, refusals %d" % (n, w.ts.grants, w.ts.refusals))
    m = w.metrics()
    T.check((exlib.sample(m, "mailprobe_oauth2_grants_total", module="grant",
                          result="granted") or 0) == w.ts.grants,
            "grants_total counts on across the reload", m[-300:])
    n = w.ts.grants
    time.sleep(2.5)  # past the 2 s lifetime
    r = w.probe("t2")
    T.check(login_ok(r.body) and w.ts.grants == n + 1,
            "an expired token: the next probe makes one grant and logs in",
            "grants %d -> %d" % (n, w.ts.grants))


def test_down(w):
    """Token server down, token expired: auth_token_unavailable, pauses."""
    w.ts.down()
    time.sleep(2.5)  # the last token (2 s) has expired
    t0 = time.monotonic()
    r = w.probe("t3")
    T.check(r.status == 200 and exlib.sample(r.body, "mailprobe_step_failure_info",
                                             step="login",
                                             **{"class": "auth_token_unavailable"}) == 1,
            "token server down: the login step is auth_token_unavailable", r.body[-600:])
    T.check(exlib.sample(r.body, "mailprobe_finding", id="oauth_token_unavailable") is not None,
            "finding oauth_token_unavailable", r.body[-400:])
    no_secret("/probe, token server down", r.body)
    failed = exlib.sample(w.metrics(), "mailprobe_oauth2_grants_total", module="grant",
                          result="failed")
    T.check(failed == 1, "grants_total{result=failed} 1", str(failed))
    d = w.probe("t4", debug="true")
    took = time.monotonic() - t0
    after = exlib.sample(w.metrics(), "mailprobe_oauth2_grants_total", module="grant",
                         result="failed")
    if took < 10:  # TOKEN_BACKOFF_MIN: a second grant must wait for it
        T.check(after == 1 and "next grant in" in d.body,
                "a failed grant pauses the next one", "failed=%s %s" % (after, d.body[-300:]))
    else:
        T.check(after is not None and after <= 2, "failed grants stay few", str(after))
    no_secret("/probe debug", d.body)
    left = exlib.sample(w.metrics(), "mailprobe_oauth2_token_expires_in_seconds",
                        module="grant")
    T.check(left == 0, "no valid token: lifetime left 0", str(left))
    for page in ("/", "/report?target=t3", "/metrics"):
        no_secret(page, w.ex.get(page).body)


def test_back(w):
    """A reload with a changed refresh token file drops the paused source;
    one with nothing changed keeps the token."""
    w.ts.up()
    w.ts.expires_in = 3600
    w.ts.refresh_tokens = {REFRESH1: CLIENT}
    write_secret(w.folder, "refresh", REFRESH1)
    n = w.ts.grants
    reload(w)
    r = w.probe("t1")
    T.check(login_ok(r.body), "server back, refresh token changed: logs in at once",
            r.body[-300:])
    T.check(w.ts.grants == n + 1, "server back, refresh token changed: one grant",
            "grants %d -> %d" % (n, w.ts.grants))
    reload(w)
    r = w.probe("t2")
    T.check(login_ok(r.body) and w.ts.grants == n + 1,
            "SIGHUP with nothing changed keeps the token", "grants %d -> %d" % (n, w.ts.grants))


def test_concurrent_probe(w):
    """Concurrent /probe of one module whose token needs renewing: one grant."""
    w.ts.expires_in = 2
    write_secret(w.folder, "refresh", REFRESH2)
    w.ts.refresh_tokens = {REFRESH2: CLIENT}
    reload(w)
    time.sleep(2.5)  # the 2 s token has expired
    n = w.ts.grants
    got = []
    threads = [threading.Thread(target=lambda t=t: got.append(w.probe(t)))
               for t in ("t1", "t2", "t3", "t4")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(TIMEOUT + 40)
    T.check(len(got) == 4 and all(login_ok(r.body) for r in got),
            "4 concurrent /probe log in", " | ".join(r.body[-200:] for r in got
                                                       if not login_ok(r.body)))
    T.check(w.ts.grants == n + 1, "4 concurrent /probe with an expired token: one grant",
            "grants %d -> %d" % (n, w.ts.grants))


def main():
    folder = exlib.temp_folder("mp-exoauth-")
    w = None
    try:
        w = World(folder)
        for t in (test_start, test_reuse, test_token_file, test_reload_and_expiry, test_down,
                  test_back, test_concurrent_probe):
            try:
                t(w)
            except Exception as ex:  # noqa: BLE001
                T.check(False, t.__name__, "raised %r" % ex)
        log = w.ex.log()
        T.check("OAuth2 access token granted" in log and "OAuth2 grant failed" in log,
                "the log says when grants work and fail")
        no_secret("the exporter's log (debug)", log)
    finally:
        if w is not None:
            w.close()
            exlib.keep_log(w.ex.proc.log_path, "exporter-oauth.log")
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
