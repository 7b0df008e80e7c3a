#!/usr/bin/python3
"""Golden outputs: mailprobe's --format json and --format prometheus for a
fixed set of lab cases, compared with the files in tests/lab/golden/.

What varies from run to run is replaced by placeholders before comparing
(timings, started_at, certificate dates, days_left, sha256, Dovecot's logout
timing); everything else must match exactly: every key and its order, every
finding id, severity and evidence (endpoint, step, class, message), every
step and class, every metric name, label set and non-timing value, and the
exit code. On a mismatch the test prints a unified diff.

    flock /tmp/mp-lab.lock sh tests/lab/run-tests.sh            (whole lab suite)
    python3 tests/lab/test_golden.py [CASE...]                  (lab running, lock held)

UPDATE_GOLDEN=1 rewrites the golden files from the current build instead of
comparing (do it only for an intended change, and name the change in the
commit). GOLDEN_REPEAT=N runs each case N times (default 1) to show that the
normalisation is loose enough for a loaded machine. See tests/lab/golden/README.
"""
import difflib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import mptest  # noqa: E402
from test_lab import E, LAB, PASSWORD, probe  # noqa: E402

T = mptest.Counter("golden")
GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REPEAT = int(os.environ.get("GOLDEN_REPEAT", "1"))

# ---------------------------------------------------------------- normalising

# JSON keys whose values vary per run or per lab start, and their placeholder.
# A value of an unexpected type is kept as it is, so a type change still fails.
VARYING_NUMBERS = {"seconds": "<SECONDS>", "duration_seconds": "<SECONDS>", "ms": "<MS>"}
VARYING_STRINGS = {"started_at": "<TIME>", "not_after": "<DATE>", "not_before": "<DATE>"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# dates inside sentences ("expired on 2026-11-06 05:35 UTC", "(2026-11-06)")
DATE_IN_TEXT = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\dZ?)?(?: UTC)?)?")
# Dovecot: "a2 OK Logout completed (0.001 + 0.000 secs)." and, when the
# session waited, a third term: "(0.001 + 0.000 + 0.002 secs)".
DOVECOT_SECS = re.compile(r"\(\d+\.\d+(?: \+ \d+\.\d+)+ secs\)")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def norm_text(s):
    s = DATE_IN_TEXT.sub("<DATE>", s)
    return DOVECOT_SECS.sub("(<N> + <N> secs)", s)


def norm_value(key, v):
    if key in VARYING_NUMBERS and is_number(v):
        return VARYING_NUMBERS[key]
    if key in VARYING_STRINGS and isinstance(v, str):
        return VARYING_STRINGS[key]
    if key == "days_left" and is_number(v):
        return "<DAYS>=0" if v >= 0 else "<DAYS><0"  # the sign is a fact, the count is not
    if key == "sha256" and isinstance(v, str) and SHA256.match(v):
        return "<SHA256>"
    return norm_json(v)


def norm_json(v):
    """v with the varying values replaced; keys and their order kept."""
    if isinstance(v, dict):
        return {k: norm_value(k, x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm_json(x) for x in v]
    if isinstance(v, str):
        return norm_text(v)
    return v


def json_text(out):
    try:
        doc = json.loads(out)
    except ValueError:
        return "NOT JSON:\n" + out
    return json.dumps(norm_json(doc), indent=2, ensure_ascii=False) + "\n"


# Prometheus samples whose value is a timing or a certificate date.
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$")


def varying_metric(name):
    return (name.endswith("_seconds") or name == "probe_ssl_earliest_cert_expiry" or
            name.endswith(("_bucket", "_sum", "_count")))


def prom_line(line):
    m = SAMPLE.match(line)
    if line.startswith("#") or not m or not varying_metric(m.group(1)):
        return norm_text(line)
    try:
        float(m.group(3))
    except ValueError:
        return line
    return "%s%s <VALUE>" % (m.group(1), m.group(2) or "")


def prom_text(out):
    return "".join(prom_line(l) + "\n" for l in out.split("\n") if l != "")


NORMALISE = {"json": json_text, "prometheus": prom_text}

# ---------------------------------------------------------------- cases

CA = ["--ca-file", E["LAB_CA"]]
USER = ["--user", E["LAB_USER"]]
HOST = E["LAB_HOST"]


def case(name, fmt, args, password=None, timeout=8, block=None):
    return {"name": name, "format": fmt, "args": args, "password": password,
            "timeout": timeout, "block": block}


# Logins race only between endpoints of one direction that may both be
# rejected first; the wrong-password case therefore probes one incoming
# endpoint (the rejection is always IMAP's) and two outgoing ones (skipped).
CASES = [
    case("healthy", "json", CA + USER + ["-4", HOST], PASSWORD),
    case("healthy", "prometheus", CA + USER + ["-4", HOST], PASSWORD),
    case("healthy-ports-all-ipv6", "json", CA + USER + ["-6", "--ports", "all", HOST], PASSWORD),
    case("dropped-587", "json", CA + ["-4", HOST], timeout=3, block="587"),
    case("dropped-587", "prometheus", CA + ["-4", HOST], timeout=3, block="587"),
    case("wrong-password", "json",
         CA + USER + ["-4", "--endpoint", "imap:993:tls", "--endpoint", "smtp:587:starttls",
                      "--endpoint", "smtp:465:tls", HOST], "wrong-" + PASSWORD),
    case("expired-cert", "json",
         CA + USER + ["--resolve", "%s:*:%s" % (HOST, E["LAB_ADDR_EXPIRED"]), HOST], PASSWORD),
]


def case_file(c):
    ext = {"json": "json", "prometheus": "prom"}[c["format"]]
    return os.path.join(GOLDEN_DIR, "%s.%s.golden" % (c["name"], ext))


def shown_args(c):
    """The command line as the golden file states it (paths of this checkout out)."""
    full = ["--timeout", str(c["timeout"])] + c["args"] + ["--format", c["format"]]
    return " ".join("<LAB_CA>" if a == E["LAB_CA"] else a for a in full)


def run_case(c):
    """The golden text of one run of the case: header lines and the output."""
    if c["block"]:
        subprocess.run(["sh", LAB, "block", c["block"], "drop"], check=True)
    try:
        r = probe(c["args"] + ["--format", c["format"]], password=c["password"],
                  timeout=c["timeout"])
    finally:
        if c["block"]:
            subprocess.run(["sh", LAB, "unblock"], check=True)
    head = "## mailprobe %s\n## exit %d\n" % (shown_args(c), r.rc)
    head += "".join("## stderr: %s\n" % norm_text(l) for l in r.err.split("\n") if l)
    return head + NORMALISE[c["format"]](r.out)


def compare(want, got, label):
    """True when equal; otherwise prints a unified diff."""
    if want == got:
        return True
    diff = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                "golden/" + label, "this run/" + label)
    sys.stdout.write("".join(diff))
    return False


