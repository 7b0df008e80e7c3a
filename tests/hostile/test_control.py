#!/usr/bin/python3
"""The control host (--control, issue 14): a port that fails at the mail
server is tried at a control host on another loopback address, under the
same deadline, and no credential ever reaches the control host.

Scripted peers, all in this process, on 127.0.0.x with the same port:
  drop     listen(0) with a full accept queue: the kernel drops every new
           SYN, so connecting times out (what a filter that drops does)
  refuse   bound, not listening: the kernel answers RST (connect_refused)
  record   accepts and records every byte it gets (after TLS: every
           decrypted byte), sends nothing

Runs alone (prints "N passed, N failed") and from test_hostile.py.
"""
import base64
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "control-secret-Pw7"
USER = "probe@hostile.test"
TIMEOUT = 3.0
MAIL = "127.0.0.1"
CONTROL = "127.0.0.2"
CONTROL_NAME = "control.test"
RECORD_LIMIT = 1 << 20


class Peer:
    """One scripted peer on (addr, port); close() ends it."""

    def __init__(self, kind, addr, port=0, tls=None):
        self.kind = kind
        self.family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        self.sock = socket.socket(self.family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.port = self.sock.getsockname()[1]
        self.tls = tls
        self.fillers = []
        self.received = b""
        self.connections = 0
        self.stop = threading.Event()
        self.thread = None
        if kind == "drop":
            self._fill(addr)
        elif kind == "record":
            self.sock.listen(16)
            self.sock.settimeout(0.2)
            self.thread = threading.Thread(target=self._serve, daemon=True)
            self.thread.start()

    def _fill(self, addr):
        self.sock.listen(0)
        for _ in range(3):
            f = socket.socket(self.family, socket.SOCK_STREAM)
            f.setblocking(False)
            try:
                f.connect((addr, self.port))
            except BlockingIOError:
                pass
            self.fillers.append(f)
        time.sleep(0.1)

    def _serve(self):
        end = time.monotonic() + 60
        while not self.stop.is_set() and time.monotonic() < end:
            try:
                s, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._record, args=(s,), daemon=True).start()

    def _record(self, s):
        try:
            s.settimeout(5)
            if self.tls is not None:
                s = self.tls.wrap_socket(s, server_side=True)
            while len(self.received) < RECORD_LIMIT and not self.stop.is_set():
                chunk = s.recv(4096)
                if not chunk:
                    break
                self.received += chunk
        except (OSError, ssl.SSLError):
            pass
        finally:
            s.close()

    def close(self):
        self.stop.set()
        if self.thread is not None:
            self.thread.join(2)
        for f in self.fillers:
            f.close()
        self.sock.close()


def tls_server_ctx(certs):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certs[1], certs[2])
    return ctx


def pair(mail_kind, control_kind, control_tls=None):
    """A mail peer on 127.0.0.1 and a control peer on 127.0.0.2, one port."""
    mail = Peer(mail_kind, MAIL)
    try:
        return mail, Peer(control_kind, CONTROL, mail.port, control_tls)
    except OSError:
        mail.close()
        raise


def probe(port, mode, extra=(), creds=False, fmt="json", timeout=TIMEOUT):
    proto, sec = mode.split(":")
    args = ["--format", fmt, "--timeout", str(timeout),
            "--endpoint", "%s:%d:%s" % (proto, port, sec),
            "--resolve", "hostile.test:%d:%s" % (port, MAIL),
            "--control", CONTROL_NAME, "--resolve", "%s:*:%s" % (CONTROL_NAME, CONTROL)]
    args += list(extra) + ["hostile.test"]
    env = {}
    if creds:
        args = ["--user", USER] + args
        env["MAILPROBE_PASSWORD"] = PASSWORD
    return mptest.run(args, env=env, hang_guard=timeout + 30)


def credential_forms():
    plain = base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode())
    return [PASSWORD.encode(), plain, base64.b64encode(PASSWORD.encode()), USER.encode()]


def check_run(t, name, r, timeout=TIMEOUT):
    t.check(r.seconds < timeout + mptest.HANG_MARGIN, name + ": ends by the deadline",
            "(%.1f s)" % r.seconds)
    if not t.check(r.json is not None, name + ": JSON output", r.err[-300:]):
        return None
    t.check(mptest.schema_errors(r.json) == [], name + ": schema-valid",
            str(mptest.schema_errors(r.json)[:3]))
    t.check(PASSWORD not in r.out + r.err, name + ": no password in output")
    return r.json.get("control")


