#!/usr/bin/python3
"""mailprobe_exporter against the lab (real Dovecot and Postfix), run inside
the client namespace (`ip netns exec mp-client`, see run-tests.sh): the
scheduled targets on /metrics (per-target credentials override the
module's), 50 concurrent /probe requests, the report and status pages (the
latter in headless Chromium, with a screenshot in tests/out/), and a real
Prometheus scraping /probe with the standard relabelling and /metrics, read
back through its HTTP API: probe_success, and mailprobe_finding with 587
dropped (`lab.sh block 587 drop`).
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exlib  # noqa: E402
from exlib import mptest, sample  # noqa: E402

T = mptest.Counter("e2e-lab")
BODIES = []
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def lab_env():
    out = subprocess.run(["sh", os.path.join(exlib.ROOT, "tests", "lab", "lab.sh"), "env"],
                         stdout=subprocess.PIPE, check=True, timeout=30).stdout.decode()
    env = {}
    for line in out.splitlines():
        k, _, v = line.partition("=")
        env[k] = v.strip("'")
    return env


def lab(*args):
    return subprocess.run(["sh", os.path.join(exlib.ROOT, "tests", "lab", "lab.sh")] +
                          list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=90).returncode


def lab_blocks():
    return subprocess.run(["sh", os.path.join(exlib.ROOT, "tests", "lab", "lab.sh"), "blocks"],
                          stdout=subprocess.PIPE, timeout=30).stdout.decode().strip()


def config(env, folder):
    wrong = os.path.join(folder, "wrong-password")
    with open(wrong, "w") as f:
        f.write("definitely-not-it\n")
    pin = ["mail.lab.test:*:%s" % env["LAB_ADDR"]]
    cred = {"user": env["LAB_USER"], "password_file": env["LAB_PASSWORD_FILE"]}
    ca = env["LAB_CA"]
    return {
        "modules": {
            "lab": {"ca_file": ca, "timeout": "4s", "credentials": cred,
                    "credential_hosts": ["mail.lab.test"]},
            "nologin": {"ca_file": ca, "timeout": "12s"},
            "wrongcreds": {"ca_file": ca, "timeout": "4s",
                           "credentials": {"user": env["LAB_USER"], "password_file": wrong},
                           "credential_hosts": ["mail.lab.test"]},
        },
        "targets": [
            {"name": "lab", "host": "mail.lab.test", "module": "lab", "interval": "2s",
             "labels": {"tier": "gold"}, "resolve": pin},
            {"name": "override", "host": "mail.lab.test", "module": "wrongcreds",
             "interval": "5s", "credentials": cred, "resolve": pin},
            {"name": "expired", "host": "expired.lab.test", "module": "nologin",
             "interval": "5s"},
        ],
        # the lab's addresses are special-purpose (198.18.0.0/15): a name
        # resolving to them is probed only when they are listed too
        "allow": ["*.lab.test"] + [env[k] for k in LAB_ALLOWED],
        "web": {"max_concurrent_probes": 64, "max_concurrent_probes_per_target": 64},
    }


LAB_ALLOWED = ("LAB_ADDR", "LAB_ADDR_EXPIRED", "LAB_ADDR_NOTYET", "LAB_ADDR_EXPIRING",
               "LAB_ADDR_NOCHAIN")  # not LAB_ADDR_WRONGHOST: its name gets a 403


def get(ex, path, **params):
    r = ex.get(path, **params)
    BODIES.append(r.body)
    return r


def wait_metrics(ex, limit, pred):
    end = time.monotonic() + limit * exlib.SLOW
    text = ""
    while time.monotonic() < end:
        text = get(ex, "/metrics").body
        if pred(text):
            break
        time.sleep(0.3)
    return text


def test_scheduled(env, ex):
    text = wait_metrics(ex, 20, lambda t: all(
        sample(t, "mailprobe_last_probe_timestamp_seconds", target=n) is not None
        for n in ("lab", "override", "expired")))
    T.check(sample(text, "probe_success", target="lab", tier="gold") == 1,
            "scheduled lab target: probe_success 1",
            [line for line in text.splitlines() if 'target="lab"' in line][:20])
    logins = [line for line in text.splitlines()
              if line.startswith("mailprobe_login_success{") and 'target="override"' in line]
    T.check(len(logins) == 4 and all(line.endswith(" 1") for line in logins),
            "per-target credentials override the module's", logins)
    T.check(sample(text, "mailprobe_step_failure_info", target="expired",
                   **{"class": "tls_expired"}) == 1, "expired target: tls_expired")
    ok, out = exlib.promtool_check(text)
    T.check(ok, "promtool check metrics on /metrics with lab results", out)


def one_probe(ex):
    return ex.get("/probe", timeout=30, target="mail.lab.test", module="nologin")


def test_concurrent(env, ex):
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        res = list(pool.map(lambda _: one_probe(ex), range(50)))
    took = time.monotonic() - t0
    good = [r for r in res if r.status == 200 and sample(r.body, "probe_success") == 1]
    T.check(len(good) == 50, "50 concurrent /probe: all 200 with probe_success 1",
            (len(good), sorted(set(r.status for r in res)), took,
             [r.body[:300] for r in res if r not in good][:2]))
    print("50 concurrent probes in %.1fs" % took, flush=True)
    ok, out = exlib.promtool_check(res[0].body)
    T.check(ok, "promtool check metrics on a lab /probe", out)


def test_pages(env, ex, folder):
    r = get(ex, "/probe", target="mail.lab.test", module="lab", debug="true")
    T.check(r.status == 200 and "C: " in r.body and "***" in r.body and
            "probe_success 1" in r.body, "debug probe: transcript with masked credentials")
    r = get(ex, "/probe", target="notyet.lab.test", module="nologin")
    T.check(r.status == 200 and sample(r.body, "mailprobe_step_failure_info",
                                       **{"class": "tls_not_yet_valid"}) == 1,
            "allowed name probed: tls_not_yet_valid")
    T.check(get(ex, "/probe", target="mail.example.com").status == 403, "unlisted name 403")
    r = get(ex, "/probe", target="wronghost.lab.test", module="nologin")
    T.check(r.status == 403 and "198.18.0.0/15 Benchmarking" in r.body,
            "allowed name on an unlisted benchmarking address: 403 naming the block",
            (r.status, r.body[:200]))
    r = get(ex, "/report", target="lab")
    T.check(r.status == 200 and "<html" in r.body.lower() and "mail.lab.test" in r.body,
            "/report?target=lab: the support report")
    chromium(ex, folder)


def chromium(ex, folder):
    exe = shutil.which("chromium")
    if exe is None:
        T.check(False, "chromium installed (apt-get install chromium)")
        return
    prof = os.path.join(folder, "chromium")
    base = [exe] + CHROMIUM_FLAGS + ["--user-data-dir=" + prof]
    p = subprocess.run(base + ["--dump-dom", ex.url("/")], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=90)
    dom = p.stdout.decode("utf-8", "replace")
    for name in ("lab", "override", "expired"):
        T.check('data-target="%s"' % name in dom, "Chromium DOM holds target " + name)
    T.check("<svg" in dom and 'class="cell ok"' in dom and 'class="cell fail"' in dom,
            "grid cells and latency SVG rendered")
    os.makedirs(exlib.OUT, exist_ok=True)
    shot = os.path.join(exlib.OUT, "exporter-status.png")
    if os.path.exists(shot):
        os.remove(shot)
    subprocess.run(base + ["--hide-scrollbars", "--window-size=1280,1500",
                           "--screenshot=" + shot, ex.url("/")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)
    T.check(os.path.exists(shot) and os.path.getsize(shot) > 10000,
            "status page screenshot in tests/out/exporter-status.png")


class Prometheus:
    def __init__(self, folder, exporter_port):
        self.port = exlib.free_port()
        self.dir = os.path.join(folder, "prometheus")
        os.makedirs(os.path.join(self.dir, "data"))
        target = "127.0.0.1:%d" % exporter_port
        cfg = {
            "global": {"scrape_interval": "3s", "scrape_timeout": "3s"},
            "scrape_configs": [
                {"job_name": "mailprobe_probe", "metrics_path": "/probe",
                 "params": {"module": ["lab"]},
                 "static_configs": [{"targets": ["mail.lab.test"]}],
                 "relabel_configs": [
                     {"source_labels": ["__address__"], "target_label": "__param_target"},
                     {"source_labels": ["__param_target"], "target_label": "instance"},
                     {"target_label": "__address__", "replacement": target}]},
                {"job_name": "mailprobe_exporter", "static_configs": [{"targets": [target]}]},
            ],
        }
        path = os.path.join(self.dir, "prometheus.yml")
        with open(path, "w") as f:
            json.dump(cfg, f)  # JSON is YAML
        self.proc = exlib.Proc(["prometheus", "--config.file=" + path,
                                "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
                                "--web.listen-address=127.0.0.1:%d" % self.port,
                                "--log.level=warn"], os.path.join(self.dir, "log"))

    def query(self, q):
        r = exlib.get("http://127.0.0.1:%d/api/v1/query?%s" %
                      (self.port, urllib.parse.urlencode({"query": q})), timeout=5)
        if r.status != 200:
            return None
        return json.loads(r.body)["data"]["result"]

    def wait(self, q, pred, limit):
        end = time.monotonic() + limit
        res = None
        while time.monotonic() < end:
            res = self.query(q)
            if res is not None and pred(res):
                return res
            time.sleep(0.5)
        return res


def value_is(v):
    return lambda res: len(res) > 0 and all(float(s["value"][1]) == v for s in res)


def test_prometheus(env, ex, folder):
    prom = Prometheus(folder, ex.port)
    try:
        res = prom.wait('probe_success{job="mailprobe_probe",instance="mail.lab.test"}',
                        value_is(1), 40)
        T.check(res and value_is(1)(res), "Prometheus reads probe_success 1 via /probe", res)
        res = prom.wait('probe_success{job="mailprobe_exporter",target="lab",tier="gold"}',
                        value_is(1), 20)
        T.check(res and value_is(1)(res), "Prometheus reads the scheduled target via /metrics")
        healthy = prom.query('mailprobe_finding{job="mailprobe_probe"}') or []
        bad = [s for s in healthy if s["metric"].get("severity") in ("warning", "critical")]
        if bad and lab_blocks():
            print("note: another test blocks lab ports (%s); healthy check skipped" %
                  lab_blocks(), flush=True)
            bad = []
        T.check(not bad, "healthy lab: no warning or critical finding", healthy)
        blocked_587(prom)
        ok, msg = exlib.promtool_check(get(ex, "/probe", target="mail.lab.test",
                                           module="lab").body)
        T.check(ok, "promtool on /probe after the block", msg)
    finally:
        prom.proc.stop()


def blocked_587(prom):
    q = 'mailprobe_finding{job="mailprobe_probe",id="outgoing_port_blocked"}'
    T.check(lab("block", "587", "drop") == 0, "lab.sh block 587 drop")
    try:
        res = prom.wait(q, value_is(1), 45)
        T.check(res and value_is(1)(res), "587 dropped: mailprobe_finding "
                "outgoing_port_blocked read back through Prometheus", res)
        res = prom.query('mailprobe_step_failure_info{job="mailprobe_probe",port="587"}')
        T.check(res and res[0]["metric"].get("class") == "connect_timeout",
                "587 dropped: connect_timeout", res)
    finally:
        T.check(lab("unblock", "587") == 0, "lab.sh unblock 587")


def test_secrets(env, ex):
    with open(env["LAB_PASSWORD_FILE"]) as f:
        pw = f.read().strip()
    leaks = [b for b in BODIES if pw in b]
    T.check(len(pw) >= 6 and not leaks, "no lab password in any response", len(leaks))
    T.check(pw not in ex.log(), "no lab password in the log")
    lines = [line for line in ex.log().splitlines() if line.strip()]
    bad = [line for line in lines if not (line.startswith("ts=") and " level=" in line)]
    T.check(not bad, "every log line is logfmt with a level (no sanitizer report)", bad[:3])


def main():
    env = lab_env()
    folder = exlib.temp_folder("mailprobe-exporter-lab-")
    ex = exlib.Exporter(folder, config(env, folder), extra=["--log.level", "debug"])
    try:
        T.check(ex.wait_ready(), "exporter ready", ex.log()[-2000:])
        for name, fn, args in (("scheduled", test_scheduled, ()),
                               ("concurrent", test_concurrent, ()),
                               ("pages", test_pages, (folder,)),
                               ("prometheus", test_prometheus, (folder,)),
                               ("secrets", test_secrets, ())):
            t0 = time.monotonic()
            fn(env, ex, *args)
            print("ok %-12s %.1fs" % (name, time.monotonic() - t0), flush=True)
        rc = ex.proc.stop()
        T.check(rc == 0, "SIGTERM: exit 0", rc)
    finally:
        ex.proc.stop()
        exlib.keep_log(ex.proc.log_path, "exporter-lab.log")
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
