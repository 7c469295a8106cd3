#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds forumd twice (gcc with -Werror, then
# clang with AddressSanitizer and UndefinedBehaviorSanitizer) and runs every
# test under ctest in both builds, then the repository checks.
# usage: scripts/test.sh        (.ci/run runs exactly this)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/deps.sh test
if [ -f tests/browser/package.json ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== checks: layering and format"
scripts/check.sh

echo "== build: gcc, -Werror"
cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORUM_WERROR=ON >/dev/null
cmake --build build/ci -j"$jobs"
(cd build/ci && ctest --output-on-failure -j"$jobs")

echo "== build: clang, -fsanitize=address,undefined"
CC=clang cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DFORUM_WERROR=ON \
    -DFORUM_SANITIZE="address;undefined" -DFORUM_BUILD_FUZZERS=ON >/dev/null
cmake --build build/asan -j"$jobs"
(cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$jobs" -LE 'bench')
