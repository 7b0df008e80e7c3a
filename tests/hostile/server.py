#!/usr/bin/python3
"""Scripted hostile mail servers for the tests: each scenario plays one peer
that no real server here can (silent, trickling, endless, binary, resetting,
TLS-breaking, STARTTLS-injecting, OAuth-only, ...).

    server.py SCENARIO --cert C --key K [--lifetime S] [--max-conns N]
              [--bind 127.0.0.1,127.0.0.2]

Listens on 127.0.0.1 (or each loopback address of --bind, on one port) on a
free port, prints "PORT <n>" and serves until the
lifetime ends (default 60 s) or max-conns connections were handled: it always
stops by itself. Every scenario is bounded in bytes and time.
"""
import argparse
import base64
import json
import os
import random
import select
import socket
import ssl
import struct
import sys
import threading
import time

CRLF = b"\r\n"


class Peer:
    """One accepted connection, plain or wrapped in TLS later."""

    def __init__(self, sock, args, stop):
        self.sock = sock
        self.args = args
        self.stop = stop
        self.buf = b""
        self.log = []

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def line(self, timeout=15):
        """One line from the client, or None on close/timeout."""
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or self.stop.is_set():
                return None
            self.sock.settimeout(min(left, 0.5))
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                continue
            except (OSError, ssl.SSLError):
                return None
            if not chunk:
                return None
            self.buf += chunk
            if len(self.buf) > 65536:
                return None
        line, _, self.buf = self.buf.partition(b"\n")
        line = line.rstrip(b"\r")
        self.log.append(line)
        if self.args.log:  # at once: the server may be killed mid-dialog
            with open(self.args.log, "ab") as f:
                f.write(line + b"\n")
        return line

    def wait_closed(self, limit=15):
        end = time.monotonic() + limit
        while time.monotonic() < end and not self.stop.is_set():
            if self.line(timeout=0.5) is None and not self.buf:
                try:
                    self.sock.settimeout(0.2)
                    if self.sock.recv(1, socket.MSG_PEEK) == b"":
                        return
                except socket.timeout:
                    continue
                except OSError:
                    return

    def sleep_until_stop(self, limit=30):
        self.stop.wait(limit)

    def starttls(self, ctx):
        self.sock.settimeout(10)
        self.sock = ctx.wrap_socket(self.sock, server_side=True)
        self.buf = b""


