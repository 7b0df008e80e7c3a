"""Helpers for the exporter tests: start mailprobe_exporter with a config,
talk HTTP to it, run promtool, Prometheus and headless Chromium. Every wait
is bounded; every process started here is stopped by the caller's cleanup
(Proc.stop), never by name.
"""
import base64
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import mptest  # noqa: E402

ROOT = mptest.ROOT
EXPORTER = os.environ.get("MAILPROBE_EXPORTER_BIN", os.path.join(ROOT, "bin", "mailprobe_exporter"))
MAILPROBE = os.environ.get("MAILPROBE_BIN", os.path.join(ROOT, "bin", "mailprobe"))
OUT = os.path.join(ROOT, "tests", "out")
SANITIZED = os.environ.get("MAILPROBE_SANITIZED") == "1"
SLOW = 3.0 if SANITIZED else 1.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Proc:
    """A child process with its output in a file; stop() ends it by pid."""

    def __init__(self, cmd, log_path, env=None):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.p = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env)

    def signal(self, sig):
        if self.p.poll() is None:
            self.p.send_signal(sig)

    def wait(self, limit):
        try:
            return self.p.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, limit=5.0):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            if self.wait(limit) is None:
                self.p.kill()
                self.p.wait()
        self.log.close()
        return self.p.returncode

    def text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


class Response:
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers


def get(url, headers=None, timeout=20.0, context=None, method="GET"):
    """One HTTP request; never raises for HTTP status codes."""
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
            return Response(r.status, r.read().decode("utf-8", "replace"), dict(r.headers))
    except urllib.error.HTTPError as e:
        return Response(e.code, e.read().decode("utf-8", "replace"), dict(e.headers))
    except (urllib.error.URLError, OSError) as e:
        return Response(0, str(e), {})


def basic(user, password):
    tok = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return {"Authorization": "Basic " + tok}


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    return ctx


class Exporter:
    """mailprobe_exporter on 127.0.0.1:<free port> with a JSON config."""

    def __init__(self, folder, config, name="exporter", scheme="http", netns=None,
                 extra=None, context=None, prefix=None, env=None):
        self.folder = folder
        self.port = free_port()
        self.base = "%s://127.0.0.1:%d" % (scheme, self.port)
        self.config_path = os.path.join(folder, name + ".json")
        self.context = context
        self.write_config(config)
        cmd = [EXPORTER, "--config.file", self.config_path,
               "--web.listen-address", "127.0.0.1:%d" % self.port] + (extra or [])
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        cmd = (prefix or []) + cmd
        self.proc = Proc(cmd, os.path.join(folder, name + ".log"),
                         env=dict(os.environ, **env) if env else None)

    def write_config(self, config):
        with open(self.config_path, "w") as f:
            if isinstance(config, str):
                f.write(config)
            else:
                json.dump(config, f, indent=1)

    def url(self, path, **params):
        q = urllib.parse.urlencode(params)
        return self.base + path + ("?" + q if q else "")

    def get(self, path, headers=None, timeout=20.0, **params):
        return get(self.url(path, **params), headers=headers, timeout=timeout,
                   context=self.context)

    def wait_ready(self, limit=10.0, headers=None):
        end = time.monotonic() + limit * SLOW
        while time.monotonic() < end:
            if self.proc.p.poll() is not None:
                return False
            if self.get("/-/ready", headers=headers, timeout=2).status == 200:
                return True
            time.sleep(0.1)
        return False

    def reload(self, config, limit=10.0):
        """Writes config, sends SIGHUP and waits for the log line saying
        the reload worked or failed."""
        def count():
            log = self.log()
            return log.count("config reloaded") + log.count("config reload failed")
        before = count()
        self.write_config(config)
        self.proc.signal(signal.SIGHUP)
        end = time.monotonic() + limit * SLOW
        while count() == before and time.monotonic() < end:
            time.sleep(0.05)

    def log(self):
        return drop_asan_fiber_notice(self.proc.text())


# AddressSanitizer says once per process that it "doesn't fully support
# makecontext/swapcontext" (the exporter's probes run on fibers, annotated
# for ASan with __sanitizer_start/finish_switch_fiber). Only that notice is
# dropped: any other sanitizer line still fails the log checks.
ASAN_FIBER_NOTICE = re.compile(
    r"^==\d+==WARNING: ASan doesn't fully support makecontext/swapcontext functions"
    r" and may produce false positives in some cases!\n", re.M)


def drop_asan_fiber_notice(text):
    return ASAN_FIBER_NOTICE.sub("", text)


def sample(text, name, **labels):
    """The value of the first series name{labels...} (a subset match) in an
    exposition text, or None."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        rest = line[len(name):]
        if rest[:1] not in ("{", " "):
            continue
        if all('%s="%s"' % (k, v) in rest for k, v in labels.items()):
            try:
                return float(line.rsplit(" ", 1)[1])
            except ValueError:
                return None
    return None


def promtool_check(text):
    """(ok, output) of promtool check metrics on text."""
    p = subprocess.run(["promtool", "check", "metrics"], input=text.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    out = p.stdout.decode("utf-8", "replace").strip()
    return p.returncode == 0 and out == "", out


def hostile(scenario, folder, certs, lifetime=150, max_conns=400):
    """tests/hostile/server.py SCENARIO on 127.0.0.1: (Proc, port)."""
    ca, cert, key = certs
    log = os.path.join(folder, "hostile-%s.log" % scenario)
    for k in range(2, 100):  # a second server of the scenario: a log of its own
        if not os.path.exists(log):
            break
        log = os.path.join(folder, "hostile-%s-%d.log" % (scenario, k))
    cmd = ["/usr/bin/python3", os.path.join(ROOT, "tests", "hostile", "server.py"), scenario,
           "--cert", cert, "--key", key, "--lifetime", str(lifetime),
           "--max-conns", str(max_conns)]
    proc = Proc(cmd, log)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        for line in proc.text().splitlines():
            if line.startswith("PORT "):
                return proc, int(line.split()[1])
        time.sleep(0.05)
    proc.stop()
    raise RuntimeError("hostile server %s did not start" % scenario)


def temp_folder(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def keep_log(path, name):
    """Copies a log to tests/out/ (the temp folder is removed)."""
    try:
        os.makedirs(OUT, exist_ok=True)
        with open(path, "rb") as src, open(os.path.join(OUT, name), "wb") as dst:
            dst.write(src.read())
    except OSError:
        pass
