#!/bin/sh
# The Windows build under Wine (tests/win/test_wine.py says what is compared).
#   sh tests/win/run-tests.sh cli   make windows (the first time also OpenSSL,
#                                   expat, cJSON: tests/win/build-deps.sh), the
#                                   Wine prefix once, the CLI cases
#   sh tests/win/run-tests.sh lab   the lab cases in mp-client; the caller holds
#                                   the lab lock (tests/run-all.sh does); starts
#                                   the lab if it is not running and stops it
#                                   again if it started it
# Wine: WINEPREFIX=build/win/wineprefix (made once, `wineboot -i`, then reused),
# WINEDEBUG=-all. Every Wine process of a lab case runs inside mp-client and the
# wineserver is stopped before and after: Wine's server makes the sockets, so it
# must live in the namespace the probes run in. Other test programs named
# tests/win/test_*.py (such as guided mode under Wine) run in the lab part too,
# with MAILPROBE_WINE set to the wrapper that runs the exe.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
mode=${1:-cli}
export WINEPREFIX="$ROOT/build/win/wineprefix" WINEDEBUG=-all
WINE=$(command -v wine || command -v wine64 || echo /usr/lib/wine/wine64)
WRAPPER=$ROOT/build/win/mailprobe-wine
export MAILPROBE_WINE="$WRAPPER"

fail() {
	echo "$*"
	echo "0 passed, 1 failed"
	exit 1
}

stop_wineserver() {
	wineserver -k 2> /dev/null
	wineserver -w 2> /dev/null
	return 0
}

prepare() {
	[ -x "$WINE" ] || fail "wine missing (tests/deps.sh installs wine, wine64)"
	make -s windows > build/win-make.log 2>&1 || { tail -20 build/win-make.log; fail "make windows failed"; }
	mkdir -p build/win
	printf '#!/bin/sh\nWINEPREFIX=%s WINEDEBUG=-all exec %s %s "$@"\n' "$WINEPREFIX" "$WINE" \
		"$ROOT/bin/mailprobe.exe" > "$WRAPPER"
	chmod +x "$WRAPPER"
	if [ ! -f "$WINEPREFIX/.mp-ready" ]; then
		stop_wineserver
		rm -rf "$WINEPREFIX"
		wineboot -i > /dev/null 2>&1 || fail "wineboot -i failed"
		stop_wineserver
		touch "$WINEPREFIX/.mp-ready"
	fi
}

prepare
stop_wineserver
rc=0
if [ "$mode" = cli ]; then
	/usr/bin/python3 tests/win/test_wine.py cli || rc=1
	stop_wineserver
	exit $rc
fi
if sh tests/lab/lab.sh status > /dev/null 2>&1; then
	started=no
else
	started=yes
	trap 'stop_wineserver; sh tests/lab/lab.sh stop >/dev/null 2>&1' EXIT INT TERM
fi
sh tests/lab/lab.sh start > build/win-lab-start.log 2>&1 || { tail -20 build/win-lab-start.log; fail "lab did not start"; }
/usr/bin/python3 tests/win/test_wine.py lab || rc=1
for t in tests/win/test_*.py; do
	[ "$t" = tests/win/test_wine.py ] && continue
	stop_wineserver
	/usr/bin/python3 "$t" || rc=1
done
stop_wineserver
exit $rc
