#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The project's referee (`forumd check`) against the team's reference
referee (SHARED_DIR/tools/check_solution.py), on the same solutions:

- a solution of every copied instance (tests/data/instances), solved with a
  small step budget, and of generated ones (gen.py, with groups, blocks and
  previous schedules), checked with the instance's reference when it has one;
- the valid plan and every broken plan of cases.py;
- random mutations of all these solutions (an attendee dropped or added,
  a session moved, duplicated, dropped or renumbered, attendees swapped,
  the unscheduled list or the claimed score edited).

Both must give the same verdict: valid, every score figure, the objective,
the same rule numbers broken (an error that names no rule counts as rule 0,
the document), and with a reference the same ratio, levels_equal and
vs_ref. The reference lists its first 20 errors only: past 20, the rules it
names must be among ours. Skipped (exit 77) when SHARED_DIR has no referee.

usage: cross_check.py FORUMD DATA_DIR SHARED_DIR [MUTATIONS_PER_SOLUTION]
"""
import copy
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import cases
import gen
from common import fail, solve

FIELDS = ("valid", "scheduled", "moved", "satisfied", "demand", "unserved", "objective")
RULE = re.compile(r"^rule ([1-6]):")


class Pair:
    def __init__(self, forumd, ours_dir, tool):
        self.forumd, self.dir, self.tool = forumd, ours_dir, tool
        self.n = self.invalid = 0
        self.rules = set()

    def _run(self, cmd):
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        lines = p.stdout.splitlines()
        if p.returncode not in (0, 1, 2) or len(lines) != 1:
            fail(f"{cmd[0]}: exit {p.returncode}, stdout {p.stdout[:300]!r}, "
                 f"stderr {p.stderr[:300]!r}")
        return p.returncode, json.loads(lines[0])

    def compare(self, what, problem_path, solution, ref_path=None):
        """Runs both referees on solution (a dict or a str) and compares."""
        self.n += 1
        sp = os.path.join(self.dir, "solution.json")
        with open(sp, "w", encoding="utf-8") as f:
            f.write(solution if isinstance(solution, str) else json.dumps(solution))
        extra = ["--ref", ref_path] if ref_path else []
        rc1, ours = self._run([self.forumd, "check", problem_path, sp, "--json", *extra])
        rc2, theirs = self._run([sys.executable, self.tool, problem_path, sp, *extra])
        if rc1 != rc2:
            fail(f"{what}: exit {rc1} (ours) and {rc2} (the reference)\n"
                 f"ours {ours}\nref  {theirs}")
        if rc1 == 2:
            return
        for k in FIELDS + (("ratio", "levels_equal", "vs_ref") if ref_path else ()):
            if ours.get(k, "absent") != theirs.get(k, "absent"):
                fail(f"{what}: {k} is {ours.get(k, 'absent')!r} (ours) and "
                     f"{theirs.get(k, 'absent')!r} (the reference)\n"
                     f"ours {ours['errors']}\nref  {theirs['errors']}")
        named = {int(m.group(1)) if (m := RULE.match(e)) else 0 for e in theirs["errors"]}
        mine = set(ours["rules_broken"])
        if named != mine and not (len(theirs["errors"]) >= 20 and named <= mine):
            fail(f"{what}: rules {sorted(mine)} (ours) and {sorted(named)} (the reference)\n"
                 f"ours {ours['errors']}\nref  {theirs['errors']}")
        self.invalid += not ours["valid"]
        self.rules |= mine


def mutate(rng, problem, sol):
    """One random edit of a solution (a dict), as a hand edit might make it."""
    s = copy.deepcopy(sol)
    ss = s.get("sessions", [])
    people = [p["id"] for p in problem.get("participants", [])]
    rooms = [r["id"] for r in problem.get("rooms", [])]
    slots = [x["id"] for x in problem.get("slots", [])]
    op = rng.randrange(12)
    editable = [x for x in ss if isinstance(x, dict) and isinstance(x.get("attendees"), list)]
    if not editable or op == 0:  # a new session of a random topic
        topics = [t["id"] for t in problem.get("topics", [])]
        if topics and rooms and slots:
            ss.append({"topic": rng.choice(topics), "room": rng.choice(rooms),
                       "slot": rng.choice(slots), "attendees": rng.sample(people, min(3, len(people)))})
        s["sessions"] = ss
        return s
    x = rng.choice(editable)
    if op == 1 and x["attendees"]:  # drop an attendee
        x["attendees"].remove(rng.choice(x["attendees"]))
    elif op == 2 and people:  # add someone
        x["attendees"].append(rng.choice(people))
    elif op == 3:  # move the session
        x["room"], x["slot"] = rng.choice(rooms or ["R?"]), rng.choice(slots or ["S?"])
    elif op == 4:  # duplicate it
        ss.append(copy.deepcopy(x))
    elif op == 5:  # drop it
        ss.remove(x)
    elif op == 6:  # renumber it
        x["group"] = rng.choice([0, 1, 2, 3, "2"])
    elif op == 7:  # swap one attendee with another session's
        y = rng.choice(editable)
        if x["attendees"] and y["attendees"]:
            i, j = rng.randrange(len(x["attendees"])), rng.randrange(len(y["attendees"]))
            x["attendees"][i], y["attendees"][j] = y["attendees"][j], x["attendees"][i]
    elif op == 8:  # the unscheduled list
        u = s.get("unscheduled")
        if not isinstance(u, list):
            u = s["unscheduled"] = []
        if u and rng.random() < 0.5:
            u.pop(rng.randrange(len(u)))
        else:
            u.append(x["topic"])
    elif op == 9 and isinstance(s.get("score"), dict):  # a claimed figure
        k = rng.choice(["scheduled", "moved", "satisfied", "demand", "unserved", "bound"])
        s["score"][k] = s["score"].get(k, 0) + rng.choice([-1, 1])
    elif op == 10:  # the claimed score dropped
        s.pop("score", None)
    elif op == 11:  # an unknown attendee or room
        if rng.random() < 0.5:
            x["attendees"].append("nobody")
        else:
            x["room"] = "nowhere"
    return s


def mutations(pair, rng, what, problem_path, problem, sol, count, ref=None):
    for i in range(count):
        s = sol
        for _ in range(rng.randint(1, 3)):
            s = mutate(rng, problem, s)
        pair.compare(f"{what}, mutation {i}", problem_path, s, ref)


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    forumd, data, shared = sys.argv[1:4]
    per = int(sys.argv[4]) if len(sys.argv) == 5 else 4
    tool = os.path.join(shared, "tools", "check_solution.py")
    if not os.path.exists(tool):
        print(f"skipped: no reference referee at {tool}")
        return 77
    rng = random.Random(9)
    with tempfile.TemporaryDirectory() as tmp:
        pair = Pair(forumd, tmp, tool)
        # The instances the alloc tests solve.
        for path in sorted(glob.glob(os.path.join(data, "instances", "*.json"))):
            if path.endswith(".ref.json"):
                continue
            name = os.path.basename(path)[:-5]
            with open(path, "rb") as f:
                text = f.read()
            rc, out, err = solve(forumd, text, "--iterations", "3000", "--time-limit", "0")
            if rc != 0:
                fail(f"{name}: solve exit {rc}: {err}")
            ref = path[:-5] + ".ref.json"
            ref = ref if os.path.exists(ref) else None
            pair.compare(name, path, out.decode(), ref)
            problem, sol = json.loads(text), json.loads(out)
            mutations(pair, rng, name, path, problem, sol, per, ref)
        print(f"instances: {pair.n} solutions agree")
        # Generated problems, v2 shapes included.
        for seed in range(24):
            problem = gen.generate(rng.randint(2, 25), rng.randint(1, 6), rng.randint(1, 5),
                                   rng.randint(4, 80), seed=seed, groups=seed % 3,
                                   blocks=(seed // 3) % 3, previous=seed % 4 == 1,
                                   objective="votes_first" if seed % 5 == 2 else None)
            path = os.path.join(tmp, f"gen{seed}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(problem, f)
            rc, out, err = solve(forumd, json.dumps(problem), "--iterations", "3000",
                                 "--time-limit", "0")
            if rc != 0:
                fail(f"generated {seed}: solve exit {rc}: {err}")
            pair.compare(f"generated {seed}", path, out.decode())
            mutations(pair, rng, f"generated {seed}", path, problem, json.loads(out), per)
        print(f"generated: {pair.n} solutions agree in all")
        # The plans broken on purpose, and their mutations.
        for name, pedit, sedit, want in [("good", None, None, set())] + cases.CASES:
            problem, sol = cases.case(name, pedit, sedit)
            path = os.path.join(tmp, "case.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(problem, f)
            pair.compare(name, path, sol)
            mutations(pair, rng, name, path, problem, sol, 2)
        print(f"broken plans: {pair.n} solutions agree in all")
    print(f"{pair.n} solutions: both referees agree ({pair.invalid} invalid, "
          f"rules seen {sorted(pair.rules)})")
    if pair.rules != set(range(7)):
        fail(f"the solutions compared break only rules {sorted(pair.rules)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
