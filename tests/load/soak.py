#!/usr/bin/python3
"""Memory soak of mailprobe_exporter against blackbox_exporter on loopback
(issue 16 item 2), no lab: both exporters get the same mixed /probe stream
from the same clients, one exporter at a time:

  good     implicit-TLS SMTP, chain verified against a test CA (6 of 10)
  refused  a closed port (2 of 10)
  dropped  a server that accepts and never speaks, 1 s timeout (1 of 10)
  hostile  a server that closes during the TLS handshake (1 of 10)

RSS (VmRSS, and RssAnon), thread count and the malloc arenas are sampled at
checkpoints. Prints a Markdown table; --json FILE writes the numbers.
Usage: soak.py [--requests N] [--clients C] [--concurrency P] [--json F]
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import exlib  # noqa: E402
import mptest  # noqa: E402

MIX = ["good"] * 6 + ["refused"] * 2 + ["dropped", "hostile"]
SCENARIO = {"good": "smtps-auth-ok", "dropped": "silent", "hostile": "tls-close-in-handshake"}
BLACKBOX = shutil.which("prometheus-blackbox-exporter") or shutil.which("blackbox_exporter")


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "RssAnon", "Threads"):
                out[k] = int(v.split()[0])
    return out


def smaps_parts(pid):
    """RSS KiB by kind of mapping: heap, 64 MiB malloc arenas, thread stacks
    (anonymous maps right after a guard page), other anonymous, files."""
    parts, prev_guard, cur = {}, False, None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            head = line.split()
            if "-" in head[0] and len(head) >= 5 and not line.startswith(("Rss", "Size")):
                lo, hi = (int(x, 16) for x in head[0].split("-"))
                path = head[5] if len(head) > 5 else ""
                if path == "[heap]":
                    cur = "main heap"
                elif path.startswith("/"):
                    cur = "files (libraries, binary)"
                elif path:
                    cur = "other " + path
                elif lo % (64 << 20) == 0:
                    cur = "malloc arenas (Go: heap)"
                elif prev_guard and head[1] == "rw-p" and (hi - lo) <= 8 << 20:
                    cur = "thread stacks"
                else:
                    cur = "other anonymous"
                if cur == "other anonymous" and parts.get("_last") == "malloc arenas (Go: heap)":
                    cur = "malloc arenas (Go: heap)"
                parts["_last"] = cur
                prev_guard = head[1] == "---p"
            elif head[0] == "Rss:" and cur:
                parts[cur] = parts.get(cur, 0) + int(head[1])
    parts.pop("_last", None)
    return parts


def mp_config(ports, ca, parallel):
    def mod(ep, timeout="3s"):
        return {"endpoints": [ep], "timeout": timeout, "ca_file": ca}
    return {"modules": {"good": mod("smtp:%d:tls" % ports["good"]),
                        "refused": mod("smtp:%d:tls" % ports["refused"]),
                        "dropped": mod("smtp:%d:tls" % ports["dropped"], "1s"),
                        "hostile": mod("smtp:%d:tls" % ports["hostile"])},
            "allow": ["127.0.0.1"], "web": {"max_concurrent_probes": parallel,
                                                   "max_concurrent_probes_per_target": parallel}}


def bb_config(ca):
    tls = {"ca_file": ca}
    smtps = {"prober": "tcp", "timeout": "3s",
             "tcp": {"tls": True, "tls_config": tls,
                     "query_response": [{"expect": "^220 "}, {"send": "EHLO soak.test"},
                                        {"expect": "^250 "}, {"send": "QUIT"}]}}
    dropped = json.loads(json.dumps(smtps))
    dropped["timeout"] = "1s"
    return {"modules": {"good": smtps, "refused": smtps, "dropped": dropped, "hostile": smtps}}


class Clients:
    """C keep-alive HTTP clients sending the mix round-robin."""

    def __init__(self, port, path_of, clients):
        self.port, self.path_of, self.clients = port, path_of, clients
        self.bad = 0
        self.statuses = {}
        self.lock = threading.Lock()

    def run(self, n):
        per = n // self.clients

        def worker(offset):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            for i in range(per):
                kind = MIX[(offset + i) % len(MIX)]
                try:
                    conn.request("GET", self.path_of(kind))
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                    if not ok:
                        with self.lock:
                            self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    ok = False
                if not ok:
                    with self.lock:
                        self.bad += 1
            conn.close()

        ts = [threading.Thread(target=worker, args=(k * 3,)) for k in range(self.clients)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return per * self.clients


def soak(name, pid, port, path_of, args):
    """Runs args.requests requests, sampling at the checkpoints."""
    c = Clients(port, path_of, args.clients)
    rows, done = [], 0
    rows.append(dict(requests=0, **proc_status(pid)))
    parts0 = smaps_parts(pid)
    for mark in checkpoints(args.requests):
        t0 = time.monotonic()
        done += c.run(mark - done)
        time.sleep(0.5)
        rows.append(dict(requests=done, seconds=round(time.monotonic() - t0, 1),
                         **proc_status(pid)))
    return {"name": name, "rows": rows, "bad": c.bad, "statuses": c.statuses,
            "parts": {"idle": parts0, "end": smaps_parts(pid)}}


def checkpoints(n):
    marks = [m for m in (1000, 2500, 5000) if m < n]
    k = 10000
    while k < n:
        marks.append(k)
        k += 5000
    return marks + [n]


def run_mailprobe(tmp, ports, ca, args):
    ex = exlib.Exporter(tmp, mp_config(ports, ca, args.concurrency), name="soak-mp")
    try:
        if not ex.wait_ready():
            raise SystemExit("mailprobe_exporter not ready: " + ex.log()[-300:])
        return soak("mailprobe_exporter", ex.proc.p.pid, ex.port,
                    lambda k: "/probe?target=127.0.0.1&module=" + k, args)
    finally:
        ex.proc.stop()
        if os.environ.get("SOAK_KEEP_LOG"):
            shutil.copy(os.path.join(tmp, "soak-mp.log"), os.environ["SOAK_KEEP_LOG"])


def run_blackbox(tmp, ports, ca, args):
    cfg = os.path.join(tmp, "blackbox.yml")
    with open(cfg, "w") as f:
        json.dump(bb_config(ca), f)  # JSON is YAML
    port = exlib.free_port()
    proc = exlib.Proc([BLACKBOX, "--config.file", cfg,
                       "--web.listen-address", "127.0.0.1:%d" % port],
                      os.path.join(tmp, "blackbox.log"))
    try:
        for _ in range(100):
            try:
                if exlib.get("http://127.0.0.1:%d/-/healthy" % port).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        return soak("blackbox_exporter", proc.p.pid, port,
                    lambda k: "/probe?module=%s&target=127.0.0.1:%d" % (k, ports[k]), args)
    finally:
        proc.stop()


def table(results):
    out = ["| exporter | requests | RSS MiB | RssAnon MiB | threads | s for the step |",
           "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        for row in r["rows"]:
            out.append("| %s | %d | %.1f | %.1f | %d | %s |" % (
                r["name"], row["requests"], row["VmRSS"] / 1024, row.get("RssAnon", 0) / 1024,
                row["Threads"], row.get("seconds", "")))
        out.append("| %s | failed requests | %d | %s | | |" % (r["name"], r["bad"],
                                                            r.get("statuses") or ""))
    for r in results:
        parts = r["parts"]
        out.append("\n%s RSS by mapping, KiB (idle -> end): %s" % (r["name"], ", ".join(
            "%s %d -> %d" % (k, parts["idle"].get(k, 0), v)
            for k, v in sorted(parts["end"].items(), key=lambda kv: -kv[1]))))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--concurrency", type=int, default=128)
    ap.add_argument("--only", choices=("mailprobe", "blackbox"))
    ap.add_argument("--mix", help="comma-separated kinds instead of the default mix")
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.mix:
        MIX[:] = args.mix.split(",")
    tmp = tempfile.mkdtemp(prefix="mp-soak-")
    servers = []
    try:
        certs = mptest.make_certs(tmp, names=("hostile.test",))
        ports = {"refused": exlib.free_port()}
        for kind, scenario in SCENARIO.items():
            proc, ports[kind] = exlib.hostile(scenario, tmp, certs, lifetime=3600,
                                              max_conns=10 ** 9)
            servers.append(proc)
        results = []
        if args.only != "blackbox":
            results.append(run_mailprobe(tmp, ports, certs[0], args))
        if args.only != "mailprobe" and BLACKBOX:
            results.append(run_blackbox(tmp, ports, certs[0], args))
        print(table(results))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1)
    finally:
        for p in servers:
            p.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
