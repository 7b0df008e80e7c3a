#!/usr/bin/python3
"""A server that blocks the customer's address after failed logins, as many
providers do: real fail2ban (Debian's package, its postfix filter and its
nftables action) in the lab server's namespace, reading the lab Postfix's
log. A mail client with a wrong password gets the address banned; the next
check must not blame the customer's network for the server's block.

- The jail of Debian's postfix-sasl (mail ports 25 465 587 143 993 110
  995), its default reject (ICMP port unreachable from the server's own
  address): host_unreachable, cause server, basis server_firewall, and the
  advice asks the provider about a block of this network's address.
- The same ban with blocktype drop (silent): host_unreachable, cause
  unknown, and the advice names a block of this network's address as one
  of the causes; with a control host outside the server's network, cause
  server (control) and the same question for the provider.

fail2ban runs only while this suite runs (its own folder under build/lab,
its socket and its nftables table in mp-lab) and is stopped, its table
removed, whatever happens. The lab must be running.
"""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, PASSWORD, probe  # noqa: E402

T = mptest.Counter("fail2ban")
DIR = os.path.join(E["LAB_DIR"], "fail2ban")
JAIL = "mp-postfix-sasl"        # bans after 3 failed logins, reject
JAIL_DROP = "mp-postfix-drop"  # bans only when told (banip), drop
PORTS = "25,465,587,143,993,110,995"  # Debian's postfix-sasl jail
TABLE = "f2b-table"  # the table fail2ban's nftables action makes
CLIENT = E["LAB_CLIENT_ADDR"]
ARGS = ["--format", "json", "-4", "--ca-file", E["LAB_CA"], "--user", E["LAB_USER"]]
BLAME_NETWORK = ("This network blocks", "Dieses Netz sperrt")


def write_config():
    shutil.rmtree(DIR, ignore_errors=True)
    os.makedirs(DIR)
    for sub in ("filter.d", "action.d"):
        os.symlink(os.path.join("/etc/fail2ban", sub), os.path.join(DIR, sub))
    with open(os.path.join(DIR, "fail2ban.conf"), "w") as f:
        f.write("[Definition]\nloglevel = INFO\nlogtarget = %s/fail2ban.log\n"
                "socket = %s/fail2ban.sock\npidfile = %s/fail2ban.pid\ndbfile = :memory:\n"
                % (DIR, DIR, DIR))
    log = os.path.join(E["LAB_LOG_DIR"], "postfix.log")
    jail = ("[DEFAULT]\nbackend = polling\nfilter = postfix[mode=auth]\nlogpath = %s tail\n"
            "findtime = 600\nbantime = 600\n\n" % log)
    jail += ("[%s]\nenabled = true\nmaxretry = 3\naction = nftables-multiport[name=sasl, "
             "port=\"%s\", protocol=tcp]\n\n" % (JAIL, PORTS))
    jail += ("[%s]\nenabled = true\nmaxretry = 1000\naction = nftables-multiport[name=drop, "
             "port=\"%s\", protocol=tcp, blocktype=drop]\n" % (JAIL_DROP, PORTS))
    with open(os.path.join(DIR, "jail.conf"), "w") as f:
        f.write(jail)


def client(*args, check=False):
    return subprocess.run(["fail2ban-client", "-c", DIR] + list(args), capture_output=True,
                          text=True, timeout=30, check=check)


def start():
    write_config()
    subprocess.run(["ip", "netns", "exec", E["LAB_NS"], "fail2ban-server", "-b", "-c", DIR,
                    "-x"], capture_output=True, timeout=30, check=True)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        if client("ping").returncode == 0:
            return True
        time.sleep(0.2)
    return False


def stop():
    client("stop")
    end = time.monotonic() + 10
    pidfile = os.path.join(DIR, "fail2ban.pid")
    while os.path.exists(pidfile) and time.monotonic() < end:
        time.sleep(0.2)
    subprocess.run(["ip", "netns", "exec", E["LAB_NS"], "nft", "delete", "table", "inet", TABLE],
                   capture_output=True, timeout=10)


def banned(jail):
    out = client("status", jail).stdout
    m = re.search(r"Banned IP list:\s*(.*)", out)
    return m.group(1).split() if m else []


