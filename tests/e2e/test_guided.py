#!/usr/bin/python3
"""The guided mode (mailprobe with no arguments at a terminal) driven
through its prompts in a pseudo-terminal against the lab, as a customer
would: the address is asked and echoed, the password is asked and not
echoed, the answer and the report's place are shown in the language LANG
names (en, de), the HTML report lands on the desktop (XDG desktop dir,
else $HOME/Desktop, else the current folder) and holds no password, a
fake xdg-open on PATH is run only when DISPLAY is set, a wrong address is
asked again with its reason, Ctrl-C during the run removes the report.
The lab CA stands in for the system's trust store (SSL_CERT_FILE, as
OpenSSL reads it), since the guided mode has no --ca-file. Runs inside the
lab's client namespace with the lab lock held (see run-tests.sh). The
transcripts go to tests/out/guided-*.txt.
"""
import os
import pty
import re
import select
import shutil
import signal
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exlib  # noqa: E402
import guided_said  # noqa: E402  (tests/lib, on the path through exlib)
from exlib import mptest  # noqa: E402
from test_screens import lab, lab_env  # noqa: E402

T = mptest.Counter("guided")
LIMIT = 90 * exlib.SLOW  # a hang guard per session, never a timing assertion


class Session:
    """mailprobe with no arguments on a pseudo-terminal."""

    def __init__(self, env, cwd):
        self.out = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execve(exlib.MAILPROBE, ["mailprobe"], env)
        self.deadline = time.monotonic() + LIMIT
        self.status = None

    def read_until(self, pattern):
        """Reads until pattern (bytes regex) is in the output after what was
        already matched; True when found, False at the end or the guard."""
        while time.monotonic() < self.deadline:
            if re.search(pattern, self.out):
                return True
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if not r:
                continue
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                data = b""
            if not data:
                return bool(re.search(pattern, self.out))
            self.out += data
        return False

    def echo_off(self):
        """Waits until the terminal's echo is off (the password prompt set
        it: what is typed before is flushed, as on any terminal)."""
        while time.monotonic() < self.deadline:
            if not termios.tcgetattr(self.fd)[3] & termios.ECHO:
                return True
            time.sleep(0.05)
        return False

    def type_secret(self, text):
        T.check(self.echo_off(), "echo is off for the password")
        self.type(text)

    def type(self, text):
        os.write(self.fd, text.encode() + b"\r")

    def finish(self):
        """Reads to the end; the exit code (-1 when the guard ended it)."""
        self.read_until(b"\\Z(?!x)x")  # never matches: read to EOF or the guard
        end = max(self.deadline, time.monotonic()) + 10  # the terminal closes before the exit
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        while pid == 0 and time.monotonic() < end:
            time.sleep(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status) if pid != 0 else -1
        return self.status

    def text(self):
        """The screen as a person saw it: the progress line's redraws and
        line ends folded."""
        s = self.out.decode("utf-8", "replace").replace("\r\n", "\n")
        lines = []
        for line in s.split("\n"):
            line = line.split("\r\033[K")[-1].split("\r")[-1]
            lines.append(re.sub(r"\033\[[0-9;]*[A-Za-z]", "", line))
        return "\n".join(lines)


def setup(folder, name, desktop="Desktop", xdg=None):
    """A home folder (with the desktop folder, when given), a fake
    xdg-open that writes its arguments to a record file, and the
    environment: no DISPLAY unless the caller adds it."""
    home = os.path.join(folder, name, "home")
    os.makedirs(home)
    if desktop:
        os.makedirs(os.path.join(home, desktop))
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "LC_ALL", "LC_MESSAGES", "LANG",
                        "LANGUAGE", "MAILPROBE_PASSWORD", "XDG_CONFIG_HOME")}
    if xdg:
        cfg = os.path.join(folder, name, "cfg")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "user-dirs.dirs"), "w") as f:
            f.write('# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/%s"\n' % xdg)
        os.makedirs(os.path.join(home, xdg))
        env["XDG_CONFIG_HOME"] = cfg
    fake = os.path.join(folder, name, "fakebin")
    os.makedirs(fake)
    record = os.path.join(folder, name, "xdg-open.record")
    with open(os.path.join(fake, "xdg-open"), "w") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$*" > %s\n' % record)
    os.chmod(os.path.join(fake, "xdg-open"), 0o755)
    env.update(HOME=home, PATH=fake + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
               SSL_CERT_FILE=LAB["LAB_CA"], NO_COLOR="1")
    return env, home, record


