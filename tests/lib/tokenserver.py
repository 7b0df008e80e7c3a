"""A small OAuth2 token server over HTTPS for the tests (issue 17): the
refresh_token grant of RFC 6749 section 6 at POST /token, and token
introspection (RFC 7662) at /introspect for servers that check tokens
(Dovecot's oauth2 passdb: POST with token=, GET with ?token=, or the token
as a Bearer header). Listens on 127.0.0.1 (or a given address) with a
test-made certificate (mptest.make_certs); counts the grants it gave, can
go down and come back on the same port, and hands out tokens with a short
expires_in when asked to.

    ts = TokenServer(certs, refresh_tokens={"1//r": "probe-client"},
                     expires_in=4)
    ts.url           # https://localhost:PORT/token
    ts.grants        # successful grants so far
    ts.down(); ts.up()
    ts.close()

Run alone it serves until killed and prints "PORT n" first:
    tokenserver.py --cert C --key K --refresh-token-file F [--expires-in S]
"""
import argparse
import http.server
import json
import ssl
import sys
import threading
import time
import urllib.parse

FORM_MAX = 65536
ACCESS_TOKEN = "ya29.hostile-Token_9"  # what tests/hostile/server.py accepts


def send_json(handler, status, obj):
    """An OAuth2 endpoint's JSON answer (RFC 6749 5.1: not to be cached),
    for this server and the lab's (tests/lab/token_server.py)."""
    body = json.dumps(obj).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Cache-Control", "no-store")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class TokenServer:
    """refresh_tokens: {refresh token: client id} the grant accepts;
    client_secret: when set, the grant must carry it; token(n): the access
    token of the n-th grant (1-based); delay: seconds each grant waits
    before it answers (so concurrent clients overlap)."""

    def __init__(self, certs, refresh_tokens, client_secret=None, expires_in=3599,
                 token=lambda n: ACCESS_TOKEN, scope=None, delay=0.0, host="127.0.0.1",
                 name="localhost", port=0, user=None):
        self.certs = certs
        self.refresh_tokens = dict(refresh_tokens)
        self.client_secret = client_secret
        self.expires_in = expires_in
        self.token = token
        self.scope = scope
        self.delay = delay
        self.host = host
        self.user = user    # introspection names it (username, email) when set
        self.lock = threading.Lock()
        self.forms = []     # every form posted to /token, parsed
        self.grants = 0     # grants answered with a token
        self.refusals = 0   # grants answered with an error
        self.issued = {}    # access token -> expiry (time.time())
        self.introspections = 0
        self.httpd = None
        self.thread = None
        self.port = port
        self.up()
        self.url = "https://%s:%d/token" % (name, self.port)
        self.introspect_url = "https://%s:%d/introspect" % (name, self.port)

    # --- the protocol -------------------------------------------------------

    def grant(self, form):
        """(HTTP status, JSON answer) for a posted token request."""
        with self.lock:
            self.forms.append(form)
        one = {k: v[0] for k, v in form.items() if len(v) == 1}
        client = self.refresh_tokens.get(one.get("refresh_token"))
        good = (one.get("grant_type") == "refresh_token" and client is not None and
                one.get("client_id") == client and
                one.get("client_secret") == self.client_secret and
                all(len(v) == 1 for v in form.values()))
        if self.scope is not None and "scope" in one and one["scope"] != self.scope:
            return 400, {"error": "invalid_scope"}
        if not good:
            with self.lock:
                self.refusals += 1
            return 400, {"error": "invalid_grant",
                         "error_description": "Token has been expired or revoked."}
        with self.lock:
            self.grants += 1
            tok = self.token(self.grants)
            self.issued[tok] = time.time() + self.expires_in
        answer = {"access_token": tok, "token_type": "Bearer", "expires_in": self.expires_in}
        if self.scope is not None:
            answer["scope"] = self.scope
        return 200, answer

    def introspect(self, tok):
        """RFC 7662: active while an issued token has not expired."""
        with self.lock:
            self.introspections += 1
            exp = self.issued.get(tok)
        if exp is None or exp < time.time():
            return 200, {"active": False}
        answer = {"active": True, "exp": int(exp), "scope": self.scope or "mail"}
        if self.user is not None:
            answer.update(username=self.user, email=self.user)
        return 200, answer

    # --- serving ------------------------------------------------------------

    def handler(self):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0") or 0)
                if n < 0 or n > FORM_MAX:
                    return self.answer(413, {"error": "invalid_request"})
                form = urllib.parse.parse_qs(self.rfile.read(n).decode("utf-8", "replace"))
                path = self.path.split("?")[0]
                if path == "/token":
                    if outer.delay:
                        time.sleep(outer.delay)
                    return self.answer(*outer.grant(form))
                if path == "/introspect":
                    return self.answer(*outer.introspect(self.bearer() or
                                                         (form.get("token") or [""])[0]))
                return self.answer(404, {"error": "not_found"})

            def do_GET(self):
                """Introspection the other ways Dovecot asks: the token in
                the query (token=) or as a Bearer header."""
                path, _, query = self.path.partition("?")
                if path != "/introspect":
                    return self.answer(404, {"error": "not_found"})
                q = urllib.parse.parse_qs(query)
                return self.answer(*outer.introspect(self.bearer() or
                                                     (q.get("token") or [""])[0]))

            def bearer(self):
                auth = self.headers.get("Authorization", "")
                return auth[7:].strip() if auth.lower().startswith("bearer ") else ""

            def answer(self, status, obj):
                send_json(self, status, obj)

            def log_message(self, *args):
                pass

        return Handler

    def up(self):
        """Listens (again, on the same port after down())."""
        if self.httpd is not None:
            return
        httpd = http.server.ThreadingHTTPServer((self.host, self.port), self.handler())
        httpd.daemon_threads = True
        httpd.timeout = 10
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.certs[1], self.certs[2])
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        self.port = httpd.server_address[1]
        self.httpd = httpd
        self.thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        self.thread.start()

    def down(self):
        """Stops listening: connections are refused until up()."""
        if self.httpd is None:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
        self.httpd = None

    def close(self):
        self.down()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--refresh-token-file", required=True)
    ap.add_argument("--client-id", default="probe-client")
    ap.add_argument("--client-secret-file")
    ap.add_argument("--expires-in", type=int, default=3599)
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=600, help="seconds, then exit")
    a = ap.parse_args()
    with open(a.refresh_token_file) as f:
        refresh = f.read().strip()
    secret = None
    if a.client_secret_file:
        with open(a.client_secret_file) as f:
            secret = f.read().strip()
    ts = TokenServer((None, a.cert, a.key), {refresh: a.client_id}, client_secret=secret,
                     expires_in=a.expires_in, host=a.listen, port=a.port)
    print("PORT %d" % ts.port, flush=True)
    time.sleep(a.lifetime)
    ts.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
