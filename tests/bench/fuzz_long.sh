#!/bin/sh
# SPDX-License-Identifier: MIT
# The long fuzzing runs of docs/reliability.md: one libFuzzer target for
# RUNS executions (default 10 million) or SECONDS seconds, whichever comes
# first, at low priority, with a corpus kept between runs under WORK.
# Crashes land in WORK/TARGET/artifacts/; add each, minimised, to
# tests/fuzz/corpus/TARGET/ as a regression.
# usage: tests/bench/fuzz_long.sh BUILD_DIR TARGET [RUNS] [SECONDS] [WORK]
#   e.g. tests/bench/fuzz_long.sh build/asan fuzz_api 10000000 36000
set -eu
build=$1
target=$2
runs=${3:-10000000}
secs=${4:-86400}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${5:-$build/fuzz-long}
exe=$build/tests/fuzz/$target
[ -x "$exe" ] || { echo "fuzz_long: $exe not built (FORUM_BUILD_FUZZERS=ON, clang)" >&2; exit 2; }
mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
dict=""
[ -f "$src/tests/fuzz/$target.dict" ] && dict="-dict=$src/tests/fuzz/$target.dict"
echo "fuzz_long: $target: $runs runs or ${secs}s; log $work/$target/log" >&2
rc=0
# shellcheck disable=SC2086
nice -n 19 "$exe" -runs="$runs" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
    -max_len=16384 -print_final_stats=1 -detect_leaks=1 -reload=0 \
    -artifact_prefix="$work/$target/artifacts/" $dict \
    "$work/$target/corpus" "$src/tests/fuzz/corpus/$target" >"$work/$target/log" 2>&1 || rc=$?
tail -n 25 "$work/$target/log"
exit $rc
