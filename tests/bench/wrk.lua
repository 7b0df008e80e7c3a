-- wrk script for the /probe runs: counts non-200 answers, optionally stops
-- each thread after BENCH_LIMIT responses, prints one machine-readable line.
local non200, n = 0, 0
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
function response(status, headers, body)
  n = n + 1
  if status ~= 200 then non200 = non200 + 1 end
  if limit > 0 and n >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
