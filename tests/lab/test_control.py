#!/usr/bin/python3
"""The control host (--control) against the lab's real Postfix and Dovecot:
the mail server is mail.lab.test (198.18.0.10), the control host is the
same servers on another lab address, expiring.lab.test (198.18.0.14, a
valid certificate for its name). A filter in the client namespace blocks a
port either only towards 198.18.0.10 (the server's side) or towards every
address (the client's network). Postfix's own log shows that the control
connections carried no command and no credential. The lab must be running.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, LAB, probe  # noqa: E402

T = mptest.Counter("control")
CONTROL = "expiring.lab.test"
ARGS = ["--ca-file", E["LAB_CA"], "--user", E["LAB_USER"], "--format", "json", "-4",
        "--control", CONTROL]
TABLE = "mp_control_test"


def nft(*args):
    subprocess.run(["ip", "netns", "exec", E["CLIENT_NS"], "nft"] + list(args), check=True)


def block_at_server():
    """587 dropped and 465 reset, only towards the mail server's address."""
    nft("add", "table", "inet", TABLE)
    nft("add", "chain", "inet", TABLE, "out", "{ type filter hook output priority 0 ; }")
    nft("add", "rule", "inet", TABLE, "out", "ip", "daddr", E["LAB_ADDR"], "tcp", "dport",
        "587", "drop")
    nft("add", "rule", "inet", TABLE, "out", "ip", "daddr", E["LAB_ADDR"], "tcp", "dport",
        "465", "reject", "with", "tcp", "reset")


def postfix_log():
    path = os.path.join(E["LAB_LOG_DIR"], "postfix.log")
    return open(path, "rb").read().decode("utf-8", "replace") if os.path.exists(path) else ""


def submission_lines(text, service):
    return [l for l in text.split("\n") if "postfix/%s/smtpd" % service in l]


def wait_disconnects(offset):
    """Postfix logs a session's end after the client is gone: wait (at most
    5 s) until both submission services logged a disconnect."""
    end = time.monotonic() + 5
    while True:
        new = postfix_log()[offset:]
        done = all(any("disconnect from" in l for l in submission_lines(new, s))
                   for s in ("submission", "submissions"))
        if done or time.monotonic() > end:
            return new
        time.sleep(0.2)


def entries(r):
    return {(c["port"], c["tls"]): c for c in (r.json or {}).get("control") or []}


def test_blocked_at_server():
    """587 and 465 blocked only at the server: both connect at the control
    host, 465 with a verified TLS handshake; the other ports worked, so no
    control entry for them; Postfix saw no command from the control host."""
    name = "blocked at the server"
    offset = len(postfix_log())
    block_at_server()
    try:
        r = probe(ARGS + [E["LAB_HOST"]], password=PASSWORD, timeout=3)
    finally:
        nft("delete", "table", "inet", TABLE)
    T.check(r.json is not None and mptest.schema_errors(r.json) == [], name + ": schema-valid",
            r.err[-300:])
    got = entries(r)
    T.check(sorted(got) == [(465, True), (587, False)], name + ": kept only 587 and 465",
            str(sorted(got)))
    c587, c465 = got.get((587, False), {}), got.get((465, True), {})
    T.check(c587.get("ok") is True and c587.get("address") == E["LAB_ADDR_EXPIRING"],
            name + ": 587 connects at the control host", str(c587))
    T.check(c465.get("ok") is True and c465.get("cert_verified") is True,
            name + ": 465 TLS handshake at the control host, certificate verified", str(c465))
    T.check(PASSWORD not in r.out + r.err, name + ": no password in output")
    new = wait_disconnects(offset)
    lines = submission_lines(new, "submission") + submission_lines(new, "submissions")
    ends = [l for l in lines if "disconnect from" in l]
    T.check(len(ends) >= 2, name + ": Postfix logged the control sessions", "\n".join(lines[-6:]))
    T.check(all("commands=0/0" in l for l in ends) and not any("auth=" in l for l in lines),
            name + ": no command and no AUTH from the control host", "\n".join(ends[-4:]))


def test_blocked_in_network():
    """587 dropped by the client's network (every address): it fails at the
    control host too, with the same class."""
    name = "blocked in the network"
    subprocess.run(["sh", LAB, "block", "587", "drop"], check=True)
    try:
        r = probe(ARGS + [E["LAB_HOST"]], password=PASSWORD, timeout=3)
    finally:
        subprocess.run(["sh", LAB, "unblock"], check=True)
    T.check(r.json is not None and mptest.schema_errors(r.json) == [], name + ": schema-valid",
            r.err[-300:])
    c587 = entries(r).get((587, False), {})
    T.check(c587.get("ok") is False and c587.get("class") == "connect_timeout",
            name + ": 587 times out at the control host too", str(entries(r)))
    T.check(r.seconds < 3 + mptest.HANG_MARGIN, name + ": ends by the deadline",
            "(%.1f s)" % r.seconds)


def main():
    return mptest.run_tests(T, [test_blocked_at_server, test_blocked_in_network], sys.argv)


if __name__ == "__main__":
    sys.exit(main())
