#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, runs the repository checks, then builds forumd
# four times, every build with warnings as errors (FORUM_WERROR=ON; it is off
# by default for people who build the project):
#   1. gcc RelWithDebInfo: every test but the package one;
#   2. gcc Release (-O3) with Debian's hardening flags (dpkg-buildflags), as
#      packagers build it: the C tests, and the Debian package test (it builds
#      the .deb, lints it, installs, runs and purges it: root or sudo -n);
#   3. clang Release with the same flags: built, tests included, not run;
#   4. clang Debug with AddressSanitizer and UndefinedBehaviorSanitizer: every
#      test but the benchmarks, the package one and the browser ones; of
#      these, the two journeys that drive the most of the daemon (browser.flow:
#      a day from setup to agendas; browser.onday: the changes after
#      publication). The browser tests are CPU-bound (Chromium and axe-core)
#      and run one at a time: all of them again here took 6.3 of .ci/run's 29
#      minutes, and the daemon's code they reach is what the e2e tests and the
#      fuzzers drive here too.
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
(cd build/ci && ctest --output-on-failure -j"$jobs" -LE 'package')

# Debian's build flags (hardening=+all), as scripts/package.sh uses them. CMake
# reads CFLAGS and LDFLAGS, not CPPFLAGS.
release_build() { # release_build DIR CC
    (export DEB_BUILD_MAINT_OPTIONS=hardening=+all
     eval "$(dpkg-buildflags --export=sh)"
     export CFLAGS="$CFLAGS $CPPFLAGS" CC="$2"
     cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DFORUM_WERROR=ON >/dev/null
     cmake --build "$1" -j"$jobs")
}

echo "== build: gcc Release (-O3), Debian's flags, -Werror"
release_build build/release gcc
(cd build/release && ctest --output-on-failure -j"$jobs" -L 'unit|store|api|http|fault|package')

echo "== build: clang Release, Debian's flags, -Werror (built, not run)"
release_build build/release-clang clang

echo "== build: clang, -fsanitize=address,undefined"
CC=clang cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DFORUM_WERROR=ON \
    -DFORUM_SANITIZE="address;undefined" -DFORUM_BUILD_FUZZERS=ON >/dev/null
cmake --build build/asan -j"$jobs"
(cd build/asan &&
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 &&
    ctest --output-on-failure -j"$jobs" -LE 'bench|package|browser' &&
    ctest --output-on-failure -R '^browser[.](flow|onday)$')
