#!/usr/bin/python3
"""deploy/kubernetes: every manifest parses (python3-yaml) and the pieces
fit: kustomization lists every file; selectors match labels; the config in
the ConfigMap passes `mailprobe_exporter --config.check` with the Secret's
keys as $CREDENTIALS_DIRECTORY; its listen port is the container port the
Service, probes, ServiceMonitor and Probe use; the config and the Secret
are mounted where the args and CREDENTIALS_DIRECTORY say; the pod runs as
the Containerfile's user, without privileges; the Probe's module and hosts
are ones the config knows.
"""
import base64
import fnmatch
import json
import os
import re
import shutil
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deplib  # noqa: E402
from deplib import run  # noqa: E402

T = deplib.Counter("kubernetes")
K8S = os.path.join(deplib.DEPLOY, "kubernetes")
DIRS = []


def load():
    docs = {}
    for name in sorted(os.listdir(K8S)):
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(K8S, name)) as f:
            try:
                for d in yaml.safe_load_all(f):
                    if d:
                        docs.setdefault(d.get("kind"), []).append((name, d))
            except yaml.YAMLError as e:
                T.check(False, "%s parses" % name, str(e)[:300])
    return docs


DOCS = load()


def one(kind):
    items = DOCS.get(kind, [])
    return items[0][1] if len(items) == 1 else None


def test_parse_and_kinds():
    for kind in ("Kustomization", "ConfigMap", "Secret", "Deployment", "Service", "ServiceMonitor",
                 "Probe"):
        T.check(len(DOCS.get(kind, [])) == 1, "exactly one %s" % kind,
                str([n for n, _ in DOCS.get(kind, [])]))
    k = one("Kustomization")
    files = sorted(n for n in os.listdir(K8S) if n.endswith(".yaml") and n != "kustomization.yaml")
    T.check(k and sorted(k.get("resources", [])) == files, "kustomization lists every manifest",
            str(k and k.get("resources")))
    ns = {d["metadata"].get("namespace") for kind, items in DOCS.items() if kind != "Kustomization"
          for _, d in items}
    T.check(ns == {k.get("namespace") if k else None}, "one namespace everywhere", str(ns))
    for kind in ("Probe", "ServiceMonitor"):
        d = one(kind)
        T.check(d and d.get("apiVersion") == "monitoring.coreos.com/v1",
                "%s is monitoring.coreos.com/v1" % kind)


def pod():
    dep = one("Deployment")
    return dep, dep["spec"]["template"]["spec"], dep["spec"]["template"]["spec"]["containers"][0]


def config():
    cm = one("ConfigMap")
    return json.loads(cm["data"]["exporter.json"])


def secret_data():
    s = one("Secret")
    data = dict(s.get("stringData", {}))
    for k, v in (s.get("data") or {}).items():
        data[k] = base64.b64decode(v).decode()
    return data


def test_config_checks():
    try:
        cfg = config()
    except (ValueError, KeyError, TypeError) as e:
        T.check(False, "the ConfigMap holds exporter.json as JSON", str(e))
        return
    d = deplib.tmpdir("k8s")
    DIRS.append(d)
    creds = os.path.join(d, "creds")
    os.makedirs(creds)
    for k, v in secret_data().items():
        with open(os.path.join(creds, k), "w") as f:
            f.write(v)
        os.chmod(os.path.join(creds, k), 0o400)  # the volume's defaultMode
    path = os.path.join(d, "exporter.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    rc, out, err = run([deplib.EXPORTER, "--config.check", "--config.file", path], timeout=20,
                       env=dict(os.environ, CREDENTIALS_DIRECTORY=creds))
    T.check(rc == 0 and "warning" not in err, "ConfigMap config passes --config.check with the Secret",
            out + err)
    pw = set()
    for m in cfg.get("modules", {}).values():
        if "credentials" in m:
            pw.add(m["credentials"]["password_file"])
    for t in cfg.get("targets", []):
        if "credentials" in t:
            pw.add(t["credentials"]["password_file"])
    T.check(pw and all(not p.startswith("/") for p in pw) and pw <= set(secret_data()),
            "every password_file is a relative name and a key of the Secret",
            "%s vs %s" % (sorted(pw), sorted(secret_data())))
    T.check(not cfg.get("web", {}).get("basic_auth_users"),
            "no basic auth in the config (the kubelet probes and the Probe send none)")


