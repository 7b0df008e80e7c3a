#!/usr/bin/python3
"""The guided mode of bin/mailprobe.exe under Wine, driven through its
prompts in a tmux pane inside the lab's client namespace, as a customer
would after a double-click: the address is asked, the password is asked
and never shown (the console's echo-less input, SetConsoleMode), the
answer comes in the language LANG gives Wine (en, de: Wine takes its UI
language from the Unix locale, so de_DE.UTF-8 is compiled with localedef
into the test's folder and named by LOCPATH), the HTML report is written on the desktop and holds no password
and ShellExecute opens it (through winebrowser), a wrong address is asked
again, the console stays until Enter is pressed, the exit code is the
usual one, a wrong password is the answer with what to do.

Wine's console draws the screen with cursor codes one character at a time,
so the test reads the rendered screen (`tmux capture-pane`), never the raw
bytes. The lab CA is put into Wine's ROOT store (as test_wine.py does: the
guided mode has no --ca-file) and the desktop is redirected to a temporary
folder through the "User Shell Folders" key (the prefix's own Desktop is a
link to $HOME); both are undone at the end. A fake xdg-open on PATH records
what ShellExecute asks Wine's browser to open. Run by tests/win/run-tests.sh
lab (the lab running, the lab lock held, MAILPROBE_WINE the wrapper);
transcripts go to tests/out/wine-guided-*.txt. Only hang guards, no timing
assertions. Ends with "N passed, N failed".
"""
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_wine  # noqa: E402  (mptest, the ROOT store key, reg.exe in the namespace)
from test_wine import mptest, root_store_key, wine_reg  # noqa: E402
import guided_said  # noqa: E402  (tests/lib, on the path through test_wine)

ROOT = mptest.ROOT
WRAPPER = os.environ.get("MAILPROBE_WINE", test_wine.WRAPPER)
OUT = os.path.join(ROOT, "tests", "out")
T = mptest.Counter("wine-guided")
LIMIT = 60  # seconds per prompt or per run: a hang guard, never an assertion
DONE = "MP-EXIT-"
SHELL_FOLDERS = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders"


def lab_env():
    out = subprocess.run(["sh", os.path.join(ROOT, "tests", "lab", "lab.sh"), "env"],
                         stdout=subprocess.PIPE, check=True, timeout=30).stdout.decode()
    return dict((k, v.strip("'")) for k, _, v in
                (line.partition("=") for line in out.splitlines()))


class Pane:
    """The exe with no arguments in a 100 x 50 tmux pane of its own tmux
    server; after it ends the pane prints DONE and the exit code."""

    def __init__(self, E, folder, name, cwd, lang):
        self.sock = "mp-wine-guided-%d-%s" % (os.getpid(), name)
        fake = os.path.join(folder, name + "-bin")
        self.record = os.path.join(folder, name + "-xdg-open.record")
        os.makedirs(fake)
        with open(os.path.join(fake, "xdg-open"), "w") as f:
            f.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\n' % self.record)
        os.chmod(os.path.join(fake, "xdg-open"), 0o755)
        script = os.path.join(folder, name + ".sh")
        with open(script, "w") as f:
            f.write("cd %s || exit 1\n" % cwd)
            f.write("ip netns exec %s env LANG=%s LC_ALL= LC_MESSAGES= LANGUAGE= DISPLAY= "
                    "PATH=%s:$PATH LOCPATH=%s %s\n" % (E["CLIENT_NS"], lang, fake,
                                                os.path.join(folder, "locales"), WRAPPER))
            f.write("echo %s$?\nexec sleep 600\n" % DONE)
        self.tmux(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "50", "-s", "mp",
                   "sh " + script])
        self.tmux(["set-option", "-t", "mp", "history-limit", "5000"])

    def tmux(self, args):
        return subprocess.run(["tmux", "-u", "-L", self.sock] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20, check=True,
                              env=dict(os.environ, LANG="C.UTF-8")).stdout.decode("utf-8",
                                                                                   "replace")

    def text(self):
        """The whole rendered pane, scrollback included, wrapped lines joined."""
        lines = self.tmux(["capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "mp"])
        return "\n".join(line.rstrip() for line in lines.splitlines()).strip("\n") + "\n"

    def wait(self, pattern):
        """Waits until pattern is on the rendered pane; the match or None."""
        end = time.monotonic() + LIMIT
        while True:
            m = re.search(pattern, self.text())
            if m or time.monotonic() > end:
                return m
            time.sleep(0.2)

    def type(self, line):
        self.tmux(["send-keys", "-t", "mp", "-l", line])
        self.tmux(["send-keys", "-t", "mp", "Enter"])

    def finish(self, lang):
        """Presses Enter at "Press Enter to close" (the exe's console is its
        own, as after a double-click); the exit code, or -1 at the guard."""
        enter = "cken Sie Enter" if lang == "de" else "Press Enter"
        m = self.wait(r"%s(\d+)|%s[^\n]*\n" % (DONE, enter))
        if m and m.group(1) is None:
            self.type("")
            m = self.wait(r"%s(\d+)" % DONE)
        return int(m.group(1)) if m else -1

    def stop(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=20)


def keep(name, text):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "wine-guided-%s.txt" % name), "w") as f:
        f.write(text)


