#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every instance of tests/data/instances/ (the project's copy of the shared
instances, contract v2) through `forumd solve`:

- each solution (default time limit) is accepted by the referee (`forumd check`), its claimed
  score is the recomputed one, bound >= satisfied, and the bound is not below
  the reference optimum or best known value (*.ref.json): it is proven;
- exact-a ... exact-l reach the reference's `scheduled` and `moved` and the
  proven optimum's `satisfied` with a fixed step budget, on seeds 1, 2 and 3
  (deterministic, so this test cannot be flaky on a slow or loaded machine;
  the benchmark measures them at the default time limit);
- bigre (the seed event: three blocks, group topics, remote and step-free
  participants) reaches its reference (every topic that can run, and the
  proven optimum) with a fixed step budget;
- a re-run of large with its previous schedule, after two rooms close in
  three slots, moves exactly the sessions that stood in those cells;
- the same seed and step budget give byte-identical output, and a run under a
  time limit equals the step-limited replay of the steps it reported
  (`--verbose`): the clock is only consulted at fixed step boundaries.

usage: check_instances.py FORUMD DATA_DIR [--seeds 1,2,3]
(the sanitizer build passes --seeds 1: same seed and steps give the same
output in every build, so there the other seeds add time, not coverage.)
(the instances are read from tests/data/instances beside this script;
DATA_DIR is accepted for the CMake call and not otherwise used.)
"""
import glob
import json
import os
import re
import sys
import tempfile

from common import check_verdict, fail, referee, solve

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "instances")
EXACT_STEPS = "1000000"
SEEDS = ["1", "2", "3"]


def levels(score):
    return score["scheduled"], score["moved"], score["satisfied"]


def rerun(forumd):
    """A re-run of large after two rooms close in three slots: exactly the
    sessions that stood in those cells move (fixed step budgets)."""
    path = os.path.join(DATA, "large.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    args = ("--seed", "1", "--iterations", "60000", "--time-limit", "0")
    rc, out, err = solve(forumd, json.dumps(doc), *args)
    if rc != 0:
        fail(f"large: exit status {rc}: {err}")
    sessions = json.loads(out)["sessions"]
    doc["previous"] = [{k: x[k] for k in ("topic", "group", "room", "slot")} for x in sessions]
    held = {}
    for x in sessions:
        held[x["room"]] = held.get(x["room"], 0) + 1
    rooms = sorted(held, key=lambda r: (-held[r], r))[:2]
    sids = [x["id"] for x in doc["slots"]]
    slots = [sids[len(sids) // 6], sids[len(sids) // 2], sids[(5 * len(sids)) // 6]]
    for r in doc["rooms"]:
        if r["id"] in rooms:
            r["unavailable"] = sorted(set(r.get("unavailable", [])) | set(slots), key=sids.index)
    stood = sum(1 for x in sessions if x["room"] in rooms and x["slot"] in slots)
    if stood == 0:
        fail("large re-run: no session stood in the closed cells")
    with tempfile.TemporaryDirectory() as tmp:
        rpath = os.path.join(tmp, "large-rerun.json")
        with open(rpath, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        with open(rpath, "rb") as f:
            text = f.read()
        rc, out, err = solve(forumd, text, *args)
        if rc != 0:
            fail(f"large re-run: exit status {rc}: {err}")
        sol = json.loads(out)
        check_verdict("large re-run", referee(forumd, rpath, out), sol)
    if sol["score"]["moved"] != stood or sol["score"]["scheduled"] != 200:
        fail(f"large re-run: moved {sol['score']['moved']}, scheduled "
             f"{sol['score']['scheduled']}; {stood} sessions stood in the closed cells")
    print(f"large re-run: rooms {', '.join(rooms)} closed in {', '.join(slots)}: "
          f"moved {stood}, the sessions that stood there, all 200 topics scheduled")


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[2] == "--seeds" and re.fullmatch(r"\d+(,\d+)*", args[3]):
        SEEDS[:] = args[3].split(",")
        args = args[:2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    forumd = args[0]
    problems = sorted(p for p in glob.glob(os.path.join(DATA, "*.json"))
                      if not p.endswith(".ref.json"))
    names = {os.path.basename(p)[:-5] for p in problems}
    want = {f"exact-{c}" for c in "abcdefghijkl"} | {"bigre", "large", "orbel2017", "orbel2026"}
    if not want <= names:
        fail(f"instances missing from {DATA}: {sorted(want - names)}")
    for path in problems:
        name = os.path.basename(path)[:-5]
        with open(path, "rb") as f:
            text = f.read()
        ref = None
        if os.path.exists(path[:-5] + ".ref.json"):
            with open(path[:-5] + ".ref.json", encoding="utf-8") as f:
                ref = json.load(f)
        rc, out, err = solve(forumd, text)
        if rc != 0:
            fail(f"{name}: exit status {rc}: {err}")
        sol = json.loads(out)
        check_verdict(name, referee(forumd, path, out), sol)
        score = sol["score"]
        if ref and score["bound"] < ref["satisfied"]:
            fail(f"{name}: bound {score['bound']} below the known {ref['satisfied']}")
        line = (f"{name}: scheduled {score['scheduled']} moved {score['moved']} "
                f"satisfied {score['satisfied']} bound {score['bound']}")
        if name.startswith("exact-") or name == "bigre":
            target = (ref["scheduled"], ref["moved"], ref["satisfied"])
            for seed in SEEDS:
                rc, out, err = solve(forumd, text, "--seed", seed, "--iterations",
                                     EXACT_STEPS, "--time-limit", "0")
                if rc != 0:
                    fail(f"{name}: seed {seed}: exit status {rc}: {err}")
                got = json.loads(out)
                check_verdict(f"{name} seed {seed}", referee(forumd, path, out), got)
                if levels(got["score"]) != target:
                    fail(f"{name}: seed {seed}: {levels(got['score'])} after {EXACT_STEPS} "
                         f"steps, reference {target}")
            line += f"; reference {target} on seeds {', '.join(SEEDS)} in {EXACT_STEPS} steps"
        print(line)
    rerun(forumd)
    for name, steps in (("exact-c", "150000"), ("exact-l", "150000"), ("bigre", "150000"),
                        ("orbel2017", "150000"), ("large", "30000")):
        with open(os.path.join(DATA, name + ".json"), "rb") as f:
            text = f.read()
        outs = [solve(forumd, text, "--seed", "7", "--iterations", steps, "--time-limit", "0")
                for _ in range(2)]
        if outs[0][0] != 0 or outs[0][1] != outs[1][1]:
            fail(f"{name}: two runs with seed 7 and {steps} steps differ")
        print(f"{name}: byte-identical with the same seed and steps")
    for name in ("exact-c", "bigre", "orbel2017"):
        with open(os.path.join(DATA, name + ".json"), "rb") as f:
            text = f.read()
        rc, timed, err = solve(forumd, text, "--seed", "3", "--time-limit", "200", "--verbose")
        m = re.search(r", (\d+) steps,", err)
        if rc != 0 or m is None:
            fail(f"{name}: timed run failed or printed no step count: {err}")
        rc, replay, err = solve(forumd, text, "--seed", "3", "--iterations", m.group(1),
                                "--time-limit", "0")
        if rc != 0 or replay != timed:
            fail(f"{name}: replaying {m.group(1)} steps differs from the timed run")
        print(f"{name}: the 200 ms run equals its replay of {m.group(1)} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
