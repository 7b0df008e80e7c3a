#!/bin/sh
# make load: /metrics and /probe of mailprobe_exporter under 100 concurrent
# connections for LOAD_SECONDS (default 20) each, with wrk, on loopback.
# Fails on any failed request other than the documented 503 (probe pool
# full), and on RSS or descriptor growth over the bounds (measured after a
# 5 s warm-up per route, which grows thread pools and malloc arenas). Prints a Markdown
# table. Every target is 127.0.0.1 (a refused port: the cheapest probe).
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${LOAD_SECONDS:-20}
EXPORTER=${MAILPROBE_EXPORTER_BIN:-bin/mailprobe_exporter}
RSS_GROWTH_MAX_KB=${LOAD_RSS_GROWTH_KB:-32768}
dir=$(mktemp -d /tmp/mp-load.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
command -v wrk >/dev/null || { echo "load: wrk missing (apt-get install wrk)"; exit 1; }

# 100 scheduled targets (a refused port each), a cheap /probe module
/usr/bin/python3 - "$dir/config.json" <<'PY'
import json, sys
targets = [{"name": "t%03d" % i, "host": "127.0.0.1", "module": "cheap", "interval": "10s",
            "labels": {"n": str(i)}} for i in range(100)]
json.dump({"modules": {"cheap": {"endpoints": ["smtp:1:starttls", "imap:1:tls"],
                                 "timeout": "2s"}},
           "targets": targets, "allow": ["127.0.0.1"],
           "web": {"max_concurrent_probes": 32}}, open(sys.argv[1], "w"))
PY
"$EXPORTER" --config.file "$dir/config.json" --web.listen-address "127.0.0.1:$port" \
	--log.level warn >"$dir/exporter.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
n=0
until curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; do
	n=$((n + 1))
	[ $n -lt 100 ] || { echo "load: exporter not ready"; cat "$dir/exporter.log"; exit 1; }
	sleep 0.1
done
sleep 1

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }

rc=0
echo "| route | connections | seconds | requests/s | p50 | p99 | 200 | 503 | other/errors | RSS before → after (KiB) | fds before → after |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for route in "/metrics" "/probe?target=127.0.0.1&module=cheap"; do
	# warm-up: thread pools, malloc arenas and buffers reach their size
	wrk -t 4 -c 100 -d 5s "http://127.0.0.1:$port$route" >/dev/null 2>&1
	sleep 1
	r0=$(rss)
	f0=$(fds)
	out=$(wrk -t 4 -c 100 -d "${SECONDS_EACH}s" --timeout 10s -s tests/load/status.lua \
		"http://127.0.0.1:$port$route" 2>&1)
	sleep 2
	r1=$(rss)
	f1=$(fds)
	st=$(echo "$out" | grep '^statuses')
	lat=$(echo "$out" | grep '^latency')
	ok=$(echo "$st" | sed 's/.*200=\([0-9]*\).*/\1/')
	busy=$(echo "$st" | sed 's/.*503=\([0-9]*\).*/\1/')
	other=$(echo "$st" | sed 's/.*other=\([0-9]*\).*/\1/')
	errs=$(echo "$st" | sed 's/.*errors=\([0-9]*\).*/\1/')
	p50=$(echo "$lat" | sed 's/.*p50=\([^ ]*\).*/\1/')
	p99=$(echo "$lat" | sed 's/.*p99=\([^ ]*\).*/\1/')
	rps=$(echo "$lat" | sed 's/.*rps=\([^ ]*\).*/\1/')
	echo "| \`${route%%\?*}\` | 100 | $SECONDS_EACH | $rps | $p50 | $p99 | $ok | $busy | $other/$errs | $r0 → $r1 | $f0 → $f1 |"
	if [ "${other:-1}" != 0 ] || [ "${errs:-1}" != 0 ] || [ "${ok:-0}" = 0 ]; then
		echo "load: $route: failed requests other than 503: $st"
		rc=1
	fi
	if [ $((r1 - r0)) -gt "$RSS_GROWTH_MAX_KB" ]; then
		echo "load: $route: RSS grew by $((r1 - r0)) KiB (bound $RSS_GROWTH_MAX_KB)"
		rc=1
	fi
	if [ "$f1" -gt "$((f0 + 4))" ]; then
		echo "load: $route: descriptors grew from $f0 to $f1"
		rc=1
	fi
done
kill -0 $pid 2>/dev/null || { echo "load: the exporter died"; rc=1; }
exit $rc
