#!/usr/bin/python3
"""mailprobe_exporter on loopback, against scripted servers (no lab):
--config.check, routes and status codes, the allow-list (403 cases, IP
spellings, names resolving to loopback), /probe deadlines and the scrape
timeout header, the worker caps (503, in total and per target), login back-off, credentials only for
configured targets, a blackholed target not delaying others, SIGHUP good and
bad reloads, basic auth with bcrypt and TLS, promtool on every exposition,
no password in any response or log line, SIGTERM with probes in flight.

    test_exporter.py [NAME...]     run all tests, or those named
"""
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import crypt  # noqa: E402  (libxcrypt: makes the bcrypt hash for basic auth)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exlib  # noqa: E402
from exlib import mptest, sample  # noqa: E402

T = mptest.Counter("exporter")
MARKER = "Pw-MARKER-7f3a9c"  # the password: must never show up anywhere
BODIES = []  # every response body, checked for MARKER at the end


def body(r):
    BODIES.append(r.body)
    return r.body


class Env:
    """Scripted servers and the base config shared by the tests."""

    def __init__(self):
        self.dir = exlib.temp_folder("mailprobe-exporter-e2e-")
        self.certs = mptest.make_certs(self.dir, ("hostile.test",))
        self.rejecting, self.rej_port = exlib.hostile("smtps-auth-rejected", self.dir, self.certs)
        self.rejecting2, self.rej2_port = exlib.hostile("smtps-auth-rejected", self.dir,
                                                        self.certs)
        self.silent, self.silent_port = exlib.hostile("silent", self.dir, self.certs)
        self.authok, self.authok_port = exlib.hostile("smtps-auth-ok", self.dir, self.certs)
        with open(os.path.join(self.dir, "pw"), "w") as f:
            f.write(MARKER + "\n")
        os.chmod(os.path.join(self.dir, "pw"), 0o600)  # 0644 gets a warning
        # --control: a port nothing listens on at 127.0.0.5, open at 127.0.0.8
        self.control = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.control.bind(("127.0.0.8", 0))
        self.control.listen(16)
        self.control_port = self.control.getsockname()[1]

    def config(self, **over):
        ca = self.certs[0]
        c = {
            "modules": {
                "rej": {"endpoints": ["smtp:%d:tls" % self.rej_port], "ca_file": ca,
                        "timeout": "3s",
                        "credentials": {"user": "bob@example.test", "password_file": "pw"},
                        "credential_hosts": ["127.0.0.1", "localhost"]},
                "rej2": {"endpoints": ["smtp:%d:tls" % self.rej_port, "smtp:%d:tls" % self.rej2_port],
                         "ca_file": ca, "timeout": "3s",
                         "credentials": {"user": "bob@example.test", "password_file": "pw"},
                         "credential_hosts": ["127.0.0.1"]},
                "silent": {"endpoints": ["smtp:%d:tls" % self.silent_port], "timeout": "3s"},
                "ok": {"endpoints": ["smtp:%d:tls" % self.authok_port], "ca_file": ca,
                       "timeout": "3s",
                       "credentials": {"user": "bob@example.test", "password_file": "pw"},
                       "credential_hosts": ["hostile.test"]},
                "refused": {"endpoints": ["imap:9:tls"], "timeout": "2s"},
                "ctl": {"endpoints": ["smtp:%d:starttls" % self.control_port], "timeout": "2s",
                        "control": ["127.0.0.8", "127.0.0.9"]},
            },
            "targets": [
                {"name": "rej", "host": "127.0.0.1", "module": "rej", "interval": "1s",
                 "labels": {"tier": "gold", "odd": "a\"b\\c"}},
                {"name": "hole", "host": "127.0.0.1", "module": "silent", "interval": "1s"},
                {"name": "refused", "host": "127.0.0.4", "module": "refused", "interval": "1s"},
                {"name": "ok", "host": "hostile.test", "module": "ok", "interval": "1h",
                 "resolve": ["hostile.test:*:127.0.0.1"]},
                {"name": "rej2", "host": "127.0.0.1", "module": "rej2", "interval": "1s"},
            ],
            "allow": ["127.0.0.5", "localhost"],
            "web": {"max_concurrent_probes": 64},
        }
        c.update(over)
        return c

    def close(self):
        self.rejecting.stop()
        self.rejecting2.stop()
        self.silent.stop()
        self.authok.stop()
        self.control.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def check_only(env, config):
    path = os.path.join(env.dir, "check.json")
    with open(path, "w") as f:
        f.write(config)
    return subprocess.run([exlib.EXPORTER, "--config.file", path, "--config.check"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)


def test_config_check(env):
    p = check_only(env, '{"targets": [{"host": "mail.example.com"}]}')
    T.check(p.returncode == 0 and b"OK" in p.stdout, "three-line config is valid", p.stderr)
    p = check_only(env, '{"targets": [{"host": "a.example", "interval": "10x"}]}')
    err = p.stderr.decode()
    T.check(p.returncode == 3 and "targets[0].interval" in err and len(err.splitlines()) == 1,
            "bad duration: exit 3, one line naming the JSON path", err)
    p = check_only(env, '{"targets": [], "colour": "blue"}')
    T.check(p.returncode == 0 and b'unknown key "colour"' in p.stderr,
            "unknown key: a warning, exit 0", p.stderr)
    p = check_only(env, '{"targets": [{"host": "a.example", "credentials": {"user": "u", '
                   '"password_file": "missing"}}]}')
    T.check(p.returncode == 3 and b"targets[0].credentials.password_file" in p.stderr,
            "missing password file named", p.stderr)
    p = check_only(env, '{"modules": {"m": {"credentials": {"user": "u", "password_file": "%s"}},'
                   ' "plain": {}}}' % os.path.join(env.dir, "pw"))
    err = p.stderr.decode()
    T.check(p.returncode == 3 and "modules.m.credential_hosts" in err and
            len(err.splitlines()) == 1, "credentials without credential_hosts: exit 3", err)
    for args, code in ((["--help"], 0), (["--version"], 0), (["--bogus"], 3),
                       (["--log.level", "loud"], 3), (["--config.file"], 3)):
        p = subprocess.run([exlib.EXPORTER] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=10)
        T.check(p.returncode == code, "flags %s exit %d" % (args, code), p.stderr)


def wait_metric(ex, limit, pred):
    """Polls /metrics until pred(text) is true; returns the last text."""
    end = time.monotonic() + limit * exlib.SLOW
    text = ""
    while time.monotonic() < end:
        text = body(ex.get("/metrics"))
        if pred(text):
            break
        time.sleep(0.2)
    return text


def test_routes(env, ex):
    r = ex.get("/-/healthy")
    T.check(r.status == 200 and "Healthy" in r.body, "/-/healthy")
    r = ex.get("/")
    T.check(r.status == 200 and r.headers.get("Content-Type", "").startswith("text/html") and
            'data-target="rej"' in body(r), "/ status page")
    T.check("script" not in r.body.lower(), "status page has no script")
    T.check(ex.get("/nope").status == 404, "unknown path 404")
    r = exlib.get(ex.url("/metrics"), method="POST")
    T.check(r.status == 405 and "GET" in r.headers.get("Allow", ""), "POST 405 with Allow")
    r = ex.get("/report", target="nope")
    T.check(r.status == 404, "report of an unknown target 404")
    log = ex.log()
    T.check("TLS is off" in log and "basic authentication is off" in log,
            "start log says TLS and basic auth are off")


def test_metrics(env, ex):
    text = wait_metric(ex, 10, lambda t: sample(t, "mailprobe_login_backoff_seconds",
                                                target="rej") not in (None, 0.0))
    ok, out = exlib.promtool_check(text)
    T.check(ok, "promtool check metrics on /metrics", out)
    T.check(sample(text, "mailprobe_exporter_build_info", version="0.1.0") == 1,
            "build info with version")
    T.check('openssl="OpenSSL 3' in text, "build info names OpenSSL")
    for name in ("process_resident_memory_bytes", "process_cpu_seconds_total",
                 "process_open_fds", "process_start_time_seconds",
                 "mailprobe_probe_duration_seconds_count", "mailprobe_probes_total",
                 "mailprobe_config_last_reload_successful"):
        T.check(sample(text, name) is not None, "series " + name)
    T.check(sample(text, "probe_success", target="rej", tier="gold", odd='a\\"b\\\\c') == 0,
            "target labels, escaped", [line for line in text.splitlines()
                                       if line.startswith("probe_success")])
    T.check(sample(text, "mailprobe_step_failure_info", target="rej", step="login",
                   **{"class": "auth_failed"}) == 1, "auth_failed series")
    b = sample(text, "mailprobe_login_backoff_seconds", target="rej")
    T.check(b is not None and b >= 2, "back-off after auth_failed", b)
    T.check(sample(text, "mailprobe_last_probe_timestamp_seconds", target="rej") > 1.7e9,
            "last probe timestamp")
    T.check(text.count("# HELP mailprobe_last_probe_timestamp_seconds") == 1 and
            "cached" in text, "HELP once, says cached")


def test_lang(env, ex):
    """The status page and the report in German with lang=de; English by
    default and with lang=en; anything else is a 400 with one line."""
    wait_metric(ex, 10, lambda t: sample(t, "mailprobe_last_probe_timestamp_seconds",
                                         target="rej") is not None)
    en, de = ex.get("/"), ex.get("/", lang="de")
    T.check(en.status == 200 and 'lang="en"' in en.body and "support report" in en.body,
            "status page in English by default", en.body[:300])
    T.check(de.status == 200 and 'lang="de"' in de.body and "Support-Bericht" in de.body and
            "Anmeldepause" in de.body and "support report" not in de.body and
            "report?target=rej&amp;lang=de" in body(de), "status page with lang=de: German, "
            "links keep the language", de.body[:300])
    en, de = ex.get("/report", target="rej", lang="en"), ex.get("/report", target="rej", lang="de")
    T.check(en.status == 200 and "Mail connectivity report" in en.body,
            "report with lang=en: English", en.body[:200])
    T.check(de.status == 200 and 'lang="de"' in de.body and "Mail connectivity report"
            not in de.body and "Bericht zur E-Mail-Verbindung" in de.body, "report with lang=de: German", de.body[:300])
    for path, params in (("/", {"lang": "xx"}), ("/report", {"target": "rej", "lang": "DE"}),
                         ("/", {"lang": ""})):
        r = ex.get(path, **params)
        T.check(r.status == 400 and r.body.count("\n") == 1 and "en or de" in r.body,
                "%s with lang=%r: 400 with one line" % (path, params["lang"]), (r.status, r.body))


def test_skipped_login(env, ex):
    """Two SMTP ports whose server rejects the login: one login is sent and
    rejected (endpoint_up 0, login_success 0); the other is not tested
    (auth_skipped): its endpoint_up stays 1 and it has no login_success."""
    ports = [str(env.rej_port), str(env.rej2_port)]
    text = wait_metric(ex, 10, lambda t: all(
        sample(t, "mailprobe_endpoint_up", target="rej2", port=p) is not None for p in ports))
    up = {p: sample(text, "mailprobe_endpoint_up", target="rej2", port=p) for p in ports}
    T.check(sorted(up.values()) == [0.0, 1.0], "endpoint_up: 0 for the rejected login, 1 for "
            "the login not tested", up)
    rejected = [p for p in ports if up[p] == 0.0]
    login = {p: sample(text, "mailprobe_login_success", target="rej2", port=p) for p in ports}
    T.check([p for p in ports if login[p] is not None] == rejected and
            login.get(rejected[0] if rejected else "") == 0.0,
            "login_success only where the login was sent (0)", login)
    skipped = [p for p in ports if sample(text, "mailprobe_step_failure_info", target="rej2",
                                          port=p, step="login",
                                          **{"class": "auth_skipped"}) == 1]
    T.check(skipped and skipped != rejected, "the other login is auth_skipped", skipped)


def test_blackhole(env, ex):
    """hole (silent server, 3 s timeout) is always in flight; refused
    (interval 1 s) keeps getting results meanwhile."""
    first = wait_metric(ex, 8, lambda t: sample(
        t, "mailprobe_last_probe_timestamp_seconds", target="refused") is not None)
    t0 = sample(first, "mailprobe_last_probe_timestamp_seconds", target="refused")
    later = wait_metric(ex, 6, lambda t: (sample(
        t, "mailprobe_last_probe_timestamp_seconds", target="refused") or 0) >= (t0 or 0) + 2)
    t1 = sample(later, "mailprobe_last_probe_timestamp_seconds", target="refused")
    T.check(t0 is not None and t1 is not None and t1 >= t0 + 2,
            "a blackholed target does not delay another", (t0, t1))
    r = ex.get("/-/healthy", timeout=2)
    T.check(r.status == 200, "HTTP answers while probes hang")


def test_probe_status_codes(env, ex):
    cases = [
        ({}, 400, "missing"),
        ({"target": "127.0.0.5:993"}, 400, "port"),
        ({"target": "[::1]:993"}, 400, "port"),
        ({"target": "127.0.0.5", "module": "nope"}, 400, "unknown module"),
        ({"target": "127.0.0.6"}, 403, "allow-list"),
        ({"target": "2130706438"}, 403, "allow-list"),  # decimal 127.0.0.6
        ({"target": "0x7f000006"}, 403, "allow-list"),  # hex
        ({"target": "::ffff:127.0.0.6"}, 403, "allow-list"),  # mapped
        ({"target": "mail.example.com"}, 403, "neither"),
        ({"target": "localhost"}, 403, "resolves to"),  # listed name, loopback
        ({"target": "127.0.0.5", "module": "rej"}, 403, "credential_hosts"),
    ]
    for params, code, word in cases:
        r = ex.get("/probe", **params)
        T.check(r.status == code and word in body(r), "/probe %s -> %d" % (params, code),
                (r.status, r.body))
    r = ex.get("/probe", headers={"X-Prometheus-Scrape-Timeout-Seconds": "abc"},
               target="127.0.0.5")
    T.check(r.status == 400 and "Scrape-Timeout" in r.body, "malformed scrape timeout 400")
    for spelling in ("127.0.0.5", "2130706437", "::ffff:127.0.0.5"):
        r = ex.get("/probe", target=spelling, module="refused")
        T.check(r.status == 200 and sample(body(r), "probe_success") == 0,
                "listed address in spelling %s: 200" % spelling, r.status)
    ok, out = exlib.promtool_check(r.body)
    T.check(ok, "promtool check metrics on /probe", out)
    T.check(sample(r.body, "mailprobe_step_failure_info", address="127.0.0.5",
                   **{"class": "connect_refused"}) == 1, "the normalised address is probed")


def test_control(env, ex):
    """A module's control hosts: the port refused at the target is tried at
    each; mailprobe_control_up says where it connected."""
    r = ex.get("/probe", target="127.0.0.5", module="ctl")
    T.check(r.status == 200, "/probe with control hosts: 200", r.status)
    port = str(env.control_port)
    T.check(sample(body(r), "mailprobe_control_up", host="127.0.0.8", port=port) == 1,
            "control_up 1 where the port is open", r.body[-600:])
    T.check(sample(r.body, "mailprobe_control_up", host="127.0.0.9", port=port) == 0,
            "control_up 0 where it is refused too", r.body[-600:])
    ok, out = exlib.promtool_check(r.body)
    T.check(ok, "promtool check metrics with control series", out)


def test_probe_deadline(env, ex):
    t0 = time.monotonic()
    r = ex.get("/probe", target="127.0.0.1", module="silent")
    took = time.monotonic() - t0
    T.check(r.status == 200 and 2.5 < took < 3 + 2 * exlib.SLOW,
            "module timeout is the deadline", took)
    t0 = time.monotonic()
    r = ex.get("/probe", headers={"X-Prometheus-Scrape-Timeout-Seconds": "1.5"},
               target="127.0.0.1", module="silent")
    took = time.monotonic() - t0
    T.check(r.status == 200 and 0.8 < took < 1 + 2 * exlib.SLOW,
            "scrape timeout - 0.5 s is the deadline", took)
    t0 = time.monotonic()
    r = ex.get("/probe", headers={"X-Prometheus-Scrape-Timeout-Seconds": "0.4"},
               target="127.0.0.1", module="silent")
    took = time.monotonic() - t0
    T.check(r.status == 200 and took < 0.2 + 2 * exlib.SLOW, "half of a short header", took)


def test_backoff_probe(env, ex):
    """/probe of the configured target: credentials used once, then the
    back-off serves the cached result without a login."""
    r1 = ex.get("/probe", target="127.0.0.1", module="rej")
    b1 = sample(body(r1), "mailprobe_login_backoff_seconds")
    t0 = time.monotonic()
    r2 = ex.get("/probe", target="127.0.0.1", module="rej")
    took = time.monotonic() - t0
    T.check(r1.status == 200 and b1 is not None and b1 >= 2, "/probe reports the back-off", b1)
    T.check(r2.status == 200 and sample(body(r2), "mailprobe_login_backoff_seconds") >= 2 and
            sample(r2.body, "probe_success") == 0 and took < 0.5,
            "in back-off /probe answers from the cache", took)


def logins_at_server(env):
    with open(os.path.join(env.dir, "hostile-smtps-auth-ok.log")) as f:
        return f.read().count("AUTH received")


def test_login_interval(env, ex):
    """Ten /probe in a row with a module whose logins work: one login at the
    server (min_login_interval 60 s by default); the others run without
    credentials and report that login with its age."""
    wait_metric(ex, 10, lambda t: sample(t, "mailprobe_last_probe_timestamp_seconds",
                                         target="ok") is not None)  # its scheduled login
    before = logins_at_server(env)
    res = [ex.get("/probe", target="hostile.test", module="ok") for _ in range(10)]
    T.check(logins_at_server(env) - before == 1, "10 probes in a row: one login at the server",
            logins_at_server(env) - before)
    first, last = body(res[0]), body(res[-1])
    T.check(all(r.status == 200 for r in res), "all 200", [r.status for r in res])
    T.check(sample(first, "mailprobe_login_success") == 1 and
            sample(first, "mailprobe_login_result_age_seconds") == 0,
            "the first logs in: result of age 0", first[-600:])
    age = sample(last, "mailprobe_login_result_age_seconds")
    T.check(sample(last, "mailprobe_login_success") == 1 and age is not None and age >= 0,
            "the tenth reports the last login and its age", last[-600:])
    T.check("# HELP mailprobe_login_result_age_seconds" in last and
            "min_login_interval" in last, "HELP says the login is not repeated")
    ok, out = exlib.promtool_check(last)
    T.check(ok, "promtool on a probe reporting the last login", out)
    r = ex.get("/probe", target="hostile.test", module="ok", debug="true")
    T.check("Login not repeated" in body(r) and "min_login_interval" in r.body,
            "debug output says the login was not repeated", r.body[:400])
    T.check(logins_at_server(env) - before == 1, "still one login")


def test_allow_reload_credentials(env, ex):
    """A listed name resolving to listed loopback addresses is probed, but
    never with a target's or module's credentials."""
    log = os.path.join(env.dir, "hostile-smtps-auth-rejected.log")
    ex.reload(env.config(allow=["localhost", "127.0.0.1", "::1"]))
    r = ex.get("/probe", target="localhost", module="rej", debug="true")
    text = body(r)
    T.check(r.status == 200 and "login_not_tested" in text and "C: AUTH" not in text and "C: EHLO" in text,
            "allowed name: probed without credentials", (r.status, text[-600:]))
    T.check("Transcript" in text and "Series:" in text and "probe_success" in text,
            "debug=true: transcript and series as text")
    T.check(r.headers.get("Content-Type", "").startswith("text/plain; charset"),
            "debug output is text/plain")
    ex.reload(env.config())


def test_reload(env, ex):
    c = env.config()
    c["targets"][2]["labels"] = {"tier": "silver"}
    c["targets"].append({"name": "added", "host": "127.0.0.7", "module": "refused",
                         "interval": "1s"})
    before = sample(body(ex.get("/metrics")),
                    "mailprobe_config_last_reload_success_timestamp_seconds")
    time.sleep(0.1)
    ex.reload(c)
    text = wait_metric(ex, 6, lambda t: sample(t, "probe_success", target="added") is not None
                       and sample(t, "probe_success", target="refused", tier="silver")
                       is not None)
    T.check(sample(text, "mailprobe_config_last_reload_successful") == 1 and
            sample(text, "mailprobe_config_last_reload_success_timestamp_seconds") > before,
            "good reload: successful, timestamp moves")
    T.check(sample(text, "probe_success", target="added") is not None and
            sample(text, "probe_success", target="refused", tier="silver") is not None,
            "good reload: new target and labels")
    ex.reload("{ not json")
    text = body(ex.get("/metrics"))
    T.check(sample(text, "mailprobe_config_last_reload_successful") == 0,
            "bad reload: successful 0")
    T.check(sample(text, "probe_success", target="added") is not None,
            "bad reload keeps the old config")
    T.check(ex.get("/probe", target="127.0.0.5", module="refused").status == 200,
            "bad reload: /probe still works")
    T.check("config reload failed" in ex.log() and "level=error" in ex.log(),
            "bad reload logged with level=error")
    ex.reload(env.config())
    T.check(sample(body(ex.get("/metrics")), "mailprobe_config_last_reload_successful") == 1,
            "reload back")


def test_cap(env, ex):
    """max_concurrent_probes 2 (applied by a reload): 6 probes at once of a
    silent server, 4 get 503 with a reason."""
    ex.reload(env.config(web={"max_concurrent_probes": 2}))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        futs = [pool.submit(ex.get, "/probe", None, 20.0, target="127.0.0.1", module="silent")
                for _ in range(6)]
        res = [f.result() for f in futs]
    codes = sorted(r.status for r in res)
    T.check(codes.count(503) >= 3 and codes.count(200) >= 1, "over the cap: 503", codes)
    T.check(any("max_concurrent_probes" in r.body for r in res if r.status == 503),
            "503 names the reason")
    ex.reload(env.config())


def test_cap_per_target(env, ex):
    """max_concurrent_probes 4, per target 2: 4 probes at once of a silent
    server take the target's 2 slots (2 get 503 naming the per-target
    limit); while they hang, another target still answers 200."""
    ex.reload(env.config(web={"max_concurrent_probes": 4,
                              "max_concurrent_probes_per_target": 2}))
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futs = [pool.submit(ex.get, "/probe", None, 20.0, target="127.0.0.1", module="silent")
                for _ in range(4)]
        done = set()
        while len(done) < 2:  # the two refused ones come back at once
            done |= concurrent.futures.wait(futs, timeout=20,
                                            return_when=concurrent.futures.FIRST_COMPLETED)[0]
        other = ex.get("/probe", target="127.0.0.5", module="refused")
        res = [f.result() for f in futs]
    refused = [r for r in res if r.status == 503]
    T.check(len(refused) == 2 and sorted(r.status for r in res) == [200, 200, 503, 503],
            "one slow target gets at most its 2 slots", [r.status for r in res])
    T.check(all("max_concurrent_probes_per_target 2" in r.body for r in refused),
            "503 names the per-target limit", [r.body for r in refused])
    T.check(other.status == 200 and sample(body(other), "probe_success") == 0,
            "another target still answers 200 meanwhile", (other.status, other.body[:200]))
    ex.reload(env.config())


def blackhole_dns():
    """A UDP socket on port 53 of a free 127.0.0.x that reads nothing and
    answers nothing: (socket, address)."""
    for last in range(77, 100):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.%d" % last, 53))
            return s, "127.0.0.%d" % last
        except OSError:
            s.close()
    raise RuntimeError("no free 127.0.0.x:53 for the blackhole DNS server")


def private_dns(folder, server):
    """A command prefix that runs its command in a mount namespace of its own
    whose /etc/resolv.conf names the DNS server at server (which never
    answers), and whose /etc/hosts knows sched.test (127.0.0.1)."""
    resolv = os.path.join(folder, "blackhole-resolv.conf")
    hosts = os.path.join(folder, "blackhole-hosts")
    with open(resolv, "w") as f:
        f.write("nameserver %s\noptions timeout:30 attempts:1\n" % server)
    with open(hosts, "w") as f:
        f.write("127.0.0.1 localhost\n127.0.0.1 sched.test\n")
    script = ('r=$1 h=$2; shift 2; mount --bind "$r" /etc/resolv.conf && '
              'mount --bind "$h" /etc/hosts && exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            resolv, hosts]


def test_dns_share(env):
    """A tiny scrape timeout and slow-resolving names spend /probe's share
    of abandoned DNS lookups; the scheduled target (resolved through
    /etc/hosts, which still takes a lookup slot) keeps getting results."""
    hole, server = blackhole_dns()
    c = env.config(targets=[{"name": "sched", "host": "sched.test", "module": "refused",
                             "interval": "1s"}], allow=["*.slow.test"])
    ex = exlib.Exporter(env.dir, c, name="dns-share", prefix=private_dns(env.dir, server))
    slow = {"X-Prometheus-Scrape-Timeout-Seconds": "1"}
    try:
        T.check(ex.wait_ready(), "exporter in its own DNS namespace ready", ex.log()[-500:])
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            res = list(pool.map(lambda i: ex.get("/probe", headers=slow, target="n%d.slow.test" % i,
                                                 module="refused"), range(10)))
        T.check(all(r.status == 200 and sample(body(r), "mailprobe_finding", id="dns_failure") == 1
                    for r in res), "slow names: dns_failure", [r.body[:200] for r in res][:2])
        r = ex.get("/probe", headers=slow, target="more.slow.test", module="refused",
                   debug="true")
        T.check("too many earlier lookups" in body(r), "/probe's share is spent", r.body[-800:])
        after = time.time()
        text = wait_metric(ex, 10, lambda t: (sample(
            t, "mailprobe_last_probe_timestamp_seconds", target="sched") or 0) > after + 1)
        T.check((sample(text, "mailprobe_last_probe_timestamp_seconds", target="sched") or 0) >
                after + 1, "the scheduled target has a new result")
        T.check(sample(text, "mailprobe_step_failure_info", target="sched",
                       **{"class": "connect_refused"}) == 1 and
                sample(text, "mailprobe_finding", target="sched", id="dns_failure") is None,
                "scheduled target resolved: its own share", [
                    line for line in text.splitlines() if "failure_info" in line][:4])
    finally:
        ex.proc.stop()
        hole.close()


def test_auth_tls(env):
    ca, cert, key = env.certs
    h = crypt.crypt("s3cret-web", "$2b$05$" + "abcdefghijklmnopqrstuu")
    c = {"targets": [], "web": {"basic_auth_users": {"prom": h}, "tls_cert_file": cert,
                                "tls_key_file": key}}
    ctx = exlib.tls_context(ca)
    ex = exlib.Exporter(env.dir, c, name="secure", scheme="https", context=ctx)
    try:
        good = exlib.basic("prom", "s3cret-web")
        T.check(ex.wait_ready(headers=good), "TLS + basic auth exporter ready", ex.log())
        r = ex.get("/metrics")
        T.check(r.status == 401 and "Basic" in r.headers.get("WWW-Authenticate", ""),
                "no credentials: 401 with a challenge")
        T.check(ex.get("/metrics", headers=exlib.basic("prom", "wrong")).status == 401,
                "wrong password: 401")
        T.check(ex.get("/metrics", headers=exlib.basic("eve", "s3cret-web")).status == 401,
                "unknown user: 401")
        T.check(ex.get("/metrics", headers=good).status == 200, "right password: 200")
        for route in ("/-/healthy", "/-/ready"):
            T.check(ex.get(route).status == 200, route + " needs no credentials (health checks)")
        T.check(ex.get("/").status == 401 and ex.get("/report?target=x").status == 401,
                "the status page and reports still need them")
        r = exlib.get("http://127.0.0.1:%d/metrics" % ex.port)
        T.check(r.status != 200, "plain HTTP refused on the TLS port")
        T.check("TLS is off" not in ex.log() and "tls=on" in ex.log(), "start log: TLS on")
    finally:
        ex.proc.stop()


def test_cli_prometheus(env):
    p = subprocess.run([exlib.MAILPROBE, "--format", "prometheus", "--timeout", "2",
                        "--endpoint", "imap:9:tls", "127.0.0.4"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    out = p.stdout.decode()
    T.check("probe_success 0" in out, "mailprobe --format prometheus prints the series",
            p.stderr.decode().strip())
    ok, msg = exlib.promtool_check(out)
    T.check(ok and out != "", "promtool check metrics on --format prometheus", msg)
    with open(os.path.join(exlib.ROOT, "tests", "e2e", "golden", "run.prom")) as f:
        ok, msg = exlib.promtool_check(f.read())
    T.check(ok, "promtool check metrics on the golden file", msg)


def test_password_file_kinds(env, ex):
    """A FIFO as password_file: --config.check and a SIGHUP reload fail at
    once with the JSON path (they used to block in open() for good, so that
    SIGTERM went unanswered); a file others may read loads with a warning
    naming the mode."""
    fifo = os.path.join(env.dir, "fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    cfg = env.config()
    cfg["modules"]["ok"]["credentials"]["password_file"] = fifo
    t0 = time.monotonic()
    p = check_only(env, json.dumps(cfg))
    err = p.stderr.decode()
    T.check(p.returncode == 3 and "modules.ok.credentials.password_file" in err and
            "FIFO" in err and len(err.splitlines()) == 1,
            "FIFO password_file: --config.check exit 3, one line", err)
    T.check(time.monotonic() - t0 < 10 * exlib.SLOW, "FIFO password_file: no wait")
    before = ex.log().count("config reload failed")
    ex.reload(cfg)
    T.check(ex.log().count("config reload failed") == before + 1,
            "FIFO password_file: the reload fails, not hangs", ex.log()[-500:])
    T.check(ex.get("/-/healthy").status == 200, "FIFO password_file: still serving")
    ex.reload(env.config())
    shared = os.path.join(env.dir, "pw644")
    with open(shared, "w") as f:
        f.write(MARKER + "\n")
    os.chmod(shared, 0o644)
    cfg = env.config()
    cfg["modules"]["ok"]["credentials"]["password_file"] = shared
    p = check_only(env, json.dumps(cfg))
    err = p.stderr.decode()
    T.check(p.returncode == 0 and "mode 0644 is readable by others; chmod 600" in err and
            MARKER not in err, "password_file 0644: a warning naming the mode, exit 0", err)


def test_sigterm(env, ex):
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        futs = [pool.submit(ex.get, "/probe", None, 20.0, target="127.0.0.1", module="silent")
                for _ in range(3)]
        time.sleep(0.5)
        t0 = time.monotonic()
        ex.proc.signal(signal.SIGTERM)
        rc = ex.proc.wait(5 * exlib.SLOW)
        took = time.monotonic() - t0
        codes = [f.result().status for f in futs]
    T.check(rc == 0 and took < 2 * exlib.SLOW, "SIGTERM with probes in flight: exit 0 fast",
            (rc, took))
    T.check(all(c in (0, 503) for c in codes), "in-flight probes cancelled", codes)
    T.check("shutting down" in ex.log() and "stopped" in ex.log(), "shutdown logged")


def test_no_secret(env, ex):
    leaks = [b for b in BODIES if MARKER in b]
    T.check(not leaks, "no password in any response", len(leaks))
    T.check(MARKER not in ex.log(), "no password in the log")
    lines = [line for line in ex.log().splitlines() if line.strip()]
    bad = [line for line in lines if not (line.startswith("ts=") and " level=" in line)]
    T.check(not bad, "every log line is logfmt with a level", bad[:3])


def test_threads_fallback(env, ex):
    """Where the event loops cannot start (forced: MAILPROBE_TEST_NO_FIBERS=1)
    the probes run on threads and the log says so for each pool; /probe
    (here with control hosts, which run as tasks) answers as on fibers."""
    tx = exlib.Exporter(env.dir, env.config(), name="threads",
                        env={"MAILPROBE_TEST_NO_FIBERS": "1"})
    try:
        T.check(tx.wait_ready(), "threads: ready")
        r = tx.get("/probe", target="127.0.0.5", module="ctl")
        port = str(env.control_port)
        T.check(r.status == 200 and
                sample(body(r), "mailprobe_control_up", host="127.0.0.8", port=port) == 1,
                "threads: /probe with control hosts answers", r.body[-400:])
        said = [line for line in tx.log().splitlines() if "probes run on threads" in line]
        T.check(len(said) == 2 and "level=warn" in said[0] and "pool=probe" in " ".join(said)
                and "pool=scheduled" in " ".join(said), "threads: said once per pool", said)
    finally:
        tx.proc.stop()
    T.check("probes run on threads" not in ex.log(),
            "fibers: the usual exporter says nothing of threads")


def test_many_targets(env):
    """500 scheduled targets: memory stays bounded and scrapes add nothing."""
    targets = [{"name": "t%03d" % i, "host": "127.0.%d.%d" % (1 + i // 250, 1 + i % 250),
                "module": "refused", "interval": "1m", "labels": {"n": str(i)}}
               for i in range(500)]
    ex = exlib.Exporter(env.dir, env.config(targets=targets), name="many")
    try:
        T.check(ex.wait_ready(), "500-target exporter ready")
        text = wait_metric(ex, 30, lambda t: t.count("mailprobe_last_probe_timestamp_seconds{")
                           == 500)
        T.check(text.count("mailprobe_last_probe_timestamp_seconds{") == 500,
                "every target probed and served")
        rss0 = sample(text, "process_resident_memory_bytes")
        for _ in range(30):
            ex.get("/metrics")
            ex.get("/")
        rss1 = sample(ex.get("/metrics").body, "process_resident_memory_bytes")
        limit = 1e9 if exlib.SANITIZED else 120e6  # ASan keeps a quarantine
        T.check(rss0 is not None and rss1 < limit, "resident memory bounded", (rss0, rss1))
        T.check(rss1 < rss0 * 1.5 + 8e6, "60 scrapes do not grow memory", (rss0, rss1))
        ok, out = exlib.promtool_check(text)
        T.check(ok, "promtool on 500 targets", out)
    finally:
        ex.proc.stop()


TESTS = ["config_check", "routes", "metrics", "lang", "skipped_login", "blackhole", "probe_status_codes", "control",
         "probe_deadline", "backoff_probe", "login_interval", "allow_reload_credentials", "reload", "cap", "cap_per_target", "password_file_kinds",
         "dns_share", "auth_tls", "cli_prometheus", "threads_fallback", "many_targets", "sigterm",
         "no_secret"]
NEEDS_EXPORTER = {"config_check": False, "dns_share": False, "auth_tls": False, "cli_prometheus": False,
                  "many_targets": False}


def main():
    wanted = sys.argv[1:] or TESTS
    env = Env()
    ex = exlib.Exporter(env.dir, env.config())
    try:
        T.check(ex.wait_ready(), "exporter ready", ex.log()[-2000:])
        for name in TESTS:
            if name not in wanted and name not in ("sigterm", "no_secret"):
                continue
            fn = globals()["test_" + name]
            t0 = time.monotonic()
            if NEEDS_EXPORTER.get(name, True):
                fn(env, ex)
            else:
                fn(env)
            print("ok %-28s %.1fs" % (name, time.monotonic() - t0), flush=True)
    finally:
        ex.proc.stop()
        exlib.keep_log(ex.proc.log_path, "exporter-e2e.log")
        env.close()
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
