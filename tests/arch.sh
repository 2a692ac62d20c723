#!/usr/bin/env bash
# The arrows between the four wings of daemon/ (docs/architecture.md):
# server -> engine -> common and cli -> engine -> common, never back, never
# cli -> server.  The server and the CLI see only the engine's public
# headers; common uses nothing but libc; the engine has no network code and
# no threads.  Prints every include that breaks a rule and fails if any.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}/daemon"
public='engine/(eng|eval|val)\.h'
bad=0
while IFS=: read -r file line text; do
	wing=${file%%/*}
	inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*//' <<<"$text")
	why=
	case $wing in
	common)
		case $inc in
		'"common/'*|'"'*) [[ $inc == '"'common/* || $inc != *'/'* ]] || why="common includes another wing" ;;
		'<'*) grep -Eq '^<(jansson|pcre2|sqlite3|libwebsockets|ev|pthread)' <<<"$inc" &&
			why="common is libc only" ;;
		esac ;;
	engine)
		case $inc in
		'"server/'*|'"cli/'*) why="engine includes an outer wing" ;;
		'<libwebsockets'*|'<ev.h>'|'<pthread.h>'|'<sys/socket.h>'|'<netinet/'*)
			why="engine has no network code and no threads" ;;
		esac ;;
	cli)
		case $inc in
		'"server/'*) why="cli includes the server" ;;
		'"engine/'*) grep -Eq "^\"$public\"" <<<"$inc" || why="cli sees only the engine's public headers" ;;
		'<libwebsockets'*) why="cli has no network code" ;;
		esac ;;
	server)
		case $inc in
		'"cli/'*) why="server includes the cli" ;;
		'"engine/'*) grep -Eq "^\"$public\"" <<<"$inc" || why="server sees only the engine's public headers" ;;
		esac ;;
	esac
	if [ -n "$why" ]; then
		echo "daemon/$file:$line: $inc: $why" >&2
		bad=1
	fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include' --include='*.[ch]' common engine server cli)
[ $bad = 0 ] && echo "ok: arrows run server -> engine -> common and cli -> engine -> common"
exit $bad
