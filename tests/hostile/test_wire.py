#!/usr/bin/python3
"""What mailprobe puts on the wire and in its output, against scripted
servers on 127.0.0.1 (issue 12 items 9, 14 and 15):

- the password is masked in every form the client sends it (AUTH PLAIN and
  AUTH LOGIN base64, POP3 PASS, IMAP quoted) and a server reply that echoes
  it in any of those forms is withheld whole, in JSON, --trace and --report;
- server words are never masked by password match (a password equal to a
  greeting word must not show as "220 *** ESMTP");
- --redact-user also hides the user name in its base64 form (AUTH LOGIN);
- every TLS connection ends with the client's close_notify;
- 1,000 chained IMAP literals end with a class and a message.
"""
import base64
import json
import os
import socket
import ssl
import sys
import tempfile
import threading
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import mptest  # noqa: E402
from server import CRLF, Peer  # noqa: E402

TIMEOUT = 3.0
USER = "probe@wire.test"
GREETING_WORD = "Wire7pw"


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


class Server:
    """A scripted server in a thread: handler(peer) for each connection,
    TLS from the first byte when tls. Records how each TLS session ended
    ("close_notify", "eof", "timeout") in self.ends. Stops after lifetime
    seconds or on stop()."""

    def __init__(self, handler, certs, tls, lifetime=30):
        self.handler, self.tls, self.ends, self.literals = handler, tls, [], []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(certs[1], certs[2])
        self.args = types.SimpleNamespace(cert=certs[1], key=certs[2], log=None)
        self.stop_ev = threading.Event()
        self.ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(8)
        self.ls.settimeout(0.2)
        self.port = self.ls.getsockname()[1]
        self.end = time.monotonic() + lifetime
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while time.monotonic() < self.end and not self.stop_ev.is_set():
            try:
                s, _ = self.ls.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self.one, args=(s,), daemon=True).start()
        self.ls.close()

    def one(self, s):
        p = Peer(s, self.args, self.stop_ev)
        p.server, p.literals = self, self.literals
        try:
            if self.tls:
                self.wrap(p)
            self.handler(p)
        except (OSError, ssl.SSLError):
            pass
        finally:
            s.close()

    def wrap(self, p):
        """TLS on p's socket, keeping a ragged EOF apart from close_notify."""
        p.sock.settimeout(10)
        p.sock = self.ctx.wrap_socket(p.sock, server_side=True, suppress_ragged_eofs=False)
        p.buf = b""

    def record_end(self, p):
        """After the last reply: how did the client end the TLS session?"""
        p.sock.settimeout(5)
        try:
            while p.sock.recv(4096) != b"":
                pass
            self.ends.append("close_notify")
        except ssl.SSLZeroReturnError:
            self.ends.append("close_notify")
        except socket.timeout:
            self.ends.append("timeout")
        except (ssl.SSLError, OSError):
            self.ends.append("eof")

    def stop(self):
        self.stop_ev.set()
        self.thread.join(5)


def client_lines(p):
    """The client's lines with their verbs, until it closes or goes quiet."""
    while True:
        line = p.line(timeout=10)
        if line is None:
            return
        yield line, line.split(b" ")[0].upper()


def smtp_server(greeting, mechanism, auth_reply, starttls=False):
    """SMTP: EHLO offers AUTH mechanism; AUTH (PLAIN or the two LOGIN
    lines) is answered by auth_reply(client lines); QUIT ends the session
    (and records its TLS end)."""
    def handler(p):
        p.send(greeting.encode() + CRLF)
        for line, verb in client_lines(p):
            if verb == b"EHLO":
                last = b"STARTTLS" if starttls and not p.tls_up else b"AUTH " + mechanism
                p.send(b"250-mx.wire.test" + CRLF + b"250 " + last + CRLF)
            elif verb == b"STARTTLS":
                p.send(b"220 go ahead" + CRLF)
                p.server.wrap(p)
                p.tls_up = True
            elif verb == b"AUTH":
                sent = [line]
                if mechanism == b"LOGIN":
                    for prompt in (b"334 VXNlcm5hbWU6", b"334 UGFzc3dvcmQ6"):
                        p.send(prompt + CRLF)
                        sent.append(p.line(timeout=10) or b"")
                p.send(auth_reply(sent) + CRLF)
            elif verb == b"QUIT":
                p.send(b"221 bye" + CRLF)
                if p.tls_up or p.server.tls:
                    p.server.record_end(p)
                return
            else:
                p.send(b"250 ok" + CRLF)

    def start(p):
        p.tls_up = False
        handler(p)
    return start


