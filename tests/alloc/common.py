# SPDX-License-Identifier: MIT
"""Helpers shared by the allocator's end-to-end tests (Python stdlib only)."""
import json
import os
import subprocess
import sys


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


def referee(shared, problem_path, solution_bytes, optimum=None):
    """Runs shared/tools/check_solution.py; returns its JSON verdict."""
    sol = problem_path + ".solution.tmp"
    try:
        with open(sol, "wb") as f:
            f.write(solution_bytes)
        cmd = [sys.executable, os.path.join(shared, "tools", "check_solution.py"),
               problem_path, sol]
        if optimum is not None:
            cmd += ["--optimum", str(optimum)]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        return json.loads(p.stdout)
    finally:
        if os.path.exists(sol):
            os.unlink(sol)


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
