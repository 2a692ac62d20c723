#!/usr/bin/env bash
# Fuzz for as long as you like: tests/fuzz/run.sh [seconds-per-target]
# (default 600).  Builds the targets with clang in build-fuzz/; new inputs
# that find new coverage are added to the seed corpora in tests/fuzz/corpus/
# (fuzz_proto's to build-fuzz/corpus-proto, see below),
# and crashes are left as crash-* files in build-fuzz/ to become regression
# seeds.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-600}
CC=clang cmake -S . -B build-fuzz -DSLATE_FUZZ=ON -DSLATE_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_ask fuzz_load fuzz_proto
cd build-fuzz
./fuzz_ask -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
	../tests/fuzz/corpus/ask
./fuzz_load -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
	../tests/fuzz/corpus/kb ../tests/fuzz/corpus/pat
# The protocol target's inputs are whole conversations and its corpus grows
# fast: new inputs go to build-fuzz/corpus-proto; fold the ones that add
# coverage into the seeds with
#   build-fuzz/fuzz_proto -merge=1 tests/fuzz/corpus/proto build-fuzz/corpus-proto
mkdir -p corpus-proto
./fuzz_proto -max_total_time="$secs" -timeout=10 -rss_limit_mb=3072 \
	-print_final_stats=1 corpus-proto ../tests/fuzz/corpus/proto
