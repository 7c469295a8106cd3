#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Allocator benchmark (docs/allocator.md): `forumd solve` on every instance of
# ../shared/instances at its default time limit, printing satisfied, the ratio
# to the optimum / best known value (*.ref.json) or to our bound, wall time and
# peak memory; then huge.json with a 5 s limit.
#
# usage: tests/bench/bench_alloc.sh [BUILD_DIR]   (default: build-bench, RelWithDebInfo)
# env:   SEEDS="1 2 3" (each instance runs once per seed)  SHARED=../shared
#        EXTRA="huge:5000" (more NAME:LIMIT_MS runs after the defaults; "" for none)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
SEEDS=${SEEDS:-"1 2 3"}
SHARED=${SHARED:-$root/../shared}
EXTRA=${EXTRA-"huge:5000"}

if [ ! -x "$build/src/forumd" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j2 --target forumd >/dev/null
exec python3 "$root/tests/bench/bench_alloc.py" "$build/src/forumd" "$SHARED" \
    --seeds "$SEEDS" --extra "$EXTRA"
