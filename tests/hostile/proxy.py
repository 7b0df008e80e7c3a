#!/usr/bin/python3
"""Hostile middleboxes in front of a real server, for the diagnosis tests.

    proxy.py MODE --upstream HOST:PORT [--cert C --key K] [--log F]

MODE:
  strip-starttls   SMTP: rewrites the STARTTLS keyword of EHLO replies to
                   XXXXXXXA and answers the STARTTLS command 502 itself (what
                   "ESMTP inspection" firewalls do)
  drop-starttls    SMTP: removes the STARTTLS line and answers 502
  intercept-tls    terminates TLS with its own certificate (C/K, from its own
                   CA) and relays to the upstream over TLS (what antivirus
                   "mail shields" and intercepting firewalls do)

Listens on 127.0.0.1 (a free port, printed as "PORT n"), logs every byte the
client sent to F, and stops by itself after --lifetime seconds or
--max-conns connections.
"""
import argparse
import select
import socket
import ssl
import threading
import time

CRLF = b"\r\n"


def log_bytes(args, data):
    if args.log and data:
        with open(args.log, "ab") as f:
            f.write(data)


def rewrite_ehlo_line(line, mode):
    body = line[4:].strip().upper()
    if body == b"STARTTLS":
        if mode == "drop-starttls":
            return None
        return line[:4] + b"XXXXXXXA"
    return line


def fix_continuations(lines):
    """After dropping a line, the last line of a reply must end with a space."""
    out = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if len(line) >= 4 and line[3:4] in (b"-", b" "):
            line = line[:3] + (b" " if last else b"-") + line[4:]
        out.append(line)
    return out


class SmtpStripper:
    """A line relay that edits the SMTP dialogue before TLS."""

    def __init__(self, client, upstream, args):
        self.c = client
        self.u = upstream
        self.args = args
        self.cbuf = b""
        self.ubuf = b""
        self.pending = []  # server reply lines being collected

    def run(self, limit):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            r, _, _ = select.select([self.c, self.u], [], [], 0.5)
            for s in r:
                data = s.recv(4096)
                if not data:
                    return
                if s is self.c:
                    log_bytes(self.args, data)
                    self.from_client(data)
                else:
                    self.from_server(data)

    def from_client(self, data):
        self.cbuf += data
        while b"\n" in self.cbuf:
            line, _, self.cbuf = self.cbuf.partition(b"\n")
            if line.strip().upper() == b"STARTTLS":
                self.c.sendall(b"502 5.5.2 Error: command not recognized" + CRLF)
            else:
                self.u.sendall(line + b"\n")

    def from_server(self, data):
        self.ubuf += data
        while b"\n" in self.ubuf:
            line, _, self.ubuf = self.ubuf.partition(b"\n")
            line = line.rstrip(b"\r")
            edited = rewrite_ehlo_line(line, self.args.mode)
            if edited is not None:
                self.pending.append(edited)
            if len(line) < 4 or line[3:4] != b"-":
                self.c.sendall(b"".join(l + CRLF for l in fix_continuations(self.pending)))
                self.pending = []


def relay(a, b, args, limit):
    """Copies bytes both ways until one side closes or the limit."""
    end = time.monotonic() + limit
    socks = [a, b]
    while time.monotonic() < end:
        r, _, _ = select.select(socks, [], [], 0.5)
        for s in r:
            try:
                data = s.recv(16384)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            if not data:
                return
            if s is a:
                log_bytes(args, data)
            (b if s is a else a).sendall(data)


def handle(client, args):
    host, port = args.upstream.rsplit(":", 1)
    try:
        up = socket.create_connection((host, int(port)), timeout=5)
        if args.mode == "intercept-tls":
            sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            sctx.load_cert_chain(args.cert, args.key)
            client.settimeout(5)
            client = sctx.wrap_socket(client, server_side=True)
            uctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            uctx.check_hostname = False
            uctx.verify_mode = ssl.CERT_NONE
            up = uctx.wrap_socket(up, server_hostname=host)
            relay(client, up, args, args.lifetime)
        else:
            SmtpStripper(client, up, args).run(args.lifetime)
    except (OSError, ssl.SSLError):
        pass
    finally:
        for s in (client,):
            try:
                s.close()
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["strip-starttls", "drop-starttls", "intercept-tls"])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--max-conns", type=int, default=20)
    args = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    ls.settimeout(0.2)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    end = time.monotonic() + args.lifetime
    n = 0
    while time.monotonic() < end and n < args.max_conns:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        n += 1
        threading.Thread(target=handle, args=(c, args), daemon=True).start()
    ls.close()


if __name__ == "__main__":
    main()