def listen_port(cfg):
    listen = cfg.get("listen", ":9925")
    if isinstance(listen, list):
        listen = listen[0]
    return int(listen.rsplit(":", 1)[1])


def test_ports_and_probes():
    dep, spec, c = pod()
    port = listen_port(config())
    ports = c.get("ports", [])
    T.check(len(ports) == 1 and ports[0]["containerPort"] == port,
            "the container port is the config's listen port %d" % port, str(ports))
    pname = ports[0].get("name") if ports else None
    for kind, path in (("livenessProbe", "/-/healthy"), ("readinessProbe", "/-/ready")):
        p = c.get(kind, {}).get("httpGet", {})
        T.check(p.get("path") == path and p.get("port") in (pname, port),
                "%s: GET %s on the container port" % (kind, path), str(p))
    svc = one("Service")
    sp = svc["spec"]["ports"]
    T.check(len(sp) == 1 and sp[0].get("targetPort") in (pname, port) and sp[0]["port"] == port,
            "the Service forwards %d to the container port" % port, str(sp))
    sm = one("ServiceMonitor")
    ep = sm["spec"]["endpoints"]
    T.check(len(ep) == 1 and ep[0].get("port") == sp[0].get("name") and ep[0].get("path") == "/metrics",
            "the ServiceMonitor scrapes /metrics on the Service's named port", str(ep))
    probe = one("Probe")
    url = probe["spec"]["prober"]["url"]
    want = "%s.%s.svc:%d" % (svc["metadata"]["name"], svc["metadata"]["namespace"], sp[0]["port"])
    T.check(url == want and probe["spec"]["prober"].get("path", "/probe") == "/probe",
            "the Probe's prober is the Service (%s) on /probe" % want, url)


def test_labels_and_selectors():
    dep, spec, c = pod()
    pod_labels = dep["spec"]["template"]["metadata"]["labels"]
    sel = dep["spec"]["selector"]["matchLabels"]
    T.check(all(pod_labels.get(k) == v for k, v in sel.items()), "Deployment selector matches its pods")
    svc = one("Service")
    T.check(all(pod_labels.get(k) == v for k, v in svc["spec"]["selector"].items()),
            "Service selector matches the pods")
    sm = one("ServiceMonitor")
    T.check(all(svc["metadata"]["labels"].get(k) == v
                for k, v in sm["spec"]["selector"]["matchLabels"].items()),
            "ServiceMonitor selector matches the Service")
    T.check(dep["spec"].get("replicas") == 1, "one replica (scheduled targets are probed once)")


def test_mounts():
    dep, spec, c = pod()
    args = c.get("args", [])
    cfg_file = None
    for i, a in enumerate(args):
        if a == "--config.file" and i + 1 < len(args):
            cfg_file = args[i + 1]
        elif a.startswith("--config.file="):
            cfg_file = a.split("=", 1)[1]
    T.check(cfg_file is not None, "args name --config.file", str(args))
    mounts = {m["name"]: m for m in c.get("volumeMounts", [])}
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    cm = one("ConfigMap")
    cfgvol = [n for n, v in vols.items() if v.get("configMap", {}).get("name") == cm["metadata"]["name"]]
    if T.check(len(cfgvol) == 1 and cfgvol[0] in mounts, "the ConfigMap is mounted", str(vols)):
        m, v = mounts[cfgvol[0]], vols[cfgvol[0]]
        items = {i["path"]: i["key"] for i in v["configMap"].get("items", [])} or \
            {k: k for k in cm["data"]}
        rel = os.path.relpath(cfg_file or "", m["mountPath"])
        T.check(items.get(rel) == "exporter.json" and m.get("readOnly"),
                "--config.file %s is the ConfigMap's exporter.json, read-only" % cfg_file,
                "%s %s" % (m, items))
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    sec = one("Secret")
    secvol = [n for n, v in vols.items() if v.get("secret", {}).get("secretName") == sec["metadata"]["name"]]
    if T.check(len(secvol) == 1 and secvol[0] in mounts, "the Secret is mounted", str(vols)):
        m = mounts[secvol[0]]
        T.check(env.get("CREDENTIALS_DIRECTORY") == m["mountPath"] and m.get("readOnly"),
                "CREDENTIALS_DIRECTORY is the Secret's read-only mount",
                "%s vs %s" % (env.get("CREDENTIALS_DIRECTORY"), m["mountPath"]))
        mode = vols[secvol[0]]["secret"].get("defaultMode")
        T.check(mode is not None and mode & 0o077 == 0, "Secret files are not group/world readable",
                oct(mode or 0))


