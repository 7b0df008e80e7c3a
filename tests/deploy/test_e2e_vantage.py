#!/usr/bin/python3
"""Multi-vantage end to end: the lab (real Dovecot and Postfix in netns
mp-lab) seen from two vantage points of this test's own, a real Prometheus
with the shipped scrape config and alert rules, asserted through its API.

    mp-vant-a  lab0 198.18.1.2/30  --veth--  mpv-a 198.18.1.1/30   mp-lab (198.18.0.10 ...)
               mon0 198.18.1.10/30 --veth--  mpv-a 198.18.1.9/30   mp-vant-mon (Prometheus)
    mp-vant-b  lab0 198.18.1.6/30  --veth--  mpv-b 198.18.1.5/30   mp-lab
               mon0 198.18.1.14/30 --veth--  mpv-b 198.18.1.13/30  mp-vant-mon

Each vantage runs mailprobe_exporter (target "lab": mail.lab.test with the
lab account, pinned to 198.18.0.10). mp-vant-a drops TCP to port 587 toward
the lab (nftables in its own namespace: the shared lab and mp-client are not
touched). Prometheus (in mp-vant-mon, temp storage, short intervals) runs
deploy/prometheus/prometheus.yml's two jobs with their relabelling as
shipped, only the static targets replaced, and a copy of
deploy/prometheus/mailprobe.rules.yml with every `for:` set to 0s. Asserted:
587 is down (connect_timeout) from vant-a only, through /probe and through
/metrics; outgoing_port_blocked and the MailprobeOutgoingPortBlockedSomeVantages
alert are vant-a's alone; 465 (and its login) works from both; and the
series Prometheus collected are all in the exporter's list, covering every
series the Grafana dashboard uses.

Everything this test creates (three namespaces, their veths, /etc/netns
entries, processes) is removed on exit, on failure and on SIGTERM; the lab
is started when it is not running, and then stopped again.
"""
import copy
import fcntl
import json
import os
import shutil
import signal
import sys
import time
import urllib.parse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("e2e-vantage")
LAB_SH = os.path.join(deplib.ROOT, "tests", "lab", "lab.sh")
LAB_NS = "mp-lab"
MON = "mp-vant-mon"
PROM_ADDR = "127.0.0.1:9090"
VANTAGES = {
    "vant-a": {"ns": "mp-vant-a", "lab_if": "mpv-a", "addr": "198.18.1.2", "gw": "198.18.1.1",
               "mon_addr": "198.18.1.10", "mon_peer": "198.18.1.9", "block587": True},
    "vant-b": {"ns": "mp-vant-b", "lab_if": "mpv-b", "addr": "198.18.1.6", "gw": "198.18.1.5",
               "mon_addr": "198.18.1.14", "mon_peer": "198.18.1.13", "block587": False},
}
EXPORTER_PORT = 9925
MODULE_TIMEOUT = "6s"
WAIT_LIMIT = 90.0  # seconds for Prometheus to see the block, the alert and 465 from both
LOCK = os.path.join(deplib.ROOT, "build", "deploy-e2e.lock")
STATE = {"procs": [], "lab_started": False, "folder": None}


def sh(*cmd, timeout=30):
    rc, out, err = run(list(cmd), timeout=timeout)
    if rc != 0:
        raise RuntimeError("%s: rc %d %s" % (" ".join(cmd), rc, (out + err).strip()[:300]))
    return out


def lab_env():
    out = sh("sh", LAB_SH, "env")
    env = {}
    for line in out.splitlines():
        k, _, v = line.partition("=")
        env[k] = v.strip("'")
    return env


def namespaces():
    return [v["ns"] for v in VANTAGES.values()] + [MON]


def ns_exists(ns):
    return os.path.exists("/run/netns/" + ns)


def teardown_net():
    for ns in namespaces():
        if ns_exists(ns):
            for pid in run(["ip", "netns", "pids", ns], timeout=10)[1].split():
                try:
                    os.kill(int(pid), signal.SIGKILL)  # only processes of our own namespaces
                except (OSError, ValueError):
                    pass
            run(["ip", "netns", "del", ns], timeout=30)
        shutil.rmtree("/etc/netns/" + ns, ignore_errors=True)
    if ns_exists(LAB_NS):  # deleting our namespaces removed the veth ends; make sure
        for v in VANTAGES.values():
            if run(["ip", "-n", LAB_NS, "link", "show", v["lab_if"]], timeout=10)[0] == 0:
                run(["ip", "-n", LAB_NS, "link", "del", v["lab_if"]], timeout=10)


