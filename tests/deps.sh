#!/usr/bin/env bash
# Install from Debian's packages whatever the build and the tests need and
# this machine lacks.  Used by tests/run.sh and .ci/run; safe to rerun.
# Node comes from Debian only when no node is installed (a NodeSource node
# already brings its own npm, and Debian's npm would conflict with it).
set -euo pipefail
need=()
for p in build-essential cmake pkg-config libwebsockets-dev \
	libwebsockets-evlib-ev libev-dev libjansson-dev \
	libpcre2-dev libsqlite3-dev sqlite3 chromium clang libclang-rt-14-dev \
	valgrind; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need+=("$p")
done
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
