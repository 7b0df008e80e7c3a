#!/bin/sh
# The fuzz smoke test for tests/run-all.sh: builds every libFuzzer target
# (clang + libclang-rt-14-dev), runs each over its seed corpus plus a fixed
# number of runs with a fixed seed (make fuzz-smoke), and ends with
# "N passed, N failed", one count per target. A target that does not build
# counts as failed.
set -u
cd "$(dirname "$0")/../.."
MAKE=${MAKE:-make}
targets=$($MAKE -s --no-print-directory fuzz-targets)
if [ -z "$targets" ]; then
	echo "no fuzz targets (tests/fuzz/build.mk not included?)"
	echo "0 passed, 1 failed"
	exit 1
fi
ok=
bad=0
$MAKE -s --no-print-directory -k -j2 fuzz-build || echo "fuzz build failed (see above)"
for t in $targets; do
	# Built now and up to date, or it counts as failed (never a stale binary).
	if $MAKE -s --no-print-directory -q "build/fuzz/fuzz_$t" 2>/dev/null; then
		ok="$ok $t"
	else
		echo "FAIL $t: does not build"
		bad=$((bad + 1))
	fi
done
out=$(mktemp)
# shellcheck disable=SC2086
sh tests/fuzz/run.sh smoke $ok | tee "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
line=$(tail -1 "$out")
rm -f "$out"
p=$(echo "$line" | awk '{print $1 + 0}')
f=$(echo "$line" | awk '{print $3 + 0}')
f=$((f + bad))
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
