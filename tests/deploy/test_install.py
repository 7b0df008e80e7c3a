#!/usr/bin/python3
"""make install / uninstall (deploy/install.mk) into scratch DESTDIRs: the
exact file list and modes, PREFIX followed by the unit and the man pages,
the three man pages free of any `man --warnings` output, both programs' pages
naming every option of --help, every file under share/mailprobe/ named by a
man page at its installed path and equal to its source, the installed
programs run, the example config validates.
"""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("install")
DIRS = []


def scratch(tag):
    d = deplib.tmpdir(tag)
    DIRS.append(d)
    return d


def test_makefile_includes_fragment():
    T.check(deplib.makefile_includes_install(), "top Makefile includes deploy/install.mk",
            "(add `-include deploy/install.mk` next to the other fragment includes; "
            "the tests use `make -f Makefile -f deploy/install.mk` meanwhile)")


def test_install_default_prefix():
    d = scratch("install")
    rc, out, err = deplib.make_install(d)
    if not T.check(rc == 0, "make install DESTDIR=... exits 0", err[-800:]):
        return
    files = deplib.file_list(d)
    T.check(set(files) == set(deplib.INSTALLED), "installed file list is exact",
            "extra %s missing %s" % (sorted(set(files) - set(deplib.INSTALLED)),
                                     sorted(set(deplib.INSTALLED) - set(files))))
    for path, mode in deplib.INSTALLED.items():
        if path in files:
            T.check(files[path] == mode, "mode of %s" % path, "%o != %o" % (files[path], mode))
    for prog in ("mailprobe", "mailprobe_exporter"):
        p = os.path.join(d, "usr/local/bin", prog)
        if os.path.exists(p):
            rc, out, err = run([p, "--version"], timeout=10)
            T.check(rc == 0 and out.startswith(prog + " "), "installed %s --version" % prog,
                    out + err)
    unit = os.path.join(d, "usr/local/lib/systemd/system/mailprobe_exporter.service")
    if os.path.exists(unit):
        with open(unit) as f:
            text = f.read()
        T.check("ExecStart=/usr/local/bin/mailprobe_exporter " in text,
                "unit runs the installed exporter")
    # install twice: idempotent
    rc, _, err = deplib.make_install(d)
    T.check(rc == 0 and set(deplib.file_list(d)) == set(deplib.INSTALLED),
            "make install again over an installed tree", err[-300:])
    # uninstall leaves no file behind
    rc, _, err = deplib.make_install(d, target="uninstall")
    T.check(rc == 0 and deplib.file_list(d) == {}, "make uninstall removes every file",
            "%s %s" % (err[-300:], sorted(deplib.file_list(d))))


def test_install_prefix_usr():
    d = scratch("install-usr")
    rc, _, err = deplib.make_install(d, prefix="/usr")
    if not T.check(rc == 0, "make install PREFIX=/usr exits 0", err[-500:]):
        return
    want = {p.replace("usr/local/", "usr/", 1) for p in deplib.INSTALLED}
    files = deplib.file_list(d)
    T.check(set(files) == want, "PREFIX=/usr file list",
            "extra %s missing %s" % (sorted(set(files) - want), sorted(want - set(files))))
    unit = os.path.join(d, "usr/lib/systemd/system/mailprobe_exporter.service")
    man = os.path.join(d, "usr/share/man/man1/mailprobe_exporter.1")
    if os.path.exists(unit) and os.path.exists(man):
        with open(unit) as f:
            u = f.read()
        with open(man) as f:
            m = f.read()
        T.check("ExecStart=/usr/bin/mailprobe_exporter " in u and "/usr/local/" not in u,
                "PREFIX=/usr: the unit names /usr/bin and no /usr/local")
        T.check("/usr/share/doc/mailprobe/exporter.example.json" in m and "/usr/local/" not in m,
                "PREFIX=/usr: the man page's FILES follow PREFIX")
    ref = os.path.join(d, "usr/share/man/man7/mailprobe-reference.7")
    if os.path.exists(ref):
        with open(ref) as f:
            r = f.read()
        T.check("/usr/share/mailprobe/mailprobe.schema.json" in r and "/usr/local/" not in r,
                "PREFIX=/usr: mailprobe-reference(7) names /usr/share/mailprobe/")


SHARED = {  # installed under share/mailprobe/: source in the tree
    "mailprobe.schema.json": "schema/mailprobe.schema.json",
    "mailprobe.rules.yml": "deploy/prometheus/mailprobe.rules.yml",
    "grafana-dashboard.json": "deploy/grafana/mailprobe.json",
}


