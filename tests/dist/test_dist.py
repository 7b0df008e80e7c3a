#!/usr/bin/python3
"""make dist: the artefacts exist with the version of checks/version.h in
their names, SHA256SUMS verifies them, the Windows zip holds the exe (a
PE32+ x86-64 file), the customers' README.txt and LIESMICH.txt with CRLF
line ends and the licence texts of what is linked in, the Linux tarball
holds both programs stripped and the man pages, and the source tarball
builds a mailprobe that prints that version. Ends with "N passed, N
failed"."""
import os
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import mptest  # noqa: E402

T = mptest.Counter("dist")
DIST = os.path.join(ROOT, "dist")
WIN = "mailprobe-windows-x86_64"
LICENSES = ["OpenSSL", "Apache-2.0", "expat", "cJSON", "mingw-w64-runtime-and-winpthreads",
            "gcc-runtime-libgcc"]


def version():
    with open(os.path.join(ROOT, "checks", "version.h")) as f:
        return re.search(r'#define MAILPROBE_VERSION "([^"]+)"', f.read()).group(1)


def run(cmd, cwd=ROOT, limit=1800):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=limit)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def test_sums(v):
    names = ["mailprobe-%s.tar.gz" % v, "mailprobe-%s-linux-x86_64.tar.gz" % v, WIN + ".zip"]
    for n in names + ["SHA256SUMS"]:
        T.check(os.path.isfile(os.path.join(DIST, n)), "dist/%s exists" % n)
    rc, out = run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=DIST)
    T.check(rc == 0 and out.count(": OK") == 3, "SHA256SUMS verifies all three", out)
    with open(os.path.join(DIST, "SHA256SUMS")) as f:
        listed = sorted(line.split()[1] for line in f if line.strip())
    T.check(listed == sorted(names), "SHA256SUMS names exactly the artefacts", listed)


def crlf_only(data):
    return b"\n" in data and data.count(b"\n") == data.count(b"\r\n")


def test_zip():
    path = os.path.join(DIST, WIN + ".zip")
    if not T.check(zipfile.is_zipfile(path), "the Windows zip is a zip file"):
        return
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        T.check(z.testzip() is None, "the zip's CRCs are right")
        exe = z.read(WIN + "/mailprobe.exe") if WIN + "/mailprobe.exe" in names else b""
        T.check(exe[:2] == b"MZ", "the zip holds mailprobe.exe", sorted(names)[:10])
        if len(exe) > 0x40:
            pe = struct.unpack_from("<I", exe, 0x3C)[0]
            T.check(exe[pe:pe + 4] == b"PE\0\0" and
                    struct.unpack_from("<H", exe, pe + 4)[0] == 0x8664,
                    "mailprobe.exe is a PE file for x86-64")
        for readme, word in (("README.txt", b"Double-click mailprobe.exe"),
                             ("LIESMICH.txt", b"Doppelklicken Sie")):
            name = "%s/%s" % (WIN, readme)
            data = z.read(name) if name in names else b""
            T.check(word in data, "the zip holds %s for customers" % readme)
            T.check(crlf_only(data), "%s has CRLF line ends" % readme)
        for lic in LICENSES:
            name = "%s/licenses/%s.txt" % (WIN, lic)
            data = z.read(name) if name in names else b""
            T.check(len(data) > 500 and crlf_only(data), "the zip holds the %s licence" % lic,
                    len(data))
        apache = z.read(WIN + "/licenses/Apache-2.0.txt") if \
            WIN + "/licenses/Apache-2.0.txt" in names else b""
        T.check(b"Apache License" in apache and b"Version 2.0" in apache,
                "OpenSSL's Apache-2.0 text in full")


def test_linux(v):
    path = os.path.join(DIST, "mailprobe-%s-linux-x86_64.tar.gz" % v)
    top = "mailprobe-%s-linux-x86_64" % v
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path) as t:
        names = set(t.getnames())
        for n in ("bin/mailprobe", "bin/mailprobe_exporter", "man/mailprobe.1",
                  "man/mailprobe_exporter.1", "man/mailprobe-reference.7"):
            T.check("%s/%s" % (top, n) in names, "the Linux tarball holds %s" % n)
        t.extractall(tmp)
        for b in ("mailprobe", "mailprobe_exporter"):
            f = os.path.join(tmp, top, "bin", b)
            rc, out = run(["readelf", "-S", f])
            T.check(rc == 0 and ".symtab" not in out, "%s is stripped" % b)
        rc, out = run([os.path.join(tmp, top, "bin", "mailprobe"), "--version"])
        T.check(rc == 0 and out.startswith("mailprobe %s " % v), "the Linux mailprobe runs",
                out)


def test_source_builds(v):
    path = os.path.join(DIST, "mailprobe-%s.tar.gz" % v)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path) as t:
        names = t.getnames()
        T.check(all(n.startswith("mailprobe-%s" % v) for n in names),
                "the source tarball unpacks into mailprobe-%s/" % v)
        T.check(not any(re.match(r"[^/]+/(build|dist|bin)/", n) for n in names),
                "the source tarball has no build output")
        t.extractall(tmp)
        src = os.path.join(tmp, "mailprobe-%s" % v)
        rc, out = run(["make", "-s", "-j2", "all"], cwd=src)
        T.check(rc == 0, "the source tarball builds", out[-800:])
        rc, out = run([os.path.join(src, "bin", "mailprobe"), "--version"])
        T.check(rc == 0 and out.startswith("mailprobe %s " % v),
                "the mailprobe built from it prints %s" % v, out)


def main():
    v = version()
    rc, out = run(["make", "-s", "dist"])
    if not T.check(rc == 0, "make dist", out[-1500:]):
        return T.report()
    test_sums(v)
    test_zip()
    test_linux(v)
    test_source_builds(v)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
