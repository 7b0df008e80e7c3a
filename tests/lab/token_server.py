#!/usr/bin/python3
"""The lab's OAuth2 token server (HTTPS, the lab CA's certificate), for the
OAuth Dovecot instance (tests/lab/oauth.sh) and mailprobe's refresh grant:

  POST /introspect   RFC 7662 (form token=...): {"active": true, "username",
                     "scope", "exp", "client_id"} or {"active": false}
  POST /token        RFC 6749 refresh_token grant (grant_type, refresh_token,
                     client_id, client_secret when the client has one):
                     a new access token with the refresh token's user, scope
                     and lifetime; errors invalid_request, invalid_client,
                     invalid_grant, unsupported_grant_type

Tokens come from STATE/tokens.json, read again whenever it changes (tests
write it with a rename):
  {"access":  {"TOKEN": {"user": U, "scope": S, "exp": EPOCH}},
   "refresh": {"TOKEN": {"user": U, "scope": S, "lifetime": SECONDS,
                         "client_id": ID, "client_secret": SECRET or absent}}}
Access tokens a grant issued live in memory until the server stops.
STATE/requests.log gets one line per request (endpoint, outcome, user; never
a token or secret), which tests count.

    token_server.py ADDR CERT KEY STATE
"""
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

from autoconfig_server import serve_https

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tokenserver import send_json  # noqa: E402

BODY_MAX = 16 * 1024


class Store:
    def __init__(self, folder):
        self.path = os.path.join(folder, "tokens.json")
        self.log_path = os.path.join(folder, "requests.log")
        self.lock = threading.Lock()
        self.stamp = None
        self.data = {"access": {}, "refresh": {}}
        self.issued = {}

    def _load(self):
        try:
            st = os.stat(self.path)
        except OSError:
            return
        stamp = (st.st_mtime_ns, st.st_ino, st.st_size)
        if stamp == self.stamp:
            return
        try:
            with open(self.path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            return
        self.data = {"access": data.get("access", {}), "refresh": data.get("refresh", {})}
        self.stamp = stamp

    def access(self, token):
        with self.lock:
            self._load()
            return self.issued.get(token) or self.data["access"].get(token)

    def refresh(self, token):
        with self.lock:
            self._load()
            return self.data["refresh"].get(token)

    def issue(self, user, scope, lifetime):
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.issued[token] = {"user": user, "scope": scope, "exp": int(time.time()) + lifetime}
        return token

    def log(self, line):
        with self.lock, open(self.log_path, "a") as f:
            f.write("%d %s\n" % (int(time.time()), line))


class Handler(http.server.BaseHTTPRequestHandler):
    store = None
    protocol_version = "HTTP/1.1"

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > BODY_MAX:
            return None
        body = self.rfile.read(n).decode("utf-8", "replace")
        return {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}

    def answer(self, status, obj):
        send_json(self, status, obj)

    def do_POST(self):
        f = self.form()
        if f is None:
            self.store.log("%s too_large" % self.path)
            return self.answer(413, {"error": "invalid_request"})
        if self.path == "/introspect":
            return self.introspect(f)
        if self.path == "/token":
            return self.grant(f)
        self.store.log("%s not_found" % self.path)
        return self.answer(404, {"error": "not_found"})

    def introspect(self, f):
        t = self.store.access(f.get("token", ""))
        if t is None or t["exp"] <= time.time():
            self.store.log("introspect inactive %s" % ("expired" if t else "unknown"))
            return self.answer(200, {"active": False})
        self.store.log("introspect active user=%s scope=%s" % (t["user"], t["scope"]))
        return self.answer(200, {"active": True, "username": t["user"], "scope": t["scope"],
                                 "exp": t["exp"], "token_type": "Bearer",
                                 "client_id": "mailprobe-lab"})

    def grant(self, f):
        if f.get("grant_type") != "refresh_token":
            self.store.log("grant unsupported_grant_type")
            return self.answer(400, {"error": "unsupported_grant_type"})
        r = self.store.refresh(f.get("refresh_token", ""))
        if r is None:
            self.store.log("grant invalid_grant")
            return self.answer(400, {"error": "invalid_grant",
                                     "error_description": "unknown or revoked refresh token"})
        if f.get("client_id") != r["client_id"] or \
                f.get("client_secret") != r.get("client_secret"):
            self.store.log("grant invalid_client client_id=%s" % f.get("client_id", ""))
            return self.answer(401, {"error": "invalid_client"})
        token = self.store.issue(r["user"], r["scope"], r["lifetime"])
        self.store.log("grant ok client_id=%s user=%s" % (r["client_id"], r["user"]))
        return self.answer(200, {"access_token": token, "token_type": "Bearer",
                                 "expires_in": r["lifetime"], "scope": r["scope"]})

    def log_message(self, fmt, *args):
        pass


def main():
    addr, cert, key, state = sys.argv[1:5]
    Handler.store = Store(state)
    serve_https(addr, Handler, cert, key)


if __name__ == "__main__":
    main()
