#!/usr/bin/python3
"""deploy/grafana/mailprobe.json: parses; has the panels the issue asks for
(status grid per target and vantage, step latency, certificate days left,
findings table); every PromQL expression (panel targets and variable
queries), with the dashboard variables substituted, passes `promtool check
rules` through a generated rule file; every series an expression names is
one the exporter emits: from its source, and cross-checked with a real
scrape of a running exporter (/metrics and /probe on loopback).
"""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402

T = deplib.Counter("grafana")
DASH = os.path.join(deplib.DEPLOY, "grafana", "mailprobe.json")
SUBST = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h",
         "${__rate_interval}": "5m", "${__interval}": "1m", "${__range}": "1h"}
DIRS = []


def load():
    with open(DASH) as f:
        return json.load(f)


def all_panels(d):
    for p in d.get("panels", []):
        yield p
        for q in p.get("panels", []):
            yield q


def variables(d):
    return {v["name"]: v for v in d.get("templating", {}).get("list", [])}


def substitute(expr, vars_):
    out = expr
    for k, v in SUBST.items():
        out = out.replace(k, v)
    for name, v in vars_.items():
        allv = v.get("allValue") or ".*"
        out = out.replace("${%s}" % name, allv).replace("$%s" % name, allv)
    return out


def exprs(d):
    """[(where, expr)] of every PromQL expression, variables substituted;
    label_values(SELECTOR, label) variable queries contribute SELECTOR."""
    vars_ = variables(d)
    out = []
    for p in all_panels(d):
        for t in p.get("targets", []):
            if "expr" in t:
                out.append(("panel %s %s/%s" % (p.get("id"), p.get("title"), t.get("refId")),
                            substitute(t["expr"], vars_)))
    for name, v in vars_.items():
        if v.get("type") != "query":
            continue
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = re.match(r"^\s*label_values\((.*),\s*(\w+)\s*\)\s*$", q or "")
        if T.check(m is not None, "variable %s is a label_values() query" % name, str(q)):
            out.append(("variable %s" % name, substitute(m.group(1), vars_)))
    return out


def test_parses_and_shape():
    d = load()
    T.check(d.get("uid") and d.get("title") and isinstance(d.get("schemaVersion"), int),
            "uid, title, schemaVersion")
    ids = [p.get("id") for p in all_panels(d)]
    T.check(len(ids) == len(set(ids)) and None not in ids, "panel ids are unique", str(ids))
    v = variables(d)
    T.check(v.get("datasource", {}).get("type") == "datasource", "a data source variable")
    T.check({"vantage", "target"} <= set(v), "vantage and target variables", str(sorted(v)))
    for p in all_panels(d):
        if p.get("type") == "row":
            continue
        T.check(p.get("datasource", {}).get("uid") == "${datasource}" and
                all(t.get("datasource", {}).get("uid") == "${datasource}" for t in p.get("targets", [])),
                "panel %s uses the data source variable" % p.get("title"))
    # no two panels overlap on the 24-column grid
    cells = {}
    clash = []
    for p in all_panels(d):
        g = p.get("gridPos", {})
        for x in range(g.get("x", 0), g.get("x", 0) + g.get("w", 0)):
            for y in range(g.get("y", 0), g.get("y", 0) + g.get("h", 0)):
                if (x, y) in cells:
                    clash.append((cells[(x, y)], p.get("id")))
                cells[(x, y)] = p.get("id")
        T.check(g.get("x", 0) + g.get("w", 0) <= 24, "panel %s fits 24 columns" % p.get("id"))
    T.check(not clash, "panels do not overlap", str(sorted(set(clash))[:5]))


def find(d, pred):
    return [p for p in all_panels(d) if pred(p)]


def texprs(p):
    return " ".join(t.get("expr", "") for t in p.get("targets", []))


