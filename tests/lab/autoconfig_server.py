#!/usr/bin/python3
"""The lab's HTTPS server for discovery: serves autoconfig files
(config-v1.1.xml) from WWW/<host>/<path>, chosen by the Host header, with the
lab's certificate. Runs inside the lab namespace; lab.sh starts and stops it.

    autoconfig_server.py ADDR WWW CERT KEY
"""
import http.server
import os
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    www = "."

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = os.path.normpath(self.path.split("?")[0]).lstrip("/")
        full = os.path.join(self.www, host, path)
        if ".." in path or not host or not os.path.isfile(full):
            self.send_error(404)
            return
        body = open(full, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def serve_https(addr, handler, cert, key):
    """Serves handler on addr:443 with TLS (cert, key) until killed; also
    the lab's token server (token_server.py)."""
    srv = http.server.ThreadingHTTPServer((addr, 443), handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.serve_forever()


def main():
    addr, www, cert, key = sys.argv[1:5]
    Handler.www = www
    serve_https(addr, Handler, cert, key)


if __name__ == "__main__":
    main()
