#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Repository checks run in CI: the layering rules of docs/architecture.md
# and clang-format on every C file.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

forbid() { # forbid DIR REGEX WHY
    local hits
    hits=$(grep -rnE "$2" "$1" 2>/dev/null || true)
    if [ -n "$hits" ]; then
        echo "layering: $3"; echo "$hits"; fail=1
    fi
}
forbid src/alloc '#include\s*[<"](microhttpd|jansson|sqlite3)\.h' "src/alloc is pure: no HTTP, JSON or SQL"
forbid src/alloc '\b(fopen|printf|fprintf|time|clock_gettime|rand|srand|getenv)\s*\(' "src/alloc does no I/O and reads no clock"
forbid src/store '#include\s*[<"](microhttpd|jansson)\.h|forum/alloc\.h' "src/store sees SQLite only"
forbid src/http '#include\s*[<"](jansson|sqlite3)\.h|forum/store\.h' "src/http sees libmicrohttpd only"
forbid src/export '#include\s*[<"](microhttpd|jansson|sqlite3)\.h|forum/(alloc|alloc_json|store|api|http)\.h' "src/export writes text from plain structs: util only"
forbid include/forum/export.h '#include\s*[<"](microhttpd|jansson|sqlite3)\.h' "export.h stays plain"
forbid src/api '#include\s*[<"](microhttpd|sqlite3)\.h' "src/api sees no HTTP server and no SQLite"
forbid src/util '#include\s*[<"](microhttpd|jansson|sqlite3)\.h|forum/(alloc|store|api|http)\.h' "src/util is the leaf"
forbid include/forum/alloc.h '#include\s*[<"](microhttpd|jansson|sqlite3)\.h' "alloc.h stays pure"

if command -v clang-format >/dev/null 2>&1; then
    bad=$(git ls-files '*.c' '*.h' | while read -r f; do
        clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
    if [ -n "$bad" ]; then echo "format: run clang-format -i on:"; echo "$bad"; fail=1; fi
fi
exit $fail
