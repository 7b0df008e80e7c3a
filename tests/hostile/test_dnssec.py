#!/usr/bin/python3
"""DNSSEC and discovery trust (issue 12 item 1, rule c): an SRV answer with
the AD bit makes a host outside the domain trusted ("dnssec") only when the
resolver is on this host. A scripted resolver in a network namespace this
test creates (its own loopback; /etc/netns/NS/resolv.conf points at it)
answers SRV queries for signed.test with AD set and for plain.test
without; the same resolver on a non-loopback address of the namespace is
not believed. Only the discovery facts are checked (the endpoints have no
addresses: every other name is NXDOMAIN).

Runs alone (prints "N passed, N failed") and from test_hostile.py. Needs
root for the namespace; without it the test says so and counts a failure.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

NS = "mp-trust-dns"
OTHER = "192.0.2.53"  # TEST-NET-1 on the namespace's lo: not loopback, not 127/8
TARGET = "imap.elsewhere.test"
SERVER = r'''
import socket, struct, sys
addr = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
s.settimeout(60)
print("ready", flush=True)
def name(q, off):
    labels = []
    while q[off]:
        n = q[off]; labels.append(q[off + 1:off + 1 + n].decode()); off += 1 + n
    return ".".join(labels).lower(), off + 1
def enc(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"
for _ in range(400):
    try:
        q, peer = s.recvfrom(512)
    except socket.timeout:
        break
    qid, flags = struct.unpack("!HH", q[:4])
    qn, off = name(q, 12)
    qtype = struct.unpack("!H", q[off:off + 2])[0]
    question = q[12:off + 4]
    signed = qn.endswith("signed.test")
    answer = b""
    if qtype == 33 and qn.startswith("_imaps._tcp.") and (signed or qn.endswith("plain.test")):
        rdata = struct.pack("!HHH", 10, 1, 993) + enc("%(target)s")
        answer = b"\xc0\x0c" + struct.pack("!HHIH", 33, 1, 60, len(rdata)) + rdata
    rcode = 0 if answer or qn.endswith((".signed.test", ".plain.test")) else 3
    hdr = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100) | (0x20 if signed else 0) | rcode,
                      1, 1 if answer else 0, 0, 0)
    s.sendto(hdr + question + answer, peer)
''' % {"target": TARGET}


def sh(*cmd):
    return subprocess.run(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=20)


def ns_setup():
    sh("ip", "netns", "del", NS)
    for cmd in (["ip", "netns", "add", NS], ["ip", "-n", NS, "link", "set", "lo", "up"],
                ["ip", "-n", NS, "addr", "add", OTHER + "/32", "dev", "lo"]):
        if sh(*cmd).returncode != 0:
            return False
    os.makedirs("/etc/netns/" + NS, exist_ok=True)
    with open("/etc/netns/%s/nsswitch.conf" % NS, "w") as f:
        f.write("hosts: dns\n")
    with open("/etc/netns/%s/hosts" % NS, "w") as f:
        f.write("127.0.0.1 localhost\n")
    return True


def ns_teardown():
    sh("ip", "netns", "del", NS)
    for f in ("resolv.conf", "nsswitch.conf", "hosts"):
        try:
            os.remove("/etc/netns/%s/%s" % (NS, f))
        except OSError:
            pass
    try:
        os.rmdir("/etc/netns/" + NS)
    except OSError:
        pass


def discover(domain, resolver):
    """mailprobe --discover domain in the namespace with resolver as its DNS
    server; returns the SRV source's found servers as {host: (trusted, trust)}."""
    with open("/etc/netns/%s/resolv.conf" % NS, "w") as f:
        f.write("nameserver %s\noptions timeout:1 attempts:1\n" % resolver)
    server = subprocess.Popen(["ip", "netns", "exec", NS, "/usr/bin/python3", "-c", SERVER,
                               resolver], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        server.stdout.readline()  # bound: queries will not meet a closed port
        r = mptest.run(["--format", "json", "--timeout", "3", "--discover", domain], netns=NS,
                       hang_guard=33)
    finally:
        server.kill()
        server.wait()
    srv = [s for s in ((r.json or {}).get("discovery") or {}).get("sources", [])
           if s["source"] == "srv"]
    return {f["host"]: (f.get("trusted"), f.get("trust"))
            for f in (srv[0]["found"] if srv else [])}, r


def run_all(t):
    if os.geteuid() != 0:
        t.check(False, "dnssec: needs root for its network namespace")
        return
    if not t.check(ns_setup(), "dnssec: namespace " + NS):
        ns_teardown()
        return
    try:
        found, r = discover("signed.test", "127.0.0.1")
        t.check(found == {TARGET: (True, "dnssec")},
                "dnssec: AD from a resolver on 127.0.0.1 trusts an outside SRV target",
                "%s %s" % (found, r.err[-200:]))
        found, r = discover("plain.test", "127.0.0.1")
        t.check(found == {TARGET: (False, "untrusted")},
                "dnssec: no AD bit: the outside SRV target is untrusted", str(found))
        found, r = discover("signed.test", OTHER)
        t.check(found == {TARGET: (False, "untrusted")},
                "dnssec: AD from a resolver off this host is not believed", str(found))
    finally:
        ns_teardown()


def main():
    t = mptest.Counter("dnssec")
    run_all(t)
    return t.report()


if __name__ == "__main__":
    sys.exit(main())