def windows_path(path):
    return "Z:" + path.replace("/", "\\")


def set_desktop(E, path):
    r = wine_reg(E, ["add", SHELL_FOLDERS, "/v", "Desktop", "/t", "REG_EXPAND_SZ", "/d",
                     windows_path(path), "/f"])
    return r.returncode == 0


def reported(text):
    """The Windows path the last lines name (the line after "... is here:")."""
    m = re.search(r"(?:is here|liegt hier):\s*\n\s*(\S.*\.html)\s*\n", text)
    return m.group(1).strip() if m else None


def check_report(name, text, folder, lang, password):
    path = reported(text)
    T.check(path is not None and path.lower().startswith(windows_path(folder).lower() + "\\"),
            "%s: the report is named in %s" % (name, windows_path(folder)), path)
    files = [f for f in os.listdir(folder) if f.endswith(".html")]
    if not T.check(len(files) == 1, "%s: one report file written there" % name, files):
        return ""
    with open(os.path.join(folder, files[0]), encoding="utf-8") as f:
        html = f.read()
    T.check(path is not None and path.endswith("\\" + files[0]),
            "%s: the named file is the one written" % name, (path, files))
    T.check(html.startswith("<!DOCTYPE html>") and '<html lang="%s">' % lang in html,
            "%s: an HTML report in %s" % (name, lang), html[:120])
    T.check("Windows" in html, "%s: the report names Windows as the system" % name)
    T.check(password not in html, "%s: no password in the report" % name)
    return html


def session(E, folder, name, lang, cwd, password, address_first=None):
    """Drives one guided run; (exit code, rendered text)."""
    p = Pane(E, folder, name, cwd, lang)
    de = lang.startswith("de")
    try:
        ask_address = "Ihre E-Mail-Adresse:" if de else "Your e-mail address:"
        ask_password = r"Ihr Passwort \(bleibt[^\n]*:" if de else r"Your password \(it[^\n]*:"
        T.check(p.wait(re.escape(ask_address)) is not None, name + ": the address is asked",
                p.text()[-400:])
        if address_first is not None:
            p.type(address_first)
            T.check(p.wait(r"(Das @ fehlt|the @ is missing)[\s\S]*" + re.escape(ask_address))
                    is not None,
                    name + ": an address without @ is asked again with its reason",
                    p.text()[-400:])
        p.type(E["LAB_USER"])
        T.check(p.wait(ask_password) is not None, name + ": the password is asked",
                p.text()[-400:])
        T.check(E["LAB_USER"] in p.text(), name + ": the address is echoed as it is typed")
        p.type(password)
        rc = p.finish(lang[:2])
        text = p.text()
    finally:
        p.stop()
    keep(name, text)
    T.check(password not in text, name + ": the password is not shown on the screen")
    return rc, text, p.record


