#!/usr/bin/python3
"""Screenshots are tests: the HTML support report (mailprobe --report) and
the exporter's status page, rendered in headless Chromium at a desktop
width (1280) and a phone width (390), for four accounts against the lab: a
working one, one whose 587 is dropped (`lab.sh block 587 drop`), one with
a wrong password, and a server outage (mail.lab.test pinned to an
address of the lab's network where no host answers: every connection
fails). Each page must show its
verdict in the first 800 px (the fold) and must not scroll sideways on
the phone (document scrollWidth <= innerWidth). The PNGs are kept in
tests/out/screens/ for a person to look at. Runs inside the client
namespace (`ip netns exec mp-client`, see run-tests.sh) with the lab lock
held.
"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402
import exlib  # noqa: E402
from exlib import mptest, sample  # noqa: E402

T = mptest.Counter("screens")
FOLD = 800
WIDTHS = (1280, 390)
SHOTS = os.path.join(exlib.OUT, "screens")
LAB = os.path.join(exlib.ROOT, "tests", "lab", "lab.sh")
DEAD_ADDR = "198.18.0.99"  # in the lab's /24 (the two namespaces' veth), no host has it


def lab_env():
    out = subprocess.run(["sh", LAB, "env"], stdout=subprocess.PIPE, check=True,
                         timeout=30).stdout.decode()
    return dict((k, v.strip("'")) for k, _, v in
                (line.partition("=") for line in out.splitlines()))


def lab(*args):
    return subprocess.run(["sh", LAB] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=90).returncode


def accounts(env, folder):
    """name -> (mailprobe arguments, password file, the verdict's class)."""
    wrong = os.path.join(folder, "wrong-password")
    with open(wrong, "w") as f:
        f.write("definitely-not-it\n")
    host, good = env["LAB_HOST"], env["LAB_PASSWORD_FILE"]
    dead = "%s:*:%s" % (host, DEAD_ADDR)
    return {
        "ok": ([host], good, "st-ok"),
        "blocked587": ([host], good, "st-warning"),
        "wrongpassword": ([host], wrong, "st-critical"),
        "outage": (["--resolve", dead, host], good, "st-critical"),
    }


def report(env, folder, name, args, password_file):
    path = os.path.join(folder, name + ".html")
    cmd = [exlib.MAILPROBE, "--timeout", "4", "-4", "--ca-file", env["LAB_CA"], "--user",
           env["LAB_USER"], "--password-file", password_file, "--report", path] + args
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    T.check(os.path.exists(path), name + ": mailprobe --report wrote the report",
            (p.returncode, p.stderr[-300:]))
    return path


def check_page(b, url, shot, selector, want_cls, name):
    for width in WIDTHS:
        what = "%s at %d px" % (name, width)
        try:
            b.load(url, width)
            got = browser.layout(b, selector)
            b.screenshot(os.path.join(SHOTS, "%s-%d.png" % (shot, width)))
        except browser.BrowserError as e:
            T.check(False, what + ": rendered", str(e))
            continue
        T.check(got["found"] and got["text"].strip() != "" and want_cls in got["cls"],
                what + ": verdict shown (%s)" % want_cls, (got["cls"], got["text"][:120]))
        T.check(got["found"] and got["bottom"] <= FOLD, what + ": verdict above the fold",
                got["bottom"])
        if width < 600:
            T.check(got["scrollWidth"] <= got["innerWidth"], what + ": no sideways scrolling",
                    (got["scrollWidth"], got["innerWidth"], got["wide"]))


def exporter_config(env, acc):
    ca, user = env["LAB_CA"], env["LAB_USER"]

    def module(password_file):
        return {"ca_file": ca, "timeout": "4s", "credential_hosts": [env["LAB_HOST"]],
                "credentials": {"user": user, "password_file": password_file}}

    pin = "%s:*:%s" % (env["LAB_HOST"], env["LAB_ADDR"])
    dead = acc["outage"][0][1]
    return {
        "modules": {"good": module(acc["ok"][1]), "wrong": module(acc["wrongpassword"][1])},
        "targets": [
            {"name": "account", "host": env["LAB_HOST"], "module": "good", "interval": "2s",
             "resolve": [pin]},
            {"name": "wrongpassword", "host": env["LAB_HOST"], "module": "wrong",
             "interval": "1h", "resolve": [pin]},
            {"name": "outage", "host": env["LAB_HOST"], "module": "good", "interval": "1h",
             "resolve": [dead]},
        ],
        "allow": [env["LAB_HOST"], env["LAB_ADDR"], DEAD_ADDR],
    }


def wait_for(ex, pred, limit):
    end = time.monotonic() + limit * exlib.SLOW
    text = ""
    while time.monotonic() < end:
        text = ex.get("/metrics").body
        if pred(text):
            return True
        time.sleep(0.3)
    return False


def probed(name):
    return lambda t: sample(t, "mailprobe_last_probe_timestamp_seconds", target=name) is not None


def port_down(t):
    return sample(t, "mailprobe_endpoint_up", target="account", port="587") == 0


def status_page(b, url, shot, want_cls, name):
    check_page(b, url, shot, "section.target h2 .badge", want_cls, name)


def run(env, folder, b):
    acc = accounts(env, folder)
    ex = exlib.Exporter(folder, exporter_config(env, acc))
    try:
        T.check(ex.wait_ready(), "exporter ready", ex.log()[-1000:])
        for name in ("ok", "wrongpassword", "outage"):
            args, pw, cls = acc[name]
            path = report(env, folder, name, args, pw)
            check_page(b, "file://" + path, "report-" + name, ".verdict", cls, "report " + name)
        T.check(wait_for(ex, lambda t: all(probed(n)(t) for n in
                                           ("account", "wrongpassword", "outage")), 30),
                "exporter: every target probed")
        status_page(b, ex.url("/"), "status", "s-ok", "status page")
        T.check(lab("block", "587", "drop") == 0, "lab.sh block 587 drop")
        try:
            args, pw, cls = acc["blocked587"]
            path = report(env, folder, "blocked587", args, pw)
            check_page(b, "file://" + path, "report-blocked587", ".verdict", cls,
                       "report blocked587")
            T.check(wait_for(ex, port_down, 30), "exporter: 587 down after the block")
            status_page(b, ex.url("/"), "status-blocked587", "s-warning",
                        "status page, 587 blocked")
            status_page(b, ex.url("/", lang="de"), "status-blocked587-de", "s-warning",
                        "status page in German, 587 blocked")
        finally:
            T.check(lab("unblock", "587") == 0, "lab.sh unblock 587")
    finally:
        ex.proc.stop()
        exlib.keep_log(ex.proc.log_path, "exporter-screens.log")


def main():
    env = lab_env()
    folder = exlib.temp_folder("mailprobe-screens-")
    shutil.rmtree(SHOTS, ignore_errors=True)
    os.makedirs(SHOTS, exist_ok=True)
    b = None
    try:
        b = browser.Browser(os.path.join(folder, "chromium"))
        run(env, folder, b)
    except browser.BrowserError as e:
        T.check(False, "Chromium runs", str(e))
    finally:
        if b is not None:
            b.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return T.report()


if __name__ == "__main__":
    sys.exit(main())
