#!/usr/bin/env python3
"""The man pages name everything the code can report or accept: every finding
id (probe/words/findings.c texts table and the JSON schema's enum), failure
class (checks/result.c), CLI option (probe/cli.c option table), exporter flag
(exporter/flags.c) and metric name (probe/render/render_prometheus.c family
table, exporter/selfmetrics.c, exporter/login_use.c). Each must appear as a
whole word in its page, and each finding probe/diagnose/ adds with a literal
severity is documented with that severity; no page names an option mailprobe
does not have. Also: the README shows `make run` and `make test` in
its first 40 lines, and every relative link of the Markdown documents points
at a file that exists. Ends with "N passed, N failed"."""
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PAGES = {
    "mailprobe.1": "man/mailprobe.1",
    "mailprobe_exporter.1": "man/mailprobe_exporter.1",
    "mailprobe-reference.7": "man/mailprobe-reference.7",
}


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def table_body(src, start):
    """The text of the C initializer that starts at `start` up to its '};'."""
    i = src.index(start)
    return src[i:src.index("};", i)]


def finding_ids_words():
    body = table_body(read("probe/words/findings.c"), "static const struct texts texts[]")
    return re.findall(r'\{\s*"([a-z0-9_]+)",\s*W_F_', body)


def finding_ids_schema():
    schema = json.loads(read("schema/mailprobe.schema.json"))
    return schema["$defs"]["finding"]["properties"]["id"]["enum"]


def finding_severities():
    """(id, severity) where probe/diagnose/ adds a finding with both literal."""
    pairs = set()
    for name in sorted(os.listdir(os.path.join(ROOT, "probe", "diagnose"))):
        if name.endswith(".c"):
            src = read("probe/diagnose/" + name)
            pairs |= set(re.findall(r'"([a-z0-9_]+)",\s*SEV_([A-Z]+)', src))
    return sorted((i, sev.lower()) for i, sev in pairs)


def classes():
    body = table_body(read("checks/result.c"), "class_names[CLASS_COUNT]")
    return [c for c in re.findall(r'\]\s*=\s*"([a-z0-9_]*)"', body) if c]


def cli_options():
    body = table_body(read("probe/cli.c"), "static const struct opt options[]")
    return re.findall(r'\{\s*"(-[-a-z0-9]+)",\s*(?:true|false)', body)


def exporter_flags():
    src = read("exporter/flags.c")
    return sorted(set(re.findall(r'"(--[a-z][a-z.-]*)"', src)))


def metric_names():
    body = table_body(read("probe/render/render_prometheus.c"),
                      "static const struct family families[")
    names = re.findall(r'=\s*\{\s*"([a-z_]+)",\s*"(?:gauge|counter|histogram)"', body)
    own = read("exporter/selfmetrics.c")
    names += re.findall(r'(?:mp_prom_begin\(&w, out,|gauge\(out,)\s*"([a-z0-9_]+)"', own)
    names += re.findall(r'#define\s+[A-Z_]+\s+"(mailprobe_[a-z_]+)"', read("exporter/login_use.c"))
    return names


MARKDOWN = ["README.md", "HACKING.md", "deploy/README.md"]


def broken_links(rel):
    """Relative link targets of a Markdown file that do not exist."""
    base = os.path.dirname(os.path.join(ROOT, rel))
    bad = []
    for target in re.findall(r"\]\(([^)\s]+)\)", read(rel)):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        if not os.path.exists(os.path.normpath(os.path.join(base, path))):
            bad.append(target)
    return bad


def roff_text(raw):
    """The words of a man page: escapes that split or decorate words removed."""
    raw = re.sub(r'(?m)^\.\\".*\n', "", raw)  # roff comments
    t = raw.replace("\\-", "-").replace("\\&", "").replace("\\c", "")
    t = re.sub(r"\\f[BIRP]", "", t)
    t = re.sub(r"\\\((?:lq|rq|aq)", "\"", t)
    return t


def has_word(text, word):
    return re.search(r"(?<![\w.-])" + re.escape(word) + r"(?![\w-])", text) is not None


class Counter:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s%s" % (what, (": " + detail) if detail else ""))
        return ok


def check_all(T, page_text, what, names, page, minimum):
    """Each name appears in the page; the source list is not empty (a parser
    that finds nothing would pass vacuously)."""
    T.check(len(names) >= minimum, "%s: at least %d found in the source" % (what, minimum),
            "found %d: %s" % (len(names), names))
    missing = [n for n in names if not has_word(page_text[page], n)]
    T.check(not missing, "every %s appears in %s" % (what, page), "missing %s" % missing)


def main():
    T = Counter()
    text = {name: roff_text(read(rel)) for name, rel in PAGES.items()}
    ref = "mailprobe-reference.7"
    # the matcher itself: a name that exists nowhere is not found, a prefix is no match
    T.check(not has_word(text[ref], "no_such_finding"), "an unknown name is not found")
    T.check(not has_word("--deliver-timeout", "--deliver"), "a longer option does not count")
    T.check(has_word("(--deliver,", "--deliver"), "an option between punctuation counts")
    words = finding_ids_words()
    schema = finding_ids_schema()
    check_all(T, text, "finding id of findings.c", words, ref, 20)
    check_all(T, text, "finding id of the JSON schema", schema, ref, 20)
    extra = sorted(set(words) - set(schema))
    T.check(not extra, "every finding id of findings.c is in the schema's enum", str(extra))
    # no page names an option the command does not have
    known = set(cli_options()) | {"--opt", "--password"}  # placeholder; refused on purpose
    for rel in ("README.md", "man/mailprobe.1", "man/mailprobe-reference.7"):
        named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", roff_text(read(rel))))
        T.check(not named - known, "%s names only options mailprobe has" % rel,
                "unknown %s" % sorted(named - known))
    sevs = finding_severities()
    wrong = [i for i, sev in sevs
             if not re.search(r"^\.BR %s \"[^\"]*\b%s\b" % (re.escape(i), sev), text[ref], re.M)]
    T.check(len(sevs) >= 15 and not wrong,
            "every finding's severity is the one %s gives it" % ref, "wrong or missing: %s" % wrong)
    check_all(T, text, "failure class", classes(), ref, 25)
    check_all(T, text, "CLI option", cli_options(), "mailprobe.1", 30)
    check_all(T, text, "exporter flag", exporter_flags(), "mailprobe_exporter.1", 5)
    check_all(T, text, "metric", metric_names(), ref, 25)
    head = "\n".join(read("README.md").splitlines()[:40])
    T.check("make run" in head and "make test" in head,
            "README shows make run and make test in its first 40 lines")
    for rel in MARKDOWN:
        bad = broken_links(rel)
        T.check(not bad, "every relative link of %s exists" % rel, str(bad))
    links = re.findall(r"\]\((?![a-z]+:)[^)#]+", read("README.md"))
    T.check(len(links) >= 5, "the README links to the reference (5 or more relative links)",
            str(links))
    print("%d passed, %d failed" % (T.passed, T.failed))
    return 1 if T.failed else 0


if __name__ == "__main__":
    sys.exit(main())