def imap_server(caps, login_reply):
    """IMAP: the greeting carries caps; LOGIN/AUTHENTICATE is answered by
    login_reply(tag, line); LOGOUT ends the session."""
    def handler(p):
        p.send(b"* OK [CAPABILITY " + caps + b"] wire.test ready" + CRLF)
        for line, _ in client_lines(p):
            tag, _, cmd = line.partition(b" ")
            up = cmd.upper()
            if up.startswith(b"LOGIN") or up.startswith(b"AUTHENTICATE"):
                if line.endswith(b"}"):  # a literal follows: ask for it
                    p.send(b"+ go ahead" + CRLF)
                    p.literals.append(p.line(timeout=10) or b"")
                    line += p.literals[-1]
                p.send(login_reply(tag, line) + CRLF)
            elif up.startswith(b"LOGOUT"):
                p.send(b"* BYE" + CRLF + tag + b" OK bye" + CRLF)
                p.server.record_end(p)
                return
            else:
                p.send(tag + b" OK done" + CRLF)
    return handler


def pop3_server(pass_reply):
    def handler(p):
        p.send(b"+OK POP3 ready" + CRLF)
        for line, verb in client_lines(p):
            if verb == b"CAPA":
                p.send(b"+OK" + CRLF + b"USER" + CRLF + b"." + CRLF)
            elif verb == b"USER":
                p.send(b"+OK" + CRLF)
            elif verb == b"PASS":
                p.send(pass_reply(line) + CRLF)
            elif verb == b"QUIT":
                p.send(b"+OK bye" + CRLF)
                p.server.record_end(p)
                return
            else:
                p.send(b"-ERR Invalid command." + CRLF)
    return handler


def imap_chained_literals(p):
    """The capability response chains 1,001 one-byte literals."""
    p.send(b"* OK chained literals ready" + CRLF)
    line = p.line(timeout=10)
    if line is None:
        return
    p.send(b"* CAPABILITY {1}" + CRLF + (b"X {1}" + CRLF) * 1001 + b"X" + CRLF)
    p.wait_closed(10)


class Case:
    def __init__(self, t, certs, tmp):
        self.t, self.certs, self.tmp = t, certs, tmp

    def probe(self, server, endpoint, password, extra=()):
        """mailprobe against server: JSON, then text with --trace and a
        --report; returns (json result, trace text, report text)."""
        report = os.path.join(self.tmp, "report-%d.md" % server.port)
        base = ["--timeout", str(TIMEOUT), "--ca-file", self.certs[0], "--user", USER,
                "--endpoint", endpoint % server.port,
                "--resolve", "wire.test:%d:127.0.0.1" % server.port] + list(extra)
        env = {"MAILPROBE_PASSWORD": password}
        j = mptest.run(["--format", "json"] + base + ["wire.test"], env=env,
                       hang_guard=TIMEOUT + 30)
        tr = mptest.run(["--trace", "--report", report] + base + ["wire.test"], env=env,
                        hang_guard=TIMEOUT + 30)
        rep = open(report, encoding="utf-8", errors="replace").read() \
            if os.path.exists(report) else ""
        for r in (j, tr):
            self.t.check(r.seconds < TIMEOUT + mptest.HANG_MARGIN, "ends by the deadline",
                         "(%.1f s)" % r.seconds)
        return j, tr.out + tr.err, rep

    def probe_anonymous(self, server, endpoint):
        """mailprobe --format json without credentials; server is stopped."""
        try:
            return mptest.run(["--format", "json", "--timeout", str(TIMEOUT), "--ca-file",
                               self.certs[0], "--endpoint", endpoint % server.port,
                               "--resolve", "wire.test:%d:127.0.0.1" % server.port, "wire.test"],
                              hang_guard=TIMEOUT + 30)
        finally:
            server.stop()

    def no_leak(self, label, password, outputs):
        """Checks that no form of password shows in any named output."""
        for name, text in outputs:
            leaked = [f for f in forms(password) if f in text]
            self.t.check(not leaked, "%s: no password form in %s" % (label, name), str(leaked))

    def step(self, r, name):
        eps = r.endpoints()
        return (r.step(eps[0], name) or {}) if eps else {}


