#!/bin/sh
# Starts the lab (or reuses a running one), runs the lab suites (engine,
# diagnosis, discovery, golden outputs, OAuth2; then the routed lab's path facts,
# which starts and stops tests/lab/routed.sh itself), and stops the lab again
# if this script started it, even when a test fails.
set -u
cd "$(dirname "$0")/../.."
if sh tests/lab/lab.sh status >/dev/null 2>&1; then
	started=no
else
	started=yes
	trap 'sh tests/lab/lab.sh stop >/dev/null 2>&1' EXIT INT TERM
fi
if ! sh tests/lab/lab.sh start; then
	echo "lab did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
rc=0
/usr/bin/python3 tests/lab/test_lab.py || rc=1
/usr/bin/python3 tests/lab/test_diagnosis.py || rc=1
/usr/bin/python3 tests/lab/test_control.py || rc=1
/usr/bin/python3 tests/lab/test_discovery.py || rc=1
/usr/bin/python3 tests/lab/test_golden.py || rc=1
/usr/bin/python3 tests/lab/test_servers.py || rc=1
/usr/bin/python3 tests/lab/test_verdicts.py || rc=1
/usr/bin/python3 tests/lab/test_fail2ban.py || rc=1
/usr/bin/python3 tests/lab/test_moreservers.py || rc=1
/usr/bin/python3 tests/lab/test_oauth.py || rc=1
/usr/bin/python3 tests/lab/test_path.py || rc=1
[ "$started" = yes ] && echo "lab: stopping the lab this run started"
exit $rc
