# SPDX-License-Identifier: MIT
"""Helpers shared by the allocator's end-to-end tests (Python stdlib only)."""
import json
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def solve(forumd, problem_text, *args, timeout=600):
    """Runs `forumd solve ARGS` on problem_text (str or bytes).
    Returns (exit status, stdout bytes, stderr text)."""
    data = problem_text.encode() if isinstance(problem_text, str) else problem_text
    p = subprocess.run([forumd, "solve", *args], input=data, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def referee(forumd, problem_path, solution_bytes, ref_path=None):
    """Runs the project's referee, `forumd check --json`, on the solution
    (bytes); returns its JSON verdict. Fails the test when the referee
    cannot read the documents (exit status 2)."""
    with tempfile.TemporaryDirectory() as d:
        sol = os.path.join(d, "solution.json")
        with open(sol, "wb") as f:
            f.write(solution_bytes)
        cmd = [forumd, "check", problem_path, sol, "--json"]
        if ref_path is not None:
            cmd += ["--ref", ref_path]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode not in (0, 1) or len(p.stdout.splitlines()) != 1:
        fail(f"forumd check {problem_path}: exit status {p.returncode}: {p.stderr.strip()}")
    verdict = json.loads(p.stdout)
    if verdict["valid"] != (p.returncode == 0):
        fail(f"forumd check {problem_path}: exit status {p.returncode} but valid is "
             f"{verdict['valid']}")
    return verdict


def check_verdict(name, verdict, solution):
    """The referee accepts the solution and the claimed score is the real one."""
    if not verdict.get("valid"):
        fail(f"{name}: invalid solution: {verdict.get('errors')}")
    score = solution["score"]
    for key in ("satisfied", "scheduled", "demand"):
        if score[key] != verdict[key]:
            fail(f"{name}: claimed {key} {score[key]} != recomputed {verdict[key]}")
    if score["bound"] < score["satisfied"]:
        fail(f"{name}: bound {score['bound']} < satisfied {score['satisfied']}")
    if set(solution.get("why", {})) != set(solution["unscheduled"]):
        fail(f"{name}: 'why' does not explain exactly the unscheduled topics")
