#!/usr/bin/python3
"""deploy/prometheus: `promtool check config` on every scrape config,
`promtool check rules` and `promtool test rules` (each alert has cases that
fire and cases that must not); the /probe relabelling and a vantage label
on every static group; the alert list deploy/README.md promises; and every
series a rule names is one the exporter emits (or `up`).
"""
import os
import re
import shutil
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("prometheus")
PROM = os.path.join(deplib.DEPLOY, "prometheus")
RULES = os.path.join(PROM, "mailprobe.rules.yml")
RULE_TESTS = os.path.join(PROM, "mailprobe.rules.test.yml")
CONFIGS = ["prometheus.yml", "federation.yml", "remote-write.yml"]
ALERTS = ["MailprobeEndpointDown", "MailprobeLoginFailing", "MailprobeCertificateExpiringSoon",
          "MailprobeCertificateExpired", "MailprobeOutgoingPortBlockedSomeVantages",
          "MailprobeExporterDown", "MailprobeConfigReloadFailed", "MailprobeOAuth2TokenUnavailable"]


def test_promtool_check_config():
    for name in CONFIGS:
        rc, out, err = run(["promtool", "check", "config", name], timeout=60, cwd=PROM)
        T.check(rc == 0 and "SUCCESS" in out, "promtool check config %s" % name, (out + err)[-600:])


def test_promtool_rules():
    rc, out, err = run(["promtool", "check", "rules", RULES], timeout=60)
    T.check(rc == 0 and "SUCCESS: %d rules found" % len(ALERTS) in out, "promtool check rules",
            (out + err)[-600:])
    rc, out, err = run(["promtool", "test", "rules", os.path.basename(RULE_TESTS)], timeout=120,
                       cwd=PROM)
    T.check(rc == 0 and "SUCCESS" in out, "promtool test rules", (out + err)[-1500:])


def test_alert_list_and_tests_cover_each():
    with open(RULES) as f:
        rules = yaml.safe_load(f)
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}
    T.check(sorted(alerts) == sorted(ALERTS), "the alerts are exactly the documented ones",
            str(sorted(alerts)))
    for a, r in alerts.items():
        T.check(r.get("labels", {}).get("severity") in ("warning", "critical"),
                "%s has a severity" % a)
        T.check(r.get("annotations", {}).get("summary") and r["annotations"].get("description"),
                "%s has summary and description" % a)
    exp = alerts.get("MailprobeCertificateExpiringSoon", {}).get("expr", "")
    T.check("14 * 86400" in exp, "certificate warning at 14 days", exp)
    with open(RULE_TESTS) as f:
        tests = yaml.safe_load(f)
    fires, silent = set(), set()
    for t in tests["tests"]:
        for c in t.get("alert_rule_test", []):
            (fires if c.get("exp_alerts") else silent).add(c["alertname"])
    for a in ALERTS:
        T.check(a in fires, "promtool test: %s fires somewhere" % a)
        T.check(a in silent, "promtool test: %s stays silent somewhere" % a)
    with open(os.path.join(deplib.ROOT, "deploy", "README.md")) as f:
        readme = f.read()
    T.check(all("`%s`" % a in readme for a in ALERTS), "deploy/README.md lists every alert",
            str([a for a in ALERTS if "`%s`" % a not in readme]))


def test_rule_series_are_exported():
    with open(RULES) as f:
        rules = yaml.safe_load(f)
    known = deplib.exporter_series_from_source() | {"up"}
    for g in rules["groups"]:
        for r in g["rules"]:
            names = deplib.promql_metric_names(r["expr"])
            T.check(names and names <= known, "%s names only exporter series" % r["alert"],
                    str(sorted(names - known)))


def test_scrape_config_structure():
    with open(os.path.join(PROM, "prometheus.yml")) as f:
        cfg = yaml.safe_load(f)
    jobs = {j["job_name"]: j for j in cfg["scrape_configs"]}
    T.check(set(jobs) == {"mailprobe_exporter", "mailprobe_probe"}, "jobs mailprobe_exporter and mailprobe_probe",
            str(sorted(jobs)))
    for name, j in jobs.items():
        groups = j.get("static_configs", [])
        T.check(groups and all(g.get("labels", {}).get("vantage") for g in groups),
                "%s: every static group has a vantage label" % name)
        vantages = [g["labels"]["vantage"] for g in groups]
        T.check(len(set(vantages)) >= 2, "%s: several vantages" % name, str(vantages))
    p = jobs.get("mailprobe_probe", {})
    T.check(p.get("metrics_path") == "/probe", "mailprobe_probe scrapes /probe")
    rl = [(tuple(r.get("source_labels", [])), r.get("target_label")) for r in p.get("relabel_configs", [])]
    T.check(rl == [(("__address__",), "__param_target"), (("__param_target",), "target"),
                   (("__param_target",), "instance"), (("__tmp_exporter",), "__address__")],
            "relabelling: host -> ?target=, target and instance labels; exporter -> __address__",
            str(rl))
    for g in p.get("static_configs", []):
        T.check(g["labels"].get("__tmp_exporter") and g["labels"].get("__param_module"),
                "group %s names its exporter and module" % g["labels"].get("vantage"))
    # the vantages of the two jobs are the same exporters
    ex = {g["labels"]["vantage"]: g["targets"][0] for g in jobs["mailprobe_exporter"]["static_configs"]}
    pr = {g["labels"]["vantage"]: g["labels"]["__tmp_exporter"] for g in p.get("static_configs", [])}
    T.check(ex == pr, "each vantage's /probe goes to that vantage's exporter", "%s vs %s" % (ex, pr))
    T.check("mailprobe.rules.yml" in cfg.get("rule_files", []), "the rules are loaded")
    st = p.get("scrape_timeout", "10s")
    T.check(re.match(r"^\d+s$", st) and int(st[:-1]) > 10,
            "the /probe scrape timeout leaves room for the module timeout (10 s)", st)


def test_promtool_catches_errors():
    """The checks are not vacuous: a broken rule and a failing test fail."""
    d = deplib.tmpdir("prom")
    try:
        shutil.copy(RULES, d)
        shutil.copy(RULE_TESTS, d)
        path = os.path.join(d, "mailprobe.rules.yml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("< 14 * 86400", "< 7 * 86400"))
        rc, out, err = run(["promtool", "test", "rules", "mailprobe.rules.test.yml"], timeout=120, cwd=d)
        T.check(rc != 0 and "MailprobeCertificateExpiringSoon" in out + err,
                "promtool test rules fails on a changed threshold (self-check)")
        with open(path, "w") as f:
            f.write(text.replace("== 0\n", "== \n", 1))
        rc, out, err = run(["promtool", "check", "rules", path], timeout=60)
        T.check(rc != 0, "promtool check rules fails on bad PromQL (self-check)")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    return deplib.run_tests(T, [test_promtool_check_config, test_promtool_rules,
                                test_alert_list_and_tests_cover_each, test_rule_series_are_exported,
                                test_scrape_config_structure, test_promtool_catches_errors], sys.argv)


if __name__ == "__main__":
    sys.exit(main())
