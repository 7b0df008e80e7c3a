#!/usr/bin/python3
"""bin/mailprobe.exe under Wine against the Linux bin/mailprobe, case by case.

  test_wine.py cli    the CLI suite's main cases (usage, --version, --help,
                      every bad option of tests/cli/test_cli.py): the same
                      exit code and the same one-line error as on Linux
  test_wine.py lab    real checks in the lab's client namespace (the lab must
                      be running; the caller holds the lab lock): healthy
                      account with login, 587 dropped, wrong password,
                      untrusted certificate, the Windows ROOT store trusted
                      without --ca-file, --report written. The JSON must
                      equal the Linux binary's for the same case apart from
                      IGNORED fields.

IGNORED (timings and platform facts, nothing else):
  started_at, duration_seconds, every "seconds", paths[] and a finding's
  evidence items about a path ("path to ADDR port N: ..."): the path
  measurement is Linux-only; on Windows each path is skipped with its reason,
  which this test asserts instead. Everything else must be equal: findings,
  their cause, basis and words, every step's class and message, the
  recommended settings. Output lines end in CRLF on Windows
  (the C runtime's text mode): compared with CR removed. --version names
  the OpenSSL linked in, which may be another 3.0.x than the system's.
Wine runs with WINEPREFIX=build/win/wineprefix (made once by
tests/win/run-tests.sh) and WINEDEBUG=-all. Ends with "N passed, N failed".
"""
import hashlib
import json
import os
import ssl
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
import mptest  # noqa: E402

ROOT = mptest.ROOT
LINUX = os.path.join(ROOT, "bin", "mailprobe")
WRAPPER = os.path.join(ROOT, "build", "win", "mailprobe-wine")
T = mptest.Counter("wine")
IGNORED = ("started_at", "duration_seconds", "seconds", "paths")


def run(binary, args, **kw):
    """mptest.run with another binary (the Wine wrapper or the Linux one)."""
    saved = mptest.BIN
    mptest.BIN = binary
    try:
        return mptest.run(args, **kw)
    finally:
        mptest.BIN = saved


def both(args, **kw):
    return run(LINUX, args, **kw), run(WRAPPER, args, **kw)


def path_evidence(item):
    return isinstance(item, dict) and str(item.get("message", "")).startswith("path to ")


def normalized(doc):
    if isinstance(doc, dict):
        return {k: normalized([e for e in v if not path_evidence(e)] if k == "evidence" else v)
                for k, v in doc.items() if k not in IGNORED}
    if isinstance(doc, list):
        return [normalized(v) for v in doc]
    return doc


