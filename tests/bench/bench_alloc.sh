#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Allocator benchmark (docs/allocator.md), the must-show figures of issue 10:
# `forumd solve` on every instance of ../shared/instances at its default time
# limit (levels against the reference, satisfied against the optimum or best
# known value, the bound, wall time and peak memory), huge.json with a 5 s
# limit, a re-run of large after two rooms close in three slots, and 200
# generated v2 instances checked by the referee (bound, byte-identical reruns).
#
# usage: tests/bench/bench_alloc.sh [BUILD_DIR]   (default: build-bench, RelWithDebInfo)
# env:   SEEDS="1 2 3" (each instance runs once per seed)  SHARED=../shared
#        EXTRA="huge:5000" (more NAME:LIMIT_MS runs after the defaults; "" for none)
#        GENERATED=200 (generated v2 instances; 0 for none)  ONLY=instances,rerun,generated
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
SEEDS=${SEEDS:-"1 2 3"}
SHARED=${SHARED:-$root/../shared}
EXTRA=${EXTRA-"huge:5000"}
GENERATED=${GENERATED:-200}
ONLY=${ONLY:-}

if [ ! -x "$build/src/forumd" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j2 --target forumd >/dev/null
exec python3 "$root/tests/bench/bench_alloc.py" "$build/src/forumd" "$SHARED" \
    --seeds "$SEEDS" --extra "$EXTRA" --generated "$GENERATED" --only "$ONLY"