def healthy_en(E, folder, password):
    desktop = os.path.join(folder, "en-desktop")
    os.makedirs(desktop)
    T.check(set_desktop(E, desktop), "en: the desktop redirected")
    rc, text, record = session(E, folder, "en", "en_US.UTF-8", folder, password,
                               address_first="alice.lab.test")
    T.check(rc == 0, "en: exit 0", (rc, text[-600:]))
    guided_said.check_healthy(T, "en", text)
    check_report("en", text, desktop, "en", password)
    T.check("It opens in your browser now." in text, "en: says it opens the report",
            text[-300:])
    T.check(wait_file(record), "en: ShellExecute had Wine's browser (xdg-open) open it")
    if os.path.exists(record):
        with open(record) as f:
            said = f.read()
        T.check(".html" in said and desktop in said, "en: xdg-open got the report", said)


def wait_file(path):
    end = time.monotonic() + LIMIT
    while not os.path.exists(path) and time.monotonic() < end:
        time.sleep(0.2)
    return os.path.exists(path)


def healthy_de(E, folder, password):
    desktop = os.path.join(folder, "de-desktop")
    os.makedirs(desktop)
    T.check(set_desktop(E, desktop), "de: the desktop redirected")
    # Not asserted: the umlauts. Under Wine the exe's UTF-8 written through
    # msvcrt's stdio shows as "PrÃ¼fe" (Wine's msvcrt converts console output
    # from the ANSI code page), while WriteFile/WriteConsoleA of the same
    # bytes after SetConsoleOutputCP(CP_UTF8) show "Prüfe".
    rc, text, record = session(E, folder, "de", "de_DE.UTF-8", folder, password)
    T.check(rc == 0, "de: exit 0", (rc, text[-600:]))
    guided_said.check_healthy(T, "de", text)
    html = check_report("de", text, desktop, "de", password)
    T.check("Bericht zur E-Mail-Verbindung" in html, "de: the report is in German")


def wrong_password(E, folder):
    """(The current folder as the report's place is not reached under Wine:
    the prefix's Desktop, the fallback, is a link to $HOME and always there.)"""
    desktop = os.path.join(folder, "wrong-desktop")
    os.makedirs(desktop)
    T.check(set_desktop(E, desktop), "wrong: the desktop redirected")
    rc, text, record = session(E, folder, "wrong-password", "en_GB.UTF-8", folder,
                               "definitely-not-it")
    T.check(rc == 2, "wrong: exit 2 (critical)", (rc, text[-600:]))
    T.check(re.search(r"\nResult: [^\n]*(password|rejected)", text) is not None,
            "wrong: the answer says the login was rejected", text[-700:])
    T.check(re.search(r"\nWhat to do: ", text) is not None, "wrong: says what to do",
            text[-700:])
    check_report("wrong", text, desktop, "en", "definitely-not-it")


def german_locale(folder):
    """de_DE.UTF-8 compiled into folder/locales (LOCPATH: nothing changes
    on the system); Debian's locales package has its source."""
    out = os.path.join(folder, "locales", "de_DE.UTF-8")
    os.makedirs(out)
    r = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return r.returncode == 0


def main():
    if shutil.which("tmux") is None:
        T.check(False, "tmux installed (apt-get install tmux)")
        return T.report()
    E = lab_env()
    with open(E["LAB_PASSWORD_FILE"]) as f:
        password = f.read().strip()
    der = ssl.PEM_cert_to_DER_cert(open(E["LAB_CA"]).read())
    blob = (32).to_bytes(4, "little") + (1).to_bytes(4, "little") + \
        len(der).to_bytes(4, "little") + der  # CERT_CERT_PROP_ID, as test_wine.py
    folder = tempfile.mkdtemp(prefix="mailprobe-wine-guided-")
    try:
        added = wine_reg(E, ["add", root_store_key(der), "/v", "Blob", "/t", "REG_BINARY",
                             "/d", blob.hex(), "/f"])
        if T.check(added.returncode == 0, "the lab CA in Wine's ROOT store",
                   added.stderr.decode(errors="replace")[:200]):
            healthy_en(E, folder, password)
            if T.check(german_locale(folder), "localedef de_DE.UTF-8 (apt-get install locales)"):
                healthy_de(E, folder, password)
            wrong_password(E, folder)
    finally:
        wine_reg(E, ["delete", root_store_key(der), "/f"])
        wine_reg(E, ["add", SHELL_FOLDERS, "/v", "Desktop", "/t", "REG_EXPAND_SZ", "/d",
                     "%USERPROFILE%\\Desktop", "/f"])
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
