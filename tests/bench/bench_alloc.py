#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The allocator's must-show figures (issue 10, docs/allocator.md).

1. `forumd solve` on every shared instance (contract v2) at its default time
   limit, once per seed, plus the --extra runs (huge at 5 s): one row per run
   with scheduled / moved / satisfied, the reference's levels (*.ref.json),
   whether `scheduled` and `moved` equal the reference's (levels), the ratio
   of satisfied to the reference, the bound, wall time, peak RSS of the
   solver process (/usr/bin/time) and the referee's verdict.
2. A re-run of large: the seed-1 solution becomes `previous`, two rooms close
   in three slots, and the re-run must move exactly the sessions that stood
   in those cells.
3. N generated v2 instances (gen_instance.py --groups/--blocks/--previous,
   mixed sizes), each solved with a step budget: every solution valid under
   the referee, bound >= satisfied, and a second run byte-identical.

usage: bench_alloc.py FORUMD SHARED_DIR [--seeds "1 2 3"] [--extra "huge:5000"]
                      [--generated 200] [--no-rerun]
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time


def run(forumd, path, seed, limit=None, extra=()):
    """Returns (solution bytes, wall seconds, peak RSS in MB). The peak comes
    from /usr/bin/time, which waits for forumd itself (the RSS of a child
    forked from Python would include the interpreter)."""
    with tempfile.NamedTemporaryFile(mode="r") as tfile:
        args = ["/usr/bin/time", "-f", "%e %M", "-o", tfile.name,
                forumd, "solve", "--seed", str(seed), *extra]
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


def referee(shared, path, out, ref=None):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(out)
        f.flush()
        cmd = [sys.executable, os.path.join(shared, "tools", "check_solution.py"), path, f.name]
        if ref:
            cmd += ["--ref", ref]
        p = subprocess.run(cmd, capture_output=True, text=True)
    return json.loads(p.stdout)


def instances(a):
    inst = os.path.join(a.shared, "instances")
    runs = [(p, None) for p in sorted(glob.glob(os.path.join(inst, "*.json")))
            if not p.endswith(".ref.json")]
    for item in a.extra.split():
        name, limit = item.split(":")
        runs.append((os.path.join(inst, name + ".json"), int(limit)))
    print(f"{'instance':<12} {'limit':>6} {'seed':>4} {'sched/moved/satisfied':>22} "
          f"{'reference':>22} {'levels':>6} {'ratio':>7} {'bound':>7} {'/bound':>7} "
          f"{'wall s':>7} {'RSS MB':>7}  referee")
    for path, limit in runs:
        name = os.path.basename(path)[:-5]
        refpath = path[:-5] + ".ref.json"
        ref = None
        if os.path.exists(refpath):
            with open(refpath, encoding="utf-8") as f:
                ref = json.load(f)
        for seed in a.seeds.split():
            out, wall, rss = run(a.forumd, path, seed, limit)
            score = json.loads(out)["score"]
            verdict = referee(a.shared, path, out, refpath if ref else None)
            ok = "valid" if verdict["valid"] and verdict["satisfied"] == score["satisfied"] \
                else "INVALID " + "; ".join(verdict.get("errors", [])[:2])
            got = f"{score['scheduled']}/{score['moved']}/{score['satisfied']}"
            refs, levels, ratio = "-", "-", "-"
            if ref:
                kind = "opt" if ref.get("proven") else "best"
                refs = f"{ref.get('scheduled', '?')}/{ref.get('moved', '?')}/{ref['satisfied']} {kind}"
                eq = verdict.get("levels_equal")
                levels = "-" if eq is None else ("equal" if eq else verdict.get("vs_ref", "?"))
                ratio = f"{verdict.get('ratio', 0):.4f}"
            sat, bound = score["satisfied"], score["bound"]
            print(f"{name:<12} {limit or 'doc':>6} {seed:>4} {got:>22} {refs:>22} {levels:>6} "
                  f"{ratio:>7} {bound:>7} {sat / bound if bound else 1:>7.4f} {wall:>7.2f} "
                  f"{rss:>7.1f}  {ok}", flush=True)


