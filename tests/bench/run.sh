#!/usr/bin/env bash
# tests/bench/run.sh - Slate's benchmarks, side by side with a raw
# libwebsockets echo server, in one run; writes docs/performance.md.
#
#   tests/bench/run.sh              full run, about 8 minutes
#   QUICK=1 tests/bench/run.sh      about 1 minute: one repetition, short
#                                   windows, 2,000 idle connections
#
# Environment: BUILD (build directory, default build/), OUT (default
# docs/performance.md), SERVER_CPU (0) and LOAD_CPU (1): the servers are
# pinned to one core, every client to the other; REPS overrides the
# number of repetitions; PROFILE=0 skips the callgrind profile; NICE=-10
# runs servers and clients at that nice level, for a machine busy with
# other work (recorded in the document; the default is 0).
#
# What it runs, in this order (each step says more in the document):
#   machine noise (bench_jitter), the engine alone (bench_engine), start-up
#   and stop (bench_startup), closed-loop throughput at 1, 100 and 1,000
#   connections, open-loop latency at 1,000 sessions at 25/50/75 % of
#   slated's capacity, a SIGHUP reload under load, RSS per idle connection
#   (bench_idle), the event loop with idle connections (poll vs libev),
#   and a callgrind profile of slated's instructions per question.  And
#   storage: journal and WAL bytes per turn and the largest backlog (read
#   from slated's /metrics during the throughput and latency runs), the
#   replay at start after a kill -9 with 100,000 turns only in the journal
#   (SQLite's write lock held meanwhile, so that the compactor cannot keep
#   up), and kill -9 under load ten times in a row
#   (tests/protocol/kill9.test.js, when node is there).
# The echo server and slated are measured alternately (A B A B) and every
# figure is the median of the repetitions.  slated runs with persistence
# on, as shipped: every turn appended to the journal before its answer
# goes out (--fsync everysec), SQLite filled from the journal behind the
# loop by the compactor, in a temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
OUT=${OUT:-docs/performance.md}
QUICK=${QUICK:-0}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
NICE=${NICE:-0}
started=$(date +%s)

if [ "$QUICK" = 1 ]; then
	REPS=${REPS:-1}; WARM=0.5; SECS=1.5; LAT_SECS=1.5; IDLE_N=2000
	IDLE_REPS=1; STARTUP_RUNS=3; RELOAD_REPS=1; ENGINE_SECS=1
	JITTER=1000; PROFILE=${PROFILE:-0}; EL_SECS=1.5; SETTLE=1; SUST_SECS=10
else
	REPS=${REPS:-3}; WARM=1; SECS=3; LAT_SECS=4; IDLE_N=10000
	IDLE_REPS=2; STARTUP_RUNS=7; RELOAD_REPS=3; ENGINE_SECS=3
	JITTER=5000; PROFILE=${PROFILE:-1}; EL_SECS=3; SETTLE=2; SUST_SECS=30
fi

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- build ------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S . -B "$BUILD" >/dev/null
fi
if grep -q '^SLATE_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then
	die "$BUILD is a sanitizer build; use BUILD=<a plain build directory>"
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
[ -n "$build_type" ] || build_type="RelWithDebInfo (the project's default)"
say "building in $BUILD ($build_type)"
cmake --build "$BUILD" -j2 --target slated bench_engine bench_load \
	bench_echo bench_idle bench_startup bench_jitter >/dev/null
B=$BUILD
SLATED=$B/slated

# --- scratch, processes, limits -----------------------------------------
tmp=$(mktemp -d /tmp/slate-bench.XXXXXX)
res=$tmp/res
mkdir -p "$res"
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]+"${pids[@]}"}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1048576
want=$((IDLE_N + 1000))
[ "$want" -gt "$hard" ] && want=$hard
[ "$(ulimit -n)" -lt "$want" ] && ulimit -n "$want"
want=$(ulimit -n)
if [ $((IDLE_N + 500)) -gt "$want" ]; then
	IDLE_N=$((want - 500))
	say "ulimit -n allows only $want descriptors: $IDLE_N idle connections"
fi
MAXC=$((IDLE_N + 300))

