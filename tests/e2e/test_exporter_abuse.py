#!/usr/bin/python3
"""mailprobe_exporter against a client that tries to take it off the air,
on loopback only: 1,000 slow connections from 127.0.0.1 (the per-client
limit refuses what is over it; /-/healthy and /metrics still answer another
client, 127.0.0.2), a request with hundreds of query parameters (an
immediate 414), HTTPS below TLS 1.2 (refused; 1.2 works), repeated failed
basic auth (429 without checking, per client), and the status page naming
no absolute file path. Every wait has a hang guard; no timing goal.

    test_exporter_abuse.py [NAME...]     run all tests, or those named
"""
import os
import resource
import select
import shutil
import socket
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import crypt  # noqa: E402  (libxcrypt: makes the bcrypt hash for basic auth)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exlib  # noqa: E402
from exlib import mptest, sample  # noqa: E402

T = mptest.Counter("exporter-abuse")
SLOW_CONNS = 1000
GUARD = 20.0 * exlib.SLOW  # hang guard of one request


def raw_get(port, path, source="127.0.0.1", headers=None, timeout=GUARD):
    """GET path over a fresh connection from source; (status, headers, body)
    or (0, {}, error text). HTTP/1.0, so the server closes when done."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                     source_address=(source, 0))
    except OSError as e:
        return 0, {}, str(e)
    try:
        lines = ["GET %s HTTP/1.0" % path, "Host: 127.0.0.1"]
        lines += ["%s: %s" % kv for kv in (headers or {}).items()]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while len(data) < 4 << 20:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except OSError as e:
        return 0, {}, str(e)
    finally:
        s.close()
    head, _, body = data.decode("utf-8", "replace").partition("\r\n\r\n")
    first, *rest = head.split("\r\n") if head else ("",)
    try:
        status = int(first.split()[1])
    except (IndexError, ValueError):
        return 0, {}, head
    hdrs = dict(line.split(": ", 1) for line in rest if ": " in line)
    return status, hdrs, body


def slow_clients(port, n):
    """n connections from 127.0.0.1 that send half a request and stop."""
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            socks.append(s)
        except OSError:
            break
    return socks


def closed_by_server(socks, want, limit):
    """How many of socks the server has closed: polls them all until want
    are closed or limit seconds have passed."""
    poller, by_fd, closed = select.poll(), {}, 0
    for s in socks:
        poller.register(s, select.POLLIN)
        by_fd[s.fileno()] = s
    end = time.monotonic() + limit
    while closed < want and by_fd and time.monotonic() < end:
        for fd, _ in poller.poll(100):
            s = by_fd.pop(fd)
            poller.unregister(fd)
            try:
                closed += s.recv(1, socket.MSG_DONTWAIT) == b""
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except OSError:
                pass
    return closed


def test_slow_connections(env):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = SLOW_CONNS + 256
    if soft < want and (hard == resource.RLIM_INFINITY or hard >= want):
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    ex = env.exporter({"targets": [], "web": {"max_connections_per_client": 64}}, "slow")
    socks = []
    try:
        T.check(ex.wait_ready(), "exporter ready", ex.log()[-500:])
        socks = slow_clients(ex.port, SLOW_CONNS)
        T.check(len(socks) == SLOW_CONNS, "%d slow connections opened" % SLOW_CONNS, len(socks))
        closed = closed_by_server(socks, SLOW_CONNS - 64, 10 * exlib.SLOW)
        T.check(closed >= SLOW_CONNS - 64 - 8,
                "the server closes what is over the per-client limit at once", closed)
        st, _, body = raw_get(ex.port, "/-/healthy", source="127.0.0.2")
        T.check(st == 200 and "Healthy" in body, "/-/healthy answers another client",
                (st, body[:200]))
        st, _, body = raw_get(ex.port, "/metrics", source="127.0.0.2")
        T.check(st == 200 and "process_open_fds" in body, "/metrics answers another client",
                (st, body[:200]))
        refused = sample(body, "mailprobe_http_refused_total", reason="client_connections")
        T.check(refused is not None and refused >= SLOW_CONNS - 64 - 8,
                "mailprobe_http_refused_total counts the refused connections", refused)
        lines = ex.log().count("reason=client_connections")
        T.check(0 < lines <= 10, "refusals are logged, a few lines per window", lines)
    finally:
        for s in socks:
            s.close()
        ex.proc.stop()


def test_query_parameters(env):
    ex = env.exporter({"targets": []}, "query")
    try:
        T.check(ex.wait_ready(), "exporter ready")
        many = "&".join("p%d=%d" % (i, i) for i in range(600))
        st, _, body = raw_get(ex.port, "/metrics?" + many, timeout=GUARD)
        T.check(st == 414 and "query parameters" in body,
                "600 query parameters: 414 at once (not the 60 s idle timeout)",
                (st, body[:200]))
        st, _, body = raw_get(ex.port, "/probe?target=x&" + many, timeout=GUARD)
        T.check(st == 414, "the same on /probe", (st, body[:200]))
        few = "&".join("p%d=%d" % (i, i) for i in range(20))
        st, _, _ = raw_get(ex.port, "/metrics?" + few)
        T.check(st == 200, "20 query parameters are fine", st)
        st, _, body = raw_get(ex.port, "/metrics")
        T.check(sample(body, "mailprobe_http_refused_total", reason="query_parameters") == 2,
                "the 414s are counted")
    finally:
        ex.proc.stop()


def tls_handshake(port, version):
    """True when openssl s_client completes a handshake at version
    (tls1_1, tls1_2). SECLEVEL=0 lets the client offer old versions."""
    p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                        "-" + version, "-cipher", "DEFAULT@SECLEVEL=0"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=GUARD)
    out = p.stdout.decode("utf-8", "replace")
    return p.returncode == 0 and "Cipher is (NONE)" not in out, out


def test_tls_minimum(env):
    ca, cert, key = env.certs
    c = {"targets": [], "web": {"tls_cert_file": cert, "tls_key_file": key}}
    ex = env.exporter(c, "tls", scheme="https", context=exlib.tls_context(ca))
    try:
        T.check(ex.wait_ready(), "HTTPS exporter ready", ex.log()[-500:])
        ok, out = tls_handshake(ex.port, "tls1_1")
        T.check(not ok, "a TLS 1.1 client is refused", out[-300:])
        ok, out = tls_handshake(ex.port, "tls1")
        T.check(not ok, "a TLS 1.0 client is refused", out[-300:])
        ok, out = tls_handshake(ex.port, "tls1_2")
        T.check(ok and "TLSv1.2" in out, "a TLS 1.2 client gets through", out[-300:])
        T.check(ex.get("/-/healthy").status == 200, "HTTPS still answers (TLS 1.3)")
    finally:
        ex.proc.stop()


def test_auth_rate_limit(env):
    h = crypt.crypt("s3cret-web", "$2b$05$" + "abcdefghijklmnopqrstuu")
    ex = env.exporter({"targets": [], "web": {"basic_auth_users": {"prom": h}}}, "auth")
    good, bad = exlib.basic("prom", "s3cret-web"), exlib.basic("prom", "wrong")
    try:
        T.check(ex.wait_ready(), "exporter ready")
        T.check(raw_get(ex.port, "/metrics")[0] == 401, "no credentials: 401")
        codes = [raw_get(ex.port, "/metrics", headers=bad)[0] for _ in range(10)]
        T.check(codes == [401] * 10, "10 failed logins: 401 each", codes)
        st, hdrs, body = raw_get(ex.port, "/metrics", headers=bad)
        T.check(st == 429 and int(hdrs.get("Retry-After", "0")) > 0,
                "the 11th within the window: 429 with Retry-After", (st, hdrs, body[:100]))
        st, _, _ = raw_get(ex.port, "/metrics", headers=good)
        T.check(st == 429, "while limited even the right password is not checked", st)
        T.check(raw_get(ex.port, "/-/healthy")[0] == 200, "health checks need no login")
        st, _, body = raw_get(ex.port, "/metrics", source="127.0.0.2", headers=good)
        T.check(st == 200, "another client logs in", st)
        T.check(sample(body, "mailprobe_http_refused_total", reason="auth_rate_limit") == 2,
                "the 429s are counted", [x for x in body.splitlines() if "refused" in x])
        st, _, _ = raw_get(ex.port, "/metrics", source="127.0.0.2",
                           headers=exlib.basic("eve", "s3cret-web"))
        T.check(st == 401, "an unknown user: 401", st)
    finally:
        ex.proc.stop()


def test_status_paths(env):
    pw = os.path.join(env.dir, "pw")
    with open(pw, "w") as f:
        f.write("not-shown\n")
    ca = env.certs[0]
    c = {"modules": {"m": {"endpoints": ["smtp:1:tls"], "ca_file": ca, "timeout": "1s",
                           "credentials": {"user": "u@example.test", "password_file": pw},
                           "credential_hosts": ["127.0.0.1"]}},
         "targets": [{"name": "t", "host": "127.0.0.1", "module": "m", "interval": "1h"}]}
    ex = env.exporter(c, "paths")
    try:
        T.check(ex.wait_ready(), "exporter ready")
        st, _, body = raw_get(ex.port, "/")
        T.check(st == 200 and "paths.json" in body, "the status page names the config file",
                (st, body[:300]))
        T.check(env.dir not in body and "/tmp/" not in body,
                "and shows no absolute path", [x for x in body.split("<") if env.dir in x][:3])
        end, st = time.monotonic() + 10 * exlib.SLOW, 0
        while st != 200 and time.monotonic() < end:
            st, _, body = raw_get(ex.port, "/report?target=t")
            time.sleep(0.1)
        T.check(st == 200 and env.dir not in body,
                "the target's support report shows no absolute path either",
                (st, [x for x in body.split("<") if env.dir in x][:3]))
    finally:
        ex.proc.stop()


class Env:
    def __init__(self):
        self.dir = exlib.temp_folder("mailprobe-exporter-abuse-")
        self.certs = mptest.make_certs(self.dir, ("localhost",))
        self.procs = []

    def exporter(self, config, name, **kw):
        ex = exlib.Exporter(self.dir, config, name=name, **kw)
        self.procs.append(ex)
        return ex

    def close(self):
        for ex in self.procs:
            ex.proc.stop()
            exlib.keep_log(ex.proc.log_path, "exporter-abuse-%s.log" % os.path.basename(
                ex.config_path)[:-5])
        shutil.rmtree(self.dir, ignore_errors=True)


TESTS = ["slow_connections", "query_parameters", "tls_minimum", "auth_rate_limit",
         "status_paths"]


def main():
    wanted = sys.argv[1:] or TESTS
    env = Env()
    try:
        for name in TESTS:
            if name not in wanted:
                continue
            t0 = time.monotonic()
            try:
                globals()["test_" + name](env)
            except Exception as e:  # a crash is a failure, not the end
                T.check(False, name + " raised", repr(e))
            print("ok %-24s %.1fs" % (name, time.monotonic() - t0), flush=True)
    finally:
        env.close()
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
