#!/bin/sh
# mailprobe under valgrind memcheck: definite leaks and memory errors make
# it exit 99 (make test-valgrind points the lab suite's MAILPROBE_BIN here).
here=$(cd "$(dirname "$0")/../.." && pwd)
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-fds=no --log-file="$here/tests/out/valgrind.%p.log" \
	"$here/bin/mailprobe" "$@"