def differences(a, b, path=""):
    """Where two normalized JSON documents differ, as short lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s/%s only on %s" % (path, k, "linux" if k in a else "windows"))
            else:
                out += differences(a[k], b[k], path + "/" + k)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return ["%s: %d items on linux, %d on windows: %r / %r" % (
                path, len(a), len(b), str(a)[-120:], str(b)[-120:])]
        return sum((differences(x, y, "%s[%d]" % (path, i)) for i, (x, y) in
                    enumerate(zip(a, b))), [])
    return [] if a == b else ["%s: %r != %r" % (path, str(a)[:60], str(b)[:60])]


def same_json(name, lin, win):
    if not T.check(lin.json is not None and win.json is not None, name + ": JSON from both",
                   "linux %r windows %r" % (lin.err[:200], win.err[:200])):
        return
    diff = differences(normalized(lin.json), normalized(win.json))
    T.check(diff == [], name + ": Windows JSON equals Linux JSON (timings, paths aside)",
            "; ".join(diff[:6]))
    T.check(lin.rc == win.rc, name + ": same exit code", "linux %d windows %d" % (lin.rc, win.rc))


# --- the CLI suite's main cases ---------------------------------------------

def test_cli():
    import test_cli  # noqa: E402  (its BAD list: the same cases as on Linux)
    cases = [["--format", "json"] + args for args, _ in test_cli.BAD]
    cases += [["--format", "nagios", "--timeout", "abc", "h.test"]]
    for args in cases:
        name = " ".join(args)[:50]
        lin, win = both(args, hang_guard=30)
        T.check(win.rc == lin.rc, name + ": same exit code", "linux %d windows %d" %
                (lin.rc, win.rc))
        T.check(win.err.replace("\r\n", "\n") == lin.err, name + ": same stderr",
                "linux %r windows %r" % (lin.err[:160], win.err[:160]))
        T.check(win.out.replace("\r\n", "\n") == lin.out, name + ": same stdout",
                "linux %r windows %r" % (lin.out[:160], win.out[:160]))
    lin, win = both(["--version"], hang_guard=30)
    T.check(win.rc == 0 and win.out.split(" (")[0] == lin.out.split(" (")[0] and
            "(OpenSSL 3." in win.out, "--version: same version, its own OpenSSL", win.out[:80])
    lin, win = both(["--help"], hang_guard=30)
    T.check(win.rc == 0 and win.out.replace("\r\n", "\n") == lin.out, "--help: same text")


# --- lab cases ----------------------------------------------------------------

def lab_env():
    sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
    from test_lab import E, PASSWORD  # noqa: E402
    return E, PASSWORD


def lab_both(E, args, password=None, timeout=8):
    env = {"MAILPROBE_PASSWORD": password} if password is not None else None
    full = ["--timeout", str(timeout)] + args
    kw = dict(env=env, netns=E["CLIENT_NS"], hang_guard=timeout + 40)
    return run(LINUX, full, **kw), run(WRAPPER, full, **kw)


def endpoint(r, port):
    for e in (r.json or {}).get("endpoints", []):
        if e["port"] == port:
            return e
    return None


def test_healthy(E, pw):
    name = "healthy+login"
    lin, win = lab_both(E, ["--ca-file", E["LAB_CA"], "--user", E["LAB_USER"], "--format",
                            "json", "-4", E["LAB_HOST"]], password=pw)
    T.check(win.rc == 0, name + ": exit 0", "rc=%d %s" % (win.rc, win.err[:200]))
    eps = (win.json or {}).get("endpoints", [])
    T.check(len(eps) == 4 and all(e["ok"] for e in eps), name + ": four endpoints ok")
    T.check(all(any(s["step"] == "login" and s["ok"] for s in e["steps"]) for e in eps),
            name + ": logged in everywhere")
    T.check(pw not in win.out + win.err, name + ": no password in output")
    same_json(name, lin, win)


def test_dropped_587(E):
    name = "587 dropped"
    lab = os.path.join(ROOT, "tests", "lab", "lab.sh")
    subprocess.run(["sh", lab, "block", "587", "drop"], check=True)
    try:
        lin, win = lab_both(E, ["--ca-file", E["LAB_CA"], "--format", "json", "-4",
                                E["LAB_HOST"]], timeout=3)
    finally:
        subprocess.run(["sh", lab, "unblock"], check=True)
    ep = endpoint(win, 587)
    T.check(ep is not None and ep["steps"][0].get("class") == "connect_timeout",
            name + ": 587 connect_timeout on Windows", str(ep)[:200])
    ids = [f["id"] for f in (win.json or {}).get("findings", [])]
    T.check("outgoing_port_blocked" in ids, name + ": outgoing verdict", str(ids))
    rec = ((win.json or {}).get("recommended") or {}).get("outgoing") or {}
    T.check(rec.get("port") == 465 and rec.get("security") == "tls",
            name + ": 465 recommended", str(rec))
    paths = (win.json or {}).get("paths", [])
    T.check(all(p.get("skipped") and "Linux only" in p.get("reason", "") for p in paths),
            name + ": paths skipped with the reason on Windows", str(paths)[:200])
    said = [e["message"] for f in (win.json or {}).get("findings", [])
            for e in f.get("evidence", []) if path_evidence(e)]
    T.check(all("not measured: Linux only" in m for m in said),
            name + ": a path as evidence says it was not measured and why", str(said)[:200])
    same_json(name, lin, win)


def test_wrong_password(E):
    name = "wrong password"
    lin, win = lab_both(E, ["--ca-file", E["LAB_CA"], "--user", E["LAB_USER"], "--format",
                            "json", "-4", "--endpoint", "imap:993:tls", E["LAB_HOST"]],
                        password="wrong-Password-1")
    ep = endpoint(win, 993)
    login = [s for s in (ep or {}).get("steps", []) if s["step"] == "login"]
    T.check(login and login[0].get("class") == "auth_failed", name + ": auth_failed",
            str(login)[:200])
    T.check(win.rc == 2, name + ": exit 2", "rc=%d" % win.rc)
    same_json(name, lin, win)


def test_untrusted(E, pw):
    name = "untrusted"
    lin, win = lab_both(E, ["--user", E["LAB_USER"], "--format", "json", "-4", "--endpoint",
                            "imap:993:tls", E["LAB_HOST"]], password=pw)
    ep = endpoint(win, 993)
    tls = [s for s in (ep or {}).get("steps", []) if s["step"] == "tls"]
    T.check(tls and tls[0].get("class") == "tls_untrusted", name + ": tls_untrusted",
            str(tls)[:200])
    login = [s for s in (ep or {}).get("steps", []) if s["step"] == "login"]
    T.check(login and login[0].get("class") == "auth_skipped", name + ": no login attempted")
    same_json(name, lin, win)


def wine_reg(E, args):
    """reg.exe in the client namespace: the wineserver it starts or uses
    must be the one the probes use (it makes their sockets)."""
    return subprocess.run(["ip", "netns", "exec", E["CLIENT_NS"], "wine", "reg"] + args,
                          capture_output=True, timeout=60)


def root_store_key(der):
    return ("HKLM\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates\\" +
            hashlib.sha1(der).hexdigest().upper())


def test_root_store(E, pw):
    """The lab CA put into Wine's ROOT store (a certificate property blob in
    the registry, as Windows keeps it): trusted without --ca-file."""
    name = "ROOT store"
    der = ssl.PEM_cert_to_DER_cert(open(E["LAB_CA"]).read())
    blob = (32).to_bytes(4, "little") + (1).to_bytes(4, "little") + \
        len(der).to_bytes(4, "little") + der  # CERT_CERT_PROP_ID
    key = root_store_key(der)
    added = wine_reg(E, ["add", key, "/v", "Blob", "/t", "REG_BINARY", "/d", blob.hex(), "/f"])
    try:
        if not T.check(added.returncode == 0, name + ": lab CA in the ROOT store",
                       added.stderr.decode(errors="replace")[:200]):
            return
        r = run(WRAPPER, ["--timeout", "8", "--user", E["LAB_USER"], "--format", "json", "-4",
                          "--endpoint", "imap:993:tls", E["LAB_HOST"]],
                env={"MAILPROBE_PASSWORD": pw}, netns=E["CLIENT_NS"], hang_guard=50)
        ep = endpoint(r, 993)
        T.check(r.rc == 0 and ep is not None and ep["ok"],
                name + ": verified and logged in without --ca-file", "rc=%d %s" %
                (r.rc, str(ep)[:200]))
    finally:
        wine_reg(E, ["delete", key, "/f"])


def test_report(E, pw):
    name = "report"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.html")
        r = run(WRAPPER, ["--timeout", "8", "--ca-file", E["LAB_CA"], "--user", E["LAB_USER"],
                          "--report", path, "-4", E["LAB_HOST"]],
                env={"MAILPROBE_PASSWORD": pw}, netns=E["CLIENT_NS"], hang_guard=50)
        T.check(r.rc == 0, name + ": exit 0", "rc=%d %s" % (r.rc, r.err[:200]))
        html = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        T.check(html.startswith("<!DOCTYPE html>") and E["LAB_HOST"] in html,
                name + ": HTML report written", html[:100])
        T.check("Windows" in html, name + ": the report names Windows as the system")
        T.check(pw not in html, name + ": no password in the report")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "cli"
    if mode == "cli":
        test_cli()
    else:
        E, pw = lab_env()
        wine_reg(E, ["delete", root_store_key(ssl.PEM_cert_to_DER_cert(open(E["LAB_CA"]).read())),
                  "/f"])  # a key left by an interrupted run would trust the lab CA
        test_healthy(E, pw)
        test_dropped_587(E)
        test_wrong_password(E)
        test_untrusted(E, pw)
        test_root_store(E, pw)
        test_report(E, pw)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
