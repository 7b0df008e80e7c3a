"""Shared helpers for the Python test programs: counting checks, running
mailprobe with a hang guard and measuring its peak RSS, validating JSON
output against the shipped schema, and making test certificates.

Every test program ends with the line "N passed, N failed".
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = os.path.join(ROOT, "schema", "mailprobe.schema.json")
BIN = os.environ.get("MAILPROBE_BIN", os.path.join(ROOT, "bin", "mailprobe"))
# Sanitizer builds are slower: widen the hang guard, skip the RSS bound.
SANITIZED = os.environ.get("MAILPROBE_SANITIZED") == "1"
HANG_MARGIN = 6.0 if SANITIZED else 2.0


class Counter:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: %s %s" % (self.name, what, detail), flush=True)
        return cond

    def report(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 0 if self.failed == 0 else 1


class Result:
    def __init__(self, rc, out, err, seconds, maxrss_kb):
        self.rc = rc
        self.out = out
        self.err = err
        self.seconds = seconds
        self.maxrss_kb = maxrss_kb
        self.json = None
        if out.lstrip().startswith("{"):
            try:
                self.json = json.loads(out)
            except ValueError:
                self.json = None

    def endpoints(self):
        return (self.json or {}).get("endpoints", [])

    def step(self, endpoint, name):
        for s in endpoint.get("steps", []):
            if s["step"] == name:
                return s
        return None

    def failed_step(self, endpoint):
        for s in endpoint.get("steps", []):
            if not s["ok"] and s["step"] != "logout":
                return s
        return None


def run(args, env=None, stdin=None, netns=None, hang_guard=60.0):
    """Runs mailprobe with args; returns a Result. Kills it after hang_guard
    seconds (a failed test then, not a hung one)."""
    cmd = [BIN] + list(args)
    if netns:
        cmd = ["ip", "netns", "exec", netns] + cmd
    full_env = dict(os.environ)
    full_env.pop("MAILPROBE_PASSWORD", None)
    full_env.pop("MAILPROBE_OAUTH2_TOKEN", None)
    if env:
        full_env.update(env)
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=full_env,
                             stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        if stdin is not None:
            try:
                p.stdin.write(stdin.encode())
                p.stdin.close()
            except BrokenPipeError:
                pass
        rc, rss = wait_guarded(p, hang_guard)
        seconds = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        return Result(rc, out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"), seconds, rss)


def wait_guarded(p, limit):
    end = time.monotonic() + limit
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return p.returncode, ru.ru_maxrss
        if time.monotonic() > end:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            p.returncode = -9
            return -9, ru.ru_maxrss
        time.sleep(0.02)


_validator = None


def schema_errors(doc):
    """A list of schema violations of a --format json document."""
    global _validator
    if _validator is None:
        import jsonschema
        with open(SCHEMA) as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        _validator = cls(schema)
    return [e.message for e in _validator.iter_errors(doc)]


def make_certs(folder, names=("hostile.test",), org=None):
    """A CA and a leaf for names (127.0.0.1 as IP SAN too), made with
    openssl; org (UTF-8) becomes the leaf subject's O. Returns (ca, cert,
    key)."""
    ca_key = os.path.join(folder, "ca.key")
    ca = os.path.join(folder, "ca.pem")
    key = os.path.join(folder, "leaf.key")
    csr = os.path.join(folder, "leaf.csr")
    cert = os.path.join(folder, "leaf.pem")
    ext = os.path.join(folder, "leaf.ext")
    sans = ",".join(["DNS:%s" % n for n in names] + ["IP:127.0.0.1"])
    with open(ext, "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n" % sans)
    q = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", ca,
                    "-days", "30", "-subj", "/CN=mailprobe test CA"], **q)
    subj = ("/O=%s" % org if org else "") + "/CN=%s" % names[0]
    subprocess.run(["openssl", "req", "-utf8", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", csr, "-subj", subj], **q)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                    "-CAcreateserial", "-out", cert, "-days", "30", "-extfile", ext], **q)
    return ca, cert, key


def run_tests(counter, tests, argv):
    """Runs the test functions (only those named in argv, if any); a test
    that raises is a failure, not a crash. Returns the exit code."""
    only = argv[1:]
    for t in tests:
        if only and t.__name__ not in only:
            continue
        try:
            t()
        except Exception as ex:  # noqa: BLE001
            counter.check(False, t.__name__, "raised %r" % ex)
    return counter.report()