def test_security_context():
    dep, spec, c = pod()
    psc, csc = spec.get("securityContext", {}), c.get("securityContext", {})
    T.check(psc.get("runAsNonRoot") is True, "runAsNonRoot")
    with open(os.path.join(deplib.DEPLOY, "container", "Containerfile")) as f:
        cf = f.read()
    user = re.findall(r"^USER (\d+)", cf, re.M)
    T.check(user and psc.get("runAsUser") == int(user[-1]), "runAsUser is the Containerfile's USER",
            "%s vs %s" % (psc.get("runAsUser"), user))
    T.check(csc.get("allowPrivilegeEscalation") is False and csc.get("readOnlyRootFilesystem") is True
            and csc.get("capabilities", {}).get("drop") == ["ALL"],
            "no privilege escalation, read-only root, all capabilities dropped", str(csc))
    T.check(psc.get("fsGroup") is not None and psc.get("fsGroup") == psc.get("runAsGroup"),
            "fsGroup is the pod's group (the kubelet makes the Secret files readable to it)")
    T.check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "seccomp RuntimeDefault")
    T.check(spec.get("automountServiceAccountToken") is False, "no service account token")


def test_probe_and_monitor_targets():
    cfg = config()
    probe = one("Probe")
    spec = probe["spec"]
    module = spec.get("module")
    T.check(module == "default" or module in cfg.get("modules", {}),
            "the Probe's module %s is in the config" % module)
    hosts = spec["targets"]["staticConfig"]["static"]
    known = {t["host"] for t in cfg.get("targets", [])}
    allow = cfg.get("allow", [])

    def allowed(h):
        return h in known or any(fnmatch.fnmatch(h, a) if a.startswith("*.") else h == a for a in allow)

    T.check(hosts and all(allowed(h) for h in hosts), "the Probe's hosts are targets or allowed",
            str(hosts))
    T.check(spec["targets"]["staticConfig"].get("labels", {}).get("vantage"), "the Probe sets vantage")
    sm = one("ServiceMonitor")
    rl = sm["spec"]["endpoints"][0].get("relabelings", [])
    T.check(any(r.get("targetLabel") == "vantage" and r.get("replacement") for r in rl),
            "the ServiceMonitor sets vantage")
    # the job names the alert rules expect
    T.check(spec.get("jobName") == "mailprobe_probe", "the Probe's job is mailprobe_probe")
    T.check(any(r.get("targetLabel") == "job" and r.get("replacement") == "mailprobe_exporter"
                for r in rl), "the ServiceMonitor's job is mailprobe_exporter")
    with open(os.path.join(deplib.DEPLOY, "prometheus", "mailprobe.rules.yml")) as f:
        rules = f.read()
    T.check("mailprobe_exporter|mailprobe_probe" in rules, "the rules know both job names")


def main():
    try:
        return deplib.run_tests(T, [test_parse_and_kinds, test_config_checks, test_ports_and_probes,
                                    test_labels_and_selectors, test_mounts, test_security_context,
                                    test_probe_and_monitor_targets], sys.argv)
    finally:
        for d in DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
