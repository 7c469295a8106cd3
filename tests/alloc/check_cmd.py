#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`forumd check`, the project's referee, as a facilitator and the tests use it:

- the valid plan of cases.py: exit 0, the recomputed score, the report;
- every broken plan of cases.py (one per hard rule and sub-case): exit 1,
  exactly the rules expected in --json's rules_broken, each under its
  heading in the report;
- --ref: ratio, levels_equal, better / equal / worse, a ref made under
  another objective refused, a claimed bound below the ref's satisfied;
- exit 2 with one message for a bad usage, an unreadable file, a problem
  input error (naming the field), a document that is not a solution;
- a solution of each copied instance (tests/data/instances) is valid and
  as good as its reference or worse, never better than a proven one.

usage: check_cmd.py FORUMD DATA_DIR
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import cases
from common import fail, solve

TITLES = {0: "The document:", 1: "Rule 1,", 2: "Rule 2,", 3: "Rule 3,", 4: "Rule 4,",
          5: "Rule 5,", 6: "Rule 6,"}


class Checker:
    def __init__(self, forumd, tmp):
        self.forumd, self.tmp, self.n = forumd, tmp, 0

    def write(self, name, doc):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def run(self, *args):
        p = subprocess.run([self.forumd, "check", *args], capture_output=True, text=True,
                           timeout=300)
        return p.returncode, p.stdout, p.stderr

    def check(self, problem, solution, *extra):
        """Runs forumd check twice (report, --json); returns (status, report, verdict)."""
        self.n += 1
        pp = self.write(f"p{self.n}.json", problem)
        sp = self.write(f"s{self.n}.json", solution)
        rc, report, err = self.run(pp, sp, *extra)
        rcj, out, errj = self.run(pp, sp, *extra, "--json")
        if rc != rcj:
            fail(f"exit {rc} for the report, {rcj} with --json")
        if rc == 2:
            return rc, err, out
        if err or errj:
            fail(f"stderr on exit {rc}: {err}{errj}")
        if len(out.splitlines()) != 1:
            fail(f"--json wrote {len(out.splitlines())} lines: {out[:300]}")
        verdict = json.loads(out)
        if verdict["valid"] != (rc == 0):
            fail(f"exit {rc} with valid {verdict['valid']}")
        return rc, report, verdict


def score_of(v):
    return {k: v[k] for k in cases.GOOD_SCORE}


def test_good(c):
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD)
    if rc != 0 or not v["valid"] or v["errors"] or v["rules_broken"] != []:
        fail(f"the good plan is refused: {report}")
    if score_of(v) != cases.GOOD_SCORE or v["objective"] != "topics_first":
        fail(f"good plan: score {v}")
    if v["claimed"] != cases.GOOD["score"] or v["error_count"] != 0 or "warnings" in v:
        fail(f"good plan: claimed, error_count or warnings wrong: {v}")
    for line in ("VALID, every hard rule holds", "scheduled  4 of 5 topics",
                 "moved      3 of 4 previous sessions",
                 "satisfied  14 of a demand of 19 (73.7 %)",
                 "unserved   2 participants with votes attend nothing they voted for",
                 "Claimed score: as recomputed."):
        if line not in report:
            fail(f"the report lacks {line!r}:\n{report}")
    # A v1 plan (no group numbers, no claimed moved or unserved) stays checkable.
    sol = copy.deepcopy(cases.GOOD)
    for s in sol["sessions"]:
        if s["topic"] != "T2":
            s.pop("group", None)
    for k in ("moved", "unserved"):
        sol["score"].pop(k)
    rc, report, v = c.check(cases.PROBLEM, sol)
    if rc != 0 or v["warnings"] != ["score lacks moved, unserved"]:
        fail(f"a v1 plan: {v}")
    # votes_first: the same plan, the same figures, the objective named.
    p = copy.deepcopy(cases.PROBLEM)
    p["options"] = {"objective": "votes_first"}
    rc, report, v = c.check(p, cases.GOOD)
    if rc != 0 or v["objective"] != "votes_first" or "objective votes_first" not in report:
        fail(f"votes_first: {v}")
    print("the valid plan: exit 0, score 4/3/14/19/2, report ok")


def test_cases(c):
    for name, pedit, sedit, want in cases.CASES:
        problem, solution = cases.case(name, pedit, sedit)
        rc, report, v = c.check(problem, solution)
        if rc != 1:
            fail(f"{name}: exit {rc}, expected 1: {report}")
        if v["rules_broken"] != sorted(want):
            fail(f"{name}: rules {v['rules_broken']}, expected {sorted(want)}: {v['errors']}")
        if v["error_count"] < len(want) or len(v["errors"]) != min(20, v["error_count"]):
            fail(f"{name}: {v['error_count']} errors counted, {len(v['errors'])} listed")
        for rule in want:
            prefix = f"rule {rule}: " if rule else ""
            if not any(e.startswith(prefix) if rule else not e.startswith("rule ")
                       for e in v["errors"]):
                fail(f"{name}: no error for rule {rule}: {v['errors']}")
            if TITLES[rule] not in report:
                fail(f"{name}: the report has no heading for rule {rule}:\n{report}")
        if "INVALID" not in report:
            fail(f"{name}: the report does not say INVALID:\n{report}")
    print(f"{len(cases.CASES)} broken plans: each names exactly the rules it breaks")