def test_cases():
    only = [a for a in sys.argv[1:] if not a.startswith("test_")]
    for c in CASES:
        if only and c["name"] not in only:
            continue
        path = case_file(c)
        label = os.path.basename(path)
        for i in range(REPEAT):
            got = run_case(c)
            if UPDATE and i == 0:
                with open(path, "w") as f:
                    f.write(got)
                print("golden: wrote %s" % label)
            if not os.path.exists(path):
                T.check(False, label, "no golden file (UPDATE_GOLDEN=1 makes it)")
                break
            with open(path) as f:
                want = f.read()
            T.check(compare(want, got, label), "%s: matches the golden file (run %d)" %
                    (label, i + 1))


# ---------------------------------------------------------------- the normaliser itself


def golden(name):
    with open(os.path.join(GOLDEN_DIR, name)) as f:
        return f.read()


def body(text):
    return "".join(l for l in text.splitlines(True) if not l.startswith("## "))


def test_normaliser_strict():
    """What the goldens must catch does change the normalised text."""
    doc = json.loads(body(golden("dropped-587.json.golden")))
    base = json_text(json.dumps(doc))
    T.check(base == body(golden("dropped-587.json.golden")), "normalising is idempotent")
    renamed = json.loads(json.dumps(doc).replace('"security"', '"sec"'))
    T.check(json_text(json.dumps(renamed)) != base, "a renamed key fails")
    dropped = dict(doc, findings=[])
    T.check(json_text(json.dumps(dropped)) != base, "a missing finding fails")
    ev = json.loads(json.dumps(doc))
    ev["findings"][0]["evidence"][0]["class"] = "connect_refused"
    T.check(json_text(json.dumps(ev)) != base, "a changed evidence class fails")
    typed = json.loads(json.dumps(doc))
    typed["duration_seconds"] = "3.0"
    T.check(json_text(json.dumps(typed)) != base, "a timing turned string fails")
    prom = body(golden("dropped-587.prom.golden"))
    T.check(prom_text(prom) == prom, "prometheus normalising is idempotent")
    T.check(prom_text(prom.replace('step="connect"', 'stage="connect"')) != prom,
            "a changed label fails")
    T.check(prom_text(prom.replace("mailprobe_step_duration_seconds{",
                                   "mailprobe_step_seconds{")) != prom,
            "a renamed timing metric fails")
    T.check(prom_text(prom.replace("mailprobe_endpoint_up{protocol=\"smtp\",port=\"587\","
                                   "security=\"starttls\",address=\"198.18.0.10\"} 0",
                                   "mailprobe_endpoint_up{protocol=\"smtp\",port=\"587\","
                                   "security=\"starttls\",address=\"198.18.0.10\"} 1")) != prom,
            "a changed non-timing value fails")


def test_normaliser_loose():
    """What varies between two runs does not."""
    a = {"started_at": "2026-12-06T05:35:25Z", "duration_seconds": 0.9, "x": {"seconds": 1e-06},
         "cert": {"not_after": "2027-03-06T05:35:21Z", "days_left": 89, "sha256": "ab" * 32},
         "m": "a2 OK Logout completed (0.001 + 0.000 secs).",
         "e": "certificate expired on 2026-11-06 05:35 UTC"}
    b = {"started_at": "2026-12-07T01:00:00Z", "duration_seconds": 3, "x": {"seconds": 0.25},
         "cert": {"not_after": "2027-03-07T01:00:00Z", "days_left": 90, "sha256": "cd" * 32},
         "m": "a2 OK Logout completed (0.012 + 0.001 secs).",
         "e": "certificate expired on 2026-11-07 01:00 UTC"}
    T.check(json_text(json.dumps(a)) == json_text(json.dumps(b)), "json: varying values")
    T.check(prom_line("probe_duration_seconds 0.08") == prom_line("probe_duration_seconds 3"),
            "prometheus: timings")
    T.check(prom_line("probe_ssl_earliest_cert_expiry 1804311321") ==
            prom_line("probe_ssl_earliest_cert_expiry 1804400000"), "prometheus: expiry")


def main():
    tests = [test_cases, test_normaliser_strict, test_normaliser_loose]
    return mptest.run_tests(T, tests, [sys.argv[0]] + [a for a in sys.argv[1:]
                                                       if a.startswith("test_")])


if __name__ == "__main__":
    sys.exit(main())