def connect_class(r):
    ep = (r.endpoints() or [{}])[0]
    s = r.step(ep, "connect") or {}
    return s.get("class")


def test_blocked_at_both(t, certs, tmp):
    """Dropped at the mail server and at the control host: the control
    connection times out too, within the run's one deadline."""
    name = "control blocked at both (drop)"
    mail, ctl = pair("drop", "drop")
    try:
        r = probe(mail.port, "smtp:starttls")
    finally:
        mail.close()
        ctl.close()
    control = check_run(t, name, r)
    t.check(connect_class(r) == "connect_timeout", name + ": endpoint connect_timeout",
            str(connect_class(r)))
    want = [{"host": CONTROL_NAME, "address": CONTROL, "port": mail.port, "ok": False,
             "class": "connect_timeout", "tls": False, "cert_verified": None}]
    got = [{k: c.get(k) for k in want[0]} for c in control or []]
    t.check(got == want, name + ": control entry", str(control))


def test_refused_at_both(t, certs, tmp):
    """Refused at both: connect_refused at the control host; the metric is 0."""
    name = "control refused at both"
    mail, ctl = pair("refuse", "refuse")
    try:
        r = probe(mail.port, "smtp:starttls")
        prom = probe(mail.port, "smtp:starttls", fmt="prometheus")
    finally:
        mail.close()
        ctl.close()
    control = check_run(t, name, r) or []
    t.check([(c["ok"], c["class"]) for c in control] == [(False, "connect_refused")],
            name + ": control connect_refused", str(control))
    series = 'mailprobe_control_up{host="%s",port="%d"} 0' % (CONTROL_NAME, mail.port)
    t.check(series in prom.out.splitlines(), name + ": " + series, prom.out[-400:])
    t.check("# TYPE mailprobe_control_up gauge" in prom.out, name + ": TYPE line")


def test_blocked_only_at_server(t, certs, tmp):
    """Dropped at the mail server, open at the control host: the control
    connects; with credentials given, not one byte reaches the control host."""
    name = "control open, server drops"
    mail, ctl = pair("drop", "record")
    try:
        r = probe(mail.port, "smtp:starttls", creds=True)
    finally:
        mail.close()
        ctl.close()
    control = check_run(t, name, r) or []
    t.check(connect_class(r) == "connect_timeout", name + ": endpoint connect_timeout",
            str(connect_class(r)))
    t.check([(c["ok"], c["class"], c["address"]) for c in control] == [(True, None, CONTROL)],
            name + ": control ok", str(control))
    t.check(ctl.connections >= 1, name + ": the control host was connected to")
    t.check(ctl.received == b"", name + ": nothing sent to the control host",
            repr(ctl.received[:80]))


def test_refused_only_at_server(t, certs, tmp):
    """Refused at the mail server, open at the control host: metric 1."""
    name = "control open, server refuses"
    mail, ctl = pair("refuse", "record")
    try:
        prom = probe(mail.port, "smtp:starttls", fmt="prometheus")
    finally:
        mail.close()
        ctl.close()
    series = 'mailprobe_control_up{host="%s",port="%d"} 1' % (CONTROL_NAME, mail.port)
    t.check(series in prom.out.splitlines(), name + ": " + series, prom.out[-400:])


def test_tls_at_control(t, certs, tmp):
    """An implicit-TLS port (smtp:PORT:tls, like 465) refused at the mail
    server: the control does a TLS handshake (SNI control.test) and sends no
    credential over it; the certificate is recorded, not required."""
    name = "control TLS handshake"
    mail, ctl = pair("refuse", "record", tls_server_ctx(certs))
    try:
        r = probe(mail.port, "smtp:tls", extra=["--ca-file", certs[0]], creds=True)
        untrusted = probe(mail.port, "smtp:tls")
    finally:
        mail.close()
        ctl.close()
    control = check_run(t, name, r) or []
    got = [(c["ok"], c["class"], c["tls"], c["cert_verified"]) for c in control]
    t.check(got == [(True, None, True, True)], name + ": handshake ok, verified", str(control))
    control = check_run(t, name + " (untrusted)", untrusted) or []
    got = [(c["ok"], c["tls"], c["cert_verified"]) for c in control]
    t.check(got == [(True, True, False)], name + ": untrusted certificate is recorded only",
            str(control))
    t.check(ctl.connections >= 2, name + ": both runs reached the control host")
    leaked = [f for f in credential_forms() if f in ctl.received]
    t.check(ctl.received == b"" and not leaked, name + ": no byte inside TLS",
            repr(ctl.received[:80]))


