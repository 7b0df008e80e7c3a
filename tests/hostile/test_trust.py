#!/usr/bin/python3
"""The system CA store (no --ca-file) against a public-CA-like chain (root,
issuing CA, leaf; the server sends leaf + issuing CA) on 127.0.0.1, with the
store moved by OpenSSL's own overrides SSL_CERT_DIR (hashed directory) and
SSL_CERT_FILE (bundle), so nothing is installed system-wide (issue 16):

- root in the hashed directory only: verified, and the bundle is never read
  (it is a FIFO here: an open would show, and no writer means no data);
- root in the bundle only: verified (the whole store is consulted when the
  directory cannot verify a chain: the same trust as OpenSSL's defaults);
- root nowhere, or only a look-alike root with the same name and another
  key in the directory: tls_untrusted, exit 2;
- --ca-file with the root: verified, the system store is not read at all.
"""
import os
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import mptest  # noqa: E402

TIMEOUT = 6


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_root(folder, name, cn):
    key, pem = os.path.join(folder, name + ".key"), os.path.join(folder, name + ".pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", pem, "-days", "30", "-subj", "/CN=" + cn,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return pem, key


def make_signed(folder, name, cn, ca, ca_key, ext):
    key, csr = os.path.join(folder, name + ".key"), os.path.join(folder, name + ".csr")
    pem, extfile = os.path.join(folder, name + ".pem"), os.path.join(folder, name + ".ext")
    with open(extfile, "w") as f:
        f.write(ext)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=" + cn)
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", pem, "-days", "30", "-extfile", extfile)
    return pem, key


def make_pki(tmp):
    """A root, an issuing CA, a leaf for hostile.test, and a look-alike root
    (same name, other key). Returns paths."""
    root, root_key = make_root(tmp, "root", "mailprobe Test Public Root")
    fake, _ = make_root(tmp, "fake", "mailprobe Test Public Root")
    inter, inter_key = make_signed(tmp, "inter", "mailprobe Test Issuing CA", root, root_key,
                                   "basicConstraints=critical,CA:TRUE,pathlen:0\n"
                                   "keyUsage=critical,keyCertSign,cRLSign\n")
    leaf, leaf_key = make_signed(tmp, "leaf", "hostile.test", inter, inter_key,
                                 "subjectAltName=DNS:hostile.test,IP:127.0.0.1\n"
                                 "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    chain = os.path.join(tmp, "chain.pem")
    with open(chain, "w") as f:
        f.write(open(leaf).read() + open(inter).read())
    return {"root": root, "fake": fake, "chain": chain, "key": leaf_key}


def hashed_dir(tmp, name, certs):
    d = os.path.join(tmp, name)
    os.mkdir(d)
    for i, c in enumerate(certs):
        with open(os.path.join(d, "ca%d.pem" % i), "w") as f:
            f.write(open(c).read())
    if certs:
        openssl("rehash", d)
    return d


class WatchedBundle:
    """SSL_CERT_FILE as a FIFO: records whether mailprobe opened it and then
    feeds it the bundle's text."""

    def __init__(self, path, text):
        self.path, self.text, self.opened = path, text, False
        os.mkfifo(path)
        self.thread = threading.Thread(target=self.feed, daemon=True)
        self.thread.start()

    def feed(self):
        with open(self.path, "w") as f:  # blocks until a reader opens it
            if self.text is None:
                return
            self.opened = True
            f.write(self.text)

    def close(self):
        if self.thread.is_alive():
            self.text = None
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            self.thread.join(5)
            os.close(fd)
        os.unlink(self.path)


def probe(port, env, extra=()):
    args = ["--format", "json", "--timeout", str(TIMEOUT), *extra,
            "--endpoint", "smtp:%d:tls" % port,
            "--resolve", "hostile.test:%d:127.0.0.1" % port, "hostile.test"]
    return mptest.run(args, env=env, hang_guard=TIMEOUT + 30)


def tls_step(r):
    eps = r.endpoints()
    return r.step(eps[0], "tls") if eps else None


def case(t, tmp, port, name, dir_certs, bundle_certs, want_ok, want_read=None, extra=()):
    d = hashed_dir(tmp, name, dir_certs)
    text = "".join(open(c).read() for c in bundle_certs)
    bundle = WatchedBundle(os.path.join(tmp, name + ".bundle"), text)
    try:
        r = probe(port, {"SSL_CERT_DIR": d, "SSL_CERT_FILE": bundle.path}, extra)
    finally:
        bundle.close()
    st = tls_step(r) or {}
    t.check(r.seconds < TIMEOUT + mptest.HANG_MARGIN, name + ": ends by the deadline",
            "(%.1f s)" % r.seconds)
    if want_ok:
        t.check(r.rc == 0 and st.get("ok") is True, name + ": verified, exit 0",
                "rc=%d %s" % (r.rc, st))
    else:
        t.check(r.rc == 2 and st.get("class") == "tls_untrusted",
                name + ": tls_untrusted, exit 2", "rc=%d %s" % (r.rc, st))
    if want_read is not None:
        t.check(bundle.opened == want_read,
                name + (": bundle read" if want_read else ": bundle not read"))


def main():
    t = mptest.Counter("trust")
    with tempfile.TemporaryDirectory() as tmp:
        pki = make_pki(tmp)
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "server.py"),
                              "smtps-auth-ok", "--cert", pki["chain"], "--key", pki["key"],
                              "--lifetime", "120"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = p.stdout.readline().decode()
        try:
            if not t.check(line.startswith("PORT "), "server starts", line):
                return t.report()
            port = int(line.split()[1])
            root, fake = pki["root"], pki["fake"]
            case(t, tmp, port, "root in the directory", [fake, root], [root], True, False)
            case(t, tmp, port, "root in the bundle only", [fake], [root], True, True)
            case(t, tmp, port, "root nowhere", [fake], [fake], False, True)
            case(t, tmp, port, "empty store", [], [], False)
            case(t, tmp, port, "--ca-file", [], [fake], True, False, ("--ca-file", root))
        finally:
            p.kill()
            p.wait()
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
