#!/bin/sh
# The deploy suite: make install and the man pages, the systemd unit, the
# Containerfile, the Kubernetes manifests, the Prometheus configs and rules,
# the Grafana dashboard, and the multi-vantage end-to-end test (lab + two
# vantage namespaces + a real Prometheus). Each program ends with
# "N passed, N failed"; one that dies without that line is counted here as
# "0 passed, 1 failed". Exit non-zero on any failure. Logs: tests/out/.
# DEPLOY_QUICK=1 skips the container build replay (~30 s).
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=tests/out
mkdir -p "$OUT"
rc=0

for tool in promtool prometheus systemd-analyze man nft; do
	command -v "$tool" >/dev/null 2>&1 ||
		echo "deploy: $tool missing (apt-get install prometheus systemd man-db nftables)"
done

one() {
	limit=$1
	name=$2
	shift 2
	echo "== $name"
	log="$OUT/deploy-$name.log"
	timeout -k 10 "$limit" "$@" >"$log" 2>&1
	status=$?
	cat "$log"
	if ! grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log"; then
		echo "$name: no result line (exit $status)"
		echo "0 passed, 1 failed"
		rc=1
	elif [ "$status" -ne 0 ]; then
		rc=1
	fi
}

one 120 install $PY tests/deploy/test_install.py
one 120 systemd $PY tests/deploy/test_systemd.py
one 400 container $PY tests/deploy/test_container.py
one 60 kubernetes $PY tests/deploy/test_kubernetes.py
one 120 prometheus $PY tests/deploy/test_prometheus.py
one 120 grafana $PY tests/deploy/test_grafana.py
one 300 e2e-vantage $PY tests/deploy/test_e2e_vantage.py
exit $rc