def tls_context(args, old=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if old:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    return ctx


# --- plain-connection scenarios -------------------------------------------

def silent(p):
    p.sleep_until_stop()


def trickle(p):
    for b in b"220 slow.example ESMTP trickling\r\n":
        if p.stop.is_set() or not p.send(bytes([b])):
            return
        time.sleep(1)


def huge_greeting(p):
    chunk = b"220 " + b"A" * 65532
    for _ in range(10 * 1024 * 1024 // len(chunk)):
        if p.stop.is_set() or not p.send(chunk):
            return


def random_bytes(p):
    rnd = random.Random(42)
    data = bytes(rnd.randrange(256) for _ in range(4096))
    p.send(b"\x00\x00" + data + CRLF)
    p.sleep_until_stop(10)


def http_server(p):
    # An HTTP server speaks only after a request: a mail client waits.
    line = p.line()
    if line is not None:
        p.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    p.sleep_until_stop(10)


def close_at_once(p):
    p.sock.close()


def reset_at_once(p):
    p.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    p.sock.close()


def smtp_ehlo_endless(p):
    p.send(b"220 endless.example ESMTP" + CRLF)
    if p.line() is None:
        return
    for i in range(200000):
        if p.stop.is_set() or not p.send(b"250-KEYWORD%d" % i + CRLF):
            return


def imap_endless_literal(p):
    p.send(b"* OK endless literal IMAP ready" + CRLF)
    line = p.line()
    if line is None:
        return
    tag = line.split(b" ")[0]
    p.send(b"* CAPABILITY {1000000000}" + CRLF)
    for _ in range(100000):
        if p.stop.is_set() or not p.send(b"X" * 8192):
            return


QUIT = {b"QUIT": b"221 bye"}


def smtp_dialog(p, banner, replies, other=b"502 5.5.2 Error: command not recognized"):
    """Plain SMTP: the banner, then each command's verb answered from
    replies (bytes, or a function of the peer returning True to end the
    dialog), every other verb with `other`. QUIT ends it."""
    p.send(banner + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        reply = replies.get(line.split(b" ")[0].upper(), other)
        if callable(reply):
            if reply(p):
                return
            continue
        p.send(reply + CRLF)
        if line.split(b" ")[0].upper() == b"QUIT":
            return


def smtp_starttls_stripped(p):
    """A middlebox that masks STARTTLS and refuses it (Cisco style)."""
    ehlo = (b"250-mail.example" + CRLF + b"250-PIPELINING" + CRLF + b"250-XXXXXXXA" + CRLF +
            b"250 AUTH PLAIN LOGIN")
    smtp_dialog(p, b"220 ****************************", {**QUIT, b"EHLO": ehlo, b"HELO": ehlo})


def smtp_starttls_inject(p):
    """STARTTLS go-ahead followed by injected bytes before the handshake."""
    def starttls(peer):
        peer.send(b"220 2.0.0 go ahead" + CRLF + b"250-injected" + CRLF + b"250 AUTH PLAIN" +
                  CRLF)
        peer.sleep_until_stop(10)
        return True

    smtp_dialog(p, b"220 inject.example ESMTP",
                {b"EHLO": b"250-inject.example" + CRLF + b"250 STARTTLS", b"STARTTLS": starttls},
                other=b"502 no")


def smtp_starttls_unsupported(p):
    smtp_dialog(p, b"220 plain.example ESMTP",
                {**QUIT, b"EHLO": b"250-plain.example" + CRLF + b"250 AUTH PLAIN"},
                other=b"502 5.5.1 unrecognized command")


def smtp_rejecting(p):
    p.send(b"554 5.7.1 no service for you" + CRLF)
    p.wait_closed(5)


def imap_on_smtp_port(p):
    p.send(b"* OK [CAPABILITY IMAP4rev1] an IMAP server" + CRLF)
    p.wait_closed(5)


# --- TLS scenarios ---------------------------------------------------------

def tls_close_in_handshake(p):
    p.sock.settimeout(5)
    try:
        p.sock.recv(4096)  # the ClientHello
    except OSError:
        pass
    p.sock.close()


def tls_plaintext_reply(p):
    p.sock.settimeout(5)
    try:
        p.sock.recv(4096)
    except OSError:
        return
    p.send(b"220 plaintext.example ESMTP" + CRLF)
    p.wait_closed(5)


def tls_old_only(p):
    try:
        p.starttls(tls_context(p.args, old=True))
    except (ssl.SSLError, OSError):
        return
    p.send(b"220 old.example ESMTP" + CRLF)
    p.wait_closed(5)


def smtps_session(p, auth_reply=None, ehlo_auth=b"AUTH PLAIN LOGIN", log_auth=False,
                  greet_after=0):
    """Implicit-TLS SMTP; AUTH answered with auth_reply (None: never);
    log_auth: one line "AUTH received" on stdout per AUTH (tests count);
    greet_after: seconds between the handshake and the greeting."""
    try:
        p.starttls(tls_context(p.args))
    except (ssl.SSLError, OSError):
        return
    if greet_after and p.stop.wait(greet_after):
        return
    p.send(b"220 tls.example ESMTP" + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        verb = line.split(b" ")[0].upper()
        if verb == b"EHLO":
            p.send(b"250-tls.example" + CRLF + b"250 " + ehlo_auth + CRLF)
        elif verb == b"AUTH":
            if log_auth:
                print("AUTH received", flush=True)
            if auth_reply is None:
                p.sleep_until_stop()
                return
            p.send(auth_reply + CRLF)
        elif verb == b"QUIT":
            p.send(b"221 bye" + CRLF)
            return
        else:
            p.send(b"250 ok" + CRLF)


def smtps_login_hang(p):
    smtps_session(p, auth_reply=None)


def smtps_ok_slow_first(p):
    """Logins succeed; on 127.0.0.1 the TLS session starts a second late, so
    another address of the same port gets to its login first."""
    if p.sock.getsockname()[0] == "127.0.0.1":
        p.stop.wait(1)
    smtps_auth_ok(p)


def smtps_oauth_only(p):
    smtps_session(p, auth_reply=b"504 5.7.4 unrecognized", ehlo_auth=b"AUTH XOAUTH2 OAUTHBEARER")


def smtps_basic_disabled(p):
    smtps_session(p, auth_reply=b"535 5.7.139 Authentication unsuccessful, basic "
                  b"authentication is disabled.")


def smtps_basic_disabled_2nd_line(p):
    """The reason on the second line of the reply, as Postfix in front of a
    SASL server that adds it writes it."""
    smtps_session(p, auth_reply=b"535-5.7.8 Error: authentication failed" + CRLF +
                  b"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.")


def smtps_auth_rejected(p):
    smtps_session(p, auth_reply=b"535 5.7.8 Error: authentication failed")


def smtps_web_login(p):
    smtps_session(p, auth_reply=b"534-5.7.9 Application-specific password required." + CRLF +
                  b"534 5.7.9 Learn more at https://support.example/answer")


def imaps_oauth_only(p):
    try:
        p.starttls(tls_context(p.args))
    except (ssl.SSLError, OSError):
        return
    p.send(b"* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER LOGINDISABLED] ready" + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        tag, _, cmd = line.partition(b" ")
        if cmd.upper().startswith(b"LOGOUT"):
            p.send(b"* BYE" + CRLF + tag + b" OK bye" + CRLF)
            return
        p.send(tag + b" BAD unsupported" + CRLF)


def imaps_basic_disabled(p):
    imaps_auth_reply(p, b"TAG NO [AUTHENTICATIONFAILED] Basic authentication is disabled",
                     caps=b"IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2")


def imaps_auth_reply(p, reply, caps=b"IMAP4rev1 AUTH=PLAIN SASL-IR", delay=0):
    """Implicit-TLS IMAP; AUTHENTICATE/LOGIN answered with reply (TAG stands
    for the command's tag) after delay seconds, then the connection is closed
    if the reply was a BYE."""
    try:
        p.starttls(tls_context(p.args))
    except (ssl.SSLError, OSError):
        return
    p.send(b"* OK [CAPABILITY " + caps + b"] ready" + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        tag, _, cmd = line.partition(b" ")
        up = cmd.upper()
        if up.startswith(b"AUTHENTICATE") or up.startswith(b"LOGIN"):
            if up == b"AUTHENTICATE PLAIN":
                p.send(b"+ " + CRLF)
                if p.line() is None:
                    return
            if delay and p.stop.wait(delay):
                return
            p.send(reply.replace(b"TAG", tag) + CRLF)
            if reply.startswith(b"* BYE"):
                return
        elif up.startswith(b"LOGOUT"):
            p.send(b"* BYE" + CRLF + tag + b" OK bye" + CRLF)
            return
        else:
            p.send(tag + b" OK done" + CRLF)


def imaps_unavailable(p):
    imaps_auth_reply(p, b"TAG NO [UNAVAILABLE] Authentication backend unavailable")


def imaps_serverbug(p):
    imaps_auth_reply(p, b"TAG NO [SERVERBUG] Internal error occurred")


def imaps_inuse(p):
    imaps_auth_reply(p, b"TAG NO [INUSE] Mailbox is locked by another session")


def imaps_bye_in_auth(p):
    imaps_auth_reply(p, b"* BYE Temporary problem, please try again later")


def pop3s_session(p, pass_reply, capa=True):
    """Implicit-TLS POP3 with USER/PASS; PASS answered with pass_reply; without
    capa, CAPA is an unknown command."""
    try:
        p.starttls(tls_context(p.args))
    except (ssl.SSLError, OSError):
        return
    p.send(b"+OK POP3 ready" + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        verb = line.split(b" ")[0].upper()
        if verb == b"CAPA":
            p.send(b"+OK" + CRLF + b"USER" + CRLF + b"." + CRLF if capa
                   else b"-ERR Invalid command." + CRLF)
        elif verb == b"USER":
            p.send(b"+OK" + CRLF)
        elif verb == b"PASS":
            p.send(pass_reply + CRLF)
        elif verb == b"QUIT":
            p.send(b"+OK bye" + CRLF)
            return
        else:
            p.send(b"-ERR Invalid command." + CRLF)


def pop3s_sys_temp(p):
    pop3s_session(p, b"-ERR [SYS/TEMP] Authentication backend unavailable")


def pop3s_in_use(p):
    pop3s_session(p, b"-ERR [IN-USE] Mailbox is locked")


def pop3s_temporary_words(p):
    pop3s_session(p, b"-ERR Temporary problem, please try again later")


def pop3s_auth_rejected(p):
    pop3s_session(p, b"-ERR [AUTH] Authentication failed.")


def pop3s_no_capa(p):
    pop3s_session(p, b"+OK logged in", capa=False)


def smtps_auth_ok(p):
    smtps_session(p, auth_reply=b"235 2.7.0 Authentication successful", log_auth=True)


def smtps_greet_late(p):
    """A working server that greets 5.5 s after the handshake (a lookup of the
    client's address that times out, or an anti-spam delay)."""
    smtps_session(p, auth_reply=b"235 2.7.0 Authentication successful", greet_after=5.5)


def imaps_slow_reject(p):
    """Courier-style: a failed login is answered after a 5 s delay."""
    imaps_auth_reply(p, b"TAG NO [AUTHENTICATIONFAILED] Authentication failed.", delay=5)


def smtps_auth_tempfail(p):
    smtps_session(p, auth_reply=b"454 4.7.0 Temporary authentication failure")


# --- OAuth2 (XOAUTH2, OAUTHBEARER with the RFC 7628 failure dialog) ------------

OAUTH_TOKEN = "ya29.hostile-Token_9"
OAUTH_USER = "probe@hostile.test"


def oauth_initial(mech):
    """The initial client response a correct client sends for mech."""
    if mech == "XOAUTH2":
        raw = "user=%s\x01auth=Bearer %s\x01\x01" % (OAUTH_USER, OAUTH_TOKEN)
    else:
        raw = "n,a=%s,\x01auth=Bearer %s\x01\x01" % (OAUTH_USER, OAUTH_TOKEN)
    return base64.b64encode(raw.encode())


def oauth_challenge(status):
    return base64.b64encode(json.dumps({
        "status": status, "scope": "https://mail.example/",
        "openid-configuration": "https://idp.example/.well-known/openid-configuration"
    }).encode())


def oauth_verdict(p, mech, resp, status, cont, ok, fail):
    """Answers the client's initial response: ok when it is right and status
    is None; else the RFC 7628 dialog: cont + challenge, the client's reply
    (%x01 in base64 for OAUTHBEARER, empty for XOAUTH2), then fail."""
    if resp != oauth_initial(mech):
        return p.send(fail + b" malformed" + CRLF)
    if status is None:
        return p.send(ok + CRLF)
    p.send(cont + oauth_challenge(status) + CRLF)
    reply = p.line()
    want = b"AQ==" if mech == "OAUTHBEARER" else b""
    if reply is None:
        return False
    return p.send(fail + (b" (client reply ok)" if reply == want else b" bad reply") + CRLF)


def tls_lines(p, banner):
    """Implicit TLS: the handshake, the banner, then each client line."""
    try:
        p.starttls(tls_context(p.args))
    except (ssl.SSLError, OSError):
        return
    p.send(banner + CRLF)
    while True:
        line = p.line()
        if line is None:
            return
        yield line


def smtps_oauth(p, status=None, mechs=b"XOAUTH2 OAUTHBEARER"):
    """Implicit-TLS SMTP offering PLAIN and mechs; AUTH of an OAuth
    mechanism with an initial response is judged by oauth_verdict."""
    for line in tls_lines(p, b"220 tls.example ESMTP"):
        words = line.split(b" ")
        verb = words[0].upper()
        if verb == b"EHLO":
            p.send(b"250-tls.example" + CRLF + b"250 AUTH PLAIN LOGIN " + mechs + CRLF)
        elif verb == b"AUTH" and len(words) == 3 and words[1].decode() in mechs.decode():
            oauth_verdict(p, words[1].decode(), words[2], status, b"334 ",
                          b"235 2.7.0 Authentication successful",
                          b"535 5.7.8 Error: authentication failed")
        elif verb == b"AUTH":
            p.send(b"504 5.7.4 unrecognized authentication type" + CRLF)
        elif verb == b"QUIT":
            p.send(b"221 bye" + CRLF)
            return
        else:
            p.send(b"250 ok" + CRLF)


def imaps_oauth(p, status=None, caps=b"IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER"):
    for line in tls_lines(p, b"* OK [CAPABILITY " + caps + b"] ready"):
        tag, _, cmd = line.partition(b" ")
        words = cmd.split(b" ")
        if words[0].upper() == b"AUTHENTICATE" and len(words) >= 2 and \
                (b"AUTH=" + words[1]) in caps:
            if len(words) == 2:
                p.send(b"+ " + CRLF)
                resp = p.line()
                if resp is None:
                    return
            else:
                resp = words[2]
            oauth_verdict(p, words[1].decode(), resp, status, b"+ ",
                          tag + b" OK [CAPABILITY IMAP4rev1] Logged in",
                          tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.")
        elif cmd.upper().startswith(b"LOGOUT"):
            p.send(b"* BYE" + CRLF + tag + b" OK bye" + CRLF)
            return
        else:
            p.send(tag + b" BAD unexpected" + CRLF)


def pop3s_oauth(p, status=None, sasl=b"PLAIN XOAUTH2 OAUTHBEARER"):
    for line in tls_lines(p, b"+OK POP3 ready"):
        words = line.split(b" ")
        verb = words[0].upper()
        if verb == b"CAPA":
            p.send(b"+OK" + CRLF + b"USER" + CRLF + b"SASL " + sasl + CRLF + b"." + CRLF)
        elif verb == b"AUTH" and len(words) == 3 and words[1] in sasl.split(b" "):
            oauth_verdict(p, words[1].decode(), words[2], status, b"+ ", b"+OK Logged in.",
                          b"-ERR [AUTH] Authentication failed.")
        elif verb == b"QUIT":
            p.send(b"+OK bye" + CRLF)
            return
        else:
            p.send(b"-ERR Invalid command." + CRLF)


OAUTH_SCENARIOS = {
    "smtps-oauth-ok": lambda p: smtps_oauth(p),
    "smtps-oauth-invalid": lambda p: smtps_oauth(p, "invalid_token"),
    "smtps-oauth-scope": lambda p: smtps_oauth(p, "insufficient_scope", mechs=b"XOAUTH2"),
    "smtps-oauth-none": lambda p: smtps_oauth(p, mechs=b"CRAM-MD5"),
    "imaps-oauth-ok": lambda p: imaps_oauth(p),
    "imaps-oauth-invalid": lambda p: imaps_oauth(
        p, "invalid_token", caps=b"IMAP4rev1 AUTH=PLAIN AUTH=OAUTHBEARER"),
    "imaps-oauth-scope": lambda p: imaps_oauth(
        p, "insufficient_scope", caps=b"IMAP4rev1 SASL-IR AUTH=XOAUTH2"),
    "pop3s-oauth-ok": lambda p: pop3s_oauth(p, sasl=b"XOAUTH2"),
    "pop3s-oauth-invalid": lambda p: pop3s_oauth(p, "invalid_token"),
    "pop3s-oauth-scope": lambda p: pop3s_oauth(p, "insufficient_scope", sasl=b"XOAUTH2"),
}


SCENARIOS = {
    "silent": (silent, False),
    "trickle": (trickle, False),
    "huge-greeting": (huge_greeting, False),
    "random-bytes": (random_bytes, False),
    "http": (http_server, False),
    "close": (close_at_once, False),
    "reset": (reset_at_once, False),
    "ehlo-endless": (smtp_ehlo_endless, False),
    "imap-endless-literal": (imap_endless_literal, False),
    "starttls-stripped": (smtp_starttls_stripped, False),
    "starttls-inject": (smtp_starttls_inject, False),
    "starttls-unsupported": (smtp_starttls_unsupported, False),
    "smtp-rejecting": (smtp_rejecting, False),
    "imap-on-smtp-port": (imap_on_smtp_port, False),
    "tls-close-in-handshake": (tls_close_in_handshake, False),
    "tls-plaintext-reply": (tls_plaintext_reply, False),
    "tls-old-only": (tls_old_only, False),
    "smtps-login-hang": (smtps_login_hang, False),
    "smtps-ok-slow-first": (smtps_ok_slow_first, False),
    "smtps-greet-late": (smtps_greet_late, False),
    "imaps-slow-reject": (imaps_slow_reject, False),
    "smtps-oauth-only": (smtps_oauth_only, False),
    "smtps-basic-disabled": (smtps_basic_disabled, False),
    "smtps-web-login": (smtps_web_login, False),
    "smtps-basic-disabled-2nd-line": (smtps_basic_disabled_2nd_line, False),
    "smtps-auth-rejected": (smtps_auth_rejected, False),
    "imaps-oauth-only": (imaps_oauth_only, False),
    "imaps-basic-disabled": (imaps_basic_disabled, False),
    "imaps-unavailable": (imaps_unavailable, False),
    "imaps-serverbug": (imaps_serverbug, False),
    "imaps-inuse": (imaps_inuse, False),
    "imaps-bye-in-auth": (imaps_bye_in_auth, False),
    "pop3s-sys-temp": (pop3s_sys_temp, False),
    "pop3s-in-use": (pop3s_in_use, False),
    "pop3s-temporary-words": (pop3s_temporary_words, False),
    "pop3s-auth-rejected": (pop3s_auth_rejected, False),
    "pop3s-no-capa": (pop3s_no_capa, False),
    "smtps-auth-tempfail": (smtps_auth_tempfail, False),
    "smtps-auth-ok": (smtps_auth_ok, False),
    **{name: (fn, False) for name, fn in OAUTH_SCENARIOS.items()},
}


def listeners(addrs, port):
    """One listening socket per loopback address, all on one port (a free
    one when port is 0)."""
    socks = []
    for a in addrs:
        if not a.startswith("127."):
            raise SystemExit("--bind takes loopback addresses only")
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((a, port or 0))
        ls.listen(64)
        port = ls.getsockname()[1]
        socks.append(ls)
    return socks, port


def serve(args):
    fn, _ = SCENARIOS[args.scenario]
    stop = threading.Event()
    socks, port = listeners(args.bind.split(",") if args.bind else ["127.0.0.1"], args.port)
    print("PORT %d" % port, flush=True)
    end = time.monotonic() + args.lifetime
    handled = 0
    threads = []
    while time.monotonic() < end and handled < args.max_conns:
        ready, _, _ = select.select(socks, [], [], 0.2)
        for ls in ready:
            try:
                s, _ = ls.accept()
            except OSError:
                continue
            handled += 1
            peer = Peer(s, args, stop)
            t = threading.Thread(target=run_peer, args=(fn, peer), daemon=True)
            t.start()
            threads.append(t)
    stop.set()
    for t in threads:
        t.join(2)
    for ls in socks:
        ls.close()


def run_peer(fn, peer):
    try:
        fn(peer)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            peer.sock.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--max-conns", type=int, default=50)
    ap.add_argument("--log", help="append every line the client sent to this file")
    ap.add_argument("--bind", help="comma-separated loopback addresses (default 127.0.0.1)")
    serve(ap.parse_args())


if __name__ == "__main__":
    main()