def setup_net(lab):
    teardown_net()  # leftovers of an interrupted run (the lock says none is running)
    sh("ip", "netns", "add", MON)
    sh("ip", "-n", MON, "link", "set", "lo", "up")
    for name, v in VANTAGES.items():
        ns = v["ns"]
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        # toward the lab
        sh("ip", "-n", ns, "link", "add", "lab0", "type", "veth", "peer", "name", v["lab_if"],
           "netns", LAB_NS)
        sh("ip", "-n", ns, "addr", "add", v["addr"] + "/30", "dev", "lab0")
        sh("ip", "-n", LAB_NS, "addr", "add", v["gw"] + "/30", "dev", v["lab_if"])
        sh("ip", "-n", ns, "link", "set", "lab0", "up")
        sh("ip", "-n", LAB_NS, "link", "set", v["lab_if"], "up")
        sh("ip", "-n", ns, "route", "add", "198.18.0.0/24", "via", v["gw"])
        # toward Prometheus
        sh("ip", "-n", ns, "link", "add", "mon0", "type", "veth", "peer", "name", v["lab_if"],
           "netns", MON)
        sh("ip", "-n", ns, "addr", "add", v["mon_addr"] + "/30", "dev", "mon0")
        sh("ip", "-n", MON, "addr", "add", v["mon_peer"] + "/30", "dev", v["lab_if"])
        sh("ip", "-n", ns, "link", "set", "mon0", "up")
        sh("ip", "-n", MON, "link", "set", v["lab_if"], "up")
        # names stay local: the lab host from a hosts file, a resolver that answers nothing
        d = "/etc/netns/" + ns
        os.makedirs(d, exist_ok=True)
        with open(d + "/hosts", "w") as f:
            f.write("127.0.0.1\tlocalhost\n%s\t%s\n" % (lab["LAB_ADDR"], lab["LAB_HOST"]))
        with open(d + "/resolv.conf", "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        if v["block587"]:
            rules = ("table inet mpv_filter {\n chain output {\n  type filter hook output priority 0;"
                     " policy accept;\n  oifname \"lab0\" tcp dport 587 counter drop\n }\n}\n")
            rc, out, err = run(["ip", "netns", "exec", ns, "nft", "-f", "-"], timeout=10, input=rules)
            if rc != 0:
                raise RuntimeError("nft in %s: %s" % (ns, err))


def tcp_ok(ns, host, port, timeout=2.0):
    code = ("import socket,sys\ns=socket.socket()\ns.settimeout(%s)\n"
            "try:\n s.connect((%r,%d)); print('ok')\nexcept OSError as e:\n print(type(e).__name__)\n"
            % (timeout, host, port))
    return run(["ip", "netns", "exec", ns, "/usr/bin/python3", "-c", code], timeout=timeout + 10)[1].strip()


def start_exporters(lab, folder):
    for name, v in VANTAGES.items():
        cfg = {
            "modules": {"lab": {"ca_file": lab["LAB_CA"], "timeout": MODULE_TIMEOUT,
                                "credentials": {"user": lab["LAB_USER"],
                                                "password_file": lab["LAB_PASSWORD_FILE"]},
                                "credential_hosts": [lab["LAB_HOST"]]}},
            "targets": [{"name": "lab", "host": lab["LAB_HOST"], "module": "lab", "interval": "4s",
                         "resolve": ["%s:*:%s" % (lab["LAB_HOST"], lab["LAB_ADDR"])]}],
        }
        path = os.path.join(folder, "exporter-%s.json" % name)
        with open(path, "w") as f:
            json.dump(cfg, f, indent=1)
        cmd = ["ip", "netns", "exec", v["ns"], deplib.EXPORTER, "--config.file", path,
               "--web.listen-address", "%s:%d" % (v["mon_addr"], EXPORTER_PORT)]
        STATE["procs"].append(deplib.Proc(cmd, os.path.join(folder, "exporter-%s.log" % name)))


def prometheus_config(folder):
    """deploy/prometheus/prometheus.yml with only the static targets (and the
    intervals) replaced, and the rules with every for: set to 0s."""
    with open(os.path.join(deplib.DEPLOY, "prometheus", "prometheus.yml")) as f:
        shipped = yaml.safe_load(f)
    with open(os.path.join(deplib.DEPLOY, "prometheus", "mailprobe.rules.yml")) as f:
        rules = yaml.safe_load(f)
    for g in rules["groups"]:
        for r in g["rules"]:
            if "for" in r:
                r["for"] = "0s"
    rules_path = os.path.join(folder, "mailprobe.rules.yml")
    with open(rules_path, "w") as f:
        yaml.safe_dump(rules, f, sort_keys=False)
    jobs = []
    for job in shipped["scrape_configs"]:
        j = copy.deepcopy(job)
        if j["job_name"] == "mailprobe_exporter":
            j["scrape_interval"] = "2s"
            j["scrape_timeout"] = "2s"
            j["static_configs"] = [
                {"targets": ["%s:%d" % (v["mon_addr"], EXPORTER_PORT)], "labels": {"vantage": name}}
                for name, v in VANTAGES.items()]
        elif j["job_name"] == "mailprobe_probe":
            j["scrape_interval"] = "8s"
            j["scrape_timeout"] = "8s"
            j["static_configs"] = [
                {"targets": ["mail.lab.test"],
                 "labels": {"vantage": name, "__tmp_exporter": "%s:%d" % (v["mon_addr"], EXPORTER_PORT),
                            "__param_module": "lab"}}
                for name, v in VANTAGES.items()]
        jobs.append(j)
    cfg = {"global": {"scrape_interval": "2s", "scrape_timeout": "2s", "evaluation_interval": "1s"},
           "rule_files": [rules_path], "scrape_configs": jobs}
    path = os.path.join(folder, "prometheus.yml")
    with open(path, "w") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    return path, shipped, jobs


def start_prometheus(folder):
    path, shipped, jobs = prometheus_config(folder)
    rc, out, err = run(["promtool", "check", "config", path], timeout=60)
    T.check(rc == 0, "promtool check config on the test copy", (out + err)[-500:])
    same = all(j.get("relabel_configs") == s.get("relabel_configs") and
               j.get("metrics_path") == s.get("metrics_path")
               for j, s in zip(jobs, shipped["scrape_configs"]))
    T.check(same and len(jobs) == 2, "the test scrapes with the shipped jobs' paths and relabelling")
    storage = os.path.join(folder, "tsdb")
    cmd = ["ip", "netns", "exec", MON, "prometheus", "--config.file", path,
           "--storage.tsdb.path", storage, "--web.listen-address", PROM_ADDR, "--log.level", "warn"]
    STATE["procs"].append(deplib.Proc(cmd, os.path.join(folder, "prometheus.log")))


QUERY_HELPER = r"""
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=8) as r:
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    sys.stdout.write(e.read().decode())
except Exception as e:
    sys.stdout.write('{"status": "unreachable", "error": %r}' % str(e))
"""


def api(path, **params):
    """GET Prometheus' API inside mp-vant-mon; the decoded JSON (or {})."""
    url = "http://%s%s" % (PROM_ADDR, path)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    rc, out, _ = run(["ip", "netns", "exec", MON, "/usr/bin/python3", "-c", QUERY_HELPER, url],
                     timeout=20)
    try:
        return json.loads(out)
    except ValueError:
        return {}


def query(expr):
    """[(labels, float value)] of an instant query."""
    doc = api("/api/v1/query", query=expr)
    if doc.get("status") != "success":
        return []
    return [(r["metric"], float(r["value"][1])) for r in doc["data"]["result"]]


def firing(alertname=None):
    doc = api("/api/v1/alerts")
    alerts = doc.get("data", {}).get("alerts", []) if doc.get("status") == "success" else []
    return [a["labels"] for a in alerts if a.get("state") == "firing" and
            (alertname is None or a["labels"].get("alertname") == alertname)]


def by_job_vantage(rows):
    return {(m.get("job"), m.get("vantage")): v for m, v in rows}


JOBS = ("mailprobe_exporter", "mailprobe_probe")
ALL = {(j, v) for j in JOBS for v in VANTAGES}


def ready():
    """True when Prometheus has what the assertions need."""
    blocked = by_job_vantage(query('mailprobe_finding{id="outgoing_port_blocked"}'))
    up465 = by_job_vantage(query('mailprobe_endpoint_up{port="465"}'))
    up587 = by_job_vantage(query('mailprobe_endpoint_up{port="587"}'))
    alert = firing("MailprobeOutgoingPortBlockedSomeVantages")
    targets = {a.get("target") for a in alert}
    return ({(j, "vant-a") for j in JOBS} <= set(blocked) and set(up465) == ALL and
            set(up587) == ALL and all(up465.values()) and {"lab", "mail.lab.test"} <= targets)


def wait_until_ready():
    end = time.monotonic() + WAIT_LIMIT
    t0 = time.monotonic()
    while time.monotonic() < end:
        for p in STATE["procs"]:
            if not p.alive():
                return False, "%s exited: %s" % (p.log_path, p.text()[-400:])
        if ready():
            return True, "after %.0f s" % (time.monotonic() - t0)
        time.sleep(1.0)
    return False, "not within %.0f s" % WAIT_LIMIT


def assertions():
    up587 = by_job_vantage(query('mailprobe_endpoint_up{port="587"}'))
    T.check(all(up587.get((j, "vant-a")) == 0 for j in JOBS), "587 down from vant-a (both jobs)",
            str(up587))
    T.check(all(up587.get((j, "vant-b")) == 1 for j in JOBS), "587 up from vant-b (both jobs)",
            str(up587))
    fail = query('mailprobe_step_failure_info{port="587"}')
    T.check(fail and {m.get("vantage") for m, _ in fail} == {"vant-a"} and
            all(m.get("step") == "connect" and m.get("class") == "connect_timeout" for m, _ in fail),
            "587 fails at connect with connect_timeout, from vant-a only", str(fail))
    blocked = query('mailprobe_finding{id="outgoing_port_blocked"}')
    T.check({m.get("vantage") for m, _ in blocked} == {"vant-a"} and
            {m.get("job") for m, _ in blocked} == set(JOBS),
            "finding outgoing_port_blocked from vant-a only (via /probe and /metrics)", str(blocked))
    up465 = by_job_vantage(query('mailprobe_endpoint_up{port="465"}'))
    T.check(set(up465) == ALL and all(v == 1 for v in up465.values()), "465 up from both vantages",
            str(up465))
    login465 = by_job_vantage(query('mailprobe_login_success{port="465"}'))
    T.check(set(login465) == ALL and all(v == 1 for v in login465.values()),
            "465 login works from both vantages", str(login465))
    status = by_job_vantage(query("mailprobe_status"))
    T.check(status.get(("mailprobe_probe", "vant-a")) == 1 and status.get(("mailprobe_probe", "vant-b")) == 0,
            "status warning from vant-a, ok from vant-b", str(status))
    probe_rows = query('probe_success{job="mailprobe_probe"}')
    T.check(probe_rows and all(m.get("target") == "mail.lab.test" and m.get("instance") == "mail.lab.test"
                               for m, _ in probe_rows),
            "the /probe relabelling: target and instance are the mail host", str(probe_rows))
    alert = firing("MailprobeOutgoingPortBlockedSomeVantages")
    T.check(alert and {a.get("vantage") for a in alert} == {"vant-a"},
            "MailprobeOutgoingPortBlockedSomeVantages fires for vant-a alone", str(alert))
    T.check({a.get("target") for a in alert} == {"lab", "mail.lab.test"},
            "the alert fires for both scrape styles' target", str(alert))
    down = firing("MailprobeEndpointDown")
    T.check(down and all(a.get("vantage") == "vant-a" and a.get("port") == "587" for a in down),
            "MailprobeEndpointDown only for 587 from vant-a", str(down))
    others = [a for a in firing() if a.get("alertname") in
              ("MailprobeExporterDown", "MailprobeConfigReloadFailed", "MailprobeLoginFailing",
               "MailprobeCertificateExpired", "MailprobeCertificateExpiringSoon",
               "MailprobeOAuth2TokenUnavailable")]
    T.check(not others, "no other mailprobe alert fires", str(others))
    up = by_job_vantage(query('up{job=~"mailprobe_exporter|mailprobe_probe"}'))
    T.check(set(up) == ALL and all(v == 1 for v in up.values()), "every exporter scrape is up", str(up))
    rules = api("/api/v1/rules")
    health = [(r.get("name"), r.get("health"), r.get("lastError"))
              for g in rules.get("data", {}).get("groups", []) for r in g.get("rules", [])]
    T.check(len(health) == 8 and all(h == "ok" for _, h, _ in health), "every rule evaluates (health ok)",
            str(health))


def series_check():
    """The names Prometheus stored from the exporters: all known to the
    exporter's source list, and covering the dashboard's series."""
    doc = api("/api/v1/label/__name__/values")
    names = set(doc.get("data", [])) if doc.get("status") == "success" else set()
    prom_own = {n for n in names if n in ("up", "ALERTS", "ALERTS_FOR_STATE") or n.startswith("scrape_")}
    exported = names - prom_own
    source = deplib.exporter_series_from_source()
    T.check(exported and exported <= source, "every series scraped from the lab is in the exporter's list",
            str(sorted(exported - source)))
    with open(os.path.join(deplib.DEPLOY, "grafana", "mailprobe.json")) as f:
        dash = json.load(f)
    used = set()
    for p in dash.get("panels", []):
        for t in p.get("targets", []):
            used |= deplib.promql_metric_names(t.get("expr", ""))
    T.check(used and used <= exported, "every series the dashboard uses was scraped from a real exporter",
            str(sorted(used - exported)))


def cleanup():
    for p in reversed(STATE["procs"]):
        try:
            p.stop()
        except Exception:  # noqa: BLE001
            pass
    STATE["procs"] = []
    teardown_net()
    if STATE["lab_started"]:
        run(["sh", LAB_SH, "stop"], timeout=120)
        STATE["lab_started"] = False


def on_signal(sig, frame):
    raise SystemExit(128 + sig)


def body(folder):
    if run(["sh", LAB_SH, "status"], timeout=60)[0] != 0:
        rc, out, err = run(["sh", LAB_SH, "start"], timeout=180)
        if not T.check(rc == 0, "the lab starts", (out + err)[-500:]):
            return
        STATE["lab_started"] = True
    lab = lab_env()
    setup_net(lab)
    T.check(tcp_ok("mp-vant-b", lab["LAB_ADDR"], 587) == "ok", "587 reachable from mp-vant-b")
    T.check(tcp_ok("mp-vant-a", lab["LAB_ADDR"], 587, 1.5) == "TimeoutError",
            "587 dropped from mp-vant-a")
    T.check(tcp_ok("mp-vant-a", lab["LAB_ADDR"], 465) == "ok", "465 reachable from mp-vant-a")
    start_exporters(lab, folder)
    start_prometheus(folder)
    ok, why = wait_until_ready()
    print("Prometheus state complete: %s" % why, flush=True)
    T.check(ok, "Prometheus sees the block, the alert and 465 from both vantages", why)
    assertions()
    series_check()


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for tool in ("prometheus", "promtool", "nft", "ip"):
        if shutil.which(tool) is None:
            T.check(False, "%s is installed" % tool)
            return T.report()
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    lock = open(LOCK, "w")
    end = time.monotonic() + 120
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() > end:
                T.check(False, "another multi-vantage test holds %s" % LOCK)
                return T.report()
            time.sleep(1)
    folder = deplib.tmpdir("vantage")
    keep = os.path.join(deplib.OUT, "deploy-vantage")
    try:
        body(folder)
    except SystemExit as e:
        T.check(False, "not interrupted", "exit %s" % e.code)
    except Exception as e:  # noqa: BLE001
        T.check(False, "multi-vantage test ran", repr(e))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleanup runs to its end
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        cleanup()
        left = [ns for ns in namespaces() if ns_exists(ns)]
        T.check(not left, "test namespaces removed", str(left))
        # keep the logs and configs for a failure's post-mortem
        shutil.rmtree(keep, ignore_errors=True)
        try:
            shutil.copytree(folder, keep, ignore=shutil.ignore_patterns("tsdb"))
        except OSError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
        lock.close()
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