def report_path(text):
    """The file the last lines name (the line after "... is here:")."""
    m = re.search(r"(?:is here|liegt hier):\n\s+(\S+\.html)\n", text)
    return m.group(1) if m else None


def check_report(name, path, where, lang, password):
    T.check(path is not None and os.path.dirname(path) == where,
            "%s: the report is in %s" % (name, where), path)
    if not path or not os.path.exists(path):
        T.check(False, "%s: the report file exists" % name, path)
        return ""
    with open(path, encoding="utf-8") as f:
        html = f.read()
    T.check(html.startswith("<!DOCTYPE html>") and '<html lang="%s">' % lang in html,
            "%s: an HTML report in %s" % (name, lang), html[:120])
    T.check(password not in html, "%s: no password in the report" % name)
    T.check(oct(os.stat(path).st_mode & 0o777) == "0o600",
            "%s: only the owner may read the report" % name, oct(os.stat(path).st_mode))
    return html


def keep(name, s):
    os.makedirs(exlib.OUT, exist_ok=True)
    with open(os.path.join(exlib.OUT, "guided-%s.txt" % name), "w") as f:
        f.write(s.text())


def healthy_en(folder, password):
    """English, $HOME/Desktop, no display: xdg-open is not run."""
    env, home, record = setup(folder, "en")
    env["LANG"] = "en_US.UTF-8"
    s = Session(env, folder)
    T.check(s.read_until(rb"Your e-mail address: "), "en: the address is asked", s.text())
    s.type(LAB["LAB_USER"])
    T.check(s.read_until(rb"Your password \(it stays invisible while you type\): "),
            "en: the password is asked", s.text()[-300:])
    T.check(LAB["LAB_USER"].encode() in s.out, "en: the address is echoed as it is typed")
    s.type_secret(password)
    rc = s.finish()
    text = s.text()
    keep("en", s)
    T.check(password.encode() not in s.out, "en: the password is not echoed or shown")
    T.check(rc == 0, "en: exit 0", (rc, text[-600:]))
    guided_said.check_healthy(T, "en", text)
    path = report_path(text)
    check_report("en", path, os.path.join(home, "Desktop"), "en", password)
    T.check("It opens in your browser" not in text and not os.path.exists(record),
            "en: without DISPLAY xdg-open is not run", text[-300:])


