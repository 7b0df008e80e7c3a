#!/usr/bin/python3
"""Path facts (JSON `paths`) in the routed lab (tests/lab/routed.sh): for each
place a block sits (client, r1, r2, r3, server) and each kind of block (drop,
TCP reset, ICMP admin-prohibited) on port 587, IPv4 and IPv6, where the
packets to the blocked port stop (last_hop, reached, the hop's answer and
address) next to the working port 465, which reaches the server at hop 4.
Also: --path and --no-path, a run as nobody without capabilities, and that
the run still ends by its deadline (a wide hang guard, no timing assertion).

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
}


def who_addr(who, fam):
    if who is None:
        return None
    if who.startswith("hop"):
        return HOPS[fam][int(who[3:]) - 1]
    return SERVER[fam] if who == "server" else CLIENT[fam]


def probe(fam, extra=(), prefix=(), endpoints=ENDPOINTS):
    args = ["--ca-file", E["RT_CA"], "--format", "json", "--timeout", str(TIMEOUT),
            "-" + fam] + endpoints + list(extra) + ["mail.routed.test"]
    cmd = ["ip", "netns", "exec", "mp-rc"] + list(prefix) + [mptest.BIN] + args
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
        return "server" if kind == "admin" else "network"
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


def test_unprivileged():
    """As nobody, no capabilities: the error queue needs none."""
    drop = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all"]
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
    T.check(p is not None and not p["skipped"] and p["last_hop"] == 1,
            "nobody: the path is measured without privileges", str(p))
    check_working("nobody", r, "4")


def main():
    started = routed("status", check=False).returncode != 0
    if started:
        s = routed("start", check=False)
        if s.returncode != 0:
            print(s.stderr)
            T.check(False, "routed lab starts")
            return T.report()
    try:
        return mptest.run_tests(T, [test_placements, test_path_flags, test_unprivileged],
                                sys.argv)
    finally:
        routed("unblock", check=False)
        if started:
            routed("stop", check=False)


if __name__ == "__main__":
    sys.exit(main())
