#!/usr/bin/python3
"""deploy/container/Containerfile, checked without a container engine (none
runs here): two stages on Debian 12; the build stage copies sources only
and runs exactly the README Install section's command; the runtime stage
copies exactly the files `make install DESTDIR=...` produces (each to the
same path), runs as a non-root user, has a HEALTHCHECK on /-/healthy and
installs the packages that hold every shared library the programs link.
Then the build stage is replayed on this machine: its COPY sources into an
empty folder, its RUN command there (DESTDIR moved into the scratch folder),
and the staged files compared with the runtime stage's COPY list.
DEPLOY_QUICK=1 skips that replay (a full build, ~30 s).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("container")
CONTAINERFILE = os.path.join(deplib.DEPLOY, "container", "Containerfile")
README_COMMAND = "make deps && make && make install DESTDIR=/out"
DIRS = []


def scratch(tag):
    d = deplib.tmpdir(tag)
    DIRS.append(d)
    return d


def instructions(path):
    """[(INSTRUCTION, argument text)] with continuations joined, comments
    and blank lines dropped."""
    out, cur = [], ""
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if not cur and (not s.strip() or s.lstrip().startswith("#")):
                continue
            if cur and s.lstrip().startswith("#"):
                continue
            if s.endswith("\\"):
                cur += s[:-1] + " "
                continue
            cur += s
            word, _, rest = cur.strip().partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
            cur = ""
    return out


def stages(instrs):
    """[{'from': image, 'name': name, 'body': [(instr, arg)]}]"""
    out = []
    for ins, arg in instrs:
        if ins == "FROM":
            parts = arg.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            out.append({"from": parts[0], "name": name, "body": []})
        elif out:
            out[-1]["body"].append((ins, arg))
    return out


def copies(stage):
    """[(from-stage or None, [sources], dest)] of a stage's COPY lines."""
    out = []
    for ins, arg in stage["body"]:
        if ins != "COPY":
            continue
        words = shlex.split(arg)
        frm = None
        rest = []
        for w in words:
            if w.startswith("--from="):
                frm = w.split("=", 1)[1]
            elif not w.startswith("--"):
                rest.append(w)
        out.append((frm, rest[:-1], rest[-1]))
    return out


def parsed():
    st = stages(instructions(CONTAINERFILE))
    return st, (st[0] if st else None), (st[-1] if st else None)


def test_stages():
    st, build, runtime = parsed()
    T.check(len(st) == 2, "two stages (build, runtime)", str([s["from"] for s in st]))
    if len(st) < 2:
        return
    for s in st:
        T.check(re.match(r"^debian:(12|bookworm)(\b|-)", s["from"]) is not None,
                "stage %s is Debian 12" % (s["name"] or s["from"]), s["from"])
    T.check(build["name"] == "build", "the first stage is named build", str(build["name"]))


def test_build_stage_runs_readme_install():
    st, build, _ = parsed()
    if build is None:
        T.check(False, "a build stage")
        return
    where, section = deplib.readme_install_section()
    if not T.check(where is not None, "an Install section in README.md"):
        return
    if where != "README.md":
        print("NOTE: README.md has no Install section yet; using %s (to be merged)" % where)
    readme_cmds = deplib.code_lines(section)
    runs = [arg for ins, arg in build["body"] if ins == "RUN"]
    make_runs = [r for r in runs if re.search(r"\bmake\b", r)]
    T.check(len(make_runs) == 1 and make_runs[0] == README_COMMAND,
            "the build stage runs `%s`" % README_COMMAND, str(make_runs))
    T.check(make_runs[:1] and make_runs[0] in readme_cmds,
            "the build stage's RUN is a command of %s's Install section" % where,
            "RUN %s; Install lists %s" % (make_runs, readme_cmds))
    T.check(any(c.startswith("make deps && make && make install") for c in readme_cmds),
            "the Install section names make deps, make, make install", str(readme_cmds))


def build_sources():
    _, build, _ = parsed()
    srcs = []
    for frm, s, dest in copies(build):
        if frm is None:
            srcs += [x.rstrip("/") for x in s]
    return srcs


