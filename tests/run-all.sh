#!/bin/sh
# Every test that needs no human, as `make test` runs them: unit tests, the
# same under ASan+UBSan, hostile servers (plain and sanitized build), and
# the lab suite against real Dovecot and Postfix. Each program ends with
# "N passed, N failed"; this script adds them up into the last line.
set -u
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
OUT=tests/out
mkdir -p "$OUT"
: > "$OUT/summary"
rc=0

suite() {
	name=$1
	shift
	echo "== $name"
	t0=$(date +%s)
	log="$OUT/$(echo "$name" | tr ' /()+' '_____').log"
	"$@" > "$log" 2>&1
	status=$?
	grep -v '^[0-9]* passed, [0-9]* failed$' "$log" | grep -E 'FAIL|ERROR|error|Sanitizer' | head -40
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" |
		awk '{p += $1; f += $3} END {if (NR) print p " passed, " f " failed"}')
	if [ -z "$line" ]; then
		echo "   no result line (exit $status); last lines:"
		tail -15 "$log" | sed 's/^/   /'
		line="0 passed, 1 failed"
	elif [ "$status" -ne 0 ] && echo "$line" | grep -q ' 0 failed$'; then
		line="$(echo "$line" | cut -d' ' -f1) passed, 1 failed"
	fi
	echo "   $name: $line ($(($(date +%s) - t0)) s)"
	echo "$line" >> "$OUT/summary"
	[ "$status" -eq 0 ] || rc=1
}

# The suites that use the lab (one per machine: fixed namespaces) hold a
# lock while they run, so two test runs on one machine take turns instead of
# tearing down each other's lab. CI runs alone and never waits.
LAB_LOCK=${MP_LAB_LOCK:-/tmp/mp-lab.lock}

# Whether a process of ours (this shell or one that started it, such as
# `flock /tmp/mp-lab.lock make test`) holds the lock already.
lock_held_by_us() {
	[ -e "$LAB_LOCK" ] || return 1
	ino=$(stat -c %i "$LAB_LOCK")
	holder=$(awk -v ino=":$ino " 'index($0, ino) && $2 != "->" {print $5}' /proc/locks | head -1)
	[ -n "$holder" ] || return 1
	p=$$
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$holder" ] && return 0
		p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
	done
	return 1
}

lab() {
	if lock_held_by_us; then
		"$@"
	else
		flock -o "$LAB_LOCK" "$@"
	fi
}

suite "layers" $PY tests/tools/check_layers.py
suite "fiber waits" $PY tests/tools/check_waits.py
suite "German step messages" $PY tests/tools/check_step_words.py
suite "docs" $PY tests/tools/check_docs.py
suite "unit" make -s unit
suite "unit ASan+UBSan" make -s unit-asan
suite "cli" $PY tests/cli/test_cli.py
suite "cli ASan+UBSan" env MAILPROBE_BIN=build/asan/bin/mailprobe MAILPROBE_SANITIZED=1 \
	$PY tests/cli/test_cli.py
suite "hostile" $PY tests/hostile/test_hostile.py
suite "hostile ASan+UBSan" env MAILPROBE_BIN=build/asan/bin/mailprobe MAILPROBE_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $PY tests/hostile/test_hostile.py
suite "wire" $PY tests/hostile/test_wire.py
suite "trust" $PY tests/hostile/test_trust.py
suite "trust ASan+UBSan" env MAILPROBE_BIN=build/asan/bin/mailprobe MAILPROBE_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $PY tests/hostile/test_trust.py
suite "wire ASan+UBSan" env MAILPROBE_BIN=build/asan/bin/mailprobe MAILPROBE_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $PY tests/hostile/test_wire.py
suite "fuzz smoke" sh tests/fuzz/run-smoke.sh
suite "windows build + cli (wine)" sh tests/win/run-tests.sh cli
suite "dist" $PY tests/dist/test_dist.py
suite "exporter e2e" lab sh tests/e2e/run-tests.sh
suite "exporter e2e ASan+UBSan" lab env MAILPROBE_EXPORTER_BIN=build/asan/bin/mailprobe_exporter \
	MAILPROBE_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 sh tests/e2e/run-tests.sh
suite "lab" lab sh tests/lab/run-tests.sh
suite "windows lab (wine)" lab sh tests/win/run-tests.sh lab
suite "deploy" lab sh tests/deploy/run-tests.sh

passed=$(awk '{p += $1} END {print p + 0}' "$OUT/summary")
failed=$(awk '{f += $3} END {print f + 0}' "$OUT/summary")
echo "== total"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || rc=1
exit $rc
