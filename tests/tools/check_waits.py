#!/usr/bin/env python3
"""The fiber rule (checks/fiber.h, HACKING.md "Threads and fibers"): code the
engine runs may wait only through mp_poll (one socket), mp_cond_wait,
mp_sleep and mp_task_join, because the exporter runs it on fibers, many per
thread, and any other wait (poll, nanosleep, pthread_cond_*wait,
pthread_join, ...) would stop every fiber of the thread. The exceptions are
the files that implement those calls and the path measurement, which
always runs on a thread of its own (MP_TASK_THREAD). Prints one line per
violation and ends with "N passed, N failed"."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# what runs on a probe's fiber: the engine, and the exporter's probe path
ENGINE = ["checks", "probe/run"]
EXPORTER_ON_FIBERS = ["exporter/probe.c", "exporter/http_probe.c", "exporter/token_source.c",
                      "exporter/login_use.c", "exporter/logins.c", "exporter/inflight.c"]
# the waits themselves, per platform, and what runs on a thread of its own
EXEMPT = {"checks/fiber.c", "checks/fiber_sync.c", "checks/platform_posix.c",
          "checks/platform_win.c", "checks/path.c", "checks/path_raw.c"}
BLOCKING = re.compile(r"\b(poll|ppoll|select|pselect|epoll_wait|nanosleep|usleep|sleep|"
                      r"pthread_cond_wait|pthread_cond_timedwait|pthread_join|"
                      r"mp_cond_wait_until|sem_wait|sem_timedwait)\s*\(")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def files():
    for top in ENGINE:
        for name in sorted(os.listdir(os.path.join(ROOT, top))):
            if name.endswith(".c"):
                yield top + "/" + name
    yield from EXPORTER_ON_FIBERS


def main():
    passed = failed = 0
    for rel in files():
        if rel in EXEMPT:
            continue
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            lines = strip_comments(f.read()).splitlines()
        bad = [(n + 1, m.group(1)) for n, line in enumerate(lines)
               for m in [BLOCKING.search(line)] if m]
        for n, call in bad:
            print("FAIL %s:%d: %s() would block every fiber of the thread "
                  "(use mp_poll, mp_cond_wait, mp_sleep or mp_task_join)" % (rel, n, call))
        failed += len(bad)
        passed += not bad
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
