#!/usr/bin/env python3
"""Every step message checks/ writes has German words (probe/words/de.c,
mp_step_phrases_de), with the same printf conversions in the same order.
Messages that are only server words ("%s", "%s %s") need none. Ends with
"N passed, N failed"."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LIT = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
CALL = re.compile(r'mp_step_(?:say|fail)\(\s*[^,]+,\s*(?:CLASS_[A-Z_0-9]+\s*,\s*)?' + LIT)
FIXED = re.compile(r'snprintf\(msg, msglen, ' + LIT)
CONV = re.compile(r'%[-+ #0-9.*hlzjt]*[diouxXeEfgGcsp]')


def literal(group):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', group))


def english_formats():
    found = set()
    for path in sorted(glob.glob(os.path.join(ROOT, "checks", "*.c"))):
        src = open(path, encoding="utf-8").read()
        for m in list(CALL.finditer(src)) + list(FIXED.finditer(src)):
            fmt = literal(m.group(1))
            if CONV.sub("", fmt).strip(" :") != "":  # more than server words
                found.add(fmt)
    return found


def german_table():
    src = open(os.path.join(ROOT, "probe", "words", "de.c"), encoding="utf-8").read()
    body = src[src.index("mp_step_phrases_de[] = {"):]
    pairs = re.findall(r'\{\s*' + LIT + r',\s*' + LIT + r'\}', body)
    return {literal(a): literal(b) for a, b in pairs}


def main():
    passed = failed = 0
    table = german_table()
    for fmt in sorted(english_formats()):
        other = table.get(fmt)
        if other is None:
            print("FAIL no German words for the step message %r" % fmt)
            failed += 1
        elif CONV.findall(fmt) != CONV.findall(other):
            print("FAIL different arguments: %r vs %r" % (fmt, other))
            failed += 1
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
