#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rasterises web/icons/icon.svg into the PNG icons of the web app manifest
# (192 and 512 px). Run it after changing the SVG and commit the PNGs; the
# build does not need it. rsvg-convert comes with Debian's librsvg2-bin.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "icons.sh: apt-get install librsvg2-bin" >&2; exit 1; }
for size in 192 512; do
    rsvg-convert --width "$size" --height "$size" --output "web/icons/icon-$size.png" web/icons/icon.svg
done
