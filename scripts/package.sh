#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package: a Release build for /usr with Debian's hardening
# flags (dpkg-buildflags), then cpack. Prints the path of the .deb.
# usage: scripts/package.sh [BUILD_DIR]     (default: build/deb)
# Install it with: sudo apt install ./build/deb/forumd_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/deb}

scripts/deps.sh package
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
eval "$(dpkg-buildflags --export=sh)"
# CMake reads CFLAGS and LDFLAGS, not CPPFLAGS (-D_FORTIFY_SOURCE=2).
export CFLAGS="$CFLAGS $CPPFLAGS"
cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$out" -j"$(nproc)" >/dev/null
rm -f "$out"/forumd_*.deb
(cd "$out" && cpack -G DEB >/dev/null)
ls "$(cd "$out" && pwd)"/forumd_*.deb
