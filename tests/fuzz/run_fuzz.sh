#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs one libFuzzer target as a ctest: replays the seed corpus (regression
# inputs included), then fuzzes for FORUM_FUZZ_SECONDS seconds (default 60).
# New inputs go to WORK_DIR/corpus, never into the source tree.
# usage: run_fuzz.sh FUZZER SEED_DIR WORK_DIR [DICT]
set -eu
fuzzer=$1
seeds=$2
work=$3
secs=${FORUM_FUZZ_SECONDS:-60}
dict=""
[ $# -ge 4 ] && [ -f "$4" ] && dict="-dict=$4"
mkdir -p "$work/corpus" "$work/artifacts"
# Leaks are checked at exit by LeakSanitizer; -detect_leaks=1 also checks
# each input that grew memory.
exec "$fuzzer" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
    -max_len=16384 -print_final_stats=1 -detect_leaks=1 \
    -artifact_prefix="$work/artifacts/" $dict "$work/corpus" "$seeds"
