#!/usr/bin/python3
"""deploy/systemd/mailprobe_exporter.service: the hardening the issue asks
for, `systemd-analyze verify` without a single line on stderr (on the unit
as `make install` writes it, pointing at the installed exporter and man
pages), `systemd-analyze security --offline=true` (score recorded in
tests/out/systemd-security.txt, and bounded), the credential name matching
the example config, and ExecReload's SIGHUP really reloading an exporter.
"""
import json
import os
import re
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("systemd")
UNIT = os.path.join(deplib.DEPLOY, "systemd", "mailprobe_exporter.service")
MAX_EXPOSURE = 2.0  # systemd's scale: 0 (best) .. 10; "OK" is under 2
DIRS = []


def scratch(tag):
    d = deplib.tmpdir(tag)
    DIRS.append(d)
    return d


def directives(text):
    """{key: [values]} of the [Service] section (and others, flattened)."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;[":
            continue
        k, _, v = line.partition("=")
        out.setdefault(k.strip(), []).append(v.strip())
    return out


def unit_text():
    with open(UNIT) as f:
        return f.read()


def test_hardening_directives():
    d = directives(unit_text())

    def has(key, value):
        return value in d.get(key, [])

    T.check(has("DynamicUser", "yes"), "DynamicUser=yes")
    T.check(has("ProtectSystem", "strict"), "ProtectSystem=strict")
    T.check(d.get("CapabilityBoundingSet") == [""], "CapabilityBoundingSet= (empty: no capabilities)",
            str(d.get("CapabilityBoundingSet")))
    T.check(d.get("AmbientCapabilities") == [""], "AmbientCapabilities= (empty)")
    T.check(has("NoNewPrivileges", "yes"), "NoNewPrivileges=yes")
    fams = " ".join(d.get("RestrictAddressFamilies", [])).split()
    T.check(fams and not any(f.startswith("~") for f in fams) and "AF_INET" in fams and
            "AF_INET6" in fams and "AF_PACKET" not in fams,
            "RestrictAddressFamilies is an allow list with AF_INET and AF_INET6", str(fams))
    T.check("@system-service" in d.get("SystemCallFilter", []), "SystemCallFilter=@system-service")
    T.check(d.get("ExecReload") == ["/bin/kill -HUP $MAINPID"], "ExecReload sends SIGHUP to the main pid",
            str(d.get("ExecReload")))
    creds = d.get("LoadCredential", [])
    T.check(len(creds) >= 1 and all(":" in c for c in creds), "LoadCredential=ID:PATH", str(creds))
    exec_start = d.get("ExecStart", [""])[0]
    T.check(exec_start.startswith("/usr/local/bin/mailprobe_exporter ") and
            "--config.file /etc/mailprobe/exporter.json" in exec_start,
            "ExecStart runs the installed exporter with /etc/mailprobe/exporter.json", exec_start)
    T.check(not d.get("User") and not d.get("Group"), "no fixed User=/Group= next to DynamicUser")


def test_credential_matches_example_config():
    """Every relative password_file of the example config is a credential
    the unit loads (the exporter reads it from $CREDENTIALS_DIRECTORY)."""
    ids = {c.split(":", 1)[0] for c in directives(unit_text()).get("LoadCredential", [])}
    with open(os.path.join(deplib.DEPLOY, "exporter.example.json")) as f:
        cfg = json.load(f)
    files = set()
    for m in cfg.get("modules", {}).values():
        if "credentials" in m:
            files.add(m["credentials"]["password_file"])
    for t in cfg.get("targets", []):
        if "credentials" in t:
            files.add(t["credentials"]["password_file"])
    rel = {f for f in files if not f.startswith("/")}
    T.check(rel and rel <= ids, "example config's password files are LoadCredential= ids",
            "files %s ids %s" % (sorted(rel), sorted(ids)))


def installed_unit_for_verify():
    """The unit as `make install` writes it, with ExecStart pointing into the
    scratch DESTDIR (verify needs the binary to exist). (unit path, man dir)."""
    d = scratch("unit")
    rc, _, err = deplib.make_install(d)
    if rc != 0:
        return None, None, err
    with open(os.path.join(d, "usr/local/lib/systemd/system/mailprobe_exporter.service")) as f:
        text = f.read()
    text = text.replace("ExecStart=/usr/local/bin/", "ExecStart=%s/usr/local/bin/" % d)
    unit_dir = os.path.join(d, "verify")
    os.makedirs(unit_dir)
    path = os.path.join(unit_dir, "mailprobe_exporter.service")
    with open(path, "w") as f:
        f.write(text)
    return path, os.path.join(d, "usr/local/share/man"), ""


def test_verify():
    path, man, err = installed_unit_for_verify()
    if not T.check(path is not None, "make install for the unit", err[-300:]):
        return
    env = dict(os.environ, MANPATH=man, SYSTEMD_LOG_COLOR="0", SYSTEMD_PAGER="")
    rc, out, err = run(["systemd-analyze", "verify", path], timeout=60, env=env)
    T.check(rc == 0 and err.strip() == "" and out.strip() == "",
            "systemd-analyze verify: exit 0, nothing on stderr", "rc %d: %s%s" % (rc, out, err))
    # the check is not vacuous: a bad directive shows on stderr
    bad = os.path.join(os.path.dirname(path), "mailprobe-bad.service")
    with open(path) as f:
        text = f.read()
    with open(bad, "w") as f:
        f.write(text.replace("[Service]\n", "[Service]\nProtectSystm=strict\n"))
    rc, out, err = run(["systemd-analyze", "verify", bad], timeout=60, env=env)
    T.check("ProtectSystm" in err, "verify reports an unknown directive on stderr (self-check)",
            err[:300])


def test_security_score():
    path, _, err = installed_unit_for_verify()
    if not T.check(path is not None, "make install for the unit", err[-300:]):
        return
    env = dict(os.environ, SYSTEMD_LOG_COLOR="0", SYSTEMD_PAGER="", SYSTEMD_COLORS="0")
    rc, out, err = run(["systemd-analyze", "security", "--offline=true", "--no-pager", path],
                       timeout=60, env=env)
    m = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", out + err)
    if not T.check(m is not None, "systemd-analyze security --offline=true prints a score",
                   (out + err)[-500:]):
        return
    score, word = float(m.group(1)), m.group(2)
    os.makedirs(deplib.OUT, exist_ok=True)
    with open(os.path.join(deplib.OUT, "systemd-security.txt"), "w") as f:
        f.write(out)
    print("systemd-analyze security: %.1f %s (details in tests/out/systemd-security.txt)"
          % (score, word), flush=True)
    T.check(score <= MAX_EXPOSURE, "exposure level %.1f <= %.1f" % (score, MAX_EXPOSURE), word)


def test_sighup_reloads():
    """What ExecReload does (kill -HUP $MAINPID) reloads a running exporter,
    and a bad config keeps the old one with the reload gauge at 0."""
    d = scratch("reload")
    cfg = os.path.join(d, "exporter.json")
    with open(cfg, "w") as f:
        json.dump({"targets": []}, f)
    port = deplib.free_port()
    proc = deplib.Proc([deplib.EXPORTER, "--config.file", cfg, "--web.listen-address",
                        "127.0.0.1:%d" % port], os.path.join(d, "exporter.log"))
    base = "http://127.0.0.1:%d" % port
    reload_cmd = directives(unit_text())["ExecReload"][0].replace("$MAINPID", str(proc.p.pid))

    def gauge():
        status, body = deplib.http_get(base + "/metrics", 5)
        m = re.search(r"^mailprobe_config_last_reload_successful (\S+)$", body, re.M)
        return m.group(1) if m else None

    def wait_log(text, count):
        end = time.monotonic() + 10
        while time.monotonic() < end and proc.text().count(text) < count:
            time.sleep(0.05)
        return proc.text().count(text) >= count

    try:
        end = time.monotonic() + 10
        while time.monotonic() < end and deplib.http_get(base + "/-/ready", 1)[0] != 200:
            time.sleep(0.1)
        with open(cfg, "w") as f:
            json.dump({"modules": {"m": {"timeout": "3s"}}, "targets": []}, f)
        rc, _, err = run(reload_cmd.split(), timeout=10)
        T.check(rc == 0 and wait_log("config reloaded", 1) and gauge() == "1",
                "ExecReload (%s) reloads the config" % reload_cmd, err + proc.text()[-300:])
        with open(cfg, "w") as f:
            f.write("{ not json")
        run(reload_cmd.split(), timeout=10)
        T.check(wait_log("config reload failed", 1) and gauge() == "0" and proc.alive(),
                "a bad config on reload: still running, reload gauge 0", proc.text()[-300:])
    finally:
        proc.p.send_signal(signal.SIGTERM)
        proc.stop()


def main():
    try:
        return deplib.run_tests(T, [test_hardening_directives, test_credential_matches_example_config,
                                    test_verify, test_security_score, test_sighup_reloads], sys.argv)
    finally:
        for d in DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