def test_ref(c):
    refp = c.write("ref.json", {"objective": "topics_first", "scheduled": 4, "moved": 3,
                                "satisfied": 16, "proven": True})
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if (rc, v["ratio"], v["levels_equal"], v["vs_ref"]) != (0, 0.875, True, "worse"):
        fail(f"--ref: {v}")
    if "ratio 0.875, levels equal: worse than the reference" not in report:
        fail(f"--ref report:\n{report}")
    refp = c.write("ref.json", {"scheduled": 4, "moved": 2, "satisfied": 10})
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if (v["levels_equal"], v["vs_ref"]) != (False, "worse"):
        fail(f"--ref, fewer moved in the ref: {v}")
    refp = c.write("ref.json", {"scheduled": 3, "moved": 0, "satisfied": 20, "proven": True})
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if v["vs_ref"] != "better" or not any("beats a proven" in w for w in v["warnings"]):
        fail(f"--ref, a plan better than a proven ref: {v}")
    refp = c.write("ref.json", {"satisfied": 14})
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if v["ratio"] != 1.0 or v["levels_equal"] is not None or "vs_ref" in v:
        fail(f"--ref, a v1 ref: {v}")
    refp = c.write("ref.json", {"satisfied": 17})  # the claimed bound is 16
    rc, report, v = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if rc != 1 or not any("below the reference's satisfied 17" in e for e in v["errors"]):
        fail(f"--ref, a claimed bound below the ref: {v}")
    refp = c.write("ref.json", {"objective": "votes_first", "satisfied": 14})
    rc, err, out = c.check(cases.PROBLEM, cases.GOOD, "--ref", refp)
    if rc != 2 or "objective" not in err or json.loads(out)["valid"] is not False:
        fail(f"--ref made under another objective: exit {rc}, {err!r}")
    print("--ref: ratio, levels, better/equal/worse, objective and bound checks ok")


def test_exit_2(c):
    good_p = c.write("good_p.json", cases.PROBLEM)
    good_s = c.write("good_s.json", cases.GOOD)
    for args in ([], [good_p], [good_p, good_s, good_s], [good_p, good_s, "--fast"],
                 [good_p, good_s, "--ref"]):
        rc, out, err = c.run(*args)
        if rc != 2 or out or "usage: forumd check" not in err:
            fail(f"usage {args}: exit {rc}, stdout {out!r}")
    rc, out, err = c.run("--help")
    if rc != 0 or "usage: forumd check PROBLEM.json SOLUTION.json" not in out:
        fail(f"--help: exit {rc}")
    rc, out, err = c.run(os.path.join(c.tmp, "absent.json"), good_s)
    if rc != 2 or "cannot open" not in err or err.count("\n") != 1:
        fail(f"a missing file: exit {rc}, {err!r}")
    bad = copy.deepcopy(cases.PROBLEM)
    bad["rooms"][0]["capacity"] = -1
    rc, err, out = c.check(bad, cases.GOOD)
    if rc != 2 or err != f"forumd check: problem {c.tmp}/p{c.n}.json: rooms[0].capacity: " \
            "must be a non-negative integer, not -1\n":
        fail(f"a problem input error: exit {rc}, {err!r}")
    if not json.loads(out)["errors"][0].startswith("input error: rooms[0].capacity"):
        fail(f"a problem input error with --json: {out!r}")
    for doc in ("{", "[]", '{"sessions": {}}', '{"sessions": [], "sessions": []}',
                '{"sessions": null}'):
        rc, err, out = c.check(cases.PROBLEM, doc)
        if rc != 2 or err.count("\n") != 1 or "solution" not in err:
            fail(f"not a solution {doc!r}: exit {rc}, {err!r}")
        if json.loads(out)["valid"] is not False:
            fail(f"not a solution {doc!r}: --json {out!r}")
    print("exit 2: usage, unreadable files, input errors, documents that are no solution")


def test_hostile(c):
    sol = copy.deepcopy(cases.GOOD)
    sol["sessions"][1]["room"] = "R\u001b[31m9"
    rc, report, v = c.check(cases.PROBLEM, sol)
    if rc != 1 or "\x1b" in report or not any("\x1b" in e for e in v["errors"]):
        fail("a control character in an id reaches the terminal, or is lost in --json")
    sol["sessions"][1]["attendees"] = ["P2", "é" * 100]  # cut in the middle of a character
    rc, report, v = c.check(cases.PROBLEM, sol)
    if rc != 1:
        fail(f"a long id: exit {rc}")
    print("hostile ids: no control character on the terminal, valid UTF-8 in --json")


def test_instances(c, data):
    n = 0
    for path in sorted(glob.glob(os.path.join(data, "instances", "*.json"))):
        if path.endswith(".ref.json") or os.path.getsize(path) > 1_000_000:
            continue
        rc, out, err = solve(c.forumd, open(path, "rb").read(), "--iterations", "3000",
                             "--time-limit", "0")
        if rc != 0:
            fail(f"{path}: solve exit {rc}: {err}")
        ref = path[:-5] + ".ref.json"
        extra = ["--ref", ref] if os.path.exists(ref) else []
        with open(path, encoding="utf-8") as f:
            problem = f.read()
        rc, report, v = c.check(problem, out.decode(), *extra)
        if v["valid"] and v.get("vs_ref") == "better" and json.load(open(ref)).get("proven"):
            fail(f"{path}: better than a proven optimum: {v}")
        n += 1
        print(f"{os.path.basename(path)}: exit {rc}, {score_of(v)}, "
              f"vs ref {v.get('vs_ref', '-')}")
    if n < 8:
        fail(f"only {n} instances checked")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    forumd, data = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        c = Checker(forumd, tmp)
        test_good(c)
        test_cases(c)
        test_ref(c)
        test_exit_2(c)
        test_hostile(c)
        test_instances(c, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