def test_required_panels():
    d = load()
    grid = find(d, lambda p: p.get("type") in ("stat", "status-history", "state-timeline") and
                re.search(r"by \((target, vantage|vantage, target)\) \(mailprobe_status", texprs(p)))
    T.check(grid, "a status grid of mailprobe_status per target and vantage")
    T.check(any(p.get("type") == "stat" for p in grid), "the status grid has a current-state stat panel")
    lat = find(d, lambda p: p.get("type") == "timeseries" and "mailprobe_step_duration_seconds" in texprs(p))
    T.check(lat and lat[0].get("fieldConfig", {}).get("defaults", {}).get("unit") == "s",
            "a step latency time series in seconds")
    cert = find(d, lambda p: "mailprobe_cert_not_after_timestamp_seconds" in texprs(p) and
                "86400" in texprs(p) and "time()" in texprs(p))
    T.check(cert, "certificate days left")
    if cert:
        steps = cert[0].get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps", [])
        T.check([s.get("value") for s in steps] == [None, 3, 14],
                "certificate thresholds at 3 and 14 days", str(steps))
    fnd = find(d, lambda p: p.get("type") == "table" and "mailprobe_finding" in texprs(p))
    T.check(fnd and all(t.get("format") == "table" and t.get("instant") for t in fnd[0]["targets"]),
            "a findings table (instant, table format)")
    if fnd:
        T.check(re.search(r"by \([^)]*\bid\b[^)]*\bseverity\b", texprs(fnd[0])) is not None and
                "vantage" in texprs(fnd[0]), "the findings table keeps id, severity and vantage")


def test_legend_labels_exist():
    """{{label}} in a legend is a label the expression keeps (its outer by)."""
    d = load()
    for p in all_panels(d):
        for t in p.get("targets", []):
            legend = t.get("legendFormat", "")
            used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", legend))
            m = re.match(r"^\s*\w+ by \(([^)]*)\)", t.get("expr", ""))
            if not used or not m:
                continue
            kept = {x.strip() for x in m.group(1).split(",")}
            T.check(used <= kept, "panel %s legend labels are kept by the query" % p.get("id"),
                    str(sorted(used - kept)))


def test_exprs_valid_with_promtool():
    d = load()
    found = exprs(d)
    T.check(len(found) >= 10, "dashboard has expressions", str(len(found)))
    left = [w for w, e in found if "$" in e]
    T.check(not left, "every variable substituted", str(left))
    folder = deplib.tmpdir("grafana")
    DIRS.append(folder)
    ok, out = deplib.promtool_check_exprs([e for _, e in found], folder, "dashboard")
    T.check(ok, "promtool check rules on every dashboard expression", out[-1500:])
    # self-check: the same path rejects a broken expression
    ok, _ = deplib.promtool_check_exprs(["sum(rate(mailprobe_probes_total[5m])"], folder, "broken")
    T.check(not ok, "promtool rejects a broken expression (self-check)")


def test_series_are_exported():
    d = load()
    source = deplib.exporter_series_from_source()
    folder = deplib.tmpdir("grafana-scrape")
    DIRS.append(folder)
    scraped, types, err = deplib.exporter_series_from_scrape(folder)
    if T.check(not err and scraped, "a real exporter scrape (/metrics, /probe)", err):
        T.check(scraped <= source, "every scraped series is in the source list (list is complete)",
                str(sorted(scraped - source)))
        T.check(all(types.get(n) for n in scraped if not n.endswith(deplib.HISTOGRAM_SUFFIXES)),
                "every scraped series has a TYPE")
    used = set()
    for where, e in exprs(d):
        names = deplib.promql_metric_names(e)
        used |= names
        T.check(names and names <= source, "%s names only exporter series" % where,
                str(sorted(names - source)))
    T.check(deplib.promql_metric_names('up{job="x"} + on() mailprobe_nope') == {"up", "mailprobe_nope"},
            "the name extraction sees every selector (self-check)")
    print("dashboard series: %s" % " ".join(sorted(used)), flush=True)


def main():
    try:
        return deplib.run_tests(T, [test_parses_and_shape, test_required_panels, test_legend_labels_exist,
                                    test_exprs_valid_with_promtool, test_series_are_exported], sys.argv)
    finally:
        for d in DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
