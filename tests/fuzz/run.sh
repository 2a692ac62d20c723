#!/usr/bin/env bash
# Fuzz for as long as you like: tests/fuzz/run.sh [seconds-per-target]
# (default 600).  Builds the targets with clang in build-fuzz/; new inputs
# that find new coverage are added to the seed corpora in tests/fuzz/corpus/,
# and crashes are left as crash-* files in build-fuzz/ to become regression
# seeds.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-600}
CC=clang cmake -S . -B build-fuzz -DSLATE_FUZZ=ON -DSLATE_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_ask fuzz_load
cd build-fuzz
./fuzz_ask -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
	../tests/fuzz/corpus/ask
./fuzz_load -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
	../tests/fuzz/corpus/kb ../tests/fuzz/corpus/pat
