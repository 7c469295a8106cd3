#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds forumd and starts it on a demo event.
# usage: scripts/demo.sh [extra forumd serve options]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p var
exec build/src/forumd serve --db var/demo.db --demo "$@"
