#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# On the day (issue 12): from closing the marketplace of the seed's open-forum
# block (20 topics, 60 people) to the published wall: close, allocate,
# publish, and the wall's next poll; the median and p90 over RUNS fresh events
# (docs/performance.md, "On the day").
#
# usage: tests/bench/bench_onday.sh [BUILD_DIR]   (default: build-bench, RelWithDebInfo)
# env:   RUNS=10  TIME_LIMIT_MS=500 (what the console sends after the marketplace)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
RUNS=${RUNS:-10}
TIME_LIMIT_MS=${TIME_LIMIT_MS:-500}

if [ ! -x "$build/src/forumd" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j2 --target forumd >/dev/null
exec python3 "$root/tests/bench/bench_onday.py" "$build/src/forumd" --runs "$RUNS" \
    --time-limit "$TIME_LIMIT_MS"
