#!/bin/sh
# SPDX-License-Identifier: MIT
# The long fuzzing runs of docs/reliability.md: one libFuzzer target for
# RUNS executions (default 10 million) or SECONDS seconds, whichever comes
# first, at low priority, with a corpus kept between runs under WORK.
# Crashes land in WORK/TARGET/artifacts/; add each, minimised, to
# tests/fuzz/corpus/TARGET/ as a regression.
# usage: tests/bench/fuzz_long.sh BUILD_DIR TARGET [RUNS] [SECONDS] [WORK]
#   e.g. tests/bench/fuzz_long.sh build/asan fuzz_api 10000000 36000
# FUZZ_CHUNK=N restarts the fuzzer from the kept corpus every N executions
# (the runs are summed): a process that lives for millions of executions
# slows down when ASan's stack depot fills with the stacks of an
# uninstrumented library's allocations (fuzz_markdown and Debian's cmark:
# 1,300 inputs/s fresh, 350/s after 1.5 million; docs/reliability.md).
set -eu
build=$1
target=$2
runs=${3:-10000000}
secs=${4:-86400}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${5:-$build/fuzz-long}
chunk=${FUZZ_CHUNK:-$runs}
exe=$build/tests/fuzz/$target
[ -x "$exe" ] || { echo "fuzz_long: $exe not built (FORUM_BUILD_FUZZERS=ON, clang)" >&2; exit 2; }
mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
dict=""
[ -f "$src/tests/fuzz/$target.dict" ] && dict="-dict=$src/tests/fuzz/$target.dict"
echo "fuzz_long: $target: $runs runs or ${secs}s; log $work/$target/log" >&2
log=$work/$target/log
one=$work/$target/log.process
: >"$log"
start=$(date +%s)
total=0
processes=0
rc=0
while [ "$total" -lt "$runs" ]; do
    left=$((secs - ($(date +%s) - start)))
    [ "$left" -gt 0 ] || break
    n=$((runs - total))
    [ "$n" -le "$chunk" ] || n=$chunk
    # shellcheck disable=SC2086
    nice -n 19 "$exe" -runs="$n" -max_total_time="$left" -timeout=30 -rss_limit_mb=2560 \
        -max_len=16384 -print_final_stats=1 -detect_leaks=1 -reload=0 \
        -artifact_prefix="$work/$target/artifacts/" $dict \
        "$work/$target/corpus" "$src/tests/fuzz/corpus/$target" >"$one" 2>&1 || rc=$?
    cat "$one" >>"$log"
    processes=$((processes + 1))
    got=$(sed -n 's/^stat::number_of_executed_units: *//p' "$one")
    total=$((total + ${got:-0}))
    if [ "$rc" -ne 0 ] || [ "${got:-0}" -eq 0 ]; then break; fi
done
tail -n 25 "$log"
echo "fuzz_long: $target: $total runs in $(($(date +%s) - start))s, $processes processes, exit $rc" | tee -a "$log"
exit $rc