def test_build_stage_copies_sources_only():
    srcs = build_sources()
    T.check(srcs, "the build stage copies sources")
    for s in srcs:
        T.check(os.path.exists(os.path.join(deplib.ROOT, s)), "COPY source %s exists" % s)
    T.check(not {"bin", "build", ".", "tests/out"} & set(srcs),
            "no host build output (bin/, build/) or the whole tree is copied", str(srcs))
    # what the build needs: the Makefile, its fragments and every source folder
    needed = {"Makefile", "checks", "probe", "exporter", "man", "deploy", "tests"}
    T.check(needed <= set(srcs), "sources the Makefile needs are copied",
            "missing %s" % sorted(needed - set(srcs)))


def runtime_copy_map():
    """{installed path relative to /: source under /out} of the runtime stage."""
    _, _, runtime = parsed()
    out, bad = {}, []
    for frm, srcs, dest in copies(runtime):
        if frm != "build":
            bad.append((frm, srcs, dest))
            continue
        for s in srcs:
            out[dest.lstrip("/")] = s
    return out, bad


def test_runtime_copies_exactly_install():
    d = scratch("destdir")
    rc, _, err = deplib.make_install(d)
    if not T.check(rc == 0, "make install DESTDIR=... for the comparison", err[-300:]):
        return
    installed = set(deplib.file_list(d))
    m, bad = runtime_copy_map()
    T.check(not bad, "the runtime stage copies only from the build stage", str(bad))
    copied = set()
    for dest, src in m.items():
        T.check(src.startswith("/out/"), "COPY source %s is under /out" % src)
        rel = src[len("/out/"):]
        if src.endswith("/"):  # a folder: everything install put below it
            copied |= {p for p in installed if p.startswith(rel)}
            T.check(dest.rstrip("/") + "/" == rel, "folder %s copied to the same path" % rel, dest)
        else:
            copied.add(rel)
            T.check(dest == rel, "%s copied to the same path" % rel, "/" + dest)
    T.check(copied == installed, "runtime COPYs == the files make install produces",
            "not copied %s; not installed %s" % (sorted(installed - copied), sorted(copied - installed)))


def test_runtime_user_health_entrypoint():
    _, _, runtime = parsed()
    body = runtime["body"]
    users = [arg for ins, arg in body if ins == "USER"]
    T.check(users and users[-1].split(":")[0] not in ("root", "0"), "runtime runs as a non-root USER",
            str(users))
    hc = [arg for ins, arg in body if ins == "HEALTHCHECK"]
    T.check(len(hc) == 1 and "/-/healthy" in hc[0] and "CMD" in hc[0], "HEALTHCHECK on /-/healthy",
            str(hc))
    runs = " ".join(arg for ins, arg in body if ins == "RUN")
    tool = re.search(r'CMD \["?(\w+)', hc[0]) if hc else None
    T.check(tool is not None and re.search(r"\b%s\b" % tool.group(1), runs) is not None,
            "the health check's program is installed in the runtime stage",
            tool.group(1) if tool else "")
    port = re.search(r":(\d+)/-/healthy", hc[0]) if hc else None
    expose = [arg for ins, arg in body if ins == "EXPOSE"]
    T.check(port is not None and expose == [port.group(1)] and port.group(1) == "9925",
            "EXPOSE and the health check use the exporter's default port 9925", str(expose))
    ep = [arg for ins, arg in body if ins == "ENTRYPOINT"]
    T.check(ep and '"/usr/local/bin/mailprobe_exporter"' in ep[0], "ENTRYPOINT is the installed exporter",
            str(ep))
    env = " ".join(arg for ins, arg in body if ins == "ENV")
    T.check("CREDENTIALS_DIRECTORY=/run/secrets" in env,
            "CREDENTIALS_DIRECTORY=/run/secrets (podman/docker secrets)", env)
    # the user in the image is the one kubernetes runs as
    uid = re.search(r"--uid (\d+)", runs)
    T.check(uid is not None and users and users[-1].split(":")[0] == uid.group(1),
            "USER is the uid the image creates", "%s %s" % (users, uid and uid.group(1)))


