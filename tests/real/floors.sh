#!/usr/bin/env bash
# The tune half of the real questions must not get worse: each file's
# rates from `slate eval` against the floors below (set a little under
# what was measured; docs in tests/real/README.md).  The sealed half is
# never run here: it is only measured, with tests/real/measure.sh.
# Usage: floors.sh SLATE ROOT
set -euo pipefail
slate=$1 root=$2
bad=0
# file  min-case-pass-%  min-intent-%  max-confident-wrong-%  min-declined-%
while read -r file pass intent wrong declined; do
	out=$("$slate" eval --knowledge "$root/knowledge" --patterns \
	    "$root/patterns" "$root/tests/real/tune/$file.jsonl" || true)
	line=$(grep "tune/$file.jsonl: [0-9]* turns" <<<"$out")
	cases=$(tail -1 <<<"$out")
	got_pass=$(awk '{split($1, a, "/"); printf "%.1f", 100 * a[1] / a[2]}' <<<"$cases")
	got_intent=$(sed -n 's/.*intent [0-9]*\/[0-9]* (\([0-9.]*\)%).*/\1/p' <<<"$line")
	got_wrong=$(sed -n 's/.*confident wrong [0-9]*\/[0-9]* (\([0-9.]*\)%).*/\1/p' <<<"$line")
	got_declined=$(sed -n 's/.*off-topic declined [0-9]*\/[0-9]* (\([0-9.]*\)%).*/\1/p' <<<"$line")
	echo "$file: pass $got_pass% (floor $pass), intent ${got_intent:--}% (floor $intent)," \
	    "confident wrong ${got_wrong:--}% (ceiling $wrong), declined ${got_declined:--}% (floor $declined)"
	awk -v p="$got_pass" -v fp="$pass" -v i="${got_intent:-100}" -v fi="$intent" \
	    -v w="${got_wrong:-0}" -v fw="$wrong" -v d="${got_declined:-100}" -v fd="$declined" \
	    'BEGIN { exit !(p >= fp && i >= fi && w <= fw && d >= fd) }' || {
		echo "  below its floor" >&2
		bad=1
	}
done <<'FLOORS'
questions 48 76 21 0
offtopic 95 95 2 95
sessions 0 60 30 0
FLOORS
exit $bad
