# `make bench`: mailprobe side by side with the tools users have today
# (tests/bench/RESULTS.md). Included by the top Makefile:
#   include tests/bench/bench.mk
# Full run ~7-10 minutes, writes tests/bench/RESULTS.md. BENCH_QUICK=1
# (`make bench BENCH_QUICK=1`) runs a reduced version in ~2 minutes and writes
# build/bench/RESULTS-quick.md. BENCH_ONLY=c5,soak runs only those checks
# (build/bench/RESULTS-partial.md); BENCH_RENDER=build/bench/results.json
# writes an earlier run's report again (build/bench/RESULTS-rendered.md)
# without measuring, after a change to the report's text. Needs root
# (network namespaces, nftables).
.PHONY: bench bench-deps

bench-deps:
	@sh tests/deps.sh
	@sh tests/bench/deps.sh

# deps first in their own step: pkg-config flags are read when make starts.
bench: bench-deps
	@$(MAKE) -s all
	@BENCH_QUICK="$(BENCH_QUICK)" sh tests/bench/run.sh