def start_smtps(certs, port, log):
    """server.py's smtps-auth-rejected on 127.0.0.1:port: it receives the
    credentials, so the test sees that they were sent (to the mail server)."""
    p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "server.py"),
                          "smtps-auth-rejected", "--port", str(port), "--cert", certs[1],
                          "--key", certs[2], "--lifetime", "30", "--log", log],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("PORT "):
        p.kill()
        p.wait()
        return None
    return p


def probe_working_server(t, name, ctl, certs, tmp, **kw):
    """server.py's smtps-auth-rejected on 127.0.0.1 at the port of the
    control peer ctl, probed with kw; (result, bytes the server got) or
    None. Ends both peers."""
    log = os.path.join(tmp, name.replace(" ", "-") + ".log")
    server = start_smtps(certs, ctl.port, log)
    if not t.check(server is not None, name + ": scripted server started"):
        ctl.close()
        return None
    try:
        r = probe(ctl.port, "smtp:tls", extra=["--ca-file", certs[0]], **kw)
    finally:
        server.kill()
        server.wait()
        ctl.close()
    return r, open(log, "rb").read() if os.path.exists(log) else b""


def test_no_credential_when_server_works(t, certs, tmp):
    """The mail server answers and gets the login; the control host, tried
    at the same time on the same port, gets no byte of it, and its result
    is not kept (the port did not fail)."""
    name = "control while the server works"
    ctl = Peer("record", CONTROL, 0, tls_server_ctx(certs))
    got = probe_working_server(t, name, ctl, certs, tmp, creds=True)
    if got is None:
        return
    r, sent = got
    control = check_run(t, name, r)
    t.check(any(f in sent for f in credential_forms()[:2]),
            name + ": the mail server got the login (the test can fail)")
    t.check(control == [], name + ": no control entry for a working port", str(control))
    leaked = [f for f in credential_forms() if f in ctl.received]
    t.check(ctl.received == b"" and not leaked, name + ": no credential to the control host",
            repr(ctl.received[:80]))


def test_control_does_not_hold_a_healthy_run(t, certs, tmp):
    """A control host that drops does not keep a run whose ports all work
    until the deadline: its connections are cancelled when the endpoints are
    done. A wide guard (half of a 6 s timeout), not a timing goal."""
    name = "control cancelled"
    got = probe_working_server(t, name, Peer("drop", CONTROL), certs, tmp, timeout=6.0)
    if got is None:
        return
    r = got[0]
    control = check_run(t, name, r, timeout=6.0)
    t.check(control == [], name + ": nothing kept", str(control))
    t.check(r.json is not None and r.json["duration_seconds"] < 3.0,
            name + ": the run did not wait for the control host",
            str((r.json or {}).get("duration_seconds")))


def test_control_no_address(t, certs, tmp):
    """A control host without an address of the family asked for (-6, the
    control pinned to IPv4 only; no DNS query leaves this machine): one
    entry, address null, class dns_error."""
    name = "control without an address"
    mail = Peer("refuse", "::1")
    try:
        r = mptest.run(["--format", "json", "--timeout", str(TIMEOUT), "-6",
                        "--endpoint", "smtp:%d:starttls" % mail.port,
                        "--resolve", "hostile.test:%d:[::1]" % mail.port,
                        "--control", CONTROL_NAME, "--resolve", "%s:*:%s" % (CONTROL_NAME, CONTROL),
                        "hostile.test"], hang_guard=TIMEOUT + 30)
    finally:
        mail.close()
    control = check_run(t, name, r) or []
    t.check(connect_class(r) == "connect_refused", name + ": endpoint connect_refused",
            str(connect_class(r)))
    got = [(c["address"], c["ok"], c["class"]) for c in control]
    t.check(got == [(None, False, "dns_error")], name + ": address null, dns_error", str(control))


TESTS = [test_blocked_at_both, test_refused_at_both, test_blocked_only_at_server,
         test_refused_only_at_server, test_tls_at_control, test_no_credential_when_server_works,
         test_control_does_not_hold_a_healthy_run, test_control_no_address]


def run_all(t, certs, tmp, only=()):
    for fn in TESTS:
        if only and fn.__name__ not in only:
            continue
        try:
            fn(t, certs, tmp)
        except Exception as ex:  # noqa: BLE001
            t.check(False, fn.__name__, "raised %r" % ex)


def main():
    t = mptest.Counter("control")
    with tempfile.TemporaryDirectory() as tmp:
        certs = mptest.make_certs(tmp, names=("hostile.test", CONTROL_NAME))
        run_all(t, certs, tmp, sys.argv[1:])
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