def rerun(a, tmp):
    """large re-run after two rooms close in three slots."""
    path = os.path.join(a.shared, "instances", "large.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out, _, _ = run(a.forumd, path, 1)
    sessions = json.loads(out)["sessions"]
    doc["previous"] = [{k: s[k] for k in ("topic", "group", "room", "slot")} for s in sessions]
    # The two rooms holding the most sessions, and three slots spread over the day.
    held = {}
    for s in sessions:
        held[s["room"]] = held.get(s["room"], 0) + 1
    rooms = sorted(held, key=lambda r: (-held[r], r))[:2]
    sids = [s["id"] for s in doc["slots"]]
    slots = [sids[len(sids) // 6], sids[len(sids) // 2], sids[(5 * len(sids)) // 6]]
    closed = {(r, s) for r in rooms for s in slots}
    for r in doc["rooms"]:
        if r["id"] in rooms:
            r["unavailable"] = sorted(set(r.get("unavailable", [])) | set(slots), key=sids.index)
    stood = sum(1 for s in sessions if (s["room"], s["slot"]) in closed)
    rpath = os.path.join(tmp, "large-rerun.json")
    with open(rpath, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    print(f"\nlarge re-run: rooms {', '.join(rooms)} closed in {', '.join(slots)}: "
          f"{stood} sessions stood in those cells")
    for seed in a.seeds.split():
        out, wall, rss = run(a.forumd, rpath, seed)
        score = json.loads(out)["score"]
        verdict = referee(a.shared, rpath, out)
        print(f"  seed {seed}: scheduled {score['scheduled']} moved {score['moved']} "
              f"(expected {stood}) satisfied {score['satisfied']} bound {score['bound']}, "
              f"{wall:.2f} s, {rss:.1f} MB, {'valid' if verdict['valid'] else 'INVALID'}"
              f"{'' if score['moved'] == stood else '  MOVED DIFFERS'}", flush=True)


def generated(a, tmp):
    """N generated v2 instances: referee, bound, byte-identical reruns."""
    rng = random.Random(1010)
    gen = os.path.join(a.shared, "tools", "gen_instance.py")
    counts = {"valid": 0, "invalid": 0, "bound_below": 0, "differs": 0, "groups": 0,
              "blocks": 0, "previous": 0, "moved": 0, "refused": 0}
    t0 = time.monotonic()
    for i in range(a.generated):
        size = rng.random()
        if size < 0.5:
            t, r, s, p = rng.randint(3, 12), rng.randint(2, 4), rng.randint(2, 4), rng.randint(8, 40)
        elif size < 0.9:
            t, r, s, p = rng.randint(10, 40), rng.randint(2, 8), rng.randint(2, 6), rng.randint(20, 200)
        else:
            t, r, s, p = rng.randint(40, 120), rng.randint(4, 12), rng.randint(3, 10), rng.randint(100, 600)
        cmd = [sys.executable, gen, "--seed", str(5000 + i), "--topics", str(t), "--rooms", str(r),
               "--slots", str(s), "--participants", str(p), "--votes", rng.choice(["1-3", "3-8", "2-12"])]
        if rng.random() < 0.7:
            cmd += ["--groups", str(rng.randint(1, 3))]
            counts["groups"] += 1
        if rng.random() < 0.6 and s > 1:
            cmd += ["--blocks", str(rng.randint(2, min(3, s)))]
            counts["blocks"] += 1
        if rng.random() < 0.6:
            cmd += ["--previous"]
            counts["previous"] += 1
        text = subprocess.run(cmd, capture_output=True, check=True).stdout
        path = os.path.join(tmp, f"gen{i}.json")
        with open(path, "wb") as f:
            f.write(text)
        steps = str(rng.choice([5000, 20000, 60000]))
        args = ["--iterations", steps, "--time-limit", "0"]
        outs = []
        for _ in range(2):
            p_ = subprocess.run([a.forumd, "solve", "--seed", str(i), *args], input=text,
                                capture_output=True)
            outs.append(p_)
        if outs[0].returncode == 2 and b".fixed" in outs[0].stderr:
            counts["refused"] += 1  # fixed topics that cannot hold together (a host twice)
            continue
        if outs[0].returncode != 0:
            sys.exit(f"generated {i}: exit status {outs[0].returncode}: {outs[0].stderr.decode()}")
        if outs[0].stdout != outs[1].stdout:
            counts["differs"] += 1
        score = json.loads(outs[0].stdout)["score"]
        verdict = referee(a.shared, path, outs[0].stdout)
        counts["valid" if verdict["valid"] else "invalid"] += 1
        counts["bound_below"] += score["bound"] < score["satisfied"]
        counts["moved"] += score["moved"]
        os.unlink(path)
    print(f"\n{a.generated} generated v2 instances ({counts['groups']} with groups, "
          f"{counts['blocks']} with blocks, {counts['previous']} with a previous schedule) "
          f"in {time.monotonic() - t0:.0f} s: {counts['valid']} valid, {counts['invalid']} invalid, "
          f"{counts['refused']} refused (fixed topics sharing a host in one slot), "
          f"bound < satisfied {counts['bound_below']} times, "
          f"second run differs {counts['differs']} times")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("forumd")
    ap.add_argument("shared")
    ap.add_argument("--seeds", default="1 2 3")
    ap.add_argument("--extra", default="huge:5000")
    ap.add_argument("--generated", type=int, default=200)
    ap.add_argument("--no-rerun", action="store_true")
    ap.add_argument("--only", default="", help="instances,rerun,generated (default: all)")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else {"instances", "rerun", "generated"}
    print(f"# forumd solve, {time.strftime('%Y-%m-%d %H:%M')}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        if "instances" in only:
            instances(a)
        if "rerun" in only and not a.no_rerun:
            rerun(a, tmp)
        if "generated" in only and a.generated > 0:
            generated(a, tmp)
    print(f"# load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
