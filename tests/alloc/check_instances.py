#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every instance of tests/data/instances/ (copied from the team's shared
folder) through `forumd solve`:

- each solution (default time limit) is accepted by the referee (`forumd
  check`), its claimed
  score is the recomputed one, bound >= satisfied, and the bound is not below
  the reference optimum or best known value (*.ref.json): it is proven;
- exact-a ... exact-f reach the proven optimum with a fixed step budget
  (deterministic, so this test cannot be flaky on a slow or loaded machine;
  the benchmark measures them at the default time limit);
- the same seed and step budget give byte-identical output, and a run under a
  time limit equals the step-limited replay of the steps it reported
  (`--verbose`): the clock is only consulted at fixed step boundaries.

usage: check_instances.py FORUMD DATA_DIR    (DATA_DIR: tests/data)
"""
import glob
import json
import os
import re
import sys

from common import check_verdict, fail, referee, solve

EXACT_STEPS = "1000000"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    forumd, shared = sys.argv[1], sys.argv[2]
    inst = os.path.join(shared, "instances")
    problems = sorted(p for p in glob.glob(os.path.join(inst, "*.json"))
                      if not p.endswith(".ref.json"))
    if len(problems) < 8:
        fail(f"only {len(problems)} instances in {inst}")
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
        if ref and sol["score"]["bound"] < ref["satisfied"]:
            fail(f"{name}: bound {sol['score']['bound']} below the known {ref['satisfied']}")
        line = f"{name}: satisfied {sol['score']['satisfied']} bound {sol['score']['bound']}"
        if name.startswith("exact-"):
            rc, out, err = solve(forumd, text, "--iterations", EXACT_STEPS, "--time-limit", "0")
            got = json.loads(out)["score"]["satisfied"]
            if got != ref["satisfied"]:
                fail(f"{name}: {got} after {EXACT_STEPS} steps, optimum {ref['satisfied']}")
            line += f", optimum {got} reached in {EXACT_STEPS} steps"
        print(line)
    for name, steps in (("exact-c", "150000"), ("orbel2017", "150000"), ("large", "30000")):
        with open(os.path.join(inst, name + ".json"), "rb") as f:
            text = f.read()
        outs = [solve(forumd, text, "--seed", "7", "--iterations", steps, "--time-limit", "0")
                for _ in range(2)]
        if outs[0][0] != 0 or outs[0][1] != outs[1][1]:
            fail(f"{name}: two runs with seed 7 and {steps} steps differ")
        print(f"{name}: byte-identical with the same seed and steps")
    for name in ("exact-c", "orbel2017"):
        with open(os.path.join(inst, name + ".json"), "rb") as f:
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
