#!/usr/bin/env bash
# The engine and the CLI build and pass their tests on a machine without
# libwebsockets.  pkg-config is given a search path with every .pc file of
# this machine except libwebsockets', and libwebsockets' headers are hidden
# from the compiler behind an empty include directory of its own name in a
# mount namespace when we may make one, so that any include of them from
# the engine or the CLI fails to build.  Usage: tests/nolws.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-nolws}
case $build in /*) ;; *) build="$PWD/$build" ;; esac
pc=$(mktemp -d)
trap 'rm -rf "$pc"' EXIT
IFS=: read -r -a dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${dirs[@]}"; do
	[ -d "$d" ] || continue
	for f in "$d"/*.pc; do
		[ -e "$f" ] || continue
		case $(basename "$f") in libwebsockets*) continue ;; esac
		[ -e "$pc/$(basename "$f")" ] || ln -s "$f" "$pc/"
	done
done
rm -rf "$build"
run() {
	PKG_CONFIG_LIBDIR="$pc" PKG_CONFIG_PATH= \
	    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSLATE_WERROR=ON \
	    -DSLATE_SANITIZE=ON 2>&1 | grep -i 'libwebsockets' || true
	cmake --build "$build" -j "$(nproc)"
	[ ! -e "$build/slated" ] || { echo "slated was built without lws?" >&2; exit 1; }
	ctest --test-dir "$build" --output-on-failure -j 2 -E '^(protocol|browser)_'
}
if [ "$(id -u)" = 0 ] && [ "${SLATE_NOLWS_NS:-}" = "" ] &&
    unshare -m true 2>/dev/null; then
	# Re-run inside a private mount namespace with the headers hidden.
	exec unshare -m env SLATE_NOLWS_NS=1 bash -c '
		empty=$(mktemp -d)
		mount --bind "$empty" /usr/include/libwebsockets 2>/dev/null || true
		[ -e /usr/include/libwebsockets.h ] &&
		    mount --bind /dev/null /usr/include/libwebsockets.h 2>/dev/null || true
		exec bash "$0" "$1"' "$0" "$build"
fi
if [ -s /usr/include/libwebsockets.h ]; then
	echo "note: libwebsockets headers are visible (no mount namespace);" \
	    "pkg-config alone hides the library" >&2
fi
run
