#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs `forumd solve` on every shared instance and prints one row per run:
satisfied, the reference (optimum or best known, *.ref.json) and the ratio
to it, else the ratio to our own bound; the bound; wall time; peak RSS of the
solver process (/usr/bin/time); and whether the referee accepts the solution.

usage: bench_alloc.py FORUMD SHARED_DIR [--seeds "1 2 3"] [--extra "huge:5000"]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time


def run(forumd, path, seed, limit):
    """Returns (solution bytes, wall seconds, peak RSS in MB). The peak comes
    from /usr/bin/time, which waits for forumd itself (the RSS of a child
    forked from Python would include the interpreter)."""
    with tempfile.NamedTemporaryFile(mode="r") as tfile:
        args = ["/usr/bin/time", "-f", "%e %M", "-o", tfile.name,
                forumd, "solve", "--seed", str(seed)]
        if limit is not None:
            args += ["--time-limit", str(limit)]
        with open(path, "rb") as fin:
            t0 = time.monotonic()
            p = subprocess.run(args, stdin=fin, capture_output=True)
            wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"{path}: exit status {p.returncode}: {p.stderr.decode()}")
        rss_kb = float(tfile.read().split()[-1])
    return p.stdout, wall, rss_kb / 1024.0


def referee(shared, path, out):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(out)
        f.flush()
        p = subprocess.run([sys.executable, os.path.join(shared, "tools", "check_solution.py"),
                            path, f.name], capture_output=True, text=True)
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("forumd")
    ap.add_argument("shared")
    ap.add_argument("--seeds", default="1 2 3")
    ap.add_argument("--extra", default="huge:5000")
    a = ap.parse_args()
    inst = os.path.join(a.shared, "instances")
    runs = [(p, None) for p in sorted(glob.glob(os.path.join(inst, "*.json")))
            if not p.endswith(".ref.json")]
    for item in a.extra.split():
        name, limit = item.split(":")
        runs.append((os.path.join(inst, name + ".json"), int(limit)))
    print(f"{'instance':<12} {'limit':>6} {'seed':>4} {'satisfied':>9} {'reference':>16} "
          f"{'ratio':>7} {'bound':>7} {'/bound':>7} {'wall s':>7} {'RSS MB':>7}  referee")
    for path, limit in runs:
        name = os.path.basename(path)[:-5]
        ref, kind = None, ""
        if os.path.exists(path[:-5] + ".ref.json"):
            with open(path[:-5] + ".ref.json", encoding="utf-8") as f:
                r = json.load(f)
            ref = r["satisfied"]
            kind = "opt" if r.get("status") == "optimal" else "best"
        for seed in a.seeds.split():
            out, wall, rss = run(a.forumd, path, seed, limit)
            score = json.loads(out)["score"]
            verdict = referee(a.shared, path, out)
            ok = "valid" if verdict["valid"] and verdict["satisfied"] == score["satisfied"] \
                else "INVALID"
            sat, bound = score["satisfied"], score["bound"]
            refs = f"{ref} ({kind})" if ref is not None else "-"
            ratio = f"{sat / ref:.4f}" if ref else "-"
            print(f"{name:<12} {limit or 'doc':>6} {seed:>4} {sat:>9} {refs:>16} {ratio:>7} "
                  f"{bound:>7} {sat / bound if bound else 1:>7.4f} {wall:>7.2f} {rss:>7.1f}  {ok}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