def wait_file(path, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end and not os.path.exists(path):
        time.sleep(0.1)
    return os.path.exists(path)


def healthy_de(folder, password):
    """German (LC_MESSAGES beats LANG), the XDG desktop dir, a display:
    the fake xdg-open is run with the report; a wrong address is asked
    again with its reason."""
    env, home, record = setup(folder, "de", desktop=None, xdg="Schreibtisch")
    env.update(LANG="en_US.UTF-8", LC_MESSAGES="de_DE.UTF-8", DISPLAY=":7")
    s = Session(env, folder)
    T.check(s.read_until(rb"Ihre E-Mail-Adresse: "), "de: the address is asked", s.text())
    s.type("alice.lab.test")
    T.check(s.read_until(rb"Das @ fehlt[\s\S]*Ihre E-Mail-Adresse: $"),
            "de: an address without @ is asked again with its reason", s.text()[-300:])
    s.type("  " + LAB["LAB_USER"] + " ")
    T.check(s.read_until(rb"Ihr Passwort \(bleibt beim Tippen unsichtbar\): "),
            "de: the password is asked", s.text()[-300:])
    s.type_secret(password)
    rc = s.finish()
    text = s.text()
    keep("de", s)
    T.check(password.encode() not in s.out, "de: the password is not echoed or shown")
    T.check(rc == 0, "de: exit 0", (rc, text[-600:]))
    guided_said.check_healthy(T, "de", text)
    path = report_path(text)
    html = check_report("de", path, os.path.join(home, "Schreibtisch"), "de", password)
    T.check("Bericht zur E-Mail-Verbindung" in html, "de: the report is in German")
    T.check("Er öffnet sich jetzt in Ihrem Browser" in text, "de: says it opens the report",
            text[-300:])
    T.check(wait_file(record, 10 * exlib.SLOW), "de: with DISPLAY the fake xdg-open ran")
    if os.path.exists(record):
        with open(record) as f:
            T.check(f.read().strip() == path, "de: xdg-open got the report's path")


def wrong_password(folder):
    """No desktop folder: the report goes to the current folder. An empty
    password is asked once more; a wrong one is the answer."""
    env, home, record = setup(folder, "wrong", desktop=None)
    env["LANG"] = "en_GB.UTF-8"
    cwd = os.path.join(folder, "wrong", "cwd")
    os.makedirs(cwd)
    s = Session(env, cwd)
    s.read_until(rb"Your e-mail address: ")
    s.type(LAB["LAB_USER"])
    s.read_until(rb"Your password[^\n]*: ")
    s.type_secret("")
    T.check(s.read_until(rb"No password typed[^\n]*\n[\s\S]*Your password[^\n]*: $"),
            "wrong: an empty password is asked once more", s.text()[-300:])
    s.type_secret("definitely-not-it")
    rc = s.finish()
    text = s.text()
    keep("wrong-password", s)
    T.check(rc == 2, "wrong: exit 2 (critical)", (rc, text[-600:]))
    T.check(re.search(r"\nResult: [^\n]*(password|rejected)", text) is not None,
            "wrong: the answer says the login was rejected", text[-700:])
    T.check(re.search(r"\nWhat to do: ", text) is not None, "wrong: says what to do",
            text[-700:])
    check_report("wrong", report_path(text), cwd, "en", "definitely-not-it")


def cancelled(folder, password):
    """LANG=de_DE alone: German. Ctrl-C while the run waits for a dropped
    port: 'Abgebrochen', exit 130, no report left on the desktop."""
    env, home, record = setup(folder, "cancel")
    env["LANG"] = "de_DE.UTF-8"
    desktop = os.path.join(home, "Desktop")
    T.check(lab("block", "587", "drop") == 0, "cancel: lab.sh block 587 drop")
    try:
        s = Session(env, folder)
        T.check(s.read_until(rb"Ihre E-Mail-Adresse: "), "cancel: LANG=de asks in German",
                s.text())
        s.type(LAB["LAB_USER"])
        s.read_until(rb"Ihr Passwort[^\n]*: ")
        s.type_secret(password)
        T.check(s.read_until(rb"\d+\.\d s  \d+/\d+ "), "cancel: the live progress is shown",
                s.text()[-300:])
        T.check(len(os.listdir(desktop)) == 1, "cancel: the report file is there during the run",
                os.listdir(desktop))
        os.write(s.fd, b"\x03")
        rc = s.finish()
    finally:
        T.check(lab("unblock", "587") == 0, "cancel: lab.sh unblock 587")
    keep("cancel-de", s)
    T.check(rc == 130, "cancel: exit 130", (rc, s.text()[-300:]))
    T.check("Abgebrochen. Es wurde nichts gespeichert." in s.text(),
            "cancel: says it was cancelled, in German", s.text()[-300:])
    T.check(password.encode() not in s.out, "cancel: the password is not echoed or shown")
    T.check(os.listdir(desktop) == [], "cancel: no report left behind", os.listdir(desktop))


LAB = {}


def main():
    LAB.update(lab_env())
    with open(LAB["LAB_PASSWORD_FILE"]) as f:
        password = f.read().strip()
    folder = exlib.temp_folder("mailprobe-guided-")
    try:
        healthy_en(folder, password)
        healthy_de(folder, password)
        wrong_password(folder)
        cancelled(folder, password)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
