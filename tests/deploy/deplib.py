"""Helpers for the deploy tests (tests/deploy/test_*.py): make install into a
scratch DESTDIR, the list of series the exporter emits (from its source and
from a real scrape), metric names used by a PromQL expression, the README's
Install section, and a tiny bounded subprocess runner. Every wait here is
bounded; every process started here is stopped by pid.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import mptest  # noqa: E402

ROOT = mptest.ROOT
DEPLOY = os.path.join(ROOT, "deploy")
OUT = os.path.join(ROOT, "tests", "out")
EXPORTER = os.path.join(ROOT, "bin", "mailprobe_exporter")
MAILPROBE = os.path.join(ROOT, "bin", "mailprobe")
Counter = mptest.Counter
run_tests = mptest.run_tests

# What `make install` (default PREFIX) must produce, relative to DESTDIR, with modes.
INSTALLED = {
    "usr/local/bin/mailprobe": 0o755,
    "usr/local/bin/mailprobe_exporter": 0o755,
    "usr/local/share/man/man1/mailprobe.1": 0o644,
    "usr/local/share/man/man1/mailprobe_exporter.1": 0o644,
    "usr/local/share/man/man7/mailprobe-reference.7": 0o644,
    "usr/local/share/mailprobe/mailprobe.schema.json": 0o644,
    "usr/local/share/mailprobe/mailprobe.rules.yml": 0o644,
    "usr/local/share/mailprobe/grafana-dashboard.json": 0o644,
    "usr/local/share/doc/mailprobe/exporter.example.json": 0o644,
    "usr/local/share/doc/mailprobe/exporter-oauth2.example.json": 0o644,
    "usr/local/lib/systemd/system/mailprobe_exporter.service": 0o644,
}


def run(cmd, timeout=60, env=None, cwd=None, input=None):
    """(returncode, stdout, stderr) as text; a timeout is rc 124."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           env=env, cwd=cwd, input=input.encode() if input is not None else None)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %ss: %s" % (timeout, " ".join(cmd))


def makefile_includes_install():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return re.search(r"^-?include\s+deploy/install\.mk\s*$", f.read(), re.M) is not None


def make_cmd(root=ROOT):
    """make, with deploy/install.mk added when the top Makefile does not
    include it yet (tests say so in their own check)."""
    with open(os.path.join(root, "Makefile")) as f:
        included = re.search(r"^-?include\s+deploy/install\.mk\s*$", f.read(), re.M)
    cmd = ["make", "-s", "-C", root]
    if not included:
        cmd += ["-f", "Makefile", "-f", "deploy/install.mk"]
    return cmd


def make_install(destdir, prefix=None, target="install", timeout=180):
    args = make_cmd() + [target, "DESTDIR=" + destdir]
    if prefix:
        args.append("PREFIX=" + prefix)
    return run(args, timeout=timeout)


def file_list(top):
    """{relative path: mode} of the regular files under top."""
    out = {}
    for d, _, files in os.walk(top):
        for n in files:
            p = os.path.join(d, n)
            out[os.path.relpath(p, top)] = os.stat(p).st_mode & 0o7777
    return out


def tmpdir(tag):
    return tempfile.mkdtemp(prefix="mp-deploy-%s-" % tag)


# ------------------------------------------------------------ exporter series

HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def exporter_series_from_source():
    """Every series name the exporter can emit, read from its source: the
    family table of probe/render/render_prometheus.c and the names the exporter's
    own metrics write (exporter/selfmetrics.c, exporter/login_use.c); histograms with their
    _bucket/_sum/_count."""
    names, histograms = set(), set()
    with open(os.path.join(ROOT, "probe", "render", "render_prometheus.c")) as f:
        src = f.read()
    for m in re.finditer(r'\[PROM_[A-Z0-9_]+\]\s*=\s*\{\s*"([a-z_:][a-z0-9_:]*)",\s*"(\w+)"', src):
        names.add(m.group(1))
        if m.group(2) == "histogram":
            histograms.add(m.group(1))
    src = ""
    for own in ("selfmetrics.c", "login_use.c"):
        with open(os.path.join(ROOT, "exporter", own)) as f:
            src += f.read()
    for m in re.finditer(r'"((?:mailprobe|process|probe)_[a-z0-9_]+)"(?:\s*,\s*"(\w+)")?', src):
        names.add(m.group(1))
        if m.group(2) == "histogram":
            histograms.add(m.group(1))
    for h in histograms:
        for s in HISTOGRAM_SUFFIXES:
            names.add(h + s)
    return names


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(url, timeout=10.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


class Proc:
    """A child with its output in a file; stop() ends it by pid."""

    def __init__(self, cmd, log_path, env=None):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.p = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env)

    def alive(self):
        return self.p.poll() is None

    def stop(self, limit=5.0):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=limit)
        self.log.close()
        return self.p.returncode

    def text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def names_in_exposition(text):
    """Series names (sample lines) and {name: type} (TYPE lines) of a text."""
    names, types = set(), {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) >= 4:
                types[parts[2]] = parts[3]
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, 1)[0])
    return names, types


def exporter_series_from_scrape(folder):
    """Series names a real exporter emits on loopback: /metrics (own series)
    and /probe of 127.0.0.1 (refused or whatever answers: endpoint, step,
    finding and probe_* series). Returns (names, types, error)."""
    port = free_port()
    cfg = os.path.join(folder, "scrape.json")
    with open(cfg, "w") as f:
        json.dump({"modules": {"quick": {"timeout": "3s"}}, "allow": ["127.0.0.1"]}, f)
    proc = Proc([EXPORTER, "--config.file", cfg, "--web.listen-address", "127.0.0.1:%d" % port],
                os.path.join(folder, "scrape-exporter.log"))
    try:
        base = "http://127.0.0.1:%d" % port
        end = time.monotonic() + 10
        while time.monotonic() < end and http_get(base + "/-/ready", 1)[0] != 200:
            if not proc.alive():
                return set(), {}, "exporter exited: " + proc.text()[-500:]
            time.sleep(0.1)
        names, types = set(), {}
        for path in ("/metrics", "/probe?target=127.0.0.1&module=quick"):
            status, body = http_get(base + path, 15)
            if status != 200:
                return set(), {}, "%s: HTTP %s %s" % (path, status, body[:200])
            n, t = names_in_exposition(body)
            names |= n
            types.update(t)
        return names, types, ""
    finally:
        proc.stop()


# ------------------------------------------------------------ PromQL names

PROMQL_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
    "unless", "offset", "inf", "nan", "atan2", "start", "end",
}
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def promql_metric_names(expr):
    """Metric names an expression selects: identifiers that are not
    functions, keywords, label names in braces or grouping lists, or parts
    of durations and numbers."""
    s = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`', '""', expr)
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = _GROUPING.sub(" ", s)
    names = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", s):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in PROMQL_KEYWORDS:
            continue
        names.add(word)
    return names


def promtool_check_exprs(exprs, folder, tag):
    """Puts each expression into a recording rule of a generated rule file and
    runs promtool check rules on it. Returns (ok, output)."""
    import yaml

    rules = [{"record": "check:%s:%d" % (tag, i), "expr": e} for i, e in enumerate(exprs)]
    path = os.path.join(folder, "%s.rules.yml" % tag)
    with open(path, "w") as f:
        yaml.safe_dump({"groups": [{"name": tag, "rules": rules}]}, f, sort_keys=False)
    rc, out, err = run(["promtool", "check", "rules", path], timeout=60)
    return rc == 0, (out + err).strip()


# ------------------------------------------------------------ README

def readme_install_section():
    """(source file, section text) of README.md's "## Install" section."""
    for path in (os.path.join(ROOT, "README.md"),):
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        m = re.search(r"^## Install[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
        if m:
            return os.path.relpath(path, ROOT), m.group(1)
    return None, ""


def code_lines(markdown):
    """The commands of a Markdown text: indented (4 spaces) or fenced code
    lines, comments after '  #' removed, whitespace normalised."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            cmd = re.sub(r"\s+#.*$", "", line.strip())
            if cmd:
                out.append(" ".join(cmd.split()))
    return out
