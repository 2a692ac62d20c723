#!/bin/sh
# The knowledge author's loop from the command line: a chat saved with
# slate chat --save is a case slate eval passes; a case that fails shows in
# --summary's table, in --tap (stdout TAP alone, with the reason) and in
# --junit's XML (a failure element, names escaped); slate schema prints
# what knowledge/README.md shows between its schema markers.
set -eu
slate=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src"
fail() { echo "FAIL: $*"; exit 1; }

printf 'what does a co-producer do?\n1\n/reset\nhello\nwho pays for the movie?\n/quit\n' |
	"$slate" chat --save "$tmp/saved.jsonl" >/dev/null 2>&1
[ "$(wc -l < "$tmp/saved.jsonl")" = 2 ] || fail "want 2 saved cases: $(cat "$tmp/saved.jsonl")"
grep -q '"say":"what does a co-producer do?","intent":"duties","kind":"answer","slots":{"role":"co-producer"}' \
	"$tmp/saved.jsonl" || fail "saved turn: $(cat "$tmp/saved.jsonl")"
grep -q '"choose":"' "$tmp/saved.jsonl" || fail "a picked option is saved as choose"
out=$("$slate" eval "$tmp/saved.jsonl") || fail "a saved chat fails its own eval: $out"
echo "chat --save: $(echo "$out" | tail -1)"

# one case that fails: the intent it expects is not what it gets
printf '%s\n' '{"name": "a <wrong> & \"quoted\" case", "turns": [{"say": "what does a co-producer do?", "intent": "pay"}]}' \
	>> "$tmp/saved.jsonl"
if out=$("$slate" eval --summary "$tmp/saved.jsonl"); then fail "a failing case passed"; fi
echo "$out" | grep -Eq '^duties +1 +1 +2 +2 +2/2 ' || fail "summary per intent: $out"
echo "$out" | grep -Eq '^pay +1 +0 +1 +0 +0/1 ' || fail "summary per intent: $out"
echo "$out" | grep -q 'pay        -> duties' || fail "confusions: $out"
if out=$("$slate" eval --tap "$tmp/saved.jsonl"); then fail "--tap: a failing case passed"; fi
[ "$(echo "$out" | head -2)" = "TAP version 13
1..3" ] || fail "TAP plan: $out"
echo "$out" | grep -q '^not ok 3 - a <wrong> & "quoted" case$' || fail "TAP: $out"
echo "$out" | grep -q "why: 'turn 1 \"what does a co-producer do?\": intent: want pay, got duties'" ||
	fail "TAP reason: $out"
echo "$out" | grep -Eq '^(ok|not ok|TAP|1\.\.|  )' || fail "TAP has other lines: $out"
[ -z "$(echo "$out" | grep -Ev '^(ok|not ok|TAP|1\.\.|  )')" ] || fail "TAP has other lines: $out"
"$slate" eval --junit "$tmp/j.xml" "$tmp/saved.jsonl" >/dev/null && fail "--junit: a failing case passed"
grep -q '<testsuites name="slate eval" tests="3" failures="1">' "$tmp/j.xml" || fail "junit: $(cat "$tmp/j.xml")"
grep -q 'name="a &lt;wrong&gt; &amp; &quot;quoted&quot; case" line="3">' "$tmp/j.xml" ||
	fail "junit escaping: $(cat "$tmp/j.xml")"
grep -q '<failure message="1 of 1 turns failed">turn 1' "$tmp/j.xml" || fail "junit failure: $(cat "$tmp/j.xml")"
if command -v xmllint >/dev/null; then xmllint --noout "$tmp/j.xml" || fail "junit is not XML"; fi
echo "eval --summary, --tap, --junit: ok"

"$slate" schema > "$tmp/schema.md"
sed -n '/^<!-- schema: begin/,/^<!-- schema: end/p' knowledge/README.md | sed '1d;$d' > "$tmp/readme.md"
diff -u "$tmp/readme.md" "$tmp/schema.md" || fail "knowledge/README.md's schema differs from slate schema"
echo "schema: knowledge/README.md matches slate schema"
