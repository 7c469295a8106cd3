#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what a fresh Debian 12 lacks to build, run and test forumd.
# usage: scripts/deps.sh [run|package|test]   (default: test, which needs all)
#   run: build and run; package: and build the .deb (scripts/package.sh);
#   test: and every test (the package test installs it, lints it with lintian
#   and checks its unit with systemd-analyze; the proxy test runs nginx).
set -euo pipefail

want=(cmake make gcc pkg-config git ca-certificates
      libmicrohttpd-dev libjansson-dev libsqlite3-dev nettle-dev
      libcmark-dev libqrencode-dev)
mode=${1:-test}
case "$mode" in
    run|package|test) ;;
    *) echo "usage: scripts/deps.sh [run|package|test]" >&2; exit 2 ;;
esac
if [ "$mode" != run ]; then
    want+=(dpkg-dev file)
fi
if [ "$mode" = test ]; then
    want+=(lintian systemd nginx openssl man-db adduser init-system-helpers
           clang libclang-rt-dev clang-format libcmocka-dev libcurl4-openssl-dev
           python3 coinor-cbc wrk sqlite3 chromium curl
           zbar-tools poppler-utils python3-icalendar)
    command -v node >/dev/null 2>&1 || want+=(nodejs)
    command -v npm >/dev/null 2>&1 || want+=(npm)
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