# A port nobody listens on, from $1 up.
free_port() {
	local p=$1
	while (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}
wait_port() {
	for _ in $(seq 400); do
		(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0
		sleep 0.025
	done
	die "nothing listens on port $1"
}
# Start "$@" in the background on the server core; sets $spid.
start_server() {
	local name=$1
	shift
	nice -n "$NICE" taskset -c "$SERVER_CPU" "$@" 2>>"$tmp/$name.log" &
	spid=$!
	pids+=("$spid")
}
# Stop a server started above, and forget its pid (never signal a pid
# that may since have been reused).
stop_server() {
	local p keep=()
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for p in "${pids[@]+"${pids[@]}"}"; do
		[ "$p" != "$1" ] && keep+=("$p")
	done
	pids=("${keep[@]+"${keep[@]}"}")
}
on_load() { nice -n "$NICE" taskset -c "$LOAD_CPU" "$@"; }
# The /metrics text of the server on port $1.
metrics_get() {
	local body
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	body=$(timeout 2 cat <&3 || true)
	exec 3<&-
	printf '%s\n' "$body" | tr -d '\r'
}
# The value of metric $1 in the /metrics text on stdin (0 if absent).
metric_of() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }'; }
# Sample the journal's backlog of the slated on port $1 every 100 ms into
# $2 until killed; sets $bpid.
sample_backlog() {
	(
		while :; do
			metrics_get "$1" 2>/dev/null | metric_of slated_journal_backlog
			sleep 0.1
		done
	) >"$2" &
	bpid=$!
	taskset -cp "$LOAD_CPU" "$bpid" >/dev/null 2>&1 || true
}

# key: value lines
kv() { awk -v k="$2" 'index($0, k ": ") == 1 { print substr($0, length(k) + 3); exit }' "$1"; }
median() {
	printf '%s\n' "$@" | grep -E '^-?[0-9.]+$' | sort -g | awk '
	{ a[NR] = $1 }
	END { if (NR == 0) print "n/a"
	      else if (NR % 2) print a[(NR + 1) / 2]
	      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# median of KEY over $res/NAME.*
med() {
	local name=$1 key=$2 f vals=()
	for f in "$res/$name".*; do
		[ -f "$f" ] && vals+=("$(kv "$f" "$key")")
	done
	median "${vals[@]}"
}
# sum of KEY over $res/NAME.*
total() {
	local name=$1 key=$2 f s=0 v
	for f in "$res/$name".*; do
		[ -f "$f" ] || continue
		v=$(kv "$f" "$key")
		s=$(awk -v a="$s" -v b="${v:-0}" 'BEGIN { print a + b }')
	done
	echo "$s"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# median over repetitions of KEY(B.rep) / KEY(A.rep): each pair was
# measured back to back, under the same conditions on a shared machine
pratio() {
	local a=$1 b=$2 key=$3 f r vals=() x y
	for f in "$res/$a".*; do
		[ -f "$f" ] || continue
		r=${f##*.}
		[ -f "$res/$b.$r" ] || continue
		x=$(kv "$f" "$key"); y=$(kv "$res/$b.$r" "$key")
		vals+=("$(awk -v x="${x:-0}" -v y="${y:-0}" 'BEGIN { if (x > 0) printf "%.4f", y / x }')")
	done
	local m
	m=$(median "${vals[@]}")
	[ "$m" = n/a ] && echo n/a || calc '%.2f' "$m"
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "n/a" || b == "n/a" || b == 0) print "n/a"
		else printf "%.2f", a / b }'
}
fmt0() { [ "$1" = n/a ] && echo n/a || calc '%.0f' "$1"; }
fmt1() { [ "$1" = n/a ] && echo n/a || calc '%.1f' "$1"; }
fmt2() { [ "$1" = n/a ] && echo n/a || calc '%.2f' "$1"; }
# microseconds to milliseconds
ms() { [ "$1" = n/a ] && echo n/a || calc '%.2f' "$1 / 1000"; }
thousands() {
	if [ -z "$1" ] || [ "$1" = n/a ]; then echo n/a; return; fi
	calc '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}
export LC_ALL=C

# --- what slated allows -------------------------------------------------
# The rate limit and the connection limits must be out of the way for a
# load test; use the highest values this slated accepts.
slated_rate=30
for r in 0 1000000000 1000000 100000; do
	if "$SLATED" --rate "$r" --version >/dev/null 2>&1; then
		slated_rate=$r
		break
	fi
done
slated_burst=10
for r in 1000000000 1000000 10000; do
	if "$SLATED" --burst "$r" --version >/dev/null 2>&1; then
		slated_burst=$r
		break
	fi
done
# the event loop slated runs by default (libev), and the
# one the echo server gets in every table that compares the two
slated_loops=poll
slated_loop_flag=
main_loop=poll
if "$SLATED" --event-loop ev --version >/dev/null 2>&1; then
	slated_loops="poll ev"
	slated_loop_flag=--event-loop
	main_loop=ev
fi
slated_db=$tmp/slate.db
slated_args=(--db "$slated_db" --rate "$slated_rate" --burst "$slated_burst"
	--max-conns "$MAXC" --max-conns-per-ip "$MAXC")
# slated with loop $1 on port $2
start_slated() {
	local extra=()
	[ -n "$slated_loop_flag" ] && extra=("$slated_loop_flag" "$1")
	start_server slated "$SLATED" --port "$2" "${slated_args[@]}" "${extra[@]}"
}
# echo with loop $1 on port $2, rx chunk $3 (slated's 1024 by default)
start_echo() {
	start_server echo "$B/bench_echo" --port "$2" --max-conns "$MAXC" \
		--loop "$1" --rx "${3:-1024}"
}

# --- machine -------------------------------------------------------------
cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
ncpu=$(nproc)
hyper=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')
kernel=$(uname -srm)
mem_gb=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
lws_ver=$(dpkg-query -W -f='${Version}' libwebsockets17 2>/dev/null || echo "?")
sqlite_ver=$(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo "?")
jansson_ver=$(dpkg-query -W -f='${Version}' libjansson4 2>/dev/null || echo "?")
pcre_ver=$(dpkg-query -W -f='${Version}' libpcre2-8-0 2>/dev/null || echo "?")
cc_ver=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$B/CMakeCache.txt")
cc_ver=$("${cc_ver:-cc}" --version 2>/dev/null | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git status --porcelain -- daemon 2>/dev/null | head -1 || true)
[ -n "$dirty" ] && commit="$commit (daemon/ with uncommitted changes)"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
when=$(date -u '+%Y-%m-%d %H:%M UTC')

# --- 1. noise ----------------------------------------------------------------
say "machine noise"
nice -n "$NICE" taskset -c "$SERVER_CPU" "$B/bench_jitter" --samples "$JITTER" >"$res/jit0.1"
nice -n "$NICE" taskset -c "$LOAD_CPU" "$B/bench_jitter" --samples "$JITTER" >"$res/jit1.1"

# --- 2. the engine alone -----------------------------------------------------
say "engine"
nice -n "$NICE" taskset -c "$SERVER_CPU" "$B/bench_engine" --seconds "$ENGINE_SECS" \
	>"$res/engine.1"
if [ "$QUICK" != 1 ]; then
	nice -n "$NICE" taskset -c "$SERVER_CPU" "$B/bench_engine" --hostile \
		--seconds "$ENGINE_SECS" >"$res/hostile.1" 2>/dev/null || true
fi

# --- 3. start-up -----------------------------------------------------------
say "start-up"
port=$(free_port 19100)
on_load "$B/bench_startup" --port "$port" --runs "$STARTUP_RUNS" \
	--cpu "$SERVER_CPU" --log "$tmp/startup.log" -- "$SLATED" --port "$port" \
	"${slated_args[@]}" >"$res/start_slated.1"
on_load "$B/bench_startup" --port "$port" --runs "$STARTUP_RUNS" \
	--cpu "$SERVER_CPU" -- "$B/bench_echo" --port "$port" --loop "$main_loop" \
	>"$res/start_echo.1"

# --- 4. throughput, closed loop ----------------------------------------------
say "throughput at 1, 100, 1000 connections ($REPS x, echo and slated alternately)"
eport=$(free_port 19110)
start_echo "$main_loop" "$eport"
epid=$spid
sport=$(free_port $((eport + 1)))
start_slated "$main_loop" "$sport"
spid_s=$spid
wait_port "$eport"
wait_port "$sport"
sample_backlog "$sport" "$res/backlog.samples"
backlog_pid=$bpid
for c in 1 100 1000; do
	for r in $(seq "$REPS"); do
		on_load "$B/bench_load" --port "$eport" --pid "$epid" --mode echo \
			--conns "$c" --warmup "$WARM" --seconds "$SECS" \
			>"$res/tput_echo_$c.$r"
		on_load "$B/bench_load" --port "$sport" --pid "$spid_s" \
			--mode slate --conns "$c" --warmup "$WARM" --seconds "$SECS" \
			>"$res/tput_slated_$c.$r"
	done
done
# sustained: long enough for the compactor to have to keep up, so that
# what SQLite costs per turn counts (the backlog's bound holds the
# connections back when it does not)
say "sustained throughput: 100 connections, ${SUST_SECS} s"
on_load "$B/bench_load" --port "$sport" --pid "$spid_s" --mode slate \
	--conns 100 --warmup "$WARM" --seconds "$SUST_SECS" >"$res/tput_sustained.1"
sust_backlog=$(metrics_get "$sport" 2>/dev/null | metric_of slated_journal_backlog)
capacity=$(med tput_slated_1000 throughput)
echo_capacity=$(med tput_echo_1000 throughput)

# --- 5. latency, open loop at 1,000 sessions ----------------------------------
say "latency at 1000 sessions, 25/50/75 % of slated's capacity ($capacity msg/s)"
for pct in 25 50 75; do
	rate=$(calc '%.0f' "$capacity * $pct / 100")
	for r in $(seq "$REPS"); do
		on_load "$B/bench_load" --port "$eport" --pid "$epid" --mode echo \
			--conns 1000 --rate "$rate" --warmup "$WARM" \
			--seconds "$LAT_SECS" >"$res/lat_echo_$pct.$r"
		on_load "$B/bench_load" --port "$sport" --pid "$spid_s" \
			--mode slate --conns 1000 --rate "$rate" --warmup "$WARM" \
			--seconds "$LAT_SECS" >"$res/lat_slated_$pct.$r"
	done
done

# --- 6. SIGHUP reload under load ----------------------------------------------
reload_rate=$(calc '%.0f' "$capacity * 25 / 100")
say "reload under load ($reload_rate msg/s over 1000 sessions)"
for r in $(seq "$RELOAD_REPS"); do
	on_load "$B/bench_load" --port "$sport" --pid "$spid_s" --mode slate \
		--conns 1000 --rate "$reload_rate" --warmup 0.5 --seconds 4 \
		--hup-at 1.5 --hup-log "$tmp/slated.log" >"$res/reload.$r"
done
# and with nothing else to do
on_load "$B/bench_load" --port "$sport" --pid "$spid_s" --mode slate \
	--conns 1 --rate 5 --warmup 0.2 --seconds 2 --hup-at 0.5 \
	--hup-log "$tmp/slated.log" >"$res/reload_idle.1"
metrics_get "$sport" >"$res/metrics_end" 2>/dev/null || true
kill "$backlog_pid" 2>/dev/null || true
wait "$backlog_pid" 2>/dev/null || true
stop_server "$epid"
stop_server "$spid_s"
turns=$(sqlite3 "$slated_db" 'SELECT count(*) FROM turns' 2>/dev/null || echo "?")
db_kb=$(du -k "$slated_db" 2>/dev/null | cut -f1)

# --- 6b. replay after a crash with 100,000 turns only in the journal ------------
# Another process holds SQLite's write lock, so that the compactor fails
# (and retries) while 100 connections ask; at 100,000 records behind,
# kill -9, the lock goes, and slated starts again: the log says how long
# the replay took, before anything listened.
replay_n=100000
say "replay: $replay_n records only in the journal, kill -9, start"
rdb=$tmp/replay/slate.db
mkdir -p "$tmp/replay"
rport=$(free_port 19120)
start_server slated_replay "$SLATED" --port "$rport" --db "$rdb" \
	--rate "$slated_rate" --burst "$slated_burst" --max-conns "$MAXC" \
	--max-conns-per-ip "$MAXC"
rpid=$spid
wait_port "$rport"
replay_ok=0
if command -v python3 >/dev/null; then
	python3 - "$rdb" "$tmp/replay/unlock" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2] + ".held", "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
	lockpid=$!
	for _ in $(seq 200); do
		[ -e "$tmp/replay/unlock.held" ] && break
		sleep 0.05
	done
	# not through on_load: $! must be bench_load itself, to stop it
	nice -n "$NICE" taskset -c "$LOAD_CPU" "$B/bench_load" --port "$rport" \
		--pid "$rpid" --mode slate --conns 100 --warmup 0 --seconds 120 \
		>"$tmp/replay_load.out" 2>&1 &
	rload=$!
	t0=$(date +%s)
	while [ $(( $(date +%s) - t0 )) -lt 110 ]; do
		rb=$(metrics_get "$rport" 2>/dev/null | metric_of slated_journal_backlog)
		[ "${rb:-0}" -ge "$replay_n" ] && break
		sleep 0.05
	done
	kill -KILL "$rpid" 2>/dev/null || true
	kill -TERM "$rload" 2>/dev/null || true
	wait "$rload" 2>/dev/null || true
	stop_server "$rpid"
	touch "$tmp/replay/unlock"
	wait "$lockpid" 2>/dev/null || true
	replay_segs=$(ls "$rdb".jnl.* 2>/dev/null | wc -l)
	replay_jkb=$(du -ck "$rdb".jnl.* 2>/dev/null | tail -1 | cut -f1)
	t0=$(date +%s%N)
	start_server slated_replay2 "$SLATED" --port "$rport" --db "$rdb" \
		--rate "$slated_rate" --burst "$slated_burst"
	rpid=$spid
	wait_port "$rport"
	replay_listen_ms=$(calc '%.0f' "($(date +%s%N) - $t0) / 1000000")
	stop_server "$rpid"
	rline=$(grep -E 'journal replayed' "$tmp/slated_replay2.log" | tail -1)
	replay_records=$(sed -nE 's/.*replayed: ([0-9]+) records.*/\1/p' <<<"$rline")
	replay_ms=$(sed -nE 's/.* in ([0-9.]+) ms.*/\1/p' <<<"$rline")
	[ -n "$replay_ms" ] && replay_ok=1
fi

# --- 6c. kill -9 under load, ten times in a row (the protocol test) -------------
kill9_line="not run (node or node_modules missing)"
if command -v node >/dev/null && [ -d node_modules/ws ]; then
	say "kill -9 under full-rate load, ten times in a row"
	if SLATED="$SLATED" node --test tests/protocol/kill9.test.js \
		>"$tmp/kill9.out" 2>&1; then
		kill9_line=$(sed -nE 's/^# \\?# (kill -9 x10: .*)/\1/p' "$tmp/kill9.out" | head -1)
		kill9_ok=1
	else
		kill9_line="failed: $(grep -E 'not ok|Error|error:' "$tmp/kill9.out" | head -3 | tr '\n' ' ')"
		kill9_ok=0
	fi
fi

# --- 7. memory per idle connection --------------------------------------------
say "RSS per idle connection at $IDLE_N connections"
idle_servers="echo:poll echo4k:poll echo:ev slated:poll"
for l in $slated_loops; do
	[ "$l" != poll ] && idle_servers="$idle_servers slated:$l"
done
for r in $(seq "$IDLE_REPS"); do
	for s in $idle_servers; do
		kind=${s%%:*}
		loop=${s##*:}
		port=$(free_port 19130)
		rm -f "$slated_db" "$slated_db"-*
		case $kind in
		echo) start_echo "$loop" "$port" ;;
		echo4k) start_echo "$loop" "$port" 4096 ;;
		*) start_slated "$loop" "$port" ;;
		esac
		wait_port "$port"
		on_load "$B/bench_idle" --port "$port" --pid "$spid" \
			--conns "$IDLE_N" --src 4 --settle "$SETTLE" \
			>"$res/idle_${kind}_$loop.$r" || true
		stop_server "$spid"
	done
done

# --- 8. the event loop: poll vs libev with idle connections --------------------
el_rate=$(calc '%.0f' "$capacity * 25 / 100")
say "event loop: 100 active at $el_rate msg/s, 0 and $IDLE_N idle connections"
el_runs="echo:poll echo:ev slated:poll"
for l in $slated_loops; do
	[ "$l" != poll ] && el_runs="$el_runs slated:$l"
done
for s in $el_runs; do
	kind=${s%%:*}
	loop=${s##*:}
	port=$(free_port 19150)
	if [ "$kind" = echo ]; then start_echo "$loop" "$port"
	else start_slated "$loop" "$port"; fi
	wait_port "$port"
	for idle in 0 "$IDLE_N"; do
		on_load "$B/bench_load" --port "$port" --pid "$spid" \
			--mode "$( [ "$kind" = echo ] && echo echo || echo slate)" \
			--conns 100 --idle "$idle" --src 4 --rate "$el_rate" \
			--warmup "$WARM" --seconds "$EL_SECS" \
			>"$res/el_${kind}_${loop}_$idle.1" || true
	done
	# saturation: closed loop at 1,000 connections
	on_load "$B/bench_load" --port "$port" --pid "$spid" \
		--mode "$( [ "$kind" = echo ] && echo echo || echo slate)" \
		--conns 1000 --warmup "$WARM" --seconds "$EL_SECS" \
		>"$res/elsat_${kind}_$loop.1" || true
	stop_server "$spid"
done

# --- 9. profile: instructions per question (callgrind) -------------------------
prof=no
if [ "$PROFILE" = 1 ] && command -v valgrind >/dev/null; then
	say "callgrind profile of slated (10 connections, closed loop)"
	port=$(free_port 19170)
	rm -f "$slated_db" "$slated_db"-*
	mkdir -p "$tmp/cg"
	start_server slated_cg valgrind --tool=callgrind --separate-threads=yes \
		--instr-atstart=no --callgrind-out-file="$tmp/cg/cg.out" \
		"$SLATED" --port "$port" "${slated_args[@]}" \
		${slated_loop_flag:+"$slated_loop_flag" "$main_loop"}
	cgpid=$spid
	wait_port "$port"
	on_load "$B/bench_load" --port "$port" --pid "$cgpid" --conns 10 \
		--warmup 4 --seconds 7 >"$res/cg_load.1" &
	loadpid=$!
	sleep 3
	callgrind_control -i on "$cgpid" >/dev/null
	sleep 1
	callgrind_control -z "$cgpid" >/dev/null
	sleep 5
	callgrind_control -d "$cgpid" >/dev/null
	callgrind_control -i off "$cgpid" >/dev/null
	wait "$loadpid" || true
	stop_server "$cgpid"
	main_cg=$(ls "$tmp"/cg/cg.out.1-01 2>/dev/null || true)
	# the other threads: the journal's sync thread, the compactor, the
	# checkpointer and the reader, added up
	store_cg=$(ls "$tmp"/cg/cg.out.1-* 2>/dev/null | grep -v -- '-01$' || true)
	if [ -n "$main_cg" ] && [ -n "$store_cg" ]; then
		prof=yes
		# calls of eng_ask: the questions answered while measured
		asks=$(callgrind_annotate --auto=no --inclusive=yes --tree=calling \
			"$main_cg" 2>/dev/null | grep -E '>   .*:eng_ask \(' | head -1 |
			sed -E 's/.*\(([0-9,]+)x\).*/\1/' | tr -d ,)
		bydso() {
			callgrind_annotate --auto=no --inclusive=no --threshold=100 \
				"$1" 2>/dev/null | awk '
			/^ *[0-9,]+ +\(/ {
				ir = $1; gsub(",", "", ir)
				o = $NF
				if (o == "TOTALS") { t = ir; next }
				if (o ~ /libjansson/) g = "jansson (JSON)"
				else if (o ~ /libsqlite3/) g = "SQLite"
				else if (o ~ /libwebsockets/) g = "libwebsockets"
				else if (o ~ /libpcre2/) g = "PCRE2 library"
				else if (o == "[???]") g = "PCRE2 JIT-compiled patterns"
				else if (o ~ /slated\]$/) g = "slated itself (engine and daemon)"
				else g = "libc and the rest (malloc, memcpy, stdio, ...)"
				s[g] += ir
			}
			END { for (g in s) printf "%s\t%d\n", g, s[g]; printf "TOTAL\t%d\n", t }'
		}
		incl() {
			callgrind_annotate --auto=no --inclusive=yes "$1" 2>/dev/null |
				grep -E "[:?]$2 \[" | head -1 | awk '{ gsub(",", "", $1); print $1 }'
		}
		bydso "$main_cg" >"$res/cg_main_dso"
		for f in $store_cg; do bydso "$f"; done | awk -F'\t' '
			{ s[$1] += $2 }
			END { for (g in s) printf "%s\t%d\n", g, s[g] }' >"$res/cg_store_dso"
		for fn in eng_ask pat_match_text pat_match json_loadb \
			eng_reply_write eng_state_write; do
			printf '%s\t%s\n' "$fn" "$(incl "$main_cg" "$fn")"
		done >"$res/cg_main_fn"
	fi
fi

took=$(( $(date +%s) - started ))
load1=$(cut -d' ' -f1-3 /proc/loadavg)
say "writing $OUT (run took ${took}s)"

# --- the document ----------------------------------------------------------------
e_t1=$(med tput_echo_1 throughput); s_t1=$(med tput_slated_1 throughput)
e_t100=$(med tput_echo_100 throughput); s_t100=$(med tput_slated_100 throughput)
e_t1k=$(med tput_echo_1000 throughput); s_t1k=$(med tput_slated_1000 throughput)
r100=$(pratio tput_echo_100 tput_slated_100 throughput)
c100=$(pratio tput_echo_100 tput_slated_100 server_cpu_us_per_msg)
p99_50=$(med lat_slated_50 p99_us)
idle_slated=$(med "idle_slated_$main_loop" rss_per_conn_bytes)
st_listen=$(kv "$res/start_slated.1" listen_ms)
rl_ms=$(med reload reload_ms)
rl_missed=$(total reload missed)
rl_closed=$(total reload closed_by_server)
rl_errors=$(total reload errors)
rate_limited=0
for f in "$res"/tput_slated_* "$res"/lat_slated_* "$res"/reload.*; do
	v=$(kv "$f" rate_limited)
	rate_limited=$((rate_limited + ${v:-0}))
done
errs_all=0
for f in "$res"/tput_slated_* "$res"/lat_slated_*; do
	v=$(kv "$f" errors)
	errs_all=$((errs_all + ${v:-0}))
done
verdict() { # value op limit
	awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
		if (v == "n/a" || v == "") { print "not measured"; exit }
		ok = (op == "<" ? v < l : op == "<=" ? v <= l : v >= l)
		print ok ? "**met**" : "**missed**" }'
}
p999_50=$(med lat_slated_50 p999_us)
s_sust=$(med tput_sustained throughput)
r_sust=$(ratio "$s_sust" "$e_t100")
v_tput=$(verdict "$r_sust" ">=" 0.35)
v_p99=$(verdict "$p99_50" "<" 1000)
v_p999=$(verdict "$p999_50" "<" 5000)
# storage: bytes per record (nearly all of them turns) and the backlog
jb=$(metric_of slated_journal_bytes_total <"$res/metrics_end" 2>/dev/null || echo 0)
jr=$(metric_of slated_journal_records_total <"$res/metrics_end" 2>/dev/null || echo 0)
wb=$(metric_of slated_wal_bytes_total <"$res/metrics_end" 2>/dev/null || echo 0)
cr=$(metric_of slated_compacted_records_total <"$res/metrics_end" 2>/dev/null || echo 0)
jpt=n/a; wpt=n/a
[ "${jr:-0}" -gt 0 ] 2>/dev/null && jpt=$(calc '%.0f' "$jb / $jr")
[ "${cr:-0}" -gt 0 ] 2>/dev/null && wpt=$(calc '%.0f' "$wb / $cr")
backlog_max=$(sort -n "$res/backlog.samples" 2>/dev/null | tail -1)
backlog_max=${backlog_max:-n/a}
backlog_n=$(wc -l <"$res/backlog.samples" 2>/dev/null || echo 0)
db_per_turn=n/a
[ "$turns" != "?" ] && [ "${turns:-0}" -gt 0 ] 2>/dev/null &&
	db_per_turn=$(calc '%.0f' "${db_kb:-0} * 1024 / $turns")
if [ "$replay_ok" = 1 ]; then
	v_replay="$(thousands "$replay_records") records from $replay_segs segments ($(thousands "$replay_jkb") KB) replayed in $(fmt1 "$replay_ms") ms; listening $(thousands "$replay_listen_ms") ms after the start"
else
	v_replay="not measured (python3 with sqlite3 is needed to hold the lock)"
fi
v_kill9=$( [ "${kill9_ok:-}" = 1 ] && echo "**met**" || { [ -n "${kill9_ok:-}" ] && echo "**missed**" || echo "not measured"; })
v_idle=$(verdict "$idle_slated" "<=" 8192)
v_start=$(verdict "$st_listen" "<" 50)
if [ "$rl_ms" = n/a ] || [ "$(calc '%d' "$rl_ms < 0")" = 1 ]; then
	v_reload="not measured"
elif [ "$(calc '%d' "$rl_ms < 100")" = 1 ] && [ "$rl_missed" = 0 ] &&
	[ "$rl_closed" = 0 ]; then
	v_reload="**met**"
else
	v_reload="**missed**"
fi

{
cat <<EOF
# Performance

Generated by \`tests/bench/run.sh\`$( [ "$QUICK" = 1 ] && echo " with \`QUICK=1\` (one repetition, short windows, $IDLE_N idle connections: indicative only)") on $when, in ${took} s.
Do not edit by hand: run the script again.

Slate is measured against the physical limit of its own stack: a raw
libwebsockets echo server (\`tests/bench/bench_echo.c\`) built with the same
libwebsockets, the same context options, event loop and buffer sizes as
\`slated\`, that does no work at all per message. Both servers are pinned
to CPU $SERVER_CPU (\`taskset\`), every client to CPU $LOAD_CPU; they are
measured alternately (echo, slated, echo, slated, ...) in one run and each
figure is the median of $REPS repetitions unless a table says otherwise.
The machine is shared with other work and its timing is noisy; **compare
the ratios within this run**, not absolute figures across runs.

\`slated\` runs as a school would run it, with persistence on: every turn
appended to the journal with \`write(2)\` by the event loop before its answer
goes out (\`--fsync everysec\`, the default: the fsync on a thread of its
own), SQLite (WAL) filled from the journal behind the loop by the
compactor (\`SCHED_IDLE\`, batches of up to 4,096 records), logging at
\`info\` to a file. Its rate limit
and connection limits are raised out of the way (\`--rate $slated_rate
--burst $slated_burst --max-conns $MAXC --max-conns-per-ip $MAXC\`).

## Machine

| | |
|---|---|
| CPU | $cpu_model, $ncpu cores$( [ -n "$hyper" ] && echo ", virtual machine ($hyper)") |
| memory | $mem_gb GB |
| kernel | $kernel |
| libwebsockets | $lws_ver (Debian 12), $( [ "$main_loop" = ev ] && echo "libev (epoll) event loop, slated's default," || echo "\\\`poll()\\\` event loop") for both servers unless a table says otherwise |
| SQLite, jansson, PCRE2 | $sqlite_ver, $jansson_ver, $pcre_ver |
| compiler, build | $cc_ver, CMake build type $build_type |
| source | commit $commit |
| load average | $load0 at the start, $load1 at the end |

**Noise floor** (\`bench_jitter\`: sleep 200 µs, $JITTER times, how late
the wake-up was). Every latency below carries this floor; on an idle core
it is tens of microseconds.

| core | p50 | p99 | p99.9 | max |
|---|---|---|---|---|
| CPU $SERVER_CPU (servers) | $(kv "$res/jit0.1" late_p50_us) µs | $(kv "$res/jit0.1" late_p99_us) µs | $(kv "$res/jit0.1" late_p999_us) µs | $(kv "$res/jit0.1" late_max_us) µs |
| CPU $LOAD_CPU (clients) | $(kv "$res/jit1.1" late_p50_us) µs | $(kv "$res/jit1.1" late_p99_us) µs | $(kv "$res/jit1.1" late_p999_us) µs | $(kv "$res/jit1.1" late_max_us) µs |

## Targets

Persistence on, as above.

| target | measured | |
|---|---|---|
| p99 < 1 ms at 1,000 sessions, 50 % of capacity | $(ms "$p99_50") ms (the echo server at the same rate: $(ms "$(med lat_echo_50 p99_us)") ms) | $v_p99 |
| p99.9 < 5 ms there | $(ms "$p999_50") ms (echo: $(ms "$(med lat_echo_50 p999_us)") ms) | $v_p999 |
| throughput at 100 connections ≥ 0.35 × echo, sustained | over ${SUST_SECS} s: $(fmt2 "$r_sust") × ($(thousands "$s_sust") msg/s, $(fmt1 "$(med tput_sustained server_cpu_us_per_msg)") µs of server CPU per message, every thread counted; $(thousands "${sust_backlog:-0}") records behind at the end); in ${SECS} s windows, before the compactor has to keep up: $(fmt2 "$r100") × ($(thousands "$s_t100") vs $(thousands "$e_t100") msg/s), $(fmt1 "$c100") × the echo server's CPU per message | $v_tput |
| SQLite keeps up: the backlog only in the journal stays bounded | at most $(thousands "$backlog_max") records behind over the throughput, latency and reload runs ($backlog_n samples, every 100 ms); past 200,000 (plus the turns already under way) the loop stops reading from connections until it is halfway caught up (backpressure) | $( [ "$backlog_max" = n/a ] && echo "not measured" || { [ "$backlog_max" -le 202000 ] && echo "**met**" || echo "**missed**"; }) |
| kill -9 under full-rate load, ten times in a row: every reply received in its resumed history, no id answered twice | ${kill9_line:-not run} | $v_kill9 |
| start-up after a crash with $(thousands "$replay_n") turns only in the journal | $v_replay | reported |
| ≤ 8 KB slated RSS per idle connection at $IDLE_N connections | $(fmt0 "$idle_slated") bytes | $v_idle |
| start-up (knowledge, patterns, JIT) < 50 ms | $(fmt1 "$st_listen") ms to listening | $v_start |
| reload < 100 ms, no reply missed | $(fmt1 "$rl_ms") ms; $rl_missed missed, $rl_closed connections dropped, $rl_errors errors | $v_reload |

EOF
if [ "$rate_limited" != 0 ]; then
cat <<EOF
> **Warning**: slated answered $rate_limited questions with \`rate_limited\`
> even at \`--rate $slated_rate --burst $slated_burst\` (the highest it
> accepts). Its per-connection limit caps the 1-connection figure; see
> the throughput table.

EOF
fi
if [ "$errs_all" != 0 ]; then
	echo "> slated sent $errs_all error replies during the load tests (see the raw figures)."
	echo
fi

cat <<EOF
## Throughput and server CPU per message: slated vs echo

Closed loop: each connection sends its next message as soon as it has the
answer to the previous one (one at a time per connection, as the widget
does). Connections first say \`{"type":"hello","session":null}\`; then they
ask from a mixed set of 40 real questions (definitions, comparisons, career
paths, pay, follow-ups, typos, small talk, off-topic fallbacks); the echo
server gets the same frames and returns them. Throughput counts answers
received during a ${SECS} s window after ${WARM} s of warm-up; server CPU
is utime + stime of all the server's threads from \`/proc/<pid>/stat\`
over the same window, divided by the answers.

| connections | echo msg/s | slated msg/s | slated / echo | echo CPU µs/msg | slated CPU µs/msg | slated / echo | slated p50 | slated p99 | server core busy (echo, slated) |
|---|---|---|---|---|---|---|---|---|---|
EOF
for c in 1 100 1000; do
	et=$(med tput_echo_$c throughput); st=$(med tput_slated_$c throughput)
	ec=$(med tput_echo_$c server_cpu_us_per_msg)
	sc=$(med tput_slated_$c server_cpu_us_per_msg)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s ms | %s ms | %s %%, %s %% |\n' \
		"$(thousands $c)" "$(thousands "$et")" "$(thousands "$st")" \
		"$(pratio tput_echo_$c tput_slated_$c throughput)" "$(fmt1 "$ec")" \
		"$(fmt1 "$sc")" \
		"$(pratio tput_echo_$c tput_slated_$c server_cpu_us_per_msg)" "$(ms "$(med tput_slated_$c p50_us)")" \
		"$(ms "$(med tput_slated_$c p99_us)")" \
		"$(calc '%.0f' "$(med tput_echo_$c server_cpu_util) * 100")" \
		"$(calc '%.0f' "$(med tput_slated_$c server_cpu_util) * 100")"
done
cat <<EOF

The ratios are medians of the ratio of each back-to-back pair (echo, then
slated), so both sides of a ratio saw the same machine. The other figures
are medians of the repetitions.

Capacity (slated, closed loop, 1,000 connections): **$(thousands "$capacity") msg/s**
(the echo server: $(thousands "$echo_capacity") msg/s). A server core below
100 % busy at saturation means the rest of its time went to other work on
the shared machine or to waiting for the client (the client's own CPU use
is in the raw figures, \`client_cpu_util\`). CPU per message is the more
stable figure here: with a whole core, a server answers about 1,000,000 /
(µs per message) messages per second.

Reproduce one cell:
\`\`\`
taskset -c $SERVER_CPU $B/bench_echo --port 9001 --loop $main_loop &
taskset -c $SERVER_CPU $B/slated --port 9002 --db /tmp/bench.db --rate $slated_rate --burst $slated_burst --max-conns $MAXC --max-conns-per-ip $MAXC 2>/tmp/slated.log &
taskset -c $LOAD_CPU $B/bench_load --port 9001 --pid \$(pgrep -n bench_echo) --mode echo --conns 100 --warmup $WARM --seconds $SECS
taskset -c $LOAD_CPU $B/bench_load --port 9002 --pid \$(pgrep -n slated) --mode slate --conns 100 --warmup $WARM --seconds $SECS
\`\`\`

## Latency at 1,000 sessions, open loop

1,000 connections, each with its own session; questions at a fixed total
rate, spread evenly and round-robin over the sessions. Latency counts from
the moment a question *should* have been sent, so a stall of the server
(or of the client) cannot hide behind fewer questions (no coordinated
omission). The rates are 25, 50 and 75 % of slated's capacity measured
above; the echo server gets the same rates. Percentiles from a
log-linear histogram (under 0.8 % error), ${LAT_SECS} s windows after
${WARM} s of warm-up, medians of $REPS runs.

| load | rate msg/s | slated p50 | p90 | p99 | p99.9 | max | slated core busy | echo p50 | echo p99 | echo p99.9 | echo core busy | client send lag p99 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
for pct in 25 50 75; do
	s=lat_slated_$pct; e=lat_echo_$pct
	printf '| %s %% | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s %% | %s ms | %s ms | %s ms | %s %% | %s ms |\n' \
		"$pct" "$(thousands "$(med $s target_rate)")" \
		"$(ms "$(med $s p50_us)")" "$(ms "$(med $s p90_us)")" \
		"$(ms "$(med $s p99_us)")" "$(ms "$(med $s p999_us)")" \
		"$(ms "$(med $s max_us)")" \
		"$(calc '%.0f' "$(med $s server_cpu_util) * 100")" \
		"$(ms "$(med $e p50_us)")" "$(ms "$(med $e p99_us)")" \
		"$(ms "$(med $e p999_us)")" \
		"$(calc '%.0f' "$(med $e server_cpu_util) * 100")" \
		"$(ms "$(med $s send_lag_p99_us)")"
done
cat <<EOF

"Client send lag" is how late the load generator itself sent questions
whose session was free: the part of the latency that is the client's (and
the shared machine's), not the server's. Spread-out messages each wake
the loop alone, so a message costs more CPU here than at saturation, where
one wake-up serves many.

Reproduce: \`bench_load --port P --pid PID --mode slate --conns 1000 --rate $(med lat_slated_50 target_rate) --warmup $WARM --seconds $LAT_SECS\`.

## Storage: the journal and SQLite

Read from slated's \`/metrics\` at the end of the throughput, latency and
reload runs (one slated, $(thousands "$jr") journal records, nearly all of
them turns: the rest are new sessions), and sampled every 100 ms during
them for the backlog (records only the journal holds).

| | per record | in all |
|---|---|---|
| journal bytes (\`slated_journal_bytes_total\`) | $(thousands "$jpt") | $(thousands "$(calc '%.0f' "${jb:-0} / 1024")") KB |
| WAL bytes (\`slated_wal_bytes_total\`, per record compacted) | $(thousands "$wpt") | $(thousands "$(calc '%.0f' "${wb:-0} / 1024")") KB for $(thousands "$cr") records |
| database file after the runs | $(thousands "$db_per_turn") per turn | $(thousands "${db_kb:-0}") KB, $(thousands "$turns") turns |
| largest backlog | | $(thousands "$backlog_max") records |

Before the journal every turn was its own commit, about 10 KB of WAL
(whole 4 KB pages); the compactor applies up to 8 MB of journal in one
transaction, so a page goes to the WAL once per batch, and writes a
session's row once per 1 MB read however many turns it had. Past the
backlog's bound of 200,000 records the loop stops reading from connections
(TCP pushes back on the clients) until the compactor is halfway caught up:
the sustained throughput above is what the loop and the compactor manage
together on the one core.

**Replay**: $v_replay. SQLite's write lock was held by another process
while 100 connections asked (\`bench_load --mode slate --conns 100\`), so
that nothing was compacted, until $(thousands "$replay_n") records were only in the journal;
then \`kill -9\`, the lock released, and slated started again on the same
files (its log: \`journal replayed: N records from M segments in X ms\`).

**kill -9**: \`node --test tests/protocol/kill9.test.js\` with this slated:
${kill9_line:-not run}.

## SIGHUP reload under load

While 1,000 sessions ask $(thousands "$reload_rate") questions/s (25 % of
capacity), \`bench_load\` sends SIGHUP to slated and watches its log for the
line that says the new knowledge and patterns are in use (\`reload: ...\`).
The reload loads and validates the new set and runs the shipped
conversation tests on a thread of its own, sharing the server's one core
with the event loop. "Missed" counts questions that were never answered
(after a 5 s drain); "dropped" counts connections the server closed. Runs:
$RELOAD_REPS; the reload time is the median, the others are totals.

| while | reload time | questions due during the reload | their p99 | their max | missed | dropped | errors | outcome |
|---|---|---|---|---|---|---|---|---|
| 1,000 sessions at $(thousands "$reload_rate") msg/s | $(fmt1 "$rl_ms") ms | $(total reload reload_samples) | $(ms "$(med reload reload_p99_us)") ms | $(ms "$(med reload reload_max_us)") ms | $rl_missed | $rl_closed | $rl_errors | $(kv "$res/reload.1" reload_result | sed 's/^[^ ]* *[a-z]* *//; s/|/\\|/g' | cut -c1-90) |
| 1 session at 5 msg/s (1 run) | $(fmt1 "$(kv "$res/reload_idle.1" reload_ms)") ms | $(kv "$res/reload_idle.1" reload_samples) | $(ms "$(kv "$res/reload_idle.1" reload_p99_us)") ms | $(ms "$(kv "$res/reload_idle.1" reload_max_us)") ms | $(kv "$res/reload_idle.1" missed) | $(kv "$res/reload_idle.1" closed_by_server) | $(kv "$res/reload_idle.1" errors) | |

Reproduce: \`bench_load --port P --pid PID --conns 1000 --rate $reload_rate --warmup 0.5 --seconds 4 --hup-at 1.5 --hup-log slated.log\` with slated's stderr in slated.log.

## Start-up and stop

\`bench_startup\` forks, pins the child to CPU $SERVER_CPU and execs the server;
"listening" is when a TCP connect first succeeds (for slated: flags,
knowledge, patterns and their JIT compilation, SQLite opened and the
journal replayed, the libwebsockets context), "first answer" when a new
client has opened \`/chat\`, said hello and received the answer to its first
question (the turn journaled); "stop" is SIGTERM to exit (the compactor
applies what is left and the segments are deleted). Medians of $STARTUP_RUNS starts (min–max).

| server | listening | first answer | stop |
|---|---|---|---|
| slated | $(kv "$res/start_slated.1" listen_ms) ms ($(kv "$res/start_slated.1" listen_ms_min)–$(kv "$res/start_slated.1" listen_ms_max)) | $(kv "$res/start_slated.1" first_reply_ms) ms | $(kv "$res/start_slated.1" stop_ms) ms |
| echo | $(kv "$res/start_echo.1" listen_ms) ms ($(kv "$res/start_echo.1" listen_ms_min)–$(kv "$res/start_echo.1" listen_ms_max)) | – | $(kv "$res/start_echo.1" stop_ms) ms |

Reproduce: \`bench_startup --port P --runs $STARTUP_RUNS --cpu $SERVER_CPU -- $B/slated --port P --db /tmp/s.db\`.

## The engine alone

\`bench_engine\` (no network, no store) replays mixed conversations through
the engine on CPU $SERVER_CPU for $ENGINE_SECS s: questions per second on one
core and per-question latency.

| engine load | questions/s | p50 | p90 | p99 | p99.9 | max |
|---|---|---|---|---|---|---|
| $(kv "$res/engine.1" engine_load_ms) ms | $(thousands "$(kv "$res/engine.1" questions_per_second)") | $(kv "$res/engine.1" p50_us) µs | $(kv "$res/engine.1" p90_us) µs | $(kv "$res/engine.1" p99_us) µs | $(kv "$res/engine.1" p999_us) µs | $(kv "$res/engine.1" max_us) µs |

EOF
if [ -s "$res/hostile.1" ] && [ -n "$(kv "$res/hostile.1" hostile_mean_us)" ]; then
cat <<EOF
Hostile input (\`bench_engine --hostile\`: $(kv "$res/hostile.1" hostile_inputs) inputs built to make
the regexes and the typo corrector work hardest, each as long as slated
accepts): mean $(kv "$res/hostile.1" hostile_mean_us) µs, p99 $(kv "$res/hostile.1" hostile_p99_us) µs,
max $(kv "$res/hostile.1" hostile_max_us) µs, regex limit hits $(kv "$res/hostile.1" regex_limit_hits).

EOF
fi
eng_us=$(kv "$res/engine.1" questions_per_second)
eng_us=$(calc '%.1f' "1000000 / ${eng_us:-1}")
cat <<EOF
At $eng_us µs of CPU per question on average, the engine alone is
$(ratio "$eng_us" "$(med tput_echo_100 server_cpu_us_per_msg)") × the echo server's whole per-message cost at
100 connections ($(fmt1 "$(med tput_echo_100 server_cpu_us_per_msg)") µs).

## Memory per idle connection

\`bench_idle\`: one connection says hello and leaves (one-off allocations go
into "before"), then $IDLE_N connections from 4 loopback addresses open
(256 handshakes at a time), each says hello (slated creates its session)
and waits for the welcome; after $SETTLE s of quiet the server's VmRSS
(\`/proc/<pid>/status\`) is read again. \`ulimit -n\` is raised to $want.
Medians of $IDLE_REPS fresh servers.

| server | event loop | RSS before | RSS with $IDLE_N idle | per connection | CPU while idle | time to open them |
|---|---|---|---|---|---|---|
EOF
for s in $idle_servers; do
	kind=${s%%:*}; loop=${s##*:}; n=idle_${kind}_$loop
	label=$kind
	[ "$kind" = echo4k ] && label="echo, rx_buffer_size 4096"
	printf '| %s | %s | %s KB | %s KB | **%s bytes** | %s %% | %s s |\n' \
		"$label" "$loop" "$(med $n rss_before_kb)" "$(med $n rss_after_kb)" \
		"$(fmt0 "$(med $n rss_per_conn_bytes)")" \
		"$(calc '%.1f' "$(med $n idle_cpu_util) * 100")" \
		"$(fmt1 "$(med $n open_s)")"
done
cat <<EOF

slated / echo per idle connection, same event loop ($main_loop): $(ratio "$(med "idle_slated_$main_loop" rss_per_conn_bytes)" "$(med "idle_echo_$main_loop" rss_per_conn_bytes)") ×.
"Time to open them" is for $IDLE_N handshakes with hello and welcome: with
\`poll()\` every wake-up scans every descriptor, so accepting the n-th
connection costs O(n).

Reproduce: \`bench_idle --port P --pid PID --conns $IDLE_N --src 4\`.

## Event loop: poll() or libev (issue 6, item 4)

Debian 12's libwebsockets 4.1.6 is built with \`LWS_WITH_POLL\` and with
event-library plugins (\`LWS_WITH_EVLIB_PLUGINS\`, \`LWS_WITH_LIBEV\`,
\`LWS_WITH_LIBUV\`, \`LWS_WITH_GLIB\`); the plugins are separate packages,
\`libwebsockets-evlib-ev\`, \`-uv\` and \`-glib\`
(\`/usr/lib/x86_64-linux-gnu/libwebsockets-evlib_ev.so\` etc.), loaded when
the context is created with \`LWS_SERVER_OPTION_LIBEV\` (\`_LIBUV\`, \`_GLIB\`).
libwebsockets' default is \`poll()\`, which passes every descriptor to the
kernel and scans them all on every wake-up: its cost per message grows with
the number of connections, even idle ones. libev uses epoll on Linux.
\`slated --event-loop ev|poll\` chooses (default \`ev\`).

Measured: 100 active connections at $(thousands "$el_rate") msg/s in all
(25 % of slated's capacity), open loop, with 0 and with $IDLE_N more
connections that said hello and stay idle; then saturation (closed loop,
1,000 connections, no idle ones). One run each.

| server | loop | idle conns | p50 | p99 | p99.9 | server CPU µs/msg | CPU busy | saturation msg/s | CPU µs/msg at saturation |
|---|---|---|---|---|---|---|---|---|---|
EOF
for s in $el_runs; do
	kind=${s%%:*}; loop=${s##*:}
	for idle in 0 "$IDLE_N"; do
		f=$res/el_${kind}_${loop}_$idle.1
		g=$res/elsat_${kind}_$loop.1
		if [ ! -s "$f" ]; then
			printf '| %s | %s | %s | failed: see the log | | | | | | |\n' \
				"$kind" "$loop" "$idle"
			continue
		fi
		printf '| %s | %s | %s | %s ms | %s ms | %s ms | %s | %s %% | %s | %s |\n' \
			"$kind" "$loop" "$(thousands "$idle")" \
			"$(ms "$(kv "$f" p50_us)")" "$(ms "$(kv "$f" p99_us)")" \
			"$(ms "$(kv "$f" p999_us)")" \
			"$(fmt1 "$(kv "$f" server_cpu_us_per_msg)")" \
			"$(calc '%.0f' "$(kv "$f" server_cpu_util) * 100")" \
			"$( [ "$idle" = 0 ] && [ -s "$g" ] && thousands "$(kv "$g" throughput)")" \
			"$( [ "$idle" = 0 ] && [ -s "$g" ] && fmt1 "$(kv "$g" server_cpu_us_per_msg)")"
	done
done
ep0=$(kv "$res/el_echo_poll_0.1" server_cpu_us_per_msg)
epn=$(kv "$res/el_echo_poll_$IDLE_N.1" server_cpu_us_per_msg)
ev0=$(kv "$res/el_echo_ev_0.1" server_cpu_us_per_msg)
evn=$(kv "$res/el_echo_ev_$IDLE_N.1" server_cpu_us_per_msg)
sp0=$(kv "$res/el_slated_poll_0.1" server_cpu_us_per_msg)
spn=$(kv "$res/el_slated_poll_$IDLE_N.1" server_cpu_us_per_msg)
sv0=$(kv "$res/el_slated_ev_0.1" server_cpu_us_per_msg)
svn=$(kv "$res/el_slated_ev_$IDLE_N.1" server_cpu_us_per_msg)
cat <<EOF

With $IDLE_N idle connections, each message costs the echo server
$(ratio "${epn:-n/a}" "${ep0:-n/a}") × as much CPU as without them under \`poll()\`, and
$(ratio "${evn:-n/a}" "${ev0:-n/a}") × under libev; slated: $(ratio "${spn:-n/a}" "${sp0:-n/a}") × under \`poll()\`,
$(ratio "${svn:-n/a}" "${sv0:-n/a}") × under libev.
EOF
if [ "$slated_loops" = poll ]; then
cat <<EOF
This slated has no way to choose its event loop (no \`--event-loop\` flag),
so only the echo server could be measured with libev.
EOF
fi
if [ -n "$evn" ] && [ -n "$epn" ] && awk -v a="$evn" -v b="$epn" 'BEGIN { exit !(a < b) }'; then
cat <<EOF

**Choice: libev** (\`LWS_SERVER_OPTION_LIBEV\`, Debian package
\`libwebsockets-evlib-ev\`), because in this run it made a message with
$IDLE_N idle connections open cost $(fmt1 "$evn") µs of server CPU instead of
$(fmt1 "$epn") µs. Why it matters and what it costs:
- A school's traffic is exactly the case \`poll()\` is bad at: many open
  widgets, each idle nearly all the time. Under \`poll()\` every message
  pays for every idle connection (table above), and so does every accept
  (the idle table's "time to open them"); with libev (epoll) the cost per
  message does not depend on how many connections are idle.
- At saturation with only busy connections \`poll()\` can be slightly
  cheaper per message (libev turns each change of write interest into an
  \`epoll_ctl\`): compare the saturation columns. That is not the case
  that matters, and the difference is small next to slated's own work per
  message.
- libev costs some memory per connection (idle table: echo poll vs echo
  ev) and one more shared library from Debian. libuv is not an option with
  a plain \`lws_service()\` loop (it spins at 100 % CPU) and glib brings far
  more than it gives.
- With an event library, \`lws_service()\` in 4.1.6 runs that library's
  loop until it has no watchers left and does not return after each event,
  so a \`while (!stop) lws_service()\` loop never sees its flags again.
  slated therefore creates the libev loop itself and hands it to
  libwebsockets as a "foreign" loop; its housekeeping (run on
  \`lws_cancel_service()\` and once a second) calls \`ev_break\` when a
  stop is due. \`bench_echo --loop ev\` exits from its signal handler.
EOF
else
cat <<EOF

**Choice: poll()** in this run: with $IDLE_N idle connections a message cost
$(fmt1 "${epn:-n/a}") µs of server CPU under \`poll()\` and $(fmt1 "${evn:-n/a}") µs under libev,
so libev did not pay for its extra memory per connection here. (With an
event library, \`lws_service()\` in 4.1.6 also stops returning after each
event, which slated's main loop relies on.)
EOF
fi

if [ "$prof" = yes ]; then
	cg_asks=${asks:-0}
	[ "$cg_asks" -gt 0 ] 2>/dev/null || cg_asks=1
	main_total=$(awk -F'\t' '$1 == "TOTAL" { print $2 }' "$res/cg_main_dso")
	store_total=$(awk -F'\t' '$1 == "TOTAL" { print $2 }' "$res/cg_store_dso")
cat <<EOF

## Where slated's time goes (callgrind)

Instruction counts are stable on a noisy machine where times are not.
slated under \`valgrind --tool=callgrind --separate-threads=yes\`, 10
connections asking in a closed loop, instrumentation on for 5 s after
warm-up: $cg_asks questions. Kernel work (system calls: sockets,
the journal's writes, SQLite's writes and fsyncs) is not counted here; it
is in the CPU figures above.

Event-loop thread: **$(thousands "$(calc '%.0f' "$main_total / $cg_asks")") instructions per question**; the other
threads (compactor, reader, journal sync, checkpointer) together: **$(thousands "$(calc '%.0f' "$store_total / $cg_asks")")** per question (the engine alone, by
comparison, runs at $eng_us µs per question).

| event-loop thread, by library | instructions / question | share |
|---|---|---|
EOF
	sort -t$'\t' -k2 -rn "$res/cg_main_dso" | while IFS=$'\t' read -r g v; do
		[ "$g" = TOTAL ] && continue
		printf '| %s | %s | %s %% |\n' "$g" \
			"$(thousands "$(calc '%.0f' "$v / $cg_asks")")" \
			"$(calc '%.0f' "100 * $v / $main_total")"
	done
cat <<EOF

| event-loop thread, by function (inclusive) | instructions / question | share |
|---|---|---|
EOF
	while IFS=$'\t' read -r fn v; do
		[ -n "$v" ] || continue
		printf '| `%s` | %s | %s %% |\n' "$fn" \
			"$(thousands "$(calc '%.0f' "$v / $cg_asks")")" \
			"$(calc '%.0f' "100 * $v / $main_total")"
	done <"$res/cg_main_fn"
cat <<EOF

| the other threads, by library | instructions / question | share |
|---|---|---|
EOF
	sort -t$'\t' -k2 -rn "$res/cg_store_dso" | while IFS=$'\t' read -r g v; do
		[ "$g" = TOTAL ] && continue
		printf '| %s | %s | %s %% |\n' "$g" \
			"$(thousands "$(calc '%.0f' "$v / $cg_asks")")" \
			"$(calc '%.0f' "100 * $v / ${store_total:-1}")"
	done
	echo
fi

# --- findings: what the figures say, where they say it --------------------------
eo=$(med "idle_echo_$main_loop" open_s); so=$(med "idle_slated_$main_loop" open_s)
cat <<EOF

## Findings

- Per message, slated costs $(fmt1 "$c100") × the echo server's CPU at 100
  connections ($(fmt1 "$(med tput_slated_100 server_cpu_us_per_msg)") vs $(fmt1 "$(med tput_echo_100 server_cpu_us_per_msg)") µs). For 0.6 × the echo server's throughput
  slated may spend at most $(calc '%.1f' "$(med tput_echo_100 server_cpu_us_per_msg) / 0.6") µs per message in all; the echo part
  (libwebsockets and the kernel) takes $(fmt1 "$(med tput_echo_100 server_cpu_us_per_msg)") of those, which leaves
  $(calc '%.1f' "$(med tput_echo_100 server_cpu_us_per_msg) / 0.6 - $(med tput_echo_100 server_cpu_us_per_msg)") µs for the engine, JSON and the store together, while the engine
  alone spends $eng_us µs per question on average$(awk -v e="$eng_us" -v b="$(med tput_echo_100 server_cpu_us_per_msg)" 'BEGIN { if (e > b / 0.6 - b) printf ": the target cannot be met by tuning the daemon around this engine" }').
EOF
if [ "$prof" = yes ]; then
	js=$(awk -F'\t' '$1 == "jansson (JSON)" { print $2 }' "$res/cg_main_dso")
	px=$(awk -F'\t' '$1 == "PCRE2 JIT-compiled patterns" { print $2 }' "$res/cg_main_dso")
cat <<EOF
- In the event loop, JSON (jansson parsing each request; replies are
  written as text) takes $(calc '%.0f' "100 * ${js:-0} / $main_total") % of the instructions per question and the
  engine's regular expressions $(calc '%.0f' "100 * ${px:-0} / $main_total") %; the other threads (the
  compactor above all) add $(calc '%.0f' "100 * $store_total / $main_total") % more instructions on top, plus their
  system calls (SQLite's WAL writes and fsyncs), which callgrind does not
  count but the CPU figures do.
EOF
fi
if [ -n "$so" ] && [ -n "$eo" ] && [ "$so" != n/a ] && [ "$eo" != n/a ] &&
	awk -v a="$so" -v b="$eo" 'BEGIN { exit !(a > 3 * b) }'; then
cat <<EOF
- Opening $IDLE_N connections took slated $(fmt1 "$so") s and the echo server
  $(fmt1 "$eo") s with the same event loop: slated's work per accepted
  connection grows with the number already open (profile it with
  \`perf record -g\` while \`bench_idle\` connects).
EOF
fi
cat <<EOF
- The latency at 1,000 sessions, 50 % of capacity: median $(ms "$(med lat_slated_50 p50_us)") ms, p99
  $(ms "$p99_50") ms, p99.9 $(ms "$p999_50") ms, against the echo server's p99 of $(ms "$(med lat_echo_50 p99_us)") ms at the
  same rate. A reply waits only for its turn's \`write(2)\` into the page
  cache; SQLite works behind it on a thread that gets only the CPU the loop
  leaves (\`SCHED_IDLE\`) and shares no lock with it.
- Why the journal (the findings that led to it, 2026-11-22, with the
  store as it was: every reply waited for its turn's SQLite commit on the
  store thread). At 8,000 questions/s a turn added about 10 KB to the WAL
  (whole 4 KB pages: the table's last page, a leaf of the (session, id)
  index, often page 1), the WAL's bound was reached about every 3 s and
  the writer then waited 30-50 ms for a checkpoint pass (two fsyncs), and
  a few commits a second took 2-16 ms instead of 0.14 ms. Throw-away
  builds of commit a199c2b, \`bench_load --mode slate --conns 1000 --rate
  8000\` (about half of capacity then) and \`--conns 100\` closed loop:

  | slated variant | p99 at 8,000/s | CPU µs per question at 8,000/s | closed loop, 100 conns, vs echo |
  |---|---|---|---|
  | reply after the store thread commits the turn (as shipped then) | 4.1-5.6 ms | 98-100 | 0.18-0.19× (23k vs 120-129k msg/s) |
  | nothing stored: reply straight from the event loop | 0.25-0.34 ms | 48-51 | 0.38-0.40× (53-56k vs 139-141k) |
  | turn appended to a file by the event loop, reply at once, no SQLite | 0.30-0.37 ms | 51-54 | |
  | the same, and the store thread puts the turns into SQLite every 20 ms | 3.2-4.0 ms | 67-74 | 0.21-0.22× (26-27k) |
  | the same, the store thread at nice 10, 19, or woken every 16 turns | 2.0-3.8 ms | 67-91 | |
  | turn appended to a file by the store thread, SQLite by a third thread | 6.0-13.5 ms | 97-104 | |

  The file appended by the event loop is the design now shipped (the one
  exception to "the loop never blocks": a \`write(2)\` into the page cache,
  never an fsync). What kept the variants that also filled SQLite at 2-4
  ms was SQLite's work sharing the core with the loop and a store thread
  whose queue mutex the loop also took; the compactor now runs at
  \`SCHED_IDLE\`, takes no lock the loop takes, and writes big batches.
- Under \`poll()\` a message costs more the more connections are open,
  idle or not (event-loop section): with $IDLE_N idle connections the echo
  server spent $(fmt1 "${epn:-n/a}") µs per message under \`poll()\` and $(fmt1 "${evn:-n/a}") µs under libev.
  slated runs $( [ "$main_loop" = ev ] && echo "libev by default, and every slated figure above except the event-loop and idle tables' poll rows is with libev" || echo "\\\`poll()\\\` here").
EOF

# --- before and after the first round of performance fixes -------------------------------------
bf=$(dirname "$0")/before.txt
if [ -f "$bf" ]; then
	b() { kv "$bf" "$1"; }
	cg_main_now=n/a; cg_store_now=n/a
	if [ -n "${main_total:-}" ]; then
		cg_main_now=$(thousands "$(calc '%.0f' "$main_total / $cg_asks")")
		cg_store_now=$(thousands "$(calc '%.0f' "$store_total / $cg_asks")")
	fi
cat <<EOF

## Before and after (issue 6)

"Before" is the full run of this script at commit $(b commit) ($(b when)),
before slated's fixes for issue 6 (\`tests/bench/before.txt\`); "after" is
this run. Absolute figures move with the shared machine's load: the ratios
to the echo server (measured in the same run) and the instruction counts
are the comparable ones. What changed:
- the event loop: libev (epoll) instead of \`poll()\` (event-loop section);
- the engine: each regex line is read at load for the literals every match
  must contain, and a section none of whose lines can match the question
  is not run (about 4 regex runs per question instead of 43); sections are
  mapped to roles, intents and topics once at load, not by name per turn;
- the store: statements (\`BEGIN\` and \`COMMIT\` too) prepared once, no
  \`UPDATE ... RETURNING\` (a temporary table per run), savepoints only
  when a job of the batch failed, the state kept in the turn's own row
  (schema 2: no rewrite of the session's row per question), WAL
  checkpoints on a thread of their own instead of inside a commit;
- loading: bm25 scores for the knowledge search computed from the index's
  token list in one pass instead of one FTS5 query per word;
- earlier, in the same issue: replies and slots written as JSON text
  without jansson objects; no second copy of the bot's text, no redundant
  index, no \`count(*)\` per commit, \`sessions.seen\` touched at most once
  a minute, turns sharing a commit under load; per-address counters instead
  of walking every connection on each accept; \`rx_buffer_size\` 1024
  instead of 4096 (the echo server too).

| figure | before | after |
|---|---|---|
| slated / echo throughput, 100 connections | $(b tput100_ratio) × | $(fmt2 "$r100") × |
| slated msg/s, 100 connections | $(thousands "$(b tput100_slated)") | $(thousands "$s_t100") |
| slated server CPU µs/msg, 100 connections | $(b cpu100_slated) | $(fmt1 "$(med tput_slated_100 server_cpu_us_per_msg)") |
| slated / echo CPU per message, 100 connections | $(b cpu100_ratio) × | $(fmt2 "$c100") × |
| slated server CPU µs/msg, 1 connection | $(b cpu1_slated) | $(fmt1 "$(med tput_slated_1 server_cpu_us_per_msg)") |
| slated msg/s, 1,000 connections (capacity) | $(thousands "$(b tput1000_slated)") | $(thousands "$(med tput_slated_1000 throughput)") |
| slated server CPU µs/msg, 1,000 connections | $(b cpu1000_slated) | $(fmt1 "$(med tput_slated_1000 server_cpu_us_per_msg)") |
| p99 at 1,000 sessions, 50 % of capacity | $(b p99_50_ms) ms | $(ms "$p99_50") ms |
| RSS per idle connection ($IDLE_N) | $(b idle_bytes) bytes | $(fmt0 "$idle_slated") bytes |
| time to open the idle connections | $(b idle_open_s) s | $(fmt1 "$(med "idle_slated_$main_loop" open_s)") s |
| start-up to listening | $(b startup_ms) ms | $(fmt1 "$st_listen") ms |
| reload under load | $(b reload_ms) ms | $(fmt1 "$rl_ms") ms |
| event-loop instructions per question (callgrind) | $(thousands "$(b cg_main)") | $cg_main_now |
| store-thread instructions per question (callgrind; after: every thread but the loop) | $(thousands "$(b cg_store)") | $cg_store_now |
EOF
fi

# --- before and after the journal ---------------------------------------------
bj=$(dirname "$0")/before-journal.txt
if [ -f "$bj" ]; then
	bb() { kv "$bj" "$1"; }
cat <<EOF

## Before and after: the journal

"Before" is the full run of this script at commit $(bb commit) ($(bb when)),
when every reply waited for its turn's SQLite commit on the store thread
(\`tests/bench/before-journal.txt\`); "after" is this run, with each turn
appended to the journal by the event loop and SQLite filled behind it.
Compare the ratios to the echo server, which was measured in the same run
each time.

| figure | before | after |
|---|---|---|
| slated / echo throughput, 100 connections | $(bb tput100_ratio) × | $(fmt2 "$r100") × |
| slated msg/s, 100 connections | $(thousands "$(bb tput100_slated)") | $(thousands "$s_t100") |
| slated server CPU µs/msg (every thread), 100 connections | $(bb cpu100_slated) | $(fmt1 "$(med tput_slated_100 server_cpu_us_per_msg)") |
| slated msg/s, 1,000 connections (capacity) | $(thousands "$(bb tput1000_slated)") | $(thousands "$(med tput_slated_1000 throughput)") |
| p50 at 1,000 sessions, 50 % of capacity | $(bb p50_50_ms) ms | $(ms "$(med lat_slated_50 p50_us)") ms |
| p99 there | $(bb p99_50_ms) ms | $(ms "$p99_50") ms |
| p99.9 there | $(bb p999_50_ms) ms | $(ms "$p999_50") ms |
| WAL bytes per turn | $(bb wal_per_turn) | $(thousands "$wpt") |
| journal bytes per turn | – | $(thousands "$jpt") |
| database bytes per turn | $(thousands "$(bb db_per_turn)") | $(thousands "$db_per_turn") |
| RSS per idle connection ($IDLE_N) | $(bb idle_bytes) bytes | $(fmt0 "$idle_slated") bytes |
| start-up to listening | $(bb startup_ms) ms | $(fmt1 "$st_listen") ms |
| reload under load | $(bb reload_ms) ms | $(fmt1 "$rl_ms") ms |
| event-loop instructions per question (callgrind) | $(thousands "$(bb cg_main)") | ${cg_main_now:-n/a} |
| other threads' instructions per question (callgrind) | $(thousands "$(bb cg_store)") (the store thread) | ${cg_store_now:-n/a} |
EOF
fi

cat <<EOF

## Raw figures

The database after the load tests: $turns turns in $db_kb KB.
Every run's output (\`key: value\`), one line per run:

\`\`\`
EOF
for f in "$res"/tput_* "$res"/lat_* "$res"/reload.* "$res"/idle_* \
	"$res"/el_* "$res"/elsat_*; do
	[ -f "$f" ] || continue
	printf '%s: ' "$(basename "$f")"
	grep -vE '^(mode|seconds|error_sample|close_sample|reload_result)' "$f" |
		sed 's/: /=/' | tr '\n' ' '
	echo
done
cat <<EOF
\`\`\`

Reproduce everything: \`tests/bench/run.sh\` (about 8 minutes) or
\`QUICK=1 tests/bench/run.sh\` (about 1 minute); the tools are built by
CMake (\`cmake -S . -B build && cmake --build build -j2\`) and each prints
its usage with \`--help\`.
EOF
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
say "done: $OUT"
