#!/bin/sh
# The exporter's end-to-end suite: tests/e2e/test_exporter*.py on loopback
# (scripted servers and an HTTPS token server, no lab), then
# tests/e2e/test_e2e_lab.py inside the lab's client namespace (real
# Dovecot/Postfix, real Prometheus, headless Chromium), the screenshot
# checks of the report and the status page (test_screens.py), the text
# output in an 80-column tmux pane (test_terminal.py) and the guided mode
# in a pseudo-terminal (test_guided.py). Starts the lab when it is not
# running and then removes it again on exit; a lab that was already
# running is left as it was.
# Each program ends with "N passed, N failed"; exit non-zero on any failure.
# MAILPROBE_EXPORTER_BIN / MAILPROBE_BIN select other builds (e.g. ASan).
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
LAB="sh tests/lab/lab.sh"
rc=0
started=0

cleanup() {
	if [ "$started" = 1 ]; then
		$LAB stop >/dev/null 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for tool in promtool prometheus chromium tmux; do
	command -v "$tool" >/dev/null 2>&1 || echo "e2e: $tool missing (apt-get install prometheus chromium tmux)"
done

echo "== exporter on loopback"
timeout 240 $PY tests/e2e/test_exporter.py || rc=1

echo "== exporter against an abusive client (slow connections, many parameters, TLS 1.1, guessing)"
timeout 240 $PY tests/e2e/test_exporter_abuse.py || rc=1

echo "== exporter against hostile peers, and 2,000 requests"
timeout 240 $PY tests/e2e/test_exporter_hostile.py || rc=1

echo "== exporter with OAuth2: the refresh grant against an HTTPS token server, a token file"
timeout 240 $PY tests/e2e/test_exporter_oauth.py || rc=1

echo "== exporter against the lab"
if ! $LAB status >/dev/null 2>&1; then
	if ! $LAB start; then
		echo "lab did not start"
		echo "0 passed, 1 failed"
		exit 1
	fi
	started=1
fi
timeout 300 ip netns exec mp-client $PY tests/e2e/test_e2e_lab.py || rc=1

# The looks are the same with a sanitized build: checked once, in the plain run.
if [ "${MAILPROBE_SANITIZED:-0}" != 1 ]; then
	echo "== the report and the status page in Chromium at 1280 and 390 px (tests/out/screens/)"
	timeout 240 ip netns exec mp-client $PY tests/e2e/test_screens.py || rc=1

	echo "== the text output in an 80-column terminal (tmux)"
	timeout 120 ip netns exec mp-client $PY tests/e2e/test_terminal.py || rc=1

	echo "== the guided mode (no arguments) through its prompts in a pseudo-terminal"
	timeout 240 ip netns exec mp-client $PY tests/e2e/test_guided.py || rc=1
fi
exit $rc