def package_of(lib):
    for p in (lib, os.path.realpath(lib), "/usr" + lib if not lib.startswith("/usr") else lib):
        rc, out, _ = run(["dpkg", "-S", p], timeout=20)
        if rc == 0:
            return out.split(":")[0].strip()
    return None


def depends_closure(pkgs):
    """Installed packages reachable through Depends/Pre-Depends (local dpkg data)."""
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        rc, out, _ = run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", p], timeout=20)
        if rc != 0:
            continue
        for alt in out.split(","):
            for name in alt.split("|")[:1]:
                name = re.sub(r"\(.*?\)|:any", "", name).strip()
                if name:
                    todo.append(name)
    return seen


def test_runtime_packages_cover_libraries():
    _, _, runtime = parsed()
    runs = " ".join(arg for ins, arg in runtime["body"] if ins == "RUN")
    m = re.search(r"apt-get install ([^&;]*)", runs)
    listed = [w for w in (m.group(1).split() if m else []) if not w.startswith("-")]
    T.check(listed, "the runtime stage installs packages", runs[:200])
    closure = depends_closure(listed)
    libs = set()
    for prog in (deplib.MAILPROBE, deplib.EXPORTER):
        rc, out, _ = run(["ldd", prog], timeout=20)
        libs |= set(re.findall(r"=> (/\S+)", out))
    missing = []
    for lib in sorted(libs):
        pkg = package_of(lib)
        if pkg is None:
            missing.append(lib + " (no package)")
        elif pkg not in closure:
            missing.append("%s (%s)" % (lib, pkg))
    T.check(libs and not missing, "every linked library comes from a runtime package or its Depends",
            str(missing))
    T.check("ca-certificates" in listed, "ca-certificates in the runtime image (certificate checks)")


def test_replay_build_stage():
    if os.environ.get("DEPLOY_QUICK") == "1":
        print("NOTE: DEPLOY_QUICK=1: build stage replay skipped")
        return
    work = scratch("replay")
    src = os.path.join(work, "src")
    os.makedirs(src)
    for s in build_sources():
        a = os.path.join(deplib.ROOT, s)
        b = os.path.join(src, s)
        if os.path.isdir(a):
            shutil.copytree(a, b, ignore=shutil.ignore_patterns("out"))
        else:
            shutil.copy2(a, b)
    # the copy is ours: give it the include line if the top Makefile lacks it
    # (test_install.py reports that as its own failure)
    mk = os.path.join(src, "Makefile")
    with open(mk) as f:
        text = f.read()
    if not re.search(r"^-?include\s+deploy/install\.mk\s*$", text, re.M):
        text = text.replace("-include tests/fuzz/build.mk\n",
                            "-include tests/fuzz/build.mk\n-include deploy/install.mk\n", 1)
        with open(mk, "w") as f:
            f.write(text)
    out = os.path.join(work, "out")
    cmd = README_COMMAND.replace("DESTDIR=/out", "DESTDIR=" + out)
    env = dict(os.environ, MAKEFLAGS="-j2")
    try:
        p = subprocess.run(["sh", "-c", cmd], cwd=src, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        rc, log = p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, log = 124, "timed out"
    if not T.check(rc == 0, "build stage replayed from the COPY sources: `%s`" % cmd, log[-1500:]):
        return
    staged = set(deplib.file_list(out))
    m, _ = runtime_copy_map()
    copied = {s[len("/out/"):] for s in m.values() if s.startswith("/out/")}
    T.check(staged == copied, "the replayed /out holds exactly what the runtime stage copies",
            "staged only %s; copied only %s" % (sorted(staged - copied), sorted(copied - staged)))
    for prog in ("mailprobe", "mailprobe_exporter"):
        rc, outp, err = run([os.path.join(out, "usr/local/bin", prog), "--version"], timeout=10)
        T.check(rc == 0, "replayed %s runs" % prog, outp + err)


def main():
    try:
        return deplib.run_tests(T, [test_stages, test_build_stage_runs_readme_install,
                                    test_build_stage_copies_sources_only,
                                    test_runtime_copies_exactly_install,
                                    test_runtime_user_health_entrypoint,
                                    test_runtime_packages_cover_libraries,
                                    test_replay_build_stage], sys.argv)
    finally:
        for d in DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
