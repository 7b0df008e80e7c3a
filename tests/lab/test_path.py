#!/usr/bin/python3
"""Path facts (JSON `paths`) in the routed lab (tests/lab/routed.sh): for each
place a block sits (client, r1, r2, r3, server) and each kind of block (drop,
TCP reset, ICMP admin-prohibited, ICMP port unreachable) on port 587, IPv4 and IPv6, where the
packets to the blocked port stop (last_hop, reached, the hop's answer and
address) next to the working port 465, which reaches the server at hop 4.
Also: --path and --no-path, a run as nobody without capabilities, and that
the run still ends by its deadline (a wide hang guard, no timing assertion).
The raw-socket fallback (MAILPROBE_TEST_NO_ERRQUEUE=1, a test switch that
treats the error queue as unavailable): for every placement x block type,
IPv4 and IPv6, it finds the same hops as the error queue (tests/tools/
pathprobe, both at once); a mailprobe run with it gives the same verdict;
as nobody without CAP_NET_RAW it skips the path and says why, and the run
still works.

Starts the routed lab when it is not running and stops it again then. Run
under the machine's lab lock (tests/lab/run-tests.sh is).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

ROUTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "routed.sh")
T = mptest.Counter("path")
PATHPROBE = os.path.join(mptest.ROOT, "build", "tools", "pathprobe")
NO_ERRQUEUE = "MAILPROBE_TEST_NO_ERRQUEUE"
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all"]
TIMEOUT = 3
ENDPOINTS = ["--endpoint", "smtp:587:starttls", "--endpoint", "smtp:465:tls"]


def routed(*args, check=True):
    return subprocess.run(["sh", ROUTED] + list(args), check=check, capture_output=True,
                          text=True)


def env():
    out = routed("env").stdout
    e = {}
    for line in out.splitlines():
        k, _, v = line.partition("=")
        e[k] = v.strip("'")
    return e


E = env()
HOPS = {"4": E["RT_HOPS4"].split(), "6": E["RT_HOPS6"].split()}
SERVER = {"4": E["RT_SERVER"], "6": E["RT_SERVER6"]}
CONTROL = {"4": E["RT_CONTROL"], "6": E["RT_CONTROL6"]}
CLIENT = {"4": "198.19.1.2", "6": "fd00:6d71:1::2"}

# (place, block) -> (last_hop, reached, answer at last_hop, who answered there)
# for the blocked port. who: "hopN" = router N's address, "server", "client",
# None = nobody. A drop at a router's ingress hides the router itself; a
# drop at r1 looks like one on the client (nothing answers at all).
EXPECT = {
    ("client", "drop"): (0, 0, None, None),
    ("r1", "drop"): (0, 0, None, None),
    ("r2", "drop"): (1, 0, "time_exceeded", "hop1"),
    ("r3", "drop"): (2, 0, "time_exceeded", "hop2"),
    ("server", "drop"): (3, 0, "time_exceeded", "hop3"),
    ("client", "reset"): (1, 1, "reset", "server"),
    ("r1", "reset"): (1, 1, "reset", "server"),
    ("r2", "reset"): (2, 2, "reset", "server"),
    ("r3", "reset"): (3, 3, "reset", "server"),
    ("server", "reset"): (4, 4, "reset", "server"),
    ("client", "admin"): (1, 0, "unreachable", "client"),
    ("r1", "admin"): (1, 0, "unreachable", "hop1"),
    ("r2", "admin"): (2, 0, "unreachable", "hop2"),
    ("r3", "admin"): (3, 0, "unreachable", "hop3"),
    ("server", "admin"): (4, 0, "unreachable", "server"),
    ("client", "reject"): (1, 0, "unreachable", "client"),
    ("r1", "reject"): (1, 0, "unreachable", "hop1"),
    ("r2", "reject"): (2, 0, "unreachable", "hop2"),
    ("r3", "reject"): (3, 0, "unreachable", "hop3"),
    ("server", "reject"): (4, 0, "unreachable", "server"),
}


def who_addr(who, fam):
    if who is None:
        return None
    if who.startswith("hop"):
        return HOPS[fam][int(who[3:]) - 1]
    return SERVER[fam] if who == "server" else CLIENT[fam]


def probe(fam, extra=(), prefix=(), endpoints=ENDPOINTS, raw=False, fmt="json"):
    args = ["--ca-file", E["RT_CA"], "--format", fmt, "--timeout", str(TIMEOUT),
            "-" + fam] + endpoints + list(extra) + ["mail.routed.test"]
    cmd = ["ip", "netns", "exec", "mp-rc"] + list(prefix) + [mptest.BIN] + args
    env = dict(os.environ, **{NO_ERRQUEUE: "1"}) if raw else None
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env)
    try:
        out, err = p.communicate(timeout=TIMEOUT + 10 + (6 if mptest.SANITIZED else 0))
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        T.check(False, "hang guard: ended within the deadline", " ".join(args))
    r = mptest.Result(p.returncode, out, err, 0, 0)
    return r


def path_of(r, addr, port):
    for p in (r.json or {}).get("paths", []):
        if p["address"] == addr and p["port"] == port:
            return p
    return None


def check_working(name, r, fam):
    p = path_of(r, SERVER[fam], 465)
    if not T.check(p is not None, name + ": the working port 465 has a path", r.err[-300:]):
        return
    T.check(p["reached"] == 4 and p["last_hop"] == 4 and not p["skipped"],
            name + ": 465 reaches the server at hop 4", str(p))
    got = [h["address"] for h in p["hops"][:3]]
    T.check(got == HOPS[fam], name + ": 465's hops 1-3 are r1, r2, r3", str(got))


def check_blocked(name, r, fam, want):
    last, reached, answer, who = want
    p = path_of(r, SERVER[fam], 587)
    if not T.check(p is not None, name + ": the blocked port 587 has a path", r.err[-300:]):
        return
    T.check(p["last_hop"] == last and p["reached"] == reached,
            name + ": last_hop %d reached %d" % (last, reached),
            "last_hop %d reached %d %s" % (p["last_hop"], p["reached"], p["hops"]))
    if last > 0 and len(p["hops"]) >= last:
        h = p["hops"][last - 1]
        T.check(h["answer"] == answer and h["address"] == who_addr(who, fam),
                name + ": hop %d: %s from %s" % (last, answer, who), str(h))
    for h in p["hops"][:last - 1]:
        T.check(h["address"] == HOPS[fam][h["ttl"] - 1],
                name + ": hop %d is router %d" % (h["ttl"], h["ttl"]), str(h))


# The verdict each placement gives (issue 14): the blocked port's packets
# last seen before the working port's last router -> network; as far as the
# server's edge (hop N - 1 answered, or the server's own reset) -> server.
CAUSE = {"client": "network", "r1": "network", "r2": "network"}


def want_cause(place, kind):
    if place in CAUSE:
        return CAUSE[place]
    if place == "r3":  # the server's edge router: its drop and reset are seen before hop N - 1
        return "server" if kind in ("admin", "reject") else "network"
    return "server"


def check_verdict(name, r, place, kind):
    fs = {f["id"]: f for f in (r.json or {}).get("findings", [])}
    f = fs.get("outgoing_port_blocked")
    want = want_cause(place, kind)
    T.check(f is not None and f.get("cause") == want and f.get("basis") == "path",
            name + ": outgoing_port_blocked, cause %s, basis path" % want,
            str({k: (v.get("cause"), v.get("basis")) for k, v in fs.items()}))
    T.check(f is not None and any(e["step"] is None and "path to" in e["message"]
                                  for e in f["evidence"]),
            name + ": the paths are evidence", str(f and f["evidence"])[:300])


def test_placements():
    for fam in ("4", "6"):
        for (place, kind), want in EXPECT.items():
            name = "v%s %s %s" % (fam, kind, place)
            routed("block", place, "587", kind)
            try:
                r = probe(fam)
            finally:
                routed("unblock")
            T.check(r.json is not None and mptest.schema_errors(r.json) == [],
                    name + ": schema-valid JSON", r.err[-300:])
            check_blocked(name, r, fam, want)
            check_working(name, r, fam)
            check_verdict(name, r, place, kind)


def test_path_flags():
    r = probe("4", ["--path"])
    p = path_of(r, SERVER["4"], 587)
    T.check(p is not None and p["reached"] == 4, "--path: a working 587 measured too", str(p))
    check_working("--path", r, "4")
    routed("block", "r2", "587", "drop")
    try:
        r = probe("6", ["--no-path"])
    finally:
        routed("unblock")
    T.check(r.json is not None and "paths" not in r.json, "--no-path: no paths", r.out[-300:])
    # the blocked port last: the run's own thread must not sit in its connect
    routed("block", "r3", "587", "drop")
    try:
        r = probe("4", endpoints=ENDPOINTS[2:] + ENDPOINTS[:2])
    finally:
        routed("unblock")
    check_blocked("587 last", r, "4", EXPECT[("r3", "drop")])
    check_working("587 last", r, "4")
    r = probe("4")
    T.check(r.json is not None and "paths" not in r.json,
            "healthy, no flag: no path measured", r.out[-300:])


def test_control_placements():
    """--control control.routed.test, a host behind the provider router r2
    (not behind r3): a block in the client's network (client, r1, r2) fails
    there too -> cause network; one at the server's edge or the server (r3,
    server) does not -> cause server; basis control, which outranks the
    path; the paths are still measured, v4 and v6."""
    for fam in ("4", "6"):
        for (place, kind) in EXPECT:
            name = "control v%s %s %s" % (fam, kind, place)
            want = "network" if place in ("client", "r1", "r2") else "server"
            routed("block", place, "587", kind)
            try:
                r = probe(fam, ["--control", "control.routed.test"])
            finally:
                routed("unblock")
            T.check(r.json is not None and mptest.schema_errors(r.json) == [],
                    name + ": schema-valid JSON", r.err[-300:])
            f = {f["id"]: f for f in (r.json or {}).get("findings", [])}.get(
                "outgoing_port_blocked")
            T.check(f is not None and f.get("cause") == want and f.get("basis") == "control",
                    name + ": outgoing_port_blocked, cause %s, basis control" % want,
                    str(f and (f.get("cause"), f.get("basis"))))
            T.check(f is not None and any("control host control.routed.test" in e["message"]
                                          for e in f["evidence"]),
                    name + ": the control connection is evidence", str(f and f["evidence"])[:300])
            cs = [c for c in (r.json or {}).get("control") or [] if c["port"] == 587]
            T.check(len(cs) == 1 and cs[0]["ok"] == (want == "server") and
                    cs[0]["address"] == CONTROL[fam],
                    name + ": 587 at the control host %s" % ("works" if want == "server"
                                                             else "fails too"), str(cs))
            T.check(path_of(r, SERVER[fam], 587) is not None and
                    path_of(r, SERVER[fam], 465) is not None,
                    name + ": both paths still measured", str((r.json or {}).get("paths"))[:200])


# Who sent an ICMP port unreachable (reject) or administratively prohibited
# (admin) -> the verdict without a path:
# this computer's own address -> its firewall; a router -> unknown (this
# network or the server's edge); the server's address -> its firewall.
REJECT_NO_PATH = {"client": ("network", "local_firewall"), "r2": ("unknown", "none"),
                  "server": ("server", "server_firewall")}


def test_reject_no_path():
    """587 rejected (ICMP port unreachable, or administratively prohibited)
    at the client, at the provider router and at the server, with
    --no-path: the connect step names the ICMP's sender, and the verdict
    follows who sent it."""
    classes = {"reject": "connect_refused", "admin": "connect_unreachable"}
    said = {"reject": "refused by an ICMP port unreachable from %s: a firewall's reject rule",
            "admin": "rejected by an ICMP administratively prohibited from %s: a firewall's"}
    for fam, kind in (("4", "reject"), ("6", "reject"), ("4", "admin"), ("6", "admin")):
        for place, (cause, basis) in REJECT_NO_PATH.items():
            name = "v%s %s %s, no path" % (fam, kind, place)
            routed("block", place, "587", kind)
            try:
                r = probe(fam, ["--no-path"])
            finally:
                routed("unblock")
            who = EXPECT[(place, kind)][3]
            e = [x for x in r.endpoints() if x["port"] == 587]
            c = (r.step(e[0], "connect") if e else None) or {}
            T.check(c.get("class") == classes[kind] and
                    c.get("icmp_from") == who_addr(who, fam),
                    name + ": refused by ICMP from %s" % who, str(c))
            T.check(said[kind] % who_addr(who, fam) in c.get("message", ""),
                    name + ": the message names the ICMP, its sender and a firewall", str(c))
            f = {f["id"]: f for f in (r.json or {}).get("findings", [])}.get(
                "outgoing_port_blocked")
            T.check(f is not None and (f.get("cause"), f.get("basis")) == (cause, basis),
                    name + ": outgoing_port_blocked, cause %s, basis %s" % (cause, basis),
                    str(f and (f.get("cause"), f.get("basis"))))


def test_prometheus_cause():
    """The metric mailprobe_finding carries the cause: network from the path
    (587 dropped at the provider router), server from the control host (587
    dropped at the server's edge router, which the control host is not
    behind)."""
    for place, extra, want in (("r2", [], "network"),
                               ("r3", ["--control", "control.routed.test"], "server")):
        routed("block", place, "587", "drop")
        try:
            r = probe("4", extra, fmt="prometheus")
        finally:
            routed("unblock")
        series = ('mailprobe_finding{id="outgoing_port_blocked",severity="warning",'
                  'cause="%s"} 1' % want)
        T.check(series in r.out, "prometheus, 587 dropped at %s: cause=\"%s\"" % (place, want),
                r.out[-500:])


def test_unprivileged():
    """As nobody, no capabilities: the error queue needs none."""
    drop = NOBODY
    caps = subprocess.run(["ip", "netns", "exec", "mp-rc"] + drop + ["grep", "CapEff", "/proc/self/status"],
                          capture_output=True, text=True).stdout
    T.check(caps.split()[-1:] == ["0000000000000000"], "nobody has no capabilities", caps)
    routed("block", "r2", "587", "drop")
    try:
        r = probe("4", prefix=drop)
    finally:
        routed("unblock")
    T.check(r.json is not None, "nobody: the run works", r.err[-300:])
    p = path_of(r, SERVER["4"], 587)
    T.check(p is not None and not p["skipped"] and p["last_hop"] == 1 and
            p["method"] == "error_queue",
            "nobody: the path is measured through the error queue, no privileges", str(p))
    check_working("nobody", r, "4")


def check_skipped_json(name, r):
    """A run whose paths were all skipped for want of CAP_NET_RAW."""
    T.check(r.json is not None and r.rc == 1 and mptest.schema_errors(r.json) == [],
            name + ": the run works (schema-valid JSON, exit 1 for the warning)",
            "exit %d %s" % (r.rc, r.err[-300:]))
    for port in (587, 465):
        p = path_of(r, SERVER["4"], port)
        T.check(p is not None and p["skipped"] and p["method"] == "raw_socket" and
                "CAP_NET_RAW" in p.get("reason", "") and NO_ERRQUEUE in p.get("reason", ""),
                name + ": port %d's path skipped, the reason names CAP_NET_RAW" % port, str(p))
    f = {f["id"]: f for f in (r.json or {}).get("findings", [])}.get("outgoing_port_blocked")
    T.check(f is not None and f.get("cause") == "unknown" and f.get("basis") == "none",
            name + ": outgoing_port_blocked stays unconfirmed (cause unknown)", str(f)[:300])
    T.check(f is not None and any("port 587: not measured:" in e["message"] and
                                  "CAP_NET_RAW" in e["message"] for e in f["evidence"]),
            name + ": its evidence says the path was not measured and why",
            str(f and f["evidence"])[:400])


def test_unprivileged_no_raw():
    """As nobody with the error queue switched off: no raw socket without
    CAP_NET_RAW, so the path is skipped; the run still works and says so."""
    routed("block", "r2", "587", "drop")
    try:
        r = probe("4", prefix=NOBODY, raw=True)
        t = probe("4", prefix=NOBODY, raw=True, fmt="text")
    finally:
        routed("unblock")
    check_skipped_json("nobody, no error queue", r)
    T.check(t.rc == 1 and "not measured" in t.out and "CAP_NET_RAW" in t.out,
            "nobody, no error queue: the text output says what was skipped and why",
            t.out[-600:])
    # root without CAP_NET_RAW (its bounding set dropped) is no different
    r = subprocess.run(["ip", "netns", "exec", "mp-rc", "setpriv", "--inh-caps=-net_raw",
                        "--bounding-set=-net_raw", PATHPROBE, SERVER["6"], "587", "2"],
                       capture_output=True, text=True, timeout=20,
                       env=dict(os.environ, **{NO_ERRQUEUE: "1"}))
    T.check("skipped 1" in r.stdout and "CAP_NET_RAW" in r.stdout,
            "root without CAP_NET_RAW: skipped, and why", r.stdout + r.stderr)


def pathprobe_both(addr, port):
    """The error-queue and the raw method at the same time: their stdout."""
    cmd = ["ip", "netns", "exec", "mp-rc", PATHPROBE, addr, str(port), "2"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, **({NO_ERRQUEUE: "1"} if raw else {})))
             for raw in (False, True)]
    outs = []
    for p in procs:
        try:
            out, err = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        outs.append(out + err)
    return outs


def hop_facts(out):
    """The hops (ttl, address, answer, code) and reached/last_hop, without times."""
    hops = [tuple(line.split()[1:5]) for line in out.splitlines() if line.startswith("hop ")]
    summary = [line.split()[:4] for line in out.splitlines() if line.startswith("reached ")]
    return hops, summary


def test_raw_same_hops():
    """The raw socket finds what the error queue finds, everywhere."""
    for fam in ("4", "6"):
        for (place, kind) in EXPECT:
            name = "v%s %s %s" % (fam, kind, place)
            routed("block", place, "587", kind)
            try:
                eq, raw = pathprobe_both(SERVER[fam], 587)
            finally:
                routed("unblock")
            T.check("method error_queue skipped 0" in eq and "method raw_socket skipped 0" in raw,
                    name + ": one run per method", eq + raw)
            T.check(hop_facts(eq) == hop_facts(raw) and hop_facts(eq)[1] != [],
                    name + ": the raw socket sees the same hops as the error queue", eq + raw)
    for fam in ("4", "6"):
        eq, raw = pathprobe_both(SERVER[fam], 465)
        hops, summary = hop_facts(raw)
        T.check(hop_facts(eq) == (hops, summary) and
                [h[1] for h in hops[:3]] == HOPS[fam] and summary[0][1] == "4",
                "v%s 465: both methods name r1, r2, r3 and reach the server at hop 4" % fam,
                eq + raw)


def test_raw_run():
    """A whole mailprobe run on the raw method: the same facts and verdict."""
    for fam, place, kind in (("4", "r2", "drop"), ("6", "server", "admin")):
        name = "raw v%s %s %s" % (fam, kind, place)
        routed("block", place, "587", kind)
        try:
            r = probe(fam, raw=True)
        finally:
            routed("unblock")
        T.check(r.json is not None and mptest.schema_errors(r.json) == [],
                name + ": schema-valid JSON", r.err[-300:])
        T.check([p["method"] for p in (r.json or {}).get("paths", [])] == ["raw_socket"] * 2,
                name + ": both paths read from the raw socket", str((r.json or {}).get("paths")))
        check_blocked(name, r, fam, EXPECT[(place, kind)])
        check_working(name, r, fam)
        check_verdict(name, r, place, kind)


def main():
    started = routed("status", check=False).returncode != 0
    if started:
        s = routed("start", check=False)
        if s.returncode != 0:
            print(s.stderr)
            T.check(False, "routed lab starts")
            return T.report()
    try:
        return mptest.run_tests(T, [test_placements, test_control_placements, test_prometheus_cause,
                                    test_reject_no_path,
                                    test_path_flags,
                                    test_unprivileged,
                                    test_unprivileged_no_raw, test_raw_same_hops,
                                    test_raw_run],
                                sys.argv)
    finally:
        routed("unblock", check=False)
        if started:
            routed("stop", check=False)


if __name__ == "__main__":
    sys.exit(main())
