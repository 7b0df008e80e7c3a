#!/usr/bin/python3
"""Invisible and bidirectional control characters from a server (issue 12
item 10): a scripted SMTPS server whose certificate subject, greeting,
EHLO and AUTH replies carry U+202E (right-to-left override) and friends.
Every output format (text, JSON, Nagios, Prometheus, --trace, reports md,
html and txt) must show them escaped ("<U+202E>"), never pass them through.

Runs alone (prints "N passed, N failed") and from test_hostile.py.
"""
import os
import socket
import ssl
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

PASSWORD = "bidi-secret-Pw5"
TIMEOUT = 3.0
RLO = "\u202e"
# What the server says: every kind of invisible format character.
HOSTILE = "\u202e\u2066\u200f\u200b\u061c\ufeff\u2028"
# The code points no output may carry.
FORBIDDEN = [chr(c) for c in list(range(0x200b, 0x2010)) + list(range(0x2028, 0x202f)) +
             list(range(0x2060, 0x2070)) + [0x061c, 0xfeff]]
REPLIES = {
    b"EHLO": ("250-hostile.test %s\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n" % RLO),
    b"AUTH": "535 5.7.8 %scredentials invalid%s\r\n" % (RLO, HOSTILE),
    b"QUIT": "221 2.0.0 bye %s\r\n" % RLO,
}


class Server:
    """SMTPS on 127.0.0.1: one session per connection, each line bounded."""

    def __init__(self, cert, key):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        try:
            conn.settimeout(TIMEOUT + 2)
            s = self.ctx.wrap_socket(conn, server_side=True)
            s.sendall(("220 hostile.test %sESMTP%s ready\r\n" % (RLO, HOSTILE)).encode())
            f = s.makefile("rb")
            for _ in range(20):
                line = f.readline(4096)
                if not line:
                    break
                verb = line.split(b" ")[0].strip().upper()
                s.sendall(REPLIES.get(verb, "502 5.5.2 %s\r\n" % RLO).encode())
                if verb == b"QUIT":
                    break
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def raw_controls(text):
    return sorted({"U+%04X" % ord(c) for c in text if c in FORBIDDEN})


def escaped(text):
    """The override is there in a visible form: checks/ writes a server's
    non-ASCII bytes as \\xNN, the renderers code points as <U+202E>."""
    return "<U+202E>" in text or "\\xe2\\x80\\xae" in text


def run_all(t, tmp):
    folder = os.path.join(tmp, "bidi")  # its own CA and leaf beside the caller's
    os.makedirs(folder, exist_ok=True)
    certs = mptest.make_certs(folder, names=("hostile.test",), org="evil %sgpj.exe" % RLO)
    server = Server(certs[1], certs[2])
    base = ["--user", "probe@hostile.test", "--timeout", str(TIMEOUT), "--ca-file", certs[0],
            "--endpoint", "smtp:%d:tls" % server.port,
            "--resolve", "hostile.test:%d:127.0.0.1" % server.port]
    env = {"MAILPROBE_PASSWORD": PASSWORD}
    runs = [("text", ["--format", "text", "--trace"]), ("json", ["--format", "json"]),
            ("nagios", ["--format", "nagios"]), ("prometheus", ["--format", "prometheus"])]
    reports = {ext: os.path.join(folder, "report." + ext) for ext in ("md", "html", "txt")}
    try:
        results = {}
        for name, args in runs:
            results[name] = mptest.run(base + args + ["hostile.test"], env=env,
                                       hang_guard=TIMEOUT + 30)
        for ext, path in reports.items():
            results["report " + ext] = mptest.run(
                base + ["--format", "json", "--report", path, "hostile.test"], env=env,
                hang_guard=TIMEOUT + 30)
    finally:
        server.close()
    for name, r in results.items():
        text = r.out + r.err
        if name.startswith("report "):
            path = reports[name.split()[1]]
            text = open(path, encoding="utf-8", errors="replace").read() \
                if os.path.exists(path) else ""
            t.check(text != "", "bidi: %s written" % name)
        t.check(raw_controls(text) == [], "bidi: %s passes no format character through" % name,
                str(raw_controls(text)))
        t.check(PASSWORD not in r.out + r.err, "bidi: %s shows no password" % name)
    j = results["json"].json or {}
    ep = (j.get("endpoints") or [{}])[0]
    steps = {s["step"]: s for s in ep.get("steps", [])}
    subject = ((steps.get("tls") or {}).get("cert") or {}).get("subject", "")
    t.check("<U+202E>" in subject, "bidi: JSON certificate subject escaped", subject)
    for step, word in (("greeting", "ESMTP"), ("login", "credentials")):
        msg = (steps.get(step) or {}).get("message", "")
        t.check(word in msg and escaped(msg), "bidi: JSON %s reply escaped" % step, msg)
    text = results["text"].out
    t.check("<U+202E>" in text and "S: 220 hostile.test" in text and escaped(text),
            "bidi: text and --trace show the escapes", text[-400:])
    html = open(reports["html"], encoding="utf-8").read() if os.path.exists(reports["html"]) \
        else ""
    t.check("&lt;U+202E&gt;" in html or "<U+202E>" not in html and "U+202E" in html,
            "bidi: the HTML report shows the escape as text")


def main():
    t = mptest.Counter("bidi")
    with tempfile.TemporaryDirectory() as tmp:
        run_all(t, tmp)
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
