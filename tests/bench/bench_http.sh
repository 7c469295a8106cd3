#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# HTTP benchmarks (docs/performance.md): GET /schedule 200 and 304 against
# forumd and against a bare libmicrohttpd program serving the same bytes,
# then vote writes per second and their latency while 300 clients poll the
# schedule once a second.
#
# usage: tests/bench/bench_http.sh [BUILD_DIR]      (default: build-bench, RelWithDebInfo -O2)
# env:   DURATION=10 (seconds per run)  CONNS=64 (connections for the GET runs)
#        THREADS=4 (server threads)     VOTERS=16 (connections writing votes)
#        POLLERS=300                    PEOPLE=200 TOPICS=30 (the event's size)
#        REPEAT=3 (the GET runs alternate forumd and bare this many times; the
#        best run of each counts, which filters out other load on the machine)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-4}
VOTERS=${VOTERS:-16}
POLLERS=${POLLERS:-300}
PEOPLE=${PEOPLE:-200}
TOPICS=${TOPICS:-30}
REPEAT=${REPEAT:-3}
command -v wrk >/dev/null || { echo "bench_http: wrk is missing (scripts/deps.sh)" >&2; exit 1; }

if [ ! -x "$build/src/forumd" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j2 --target forumd >/dev/null
forumd=$build/src/forumd

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$work/bare_mhd" "$root/tests/bench/bare_mhd.c" \
    $(pkg-config --cflags --libs libmicrohttpd)

# forumd, with the write rate limit raised so that the benchmark measures the
# server and not the limiter (the limit is per token; see docs/api.md).
token=bench-admin-token-0123456789abcdef
extra=()
if "$forumd" serve --help | grep -q -- --write-burst; then
    extra=(--write-burst 100000000 --write-per-minute 100000000)
fi
FORUMD_ADMIN_TOKEN=$token "$forumd" serve --listen 127.0.0.1:0 --db "$work/bench.db" \
    --threads "$THREADS" --log-level warn "${extra[@]}" 2>"$work/forumd.log" &
pids+=($!)
port=""
for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/forumd.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/forumd.log" >&2; exit 1; }
base=http://127.0.0.1:$port

echo "== setting up: $PEOPLE participants, $TOPICS topics, allocation, published schedule" >&2
eval "$(python3 "$root/tests/bench/bench_http.py" "$base" "$token" "$work" "$PEOPLE" "$TOPICS")"
sched=/api/v1/events/$EID/schedule
bytes=$(wc -c <"$work/schedule.json")

bare_port=$((port + 1))
while (echo >/dev/tcp/127.0.0.1/$bare_port) 2>/dev/null; do bare_port=$((bare_port + 1)); done
"$work/bare_mhd" "$bare_port" "$work/schedule.json" "$ETAG" "$THREADS" 2>/dev/null &
pids+=($!)
sleep 0.3

# run NAME wrk-args...: runs wrk --latency; keeps NAME's best run (req/s, p50, p99).
declare -A rps p50 p99
run() {
    local name=$1 out r
    shift
    out=$(wrk --latency "$@")
    r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    if grep -q "Non-2xx or 3xx" <<<"$out"; then
        echo "bench_http: $name: $(grep 'Non-2xx' <<<"$out")" >&2
    fi
    printf '  %-14s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$r" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" >&2
    if [ -z "${rps[$name]:-}" ] || awk -v a="$r" -v b="${rps[$name]}" 'BEGIN {exit !(a > b)}'; then
        rps[$name]=$r
        p50[$name]=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99[$name]=$(awk '$1 == "99%" {print $2}' <<<"$out")
    fi
}

echo "== GET $sched ($bytes bytes, $SESSIONS sessions), $CONNS connections, ${DURATION}s per run, best of $REPEAT" >&2
w=(-t2 -c"$CONNS" -d"${DURATION}s")
for _ in $(seq "$REPEAT"); do
    run forumd_200 "${w[@]}" "$base$sched"
    run bare_200 "${w[@]}" "http://127.0.0.1:$bare_port$sched"
    run forumd_304 "${w[@]}" -H "If-None-Match: $ETAG" "$base$sched"
    run bare_304 "${w[@]}" -H "If-None-Match: $ETAG" "http://127.0.0.1:$bare_port$sched"
done

echo "== votes: $VOTERS connections writing while $POLLERS clients poll once a second" >&2
wrk -t1 -c"$POLLERS" -d"$((DURATION + 2))s" -s "$root/tests/bench/poll.lua" "$base$sched" \
    -- "$ETAG" 1000 >"$work/poll.out" 2>&1 &
poll_pid=$!
sleep 1
run votes -t1 -c"$VOTERS" -d"${DURATION}s" -s "$root/tests/bench/vote.lua" "$base" \
    -- "$EID" "$work/tokens.txt" "$work/topics.txt"
wait "$poll_pid" || true
poll_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/poll.out")

ratio200=$(awk -v a="${rps[forumd_200]}" -v b="${rps[bare_200]}" 'BEGIN {printf "%.2f", a / b}')
ratio304=$(awk -v a="${rps[forumd_304]}" -v b="${rps[bare_304]}" 'BEGIN {printf "%.2f", a / b}')
cat <<EOT

| run | req/s | p50 | p99 |
|---|---|---|---|
| forumd GET /schedule 200 | ${rps[forumd_200]} | ${p50[forumd_200]} | ${p99[forumd_200]} |
| bare libmicrohttpd 200 | ${rps[bare_200]} | ${p50[bare_200]} | ${p99[bare_200]} |
| forumd GET /schedule 304 | ${rps[forumd_304]} | ${p50[forumd_304]} | ${p99[forumd_304]} |
| bare libmicrohttpd 304 | ${rps[bare_304]} | ${p50[bare_304]} | ${p99[bare_304]} |
| forumd PUT vote ($VOTERS conns, $POLLERS pollers at ${poll_rps} req/s) | ${rps[votes]} | ${p50[votes]} | ${p99[votes]} |

forumd / bare: 200 = $ratio200, 304 = $ratio304 (goal >= 0.80)
schedule: $bytes bytes, $SESSIONS sessions; $THREADS server threads; $(nproc) cores; wrk -t2 -c$CONNS -d${DURATION}s, best of $REPEAT
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
EOT