def forms(password, user=USER):
    """The password in each form a client sends it, and each of those as
    output shows it (escaped \\ as \\x5c, then JSON-escaped)."""
    quoted = password.replace("\\", "\\\\").replace('"', '\\"')
    out = []
    for f in (password, b64(password), b64("\0%s\0%s" % (user, password)), quoted):
        esc = "".join(c if 0x20 <= ord(c) < 0x7f and c != "\\" else
                      "".join("\\x%02x" % b for b in c.encode()) for c in f)
        out += [f, esc, json.dumps(f)[1:-1], json.dumps(esc)[1:-1]]
    return out


def test_greeting_word(c):
    """A password equal to a greeting word: the greeting is shown as the
    server sent it, never with *** in place of that word."""
    srv = Server(smtp_server("220 mx.wire.test ESMTP " + GREETING_WORD, b"PLAIN",
                             lambda sent: b"235 2.7.0 ok"), c.certs, tls=True)
    try:
        j, trace, rep = c.probe(srv, "smtp:%d:tls", GREETING_WORD)
    finally:
        srv.stop()
    want = "220 mx.wire.test ESMTP " + GREETING_WORD
    c.t.check(c.step(j, "greeting").get("message") == want, "greeting word: JSON message as sent",
              str(c.step(j, "greeting").get("message")))
    c.t.check("S: " + want in trace, "greeting word: --trace line as sent")
    c.t.check("ESMTP ***" not in j.out + trace + rep, "greeting word: no *** in server words")
    c.t.check(c.step(j, "login").get("ok") is True, "greeting word: login ok")


def test_auth_login_echo(c):
    """AUTH LOGIN: the password line is ***; a 535 echoing the password as
    sent (base64) and decoded is withheld; --redact-user hides the base64
    user name too."""
    pw = "Echo-Pw-4711"

    def reply(sent):
        return b"535 5.7.8 rejected " + sent[-1] + b" (" + pw.encode() + b")"
    srv = Server(smtp_server("220 mx.wire.test ESMTP", b"LOGIN", reply), c.certs, tls=True)
    try:
        j, trace, rep = c.probe(srv, "smtp:%d:tls", pw)
        jr, trace_r, rep_r = c.probe(srv, "smtp:%d:tls", pw, ["--redact-user"])
    finally:
        srv.stop()
    login = c.step(j, "login")
    c.t.check(login.get("class") == "auth_failed", "auth login: auth_failed", str(login))
    c.t.check("withheld" in login.get("message", ""), "auth login: echoing reply withheld",
              login.get("message", ""))
    c.no_leak("auth login", pw, (("json", j.out), ("trace", trace), ("report", rep),
                                 ("redacted json", jr.out), ("redacted trace", trace_r),
                                 ("redacted report", rep_r)))
    c.t.check("C: " + b64(USER) in trace and "C: ***" in trace,
              "auth login: trace shows the base64 user and *** for the password")
    for name, text in (("json", jr.out), ("trace", trace_r), ("report", rep_r)):
        c.t.check(b64(USER) not in text and USER not in text,
                  "redact-user: no user name (plain or base64) in " + name)


def test_auth_plain_echo(c):
    """AUTH PLAIN: a reply echoing the SASL PLAIN blob is withheld."""
    pw = "Plain-Pw-0815"
    srv = Server(smtp_server("220 mx.wire.test ESMTP", b"PLAIN",
                             lambda sent: b"535 5.7.8 bad " + sent[0].split(b" ")[-1]),
                 c.certs, tls=True)
    try:
        j, trace, rep = c.probe(srv, "smtp:%d:tls", pw)
    finally:
        srv.stop()
    c.no_leak("auth plain", pw, (("json", j.out), ("trace", trace), ("report", rep)))
    c.t.check("C: AUTH PLAIN ***" in trace, "auth plain: trace shows AUTH PLAIN ***")
    c.t.check(srv.ends == ["close_notify", "close_notify"],
              "smtps: close_notify before closing", str(srv.ends))


def imap_echo_probe(c, pw):
    """An IMAP server without AUTH=PLAIN whose NO echoes the password as it
    came; returns (json result, trace, report, server)."""
    def reply(tag, line):
        return tag + b" NO [AUTHENTICATIONFAILED] bad: " + line.split(b" ", 3)[-1]
    srv = Server(imap_server(b"IMAP4rev1", reply), c.certs, tls=True)
    try:
        return c.probe(srv, "imap:%d:tls", pw) + (srv,)
    finally:
        srv.stop()


