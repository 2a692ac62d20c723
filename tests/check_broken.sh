#!/bin/sh
# slate check must fail with file:line on a broken copy of the shipped data:
# a bad regex, a knowledge entry citing an unknown source, pattern
# sections that stand for nothing (an unknown role, a capacity among the
# industries), and a role without patterns.
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

# refused: $1 appended to patterns file $2 must fail with message $3
refused() {
	cp "$src/patterns/$2" "$tmp/patterns/$2"
	printf '\n%b' "$1" >> "$tmp/patterns/$2"
	if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
		echo "FAIL: $2 with $1 passed: $out"; exit 1
	fi
	echo "$out" | grep -qF "$3" || { echo "FAIL: $out"; exit 1; }
	echo "$2: $out"
	cp "$src/patterns/$2" "$tmp/patterns/$2"
}
cp "$src/knowledge/roles/co-producer.json" "$tmp/knowledge/roles/"
refused '[gaffer]\n\\bgaffer\\b\n' roles.txt "roles.txt: unknown section [gaffer]"
refused '[funding]\n\\bmoney\\b\n' industries.txt "industries.txt: unknown section [funding]"
refused '[film]\n\\bmovie\\b\n' capacities.txt "capacities.txt: unknown section [film]"
# every role needs its section
awk '/^\[line-producer\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' \
	"$src/patterns/roles.txt" > "$tmp/patterns/roles.txt"
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
	echo "FAIL: a role without patterns passed: $out"; exit 1
fi
echo "$out" | grep -qF "no [line-producer] section" || { echo "FAIL: $out"; exit 1; }
echo "role without patterns: $out"
cp "$src/patterns/roles.txt" "$tmp/patterns/roles.txt"

# a source's link must be a web one: the widget shows it as a link
sed -i '0,/"id": "S1",/s//"id": "S1", "url": "javascript:alert(1)",/' "$tmp/knowledge/sources.json"
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
	echo "FAIL: a javascript: url passed: $out"; exit 1
fi
echo "$out" | grep -qF "url must start with https:// or http://" || { echo "FAIL: $out"; exit 1; }
echo "bad source url: $out"

# every mistake of every file in one run: a misspelt key, a variation keyed
# "theatre", an unknown role in another file; then a non-zero exit
cp "$src/knowledge/sources.json" "$tmp/knowledge/sources.json"
sed -i '0,/"theater":/s//"theatre":/; 0,/"title":/s//"titel":/' "$tmp/knowledge/roles/co-producer.json"
sed -i '0,/"associate-producer"/s//"asociate-producer"/' "$tmp/knowledge/roles/producer.json"
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" 2>&1); then
	echo "FAIL: schema errors passed: $out"; exit 1
fi
for want in 'co-producer.json:[0-9]*: unknown key "theatre" in the variations; did you mean "theater"?' \
	'co-producer.json:[0-9]*: unknown key "titel" in a role; did you mean "title"?' \
	'producer.json:[0-9]*: "oversees" names unknown role asociate-producer; did you mean associate-producer?'; do
	echo "$out" | grep -q "$want" || { echo "FAIL: no '$want' in: $out"; exit 1; }
done
echo "schema, every error at once: $out"
cp "$src/knowledge/roles/co-producer.json" "$src/knowledge/roles/producer.json" "$tmp/knowledge/roles/"

# the lint: risky patterns load, warn with file:line, and fail --strict
printf '\n[co-producer]\n(a+)+$\n.*\n' >> "$tmp/patterns/roles.txt"
line=$(grep -n '^(a+)+\$$' "$tmp/patterns/roles.txt" | cut -d: -f1)
out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" --quiet \
	--conversations "$src/tests/conversations" 2>&1) || { echo "FAIL: warnings failed a plain check: $out"; exit 1; }
for want in "roles.txt:$line: warning: nested quantifiers can backtrack catastrophically" \
	"roles.txt:$((line + 1)): warning: matches the empty string"; do
	echo "$out" | grep -qF "$want" || { echo "FAIL: no '$want' in: $out"; exit 1; }
done
if out=$("$slate" check --knowledge "$tmp/knowledge" --patterns "$tmp/patterns" --quiet --strict \
	--conversations "$src/tests/conversations" 2>&1); then
	echo "FAIL: --strict passed risky patterns: $out"; exit 1
fi
echo "$out" | grep -qF "(--strict: the check fails)" || { echo "FAIL: $out"; exit 1; }
echo "lint: $(echo "$out" | grep -c warning:) warnings, --strict fails"
cp "$src/patterns/roles.txt" "$tmp/patterns/roles.txt"