def wait_banned(jail, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if CLIENT in banned(jail):
            return True
        time.sleep(0.3)
    return False


def findings(r):
    return {f["id"]: f for f in (r.json or {}).get("findings", [])}


def words(f):
    return (f or {}).get("summary", "") + " " + (f or {}).get("advice", "")


def common(name, r):
    T.check(r.json is not None and mptest.schema_errors(r.json) == [], name + ": schema-valid",
            r.err[-300:])
    T.check(PASSWORD not in r.out + r.err, name + ": no password in output")


def test_ban_after_failed_logins():
    """A mail client with an old password: Postfix rejects it, fail2ban
    counts the failures and bans the address (reject); then even the right
    password gets nowhere, and the verdict is the server's firewall."""
    name = "banned after failed logins"
    rejected = 0
    for _ in range(6):  # the jail bans after 3; bounded either way
        r = probe(ARGS + ["--endpoint", "smtp:587:starttls", E["LAB_HOST"]],
                  password="an-old-password", timeout=8)
        rejected += "login_rejected" in findings(r)
        if wait_banned(JAIL, 4):
            break
    T.check(rejected >= 3 and CLIENT in banned(JAIL),
            name + ": Postfix rejected the logins and fail2ban banned the client's address",
            "rejected %d, banned %s" % (rejected, banned(JAIL)))
    r = probe(ARGS + [E["LAB_HOST"]], password=PASSWORD, timeout=5)
    common(name, r)
    connects = [r.step(e, "connect") or {} for e in r.endpoints()]
    T.check(len(connects) == 4 and all(c.get("class") == "connect_refused" and
                                       c.get("icmp_from") == E["LAB_ADDR"] for c in connects),
            name + ": every port refused by ICMP from the server's own address",
            str([(c.get("class"), c.get("icmp_from")) for c in connects]))
    T.check(all(c.get("message", "").startswith("refused by an ICMP port unreachable from " +
                                                E["LAB_ADDR"]) for c in connects),
            name + ": the connect message names the ICMP and its sender",
            str([c.get("message") for c in connects]))
    f = findings(r).get("host_unreachable")
    T.check(f is not None and f.get("cause") == "server" and
            f.get("basis") == "server_firewall",
            name + ": host_unreachable, cause server, basis server_firewall",
            str({k: (v.get("cause"), v.get("basis")) for k, v in findings(r).items()}))
    T.check("A firewall at " + E["LAB_HOST"] in words(f) and
            "block this network's address" in words(f) and "old password" in words(f),
            name + ": the server's firewall, a block of this network's address, an old password",
            words(f))
    T.check(not any(b in words(f) for b in BLAME_NETWORK) and r.rc == 2,
            name + ": the customer's network not blamed, exit 2", "rc=%d" % r.rc)
    r = probe(ARGS + ["--lang", "de", "--format", "text", E["LAB_HOST"]], password=PASSWORD,
              timeout=5)
    T.check("Eine Firewall bei " + E["LAB_HOST"] in r.out and "Adresse dieses Netzes" in r.out,
            name + ": in German too", r.out[-600:])
    client("set", JAIL, "unbanip", CLIENT)
    r = probe(ARGS + [E["LAB_HOST"]], password=PASSWORD, timeout=8)
    T.check(r.rc == 0, name + ": unbanned, the account works again", "rc=%d" % r.rc)


def test_silent_ban():
    """The same ban dropping packets instead: nothing to tell a block of
    this network from one aimed at it, so both are named; a control host
    outside the server's network shows the server's side."""
    name = "silent ban"
    client("set", JAIL_DROP, "banip", CLIENT)
    try:
        T.check(wait_banned(JAIL_DROP, 5), name + ": fail2ban banned the address (drop)",
                str(banned(JAIL_DROP)))
        r = probe(ARGS + [E["LAB_HOST"]], password=PASSWORD, timeout=3)
        common(name, r)
        f = findings(r).get("host_unreachable")
        T.check(f is not None and f.get("cause") == "unknown",
                name + ": host_unreachable, cause unknown", str(sorted(findings(r))))
        T.check("the server blocking this network's address" in words(f) and
                "failed logins" in words(f) and "--control" in words(f),
                name + ": names a block of this network's address and how to tell", words(f))
        r = probe(ARGS + ["--endpoint", "smtp:587:starttls", "--endpoint", "smtp:465:tls",
                          "--control", "smtp.split.test", E["LAB_HOST"]],
                  password=PASSWORD, timeout=3)
        common(name + " with a control host", r)
        fs = findings(r)
        f = fs.get("host_unreachable") or fs.get("outgoing_blocked")
        T.check(f is not None and f.get("cause") == "server" and f.get("basis") == "control",
                name + ": with a control host, cause server (control)",
                str({k: (v.get("cause"), v.get("basis")) for k, v in fs.items()}))
        T.check("block" in words(f) and "this network's address" in words(f) and
                not any(b in words(f) for b in BLAME_NETWORK),
                name + ": asks the provider about a block of this network's address", words(f))
    finally:
        client("set", JAIL_DROP, "unbanip", CLIENT)


def main():
    if shutil.which("fail2ban-server") is None:
        T.check(False, "fail2ban installed (make deps)")
        return T.report()
    if E.get("LAB_EXTRA") != "running":
        T.check(False, "the lab's second mail system runs (the control host)",
                "LAB_EXTRA=%r" % E.get("LAB_EXTRA"))
    try:
        if not start():
            T.check(False, "fail2ban-server started", client("ping").stderr[-300:])
            return T.report()
        return mptest.run_tests(T, [test_ban_after_failed_logins, test_silent_ban], sys.argv)
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
