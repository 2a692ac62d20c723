#!/usr/bin/env bash
# valgrind memcheck over the protocol tests: every slated the tests start
# runs under memcheck (full leak check; definite and indirect leaks count
# as errors), and a test fails if its slated's report is not "0 errors".
# Counts are scaled down (SLATE_TEST_SCALE, default 0.1: 1,000 connection
# cycles instead of 10,000 and so on) and time limits scaled up, since
# everything runs 20 to 50 times slower.  Builds without sanitizers in
# build-valgrind/ (valgrind and ASan do not mix).  A summary of every report
# is printed at the end.  Usage: tests/valgrind.sh [test files...]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 2; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	npm ci --no-audit --no-fund
fi
build=${SLATE_VALGRIND_BUILD:-build-valgrind}
case $build in /*) ;; *) build="$PWD/$build" ;; esac
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSLATE_WERROR=ON \
	-DSLATE_SANITIZE=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target slated slate
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"
export SLATED_VALGRIND="$logs" SLATED="$build/slated" SLATE="$build/slate" \
	SLATE_TEST_SCALE="${SLATE_TEST_SCALE:-0.1}"
if [ $# -eq 0 ]; then
	set -- tests/protocol/*.test.js
fi
status=0
node --test "$@" || status=$?

# Every report: how many, errors, leaks.  Killed runs (kill -9 tests) have
# no summary and are listed as such.
runs=0 clean=0 killed=0 bad=0
for f in "$logs"/slated.*.log; do
	[ -e "$f" ] || continue
	runs=$((runs + 1))
	if grep -q "ERROR SUMMARY: 0 errors" "$f"; then
		clean=$((clean + 1))
	elif grep -q "ERROR SUMMARY" "$f"; then
		bad=$((bad + 1))
		echo "valgrind: errors in $f" >&2
		grep -E "definitely lost|indirectly lost|Invalid|uninitialised|ERROR SUMMARY" "$f" >&2 || true
	else
		killed=$((killed + 1))
	fi
done
echo "valgrind: $runs slated runs: $clean clean, $bad with errors, $killed killed before a report"
[ "$bad" -eq 0 ] || status=1
exit "$status"