def test_imap_quoted_echo(c):
    """IMAP LOGIN with a password that needs quoting: the client line shows
    ***, a NO echoing the quoted form is withheld."""
    pw = 'Qu"ot\\ed-9'
    j, trace, rep, srv = imap_echo_probe(c, pw)
    login = c.step(j, "login")
    c.t.check(login.get("mechanism") == "LOGIN" and login.get("class") == "auth_failed",
              "imap quoted: LOGIN rejected", str(login))
    c.t.check('LOGIN "%s" ***' % USER in trace, "imap quoted: client line masked")
    c.no_leak("imap quoted", pw, (("json", j.out), ("trace", trace), ("report", rep)))
    c.t.check(srv.ends == ["close_notify", "close_notify"],
              "imaps: close_notify before closing", str(srv.ends))


def test_imap_literal_echo(c):
    """IMAP LOGIN with an 8-bit password: sent as a literal (a quoted string
    is 7-bit), neither it nor its length in the transcript; an echo of it
    is withheld."""
    pw = "P\u00e4sswort-8"
    j, trace, rep, srv = imap_echo_probe(c, pw)
    c.t.check(srv.literals[:1] == [pw.encode()], "imap literal: the server got the password",
              str(srv.literals))
    c.t.check(c.step(j, "login").get("class") == "auth_failed", "imap literal: auth_failed")
    c.t.check('LOGIN "%s" {***}' % USER in trace and "{%d}" % len(pw.encode()) not in trace,
              "imap literal: neither length nor password in the client line")
    c.no_leak("imap literal", pw, (("json", j.out), ("trace", trace), ("report", rep)))


def test_pop3_pass_echo(c):
    pw = "Pop-Pw-31337"
    srv = Server(pop3_server(lambda line: b"-ERR [AUTH] wrong password " + line[5:]),
                 c.certs, tls=True)
    try:
        j, trace, rep = c.probe(srv, "pop3:%d:tls", pw)
    finally:
        srv.stop()
    c.t.check(c.step(j, "login").get("class") == "auth_failed", "pop3: auth_failed")
    c.t.check("C: PASS ***" in trace, "pop3: PASS ***")
    for name, text in (("json", j.out), ("trace", trace), ("report", rep)):
        c.t.check(pw not in text, "pop3: no password in " + name)
    c.t.check(srv.ends == ["close_notify", "close_notify"],
              "pop3s: close_notify before closing", str(srv.ends))


def test_starttls_close_notify(c):
    """STARTTLS without credentials: the upgraded session ends with
    close_notify too."""
    srv = Server(smtp_server("220 mx.wire.test ESMTP", b"PLAIN", lambda sent: b"235 ok",
                             starttls=True), c.certs, tls=False)
    r = c.probe_anonymous(srv, "smtp:%d:starttls")
    c.t.check(r.rc == 0, "starttls: probe ok", "rc=%d %s" % (r.rc, r.err[-200:]))
    c.t.check(srv.ends == ["close_notify"], "starttls: close_notify before closing",
              str(srv.ends))


def test_chained_literals(c):
    r = c.probe_anonymous(Server(imap_chained_literals, c.certs, tls=False),
                          "imap:%d:starttls")
    eps = r.endpoints()
    failed = r.failed_step(eps[0]) if eps else None
    c.t.check(failed is not None and failed.get("class") == "line_too_long",
              "chained literals: line_too_long", str(failed))
    c.t.check("chained more than 1000 literals" in (failed or {}).get("message", ""),
              "chained literals: the class has a message", str(failed))


def main():
    t = mptest.Counter("wire")
    only = sys.argv[1:]
    tests = [test_greeting_word, test_auth_login_echo, test_auth_plain_echo,
             test_imap_quoted_echo, test_imap_literal_echo, test_pop3_pass_echo, test_starttls_close_notify,
             test_chained_literals]
    with tempfile.TemporaryDirectory() as tmp:
        c = Case(t, mptest.make_certs(tmp, names=("wire.test",)), tmp)
        for fn in tests:
            if only and fn.__name__ not in only:
                continue
            try:
                fn(c)
            except Exception as e:  # a crashed test is a failure, not a crash
                t.check(False, fn.__name__ + " raised", repr(e))
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
