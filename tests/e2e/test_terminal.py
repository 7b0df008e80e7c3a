#!/usr/bin/python3
"""The text output in a real terminal of 80 columns: mailprobe runs in a
tmux pane (80 x 40) against the lab with 587 dropped (`lab.sh block 587
drop`), so the live progress line is up for the few seconds of the
connect timeout. The pane is captured (wrapped lines joined) while it
waits and at the end: no line is wider than 80 columns, a progress line
was seen during the wait, none is left afterwards, nothing scrolled off
the screen (the short output fits it: no stale lines in the scrollback)
and the verdict line is there. Runs inside the client namespace with the
lab lock held (see run-tests.sh); its own tmux server (-L) is ended by
its socket.
"""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exlib  # noqa: E402
from exlib import mptest  # noqa: E402
from test_screens import lab, lab_env  # noqa: E402

T = mptest.Counter("terminal")
COLS, ROWS = 80, 40
PROGRESS = re.compile(r"^\s*\d+[.,]\d s  \d+/\d+ ")
DONE = "MP-EXIT-"


class Tmux:
    def __init__(self, folder):
        self.sock = "mp-terminal-%d" % os.getpid()
        self.tmux(["-f", "/dev/null", "new-session", "-d", "-x", str(COLS), "-y", str(ROWS),
                   "-s", "mp", "sh"], env=dict(os.environ, PS1="$ ", HOME=folder))
        self.tmux(["set-option", "-t", "mp", "history-limit", "2000"])

    def tmux(self, args, env=None):
        return subprocess.run(["tmux", "-L", self.sock] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20, env=env,
                              check=True).stdout.decode("utf-8", "replace")

    def type(self, line):
        self.tmux(["send-keys", "-t", "mp", "-l", line])
        self.tmux(["send-keys", "-t", "mp", "Enter"])

    def screen(self):
        return self.tmux(["capture-pane", "-p", "-J", "-t", "mp"]).splitlines()

    def everything(self):
        """Scrollback and screen, wrapped lines joined."""
        return self.tmux(["capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t",
                          "mp"]).splitlines()

    def history_size(self):
        return int(self.tmux(["display-message", "-p", "-t", "mp", "#{history_size}"]))

    def stop(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=20)


def script(env, folder):
    """The command typed into the pane: a short line, so the typing itself
    never wraps."""
    path = os.path.join(folder, "run.sh")
    with open(path, "w") as f:
        f.write("exec %s --timeout 4 -4 --ca-file %s --user %s --password-file %s %s\n" % (
            exlib.MAILPROBE, env["LAB_CA"], env["LAB_USER"], env["LAB_PASSWORD_FILE"],
            env["LAB_HOST"]))
    return path


def watch(tm, limit):
    """Captures the screen until the command ends; every line seen."""
    seen = []
    end = time.monotonic() + limit * exlib.SLOW
    while time.monotonic() < end:
        lines = tm.screen()
        seen += lines
        if any(line.startswith(DONE) for line in lines):
            break
        time.sleep(0.2)
    return seen


def test_terminal(env, folder):
    tm = Tmux(folder)
    try:
        tm.type("clear")
        time.sleep(0.3)
        T.check(lab("block", "587", "drop") == 0, "lab.sh block 587 drop")
        try:
            tm.type("sh %s; echo %s$?" % (script(env, folder), DONE))
            seen = watch(tm, 40)
        finally:
            T.check(lab("unblock", "587") == 0, "lab.sh unblock 587")
        final = tm.everything()
        wide = [line for line in seen + final if len(line) > COLS]
        T.check(not wide, "no line wider than %d columns" % COLS, wide[:3])
        T.check(any(PROGRESS.match(line) for line in seen),
                "the progress line was seen during the wait", seen[-ROWS:])
        stale = [line for line in final if PROGRESS.match(line)]
        T.check(not stale, "no progress line left after the run", stale[:3])
        T.check(tm.history_size() == 0, "nothing scrolled off the screen (no stale lines)",
                (tm.history_size(), len(final)))
        T.check(any(re.match(r"^status\s+WARNING\b", line) for line in final),
                "the verdict line (status WARNING)", final[-12:])
        T.check(any(line.startswith(DONE + "1") for line in final), "exit code 1", final[-3:])
        with open(os.path.join(exlib.OUT, "terminal-80.txt"), "w") as f:
            f.write("\n".join(final) + "\n")
    finally:
        tm.stop()


def main():
    if shutil.which("tmux") is None:
        T.check(False, "tmux installed (apt-get install tmux)")
        return T.report()
    env = lab_env()
    folder = exlib.temp_folder("mailprobe-terminal-")
    os.makedirs(exlib.OUT, exist_ok=True)
    try:
        test_terminal(env, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
