#!/usr/bin/env bash
# One version everywhere: the project's (CMakeLists.txt), `slate --version`,
# `slated --version` and the widget's Slate.version.  /healthz reports it
# too (tests/protocol/operations.test.js).  Usage: version.sh VERSION SLATE
# [SLATED] (SLATED absent when the server wing was not built).
set -euo pipefail
want=$1 slate=$2 slated=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
bad=0
check() {
	if [ "$2" != "$want" ]; then
		echo "$1 says '$2', the project is $want" >&2
		bad=1
	fi
}
check "slate --version" "$("$slate" --version | sed -n 's/^slate //p')"
if [ -n "$slated" ]; then
	check "slated --version" "$("$slated" --version | sed -n 's/^slated //p')"
fi
check "web/widget.js" "$(sed -n "s/^ *version: '\([^']*\)',\$/\1/p" "$root/web/widget.js")"
[ $bad = 0 ] && echo "ok: version $want everywhere"
exit $bad
