#!/bin/sh
# slate check must fail with file:line on a broken copy of the shipped data:
# a bad regex, then a knowledge entry citing an unknown source.
set -eu
slate=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$src/knowledge" "$src/patterns" "$tmp/"
"$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" >/dev/null

printf '[co-producer]\nco-?pro(ducer\n' >> "$tmp/patterns/roles.txt"
line=$(wc -l < "$tmp/patterns/roles.txt")
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
	echo "FAIL: a bad regex passed: $out"; exit 1
fi
echo "$out" | grep -q "roles.txt:$line: offset" || { echo "FAIL: $out"; exit 1; }
echo "bad regex: $out"

cp "$src/patterns/roles.txt" "$tmp/patterns/roles.txt"
sed -i '0,/"S1"/s//"S404"/' "$tmp/knowledge/roles/co-producer.json"
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
	echo "FAIL: an unknown source passed: $out"; exit 1
fi
echo "$out" | grep -q "co-producer.json:[0-9]*: .*S404" || { echo "FAIL: $out"; exit 1; }
echo "unknown source: $out"