def test_shared_files_named_by_man_pages():
    d = scratch("share")
    rc, _, err = deplib.make_install(d)
    if not T.check(rc == 0, "make install for share/mailprobe", err[-300:]):
        return
    pages = ""
    for sub in ("man1/mailprobe.1", "man1/mailprobe_exporter.1", "man7/mailprobe-reference.7"):
        p = os.path.join(d, "usr/local/share/man", sub)
        if os.path.exists(p):
            with open(p) as f:
                pages += f.read().replace("\\-", "-")
    for name, src in SHARED.items():
        installed = os.path.join(d, "usr/local/share/mailprobe", name)
        if not T.check(os.path.exists(installed), "share/mailprobe/%s installed" % name):
            continue
        with open(installed, "rb") as a, open(os.path.join(deplib.ROOT, src), "rb") as b:
            T.check(a.read() == b.read(), "share/mailprobe/%s is %s" % (name, src))
        T.check("/usr/local/share/mailprobe/" + name in pages,
                "a man page names /usr/local/share/mailprobe/%s" % name)


def options_of(help_text):
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9.-]*)", help_text)))


def test_man_pages():
    d = scratch("man")
    rc, _, err = deplib.make_install(d)
    if not T.check(rc == 0, "make install for the man pages", err[-300:]):
        return
    mandir = os.path.join(d, "usr/local/share/man/man1")
    pages = (("mailprobe.1", deplib.MAILPROBE), ("mailprobe_exporter.1", deplib.EXPORTER),
             ("mailprobe-reference.7", None))
    for page, prog in pages:
        installed = os.path.join(os.path.dirname(mandir), "man" + page[-1], page)
        for src in (os.path.join(deplib.ROOT, "man", page), installed):
            if not os.path.exists(src):
                T.check(False, "man page exists", src)
                continue
            env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
            rc, out, err = run(["man", "--warnings", "-l", src], timeout=30, env=env)
            where = os.path.relpath(src, d if src.startswith(d) else deplib.ROOT)
            T.check(rc == 0 and err.strip() == "" and len(out) > 500,
                    "man --warnings -l %s: no output on stderr" % where, err.strip()[:800])
        with open(os.path.join(deplib.ROOT, "man", page)) as f:
            raw = f.read()
        T.check(re.search(r"^\.SH NAME\n%s \\- \S" % re.escape(page[:-2]), raw, re.M) is not None,
                "%s has a whatis NAME line" % page)
        if prog is None:
            continue
        # every option of --help is documented
        roff = raw.replace("\\-", "-").replace("\\&", "")
        rc, out, _ = run([prog, "--help"], timeout=10)
        missing = [o for o in options_of(out) if o not in roff]
        T.check(rc == 0 and not missing, "%s documents every option of --help" % page,
                "missing %s" % missing)


def test_example_config_valid():
    creds = scratch("creds")
    with open(os.path.join(creds, "mailprobe-password"), "w") as f:
        f.write("example\n")
    os.chmod(os.path.join(creds, "mailprobe-password"), 0o400)  # as LoadCredential= makes it
    env = dict(os.environ, CREDENTIALS_DIRECTORY=creds)
    rc, out, err = run([deplib.EXPORTER, "--config.check", "--config.file",
                        os.path.join(deplib.DEPLOY, "exporter.example.json")], timeout=20, env=env)
    T.check(rc == 0 and "OK" in out and "warning" not in err, "example config passes --config.check",
            out + err)
    with open(os.path.join(creds, "mailprobe-refresh-token"), "w") as f:
        f.write("1//example-refresh-token\n")
    os.chmod(os.path.join(creds, "mailprobe-refresh-token"), 0o400)
    rc, out, err = run([deplib.EXPORTER, "--config.check", "--config.file",
                        os.path.join(deplib.DEPLOY, "exporter-oauth2.example.json")], timeout=20,
                       env=env)
    T.check(rc == 0 and "OK" in out and "warning" not in err,
            "the OAuth2 example config passes --config.check", out + err)


def main():
    try:
        return deplib.run_tests(T, [test_makefile_includes_fragment, test_install_default_prefix,
                                    test_install_prefix_usr, test_man_pages,
                                    test_shared_files_named_by_man_pages,
                                    test_example_config_valid], sys.argv)
    finally:
        for d in DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
