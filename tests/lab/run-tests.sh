#!/bin/sh
# Starts the lab (or reuses it), runs the lab suites (engine, then
# diagnosis), and removes the lab again even when a test fails.
set -u
cd "$(dirname "$0")/../.."
trap 'sh tests/lab/lab.sh stop >/dev/null 2>&1' EXIT INT TERM
if ! sh tests/lab/lab.sh start; then
	echo "lab did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
rc=0
/usr/bin/python3 tests/lab/test_lab.py || rc=1
/usr/bin/python3 tests/lab/test_diagnosis.py || rc=1
/usr/bin/python3 tests/lab/test_discovery.py || rc=1
exit $rc
