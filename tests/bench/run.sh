#!/bin/sh
# Runs the benchmark (tests/bench/bench.py) inside the lab's client
# namespace, after starting the lab (or reusing a running one; it is left
# running for the others who share it). While the bench drops a port (its own
# nftables table mailprobe_bench, matching only the bench's sockets),
# build/bench/blocked-ports exists; this script removes the table on any
# exit, so a killed run leaves no filter behind.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
LAB=$ROOT/tests/lab/lab.sh
WORK=$ROOT/build/bench
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (network namespaces)" >&2; exit 1; }
mkdir -p "$WORK"
cleanup() {
	if [ -e "$WORK/blocked-ports" ]; then
		ip netns exec mp-client nft delete table inet mailprobe_bench 2>/dev/null
		rm -f "$WORK/blocked-ports"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
sh "$LAB" start || exit 1
ip netns exec mp-client /usr/bin/python3 "$ROOT/tests/bench/bench.py" "$@"
