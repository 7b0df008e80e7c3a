-- wrk script: counts responses by status class in every thread and prints
-- one line "statuses 200=N 503=N other=N" at the end.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	ok, busy, other = 0, 0, 0
end

function response(status, headers, body)
	if status == 200 then
		ok = ok + 1
	elseif status == 503 then
		busy = busy + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local o, b, x = 0, 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		b = b + t:get("busy")
		x = x + t:get("other")
	end
	io.write(string.format("statuses 200=%d 503=%d other=%d errors=%d\n", o, b, x,
		summary.errors.connect + summary.errors.read + summary.errors.write +
		summary.errors.timeout))
	io.write(string.format("latency p50=%.1fms p99=%.1fms rps=%.0f\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.requests / (summary.duration / 1e6)))
end
