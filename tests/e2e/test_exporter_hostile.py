#!/usr/bin/python3
"""The exporter against hostile peers and over time: every scripted hostile
server of tests/hostile/ probed through /probe (class, deadline, the
exporter survives with bounded memory), then 2,000 /probe requests to a
cheap endpoint: the descriptor count ends no higher than it started (a
leak grows it) and RSS grows less than a fixed bound between request 500
and 2,000. Loopback only.
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import exlib  # noqa: E402
import mptest  # noqa: E402
from test_hostile import CASES, PASSWORD  # noqa: E402

T = mptest.Counter("exporter-hostile")
TIMEOUT = 3.0
RSS_BOUND_KB = 512 * 1024 if exlib.SANITIZED else 150 * 1024
GROWTH_BOUND_KB = 16 * 1024


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def config(dir, servers, certs):
    pw = os.path.join(dir, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    modules, targets = {}, []
    for (scenario, mode, _, _, creds, _), port in servers:
        proto, sec = mode.split(":")
        host = "%s.hostile.test" % scenario
        m = {"endpoints": ["%s:%d:%s" % (proto, port, sec)], "timeout": "%ds" % TIMEOUT,
             "ca_file": certs[0]}
        if creds:
            m["credentials"] = {"user": "probe@hostile.test", "password_file": pw}
            m["credential_hosts"] = [host]
        modules["m-" + scenario] = m
        targets.append({"name": scenario, "host": host, "module": "m-" + scenario,
                        "interval": "1h", "resolve": ["%s:%d:127.0.0.1" % (host, port)]})
    modules["cheap"] = {"endpoints": ["smtp:1:starttls"], "timeout": "2s"}
    return {"modules": modules, "targets": targets, "allow": ["127.0.0.1"],
            "web": {"max_concurrent_probes": 64}}


def check_case(ex, case, port):
    scenario, _, step, cls, _, _ = case
    t0 = time.monotonic()
    r = ex.get("/probe", timeout=TIMEOUT + 30, target="%s.hostile.test" % scenario,
               module="m-" + scenario)
    took = time.monotonic() - t0
    T.check(r.status == 200, scenario + ": /probe answers 200", "%d %s" % (r.status, r.body[:200]))
    T.check(took < TIMEOUT + (6 if exlib.SANITIZED else 2), scenario + ": within the deadline",
            "%.1f s" % took)
    v = exlib.sample(r.body, "mailprobe_step_failure_info", step=step, **{"class": cls})
    T.check(v == 1, scenario + ": %s %s" % (step, cls), r.body[-600:] if v != 1 else "")
    T.check(PASSWORD not in r.body, scenario + ": no password")


def test_hostile(dir, certs):
    servers, procs = [], []
    try:
        for case in CASES:
            p, port = exlib.hostile(case[0], dir, certs, lifetime=120)
            procs.append(p)
            servers.append((case, port))
        ex = exlib.Exporter(dir, config(dir, servers, certs))
        try:
            if not T.check(ex.wait_ready(), "exporter ready", ex.log()[-500:]):
                return
            for case, port in servers:
                check_case(ex, case, port)
            T.check(ex.proc.p.poll() is None, "exporter alive after every hostile peer")
            T.check(rss_kb(ex.proc.p.pid) < RSS_BOUND_KB, "exporter RSS bounded",
                    "%d KiB" % rss_kb(ex.proc.p.pid))
            T.check(PASSWORD not in ex.log(), "no password in the log")
        finally:
            ex.proc.stop()
    finally:
        for p in procs:
            p.stop()


def hammer(ex, n, clients=4):
    """n /probe requests to the cheap module from a few clients; returns the
    number of non-200 answers."""
    bad = [0]
    lock = threading.Lock()

    def worker(k):
        for _ in range(k):
            r = ex.get("/probe", timeout=20, target="127.0.0.1", module="cheap")
            if r.status != 200:
                with lock:
                    bad[0] += 1

    ts = [threading.Thread(target=worker, args=(n // clients,)) for _ in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return bad[0]


def settle_fds(pid, want, limit=5.0):
    end = time.monotonic() + limit
    while fds(pid) != want and time.monotonic() < end:
        time.sleep(0.1)
    return fds(pid)


def steady_fds(pid, limit=5.0):
    """The descriptor count once it stayed the same for 0.5 s (the last
    requests' sockets closed), or after limit seconds."""
    end = time.monotonic() + limit
    last, since = fds(pid), time.monotonic()
    while time.monotonic() < end and time.monotonic() - since < 0.5:
        time.sleep(0.1)
        now = fds(pid)
        if now != last:
            last, since = now, time.monotonic()
    return last


def test_soak(dir):
    ex = exlib.Exporter(dir, {"modules": {"cheap": {"endpoints": ["smtp:1:starttls"],
                                                    "timeout": "2s"}},
                              "allow": ["127.0.0.1"]}, name="soak")
    try:
        if not T.check(ex.wait_ready(), "soak exporter ready", ex.log()[-500:]):
            return
        pid = ex.proc.p.pid
        bad = hammer(ex, 8)  # warm the pools up
        start_fds = steady_fds(pid)
        bad += hammer(ex, 492)
        rss_500 = rss_kb(pid)
        bad += hammer(ex, 1500)
        rss_2000 = rss_kb(pid)
        T.check(bad == 0, "2,000 /probe requests all answered 200", "%d failed" % bad)
        end_fds = settle_fds(pid, start_fds)
        T.check(end_fds <= start_fds, "descriptor count ends no higher than it started "
                "(nothing leaked)", "%d -> %d" % (start_fds, end_fds))
        if not exlib.SANITIZED:  # ASan's quarantine holds freed memory by design
            T.check(rss_2000 - rss_500 < GROWTH_BOUND_KB,
                    "RSS growth from request 500 to 2,000", "%d -> %d KiB" % (rss_500, rss_2000))
    finally:
        ex.proc.stop()


def main():
    dir = exlib.temp_folder("mp-exhostile-")
    certs = mptest.make_certs(dir, tuple("%s.hostile.test" % c[0] for c in CASES))
    return mptest.run_tests(T, [lambda: test_hostile(dir, certs), lambda: test_soak(dir)],
                            [sys.argv[0]])


if __name__ == "__main__":
    sys.exit(main())
