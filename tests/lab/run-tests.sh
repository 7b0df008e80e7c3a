#!/bin/sh
# Starts the lab (or reuses it), runs the lab suite, and removes the lab
# again even when a test fails.
set -u
cd "$(dirname "$0")/../.."
trap 'sh tests/lab/lab.sh stop >/dev/null 2>&1' EXIT INT TERM
if ! sh tests/lab/lab.sh start; then
	echo "lab did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
/usr/bin/python3 tests/lab/test_lab.py "$@"
