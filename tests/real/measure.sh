#!/usr/bin/env bash
# Both halves of the real questions, measured the same way: per file the
# cases passed and slate eval's rates (intent accuracy, facts, off-topic
# declined, clarify rate, confident wrong).  The sealed half is for
# measuring only: run this, report the figures, never tune on what its
# failures say.  Usage: measure.sh [SLATE]   (default ./build/slate)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
slate=${1:-$root/build/slate}
for half in tune sealed; do
	echo "== $half"
	for f in "$root"/tests/real/$half/*.jsonl; do
		out=$("$slate" eval --knowledge "$root/knowledge" --patterns \
		    "$root/patterns" "$f" || true)
		grep -E "^$f: [0-9]+ turns" <<<"$out" | sed "s|$root/||"
		echo "  $(tail -1 <<<"$out")"
	done
done
