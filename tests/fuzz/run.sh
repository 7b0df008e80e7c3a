#!/bin/sh
# Runs libFuzzer targets built by `make fuzz-build` (tests/fuzz/build.mk).
#   sh tests/fuzz/run.sh smoke NAME...  each over its seed corpus plus
#       FUZZ_RUNS runs (default 20000) with seed FUZZ_SEED (default 1)
#   sh tests/fuzz/run.sh fuzz NAME...   each for FUZZ_SECONDS (default 60)
#       on a fresh scratch copy of its corpus
# The repo corpus tests/fuzz/corpus/NAME is only read: new inputs go to
# build/fuzz/work/NAME/. A target fails on a crash, leak, timeout, sanitizer
# report or a nonzero exit; its log and any crash input stay in
# build/fuzz/work/NAME/. Prints one PASS/FAIL line per target and ends with
# "N passed, N failed"; exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.."
mode=${1:-}
[ $# -gt 0 ] && shift
case $mode in smoke | fuzz) ;; *)
	echo "usage: $0 smoke|fuzz NAME..." >&2
	exit 2
	;;
esac
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
FUZZ_RUNS=${FUZZ_RUNS:-20000}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
# Hang guard for one target's whole run (smoke), on top of -timeout per input.
SMOKE_GUARD=${FUZZ_SMOKE_GUARD:-90}
passed=0
failed=0

for t in "$@"; do
	bin=$FUZZ_DIR/fuzz_$t
	seeds=tests/fuzz/corpus/$t
	work=$FUZZ_DIR/work/$t
	log=$work/$mode.log
	flags=
	[ -f "tests/fuzz/fuzz_$t.flags" ] && flags=$(cat "tests/fuzz/fuzz_$t.flags")
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "FAIL $t: missing $bin or $seeds"
		failed=$((failed + 1))
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	start=$(date +%s)
	if [ "$mode" = smoke ]; then
		# A slow target may ask for fewer smoke runs (tests/fuzz/fuzz_NAME.runs).
		runs=$FUZZ_RUNS
		[ -f "tests/fuzz/fuzz_$t.runs" ] && runs=$(cat "tests/fuzz/fuzz_$t.runs")
		# New inputs land in the empty first directory; seeds are read only.
		# shellcheck disable=SC2086
		timeout -k 5 "$SMOKE_GUARD" "$bin" -runs="$runs" -seed="$FUZZ_SEED" -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
			$flags "$work/corpus" "$seeds" > "$log" 2>&1
		rc=$?
	else
		cp -R "$seeds/." "$work/corpus/"
		# shellcheck disable=SC2086
		"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
			$flags "$work/corpus" > "$log" 2>&1
		rc=$?
	fi
	secs=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	units=$(find "$work/corpus" -type f | wc -l)
	seedn=$(find "$seeds" -type f | wc -l)
	what="${runs:-?} runs, ${speed:-?}/s, ${secs} s, $seedn seeds, $units new/kept in $work/corpus"
	if [ "$rc" -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: [A-Za-z]*Sanitizer|invariant violated' "$log"; then
		echo "PASS $t ($what)"
		passed=$((passed + 1))
	else
		[ "$rc" -eq 124 ] && echo "   (killed by the ${SMOKE_GUARD} s guard)"
		echo "FAIL $t (exit $rc; $what); log $log"
		grep -E 'ERROR:|runtime error:|SUMMARY:|invariant violated|^    #[0-9] ' "$log" | head -25 | sed 's/^/   /'
		for a in "$work"/artifacts/*; do
			[ -f "$a" ] && echo "   input: $a"
		done
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
