#!/bin/sh
# SPDX-License-Identifier: MIT
# The long crash run of docs/reliability.md: 200 rounds of kill -9 under
# write load (tests/bench/crash_long.py). CI runs the 20-round e2e.crash.
# usage: tests/bench/crash_long.sh [FORUMD] [ROUNDS]
set -eu
here=$(dirname "$0")
forumd=${1:-${FORUMD:-build/src/forumd}}
rounds=${2:-200}
exec python3 "$here/crash_long.py" --forumd "$forumd" --rounds "$rounds" \
    --json "${CRASH_JSON:-/tmp/forum-crash-long.json}"
