#!/usr/bin/env python3
"""The layering rule of probe/ (README, Architecture): data flows one way,
checks -> probe/run -> probe/diagnose -> probe/words -> probe/render -> the
CLI (probe/*.c) and the exporter. A file may include headers of its own
layer and of layers before it, never of a layer after it; checks/ includes
nothing of probe/ or exporter/. Prints one line per violation and ends with
"N passed, N failed"."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ORDER = ["checks", "probe/run", "probe/diagnose", "probe/words", "probe/render", "probe",
         "exporter"]


def layer(path):
    d = os.path.dirname(path)
    return ORDER.index(d) if d in ORDER else None


def main():
    passed = failed = 0
    for top in ("checks", "probe", "exporter"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), ROOT)
                mine = layer(rel)
                with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
                    incs = re.findall(r'^#include "([^"]+)"', f.read(), re.M)
                for inc in incs:
                    theirs = layer(inc)
                    if mine is None or theirs is None or theirs <= mine:
                        passed += 1
                        continue
                    failed += 1
                    print("FAIL %s includes %s (a later layer)" % (rel, inc))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
