#!/usr/bin/env bash
# Every test: unit, knowledge checks, conversations, protocol and browser
# tests, all under AddressSanitizer and UndefinedBehaviorSanitizer with
# warnings as errors; the fuzz targets briefly; the engine and the CLI
# without libwebsockets; the protocol tests again under valgrind memcheck.  Run from anywhere inside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	npm ci --no-audit --no-fund
fi
build=${SLATE_TEST_BUILD:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSLATE_WERROR=ON \
	-DSLATE_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
# Leaks are errors too; libwebsockets' own one-time allocations are not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j 2 "$@"

# Fuzzing: replay the seed corpora and fuzz each target briefly (clang and
# libFuzzer from Debian's clang and libclang-rt-14-dev).
if command -v clang >/dev/null; then
	fuzz=${SLATE_FUZZ_BUILD:-build-fuzz}
	CC=clang cmake -S . -B "$fuzz" -DCMAKE_BUILD_TYPE=Debug -DSLATE_FUZZ=ON \
		-DSLATE_SANITIZE=ON -DSLATE_WERROR=ON >/dev/null
	targets=$(cmake --build "$fuzz" --target help | grep -o 'fuzz_[a-z_]*' | sort -u)
	# shellcheck disable=SC2086
	cmake --build "$fuzz" -j "$(nproc)" --target $targets
	ctest --test-dir "$fuzz" --output-on-failure -R '^fuzz_'
else
	echo "clang not found: fuzz targets skipped" >&2
fi

# The engine and the CLI without libwebsockets: built and tested with the
# library hidden from pkg-config and the compiler (tests/nolws.sh).
bash tests/nolws.sh "${SLATE_NOLWS_BUILD:-build-nolws}"

# valgrind memcheck over the protocol tests, in a build of its own without
# sanitizers: no errors and no leaks in any slated (tests/valgrind.sh).
bash tests/valgrind.sh
