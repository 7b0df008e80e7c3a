#!/usr/bin/python3
"""Bad input on the command line, the whole program: every case exits 3
with exactly one line on stderr naming the option or field, prints no JSON,
and with --format nagios says MAILPROBE UNKNOWN on stdout. Also the
password sources (file, stdin, environment) and that no password ever shows.
No network: every case fails before any connection, or probes 127.0.0.1.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402

T = mptest.Counter("cli")
SECRET = "cli-Secret-4711"

# (arguments, a word the error line must contain)
BAD = [
    (["--timeout", "abc", "h.test"], "--timeout"),
    (["--timeout", "0", "h.test"], "--timeout"),
    (["--timeout", "-1", "h.test"], "--timeout"),
    (["--timeout", "99999", "h.test"], "--timeout"),
    (["--ports", "some", "h.test"], "--ports"),
    (["--endpoint", "smtp:587", "h.test"], "--endpoint"),
    (["--endpoint", "ftp:21:tls", "h.test"], "--endpoint"),
    (["--endpoint", "smtp:70000:tls", "h.test"], "--endpoint"),
    (["--endpoint", "smtp:587:ssl", "h.test"], "--endpoint"),
    (["--resolve", "h.test:587", "h.test"], "--resolve"),
    (["--resolve", "h.test:587:not-an-ip", "h.test"], "--resolve"),
    (["--resolve", "h.test:x:192.0.2.1", "h.test"], "--resolve"),
    (["-4", "-6", "h.test"], "-6"),
    (["--control", "bad host!", "h.test"], "--control"),
    (["--control", "", "h.test"], "--control"),
    (sum([["--control", "c%d.test" % i] for i in range(5)], []) + ["h.test"], "--control"),
    (["--format", "xml", "h.test"], "--format"),
    (["--report", "r.pdf", "h.test"], "--report"),
    (["--lang", "fr", "h.test"], "--lang"),
    (["--cert-warn-days", "x", "h.test"], "--cert-warn-days"),
    (["--cert-crit-days", "20", "--cert-warn-days", "10", "h.test"], "--cert-crit-days"),
    (["--deliver-timeout", "never", "h.test"], "--deliver-timeout"),
    (["--mail-from", "not an address", "h.test"], "--mail-from"),
    (["--password", SECRET, "h.test"], "argv"),
    (["--password=" + SECRET, "h.test"], "argv"),
    (["--no-such-option", "h.test"], "--no-such-option"),
    (["h.test", "second.test"], "one HOST"),
    ([], "HOST"),
    (["bad host!"], "HOST"),
    (["--password-file", "/nonexistent/pw", "--user", "u@h.test", "h.test"], "/nonexistent/pw"),
    (["--ca-file", "/nonexistent/ca.pem", "h.test"], "--ca-file"),
]


def one_line_error(name, r, word):
    lines = [l for l in r.err.split("\n") if l.strip()]
    T.check(r.rc == 3, name + ": exit 3", "rc=%d" % r.rc)
    T.check(len(lines) == 1, name + ": one line on stderr", repr(r.err[:300]))
    T.check(word in r.err, name + ": names " + word, repr(r.err[:200]))
    T.check(not r.out.lstrip().startswith("{"), name + ": no JSON")
    T.check(SECRET not in r.out + r.err, name + ": no password shown")


def test_bad_options():
    for args, word in BAD:
        r = mptest.run(["--format", "json"] + args, hang_guard=10)
        one_line_error(" ".join(args)[:40] or "(none)", r, word)
    r = mptest.run(["--format", "nagios", "--timeout", "abc", "h.test"], hang_guard=10)
    T.check(r.rc == 3 and r.out.startswith("MAILPROBE UNKNOWN - "), "nagios: UNKNOWN line",
            r.out[:100])


def test_password_files():
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty")
        open(empty, "w").close()
        huge = os.path.join(tmp, "huge")
        with open(huge, "w") as f:
            f.write("x" * 100000)
        unreadable = os.path.join(tmp, "dir")
        os.mkdir(unreadable)
        for path, word in ((empty, "empty"), (huge, "longer"), (unreadable, unreadable)):
            r = mptest.run(["--user", "u@h.test", "--password-file", path, "h.test"],
                           hang_guard=10)
            one_line_error("password file " + word, r, word)
    r = mptest.run(["--user", "u@h.test", "--password-stdin", "h.test"], stdin="", hang_guard=10)
    one_line_error("empty stdin password", r, "empty")
    r = mptest.run(["--password-stdin", "h.test"], stdin=SECRET + "\n", hang_guard=10)
    one_line_error("password without --user", r, "--user")


def test_sources_accepted():
    """Each source is read; the probe goes to 127.0.0.1 port 1 (refused at
    once), so only the parsing and the secret handling are under test."""
    base = ["--format", "json", "--timeout", "2", "--endpoint", "imap:1:tls", "--user",
            "u@h.test", "127.0.0.1"]
    with tempfile.TemporaryDirectory() as tmp:
        pw = os.path.join(tmp, "pw")
        with open(pw, "w") as f:
            f.write(SECRET + "\n")
        for extra, env, stdin in ((["--password-file", pw], None, None),
                                  (["--password-stdin"], None, SECRET + "\n"),
                                  ([], {"MAILPROBE_PASSWORD": SECRET}, None)):
            r = mptest.run(extra + base, env=env, stdin=stdin, hang_guard=15)
            name = "source " + (extra[0] if extra else "env")
            T.check(r.rc == 2 and r.json is not None, name + ": runs (critical: refused)",
                    "rc=%d %s" % (r.rc, r.err[-200:]))
            T.check(SECRET not in r.out + r.err, name + ": no password shown")
    r = mptest.run(["--version"], hang_guard=10)
    T.check(r.rc == 0 and r.out.startswith("mailprobe ") and "OpenSSL" in r.out, "--version",
            r.out)
    r = mptest.run(["--help"], hang_guard=10)
    T.check(r.rc == 0 and "--password-stdin" in r.out and "Exit codes" in r.out, "--help")
    T.check("--control HOST" in r.out and "never a" in r.out, "--help: --control, no credential")


def test_password_file_kinds():
    """A FIFO is refused at once (it used to block the open until the hang
    guard); a file its group or others can read gets a warning naming the
    mode, a 0600 one none."""
    base = ["--format", "json", "--timeout", "2", "--endpoint", "imap:1:tls", "--user",
            "u@h.test"]
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        r = mptest.run(base + ["--password-file", fifo, "127.0.0.1"], hang_guard=10)
        one_line_error("password file FIFO", r, "FIFO")
        T.check(fifo in r.err, "password file FIFO: names the file", r.err)
        pw = os.path.join(tmp, "pw")
        with open(pw, "w") as f:
            f.write(SECRET + "\n")
        for mode, want in ((0o644, "mode 0644 is readable by others; chmod 600"),
                           (0o640, "mode 0640 is readable by its group; chmod 600"),
                           (0o600, None)):
            os.chmod(pw, mode)
            r = mptest.run(base + ["--password-file", pw, "127.0.0.1"], hang_guard=15)
            name = "password file mode %04o" % mode
            T.check(r.rc == 2 and r.json is not None, name + ": runs", "rc=%d" % r.rc)
            lines = [ln for ln in r.err.split("\n") if ln.strip()]
            if want:
                T.check(lines == ["mailprobe: --password-file %s: %s" % (pw, want)],
                        name + ": one warning line naming the mode", repr(r.err[:300]))
            else:
                T.check(lines == [], name + ": no warning", repr(r.err[:300]))


def test_output_write_fails():
    """Output to a full device: exit 3 and one line on stderr, every format."""
    import subprocess
    for fmt in ("prometheus", "json", "text", "nagios"):
        with open("/dev/full", "w") as full:
            p = subprocess.run([mptest.BIN, "--format", fmt, "--timeout", "2", "--endpoint",
                                "imap:1:tls", "127.0.0.1"], stdout=full,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=30)
        err = p.stderr.decode("utf-8", "replace")
        lines = [ln for ln in err.split("\n") if ln.strip()]
        T.check(p.returncode == 3, fmt + " > /dev/full: exit 3", "rc=%d" % p.returncode)
        T.check(len(lines) == 1 and "cannot write the output: No space left on device" in err,
                fmt + " > /dev/full: one line on stderr", repr(err[:300]))
    with open("/dev/full", "w") as full:
        p = subprocess.run([mptest.BIN, "--help"], stdout=full, stderr=subprocess.PIPE,
                           timeout=30)
    T.check(p.returncode == 3, "--help > /dev/full: exit 3", "rc=%d" % p.returncode)


def test_no_arguments():
    """Without arguments and without a person at a terminal (stdin and
    stdout both terminals) the guided mode does not start: the usage
    error, exit 3, as ever."""
    import pty
    import subprocess
    for name, tty_in, tty_out in (("pipes", False, False), ("stdin a terminal", True, False),
                                  ("stdout a terminal", False, True)):
        master, slave = pty.openpty()
        try:
            p = subprocess.run([mptest.BIN], stdin=slave if tty_in else subprocess.DEVNULL,
                               stdout=slave if tty_out else subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=10)
        finally:
            os.close(slave)
            os.close(master)
        err = p.stderr.decode("utf-8", "replace")
        T.check(p.returncode == 3 and "missing HOST or ADDRESS" in err,
                "no arguments, %s: the usage error, exit 3" % name, (p.returncode, err[:200]))
        T.check(b"e-mail address" not in (p.stdout or b""), "no arguments, %s: no question" % name)


def main():
    return mptest.run_tests(T, [test_bad_options, test_password_files, test_sources_accepted,
                                test_password_file_kinds, test_output_write_fails,
                                test_no_arguments],
                            sys.argv)


if __name__ == "__main__":
    sys.exit(main())
