#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Property test: many instances of mixed sizes from shared/tools/gen_instance.py,
each solved with a small step budget; every solution must be accepted by the
referee, claim its true score, and bound >= satisfied. On the smallest ones
the solution is also compared with brute force over placements... no: with
the referee only, and the bound with CBC's optimum when FORUM_ALLOC_CBC=1.

usage: property.py FORUMD SHARED_DIR [COUNT]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from common import check_verdict, fail, referee, solve


def generate(shared, seed, rng):
    size = rng.random()
    if size < 0.5:
        t, r, s, p = rng.randint(1, 12), rng.randint(1, 4), rng.randint(1, 4), rng.randint(2, 40)
    elif size < 0.9:
        t, r, s, p = rng.randint(10, 40), rng.randint(2, 8), rng.randint(2, 6), rng.randint(20, 200)
    else:
        t, r, s, p = rng.randint(40, 120), rng.randint(4, 12), rng.randint(3, 10), rng.randint(100, 600)
    votes = rng.choice(["1-3", "3-8", "2-12"])
    cmd = [sys.executable, os.path.join(shared, "tools", "gen_instance.py"), "--seed", str(seed),
           "--topics", str(t), "--rooms", str(r), "--slots", str(s), "--participants", str(p),
           "--themes", str(rng.randint(1, 6)), "--votes", votes]
    return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout


def fixed_host_clash(problem):
    """True when two fixed topics share a host and a slot."""
    seen = {}
    for t in problem["topics"]:
        fx = t.get("fixed")
        if not fx:
            continue
        for h in t.get("hosts", []):
            if (h, fx["slot"]) in seen:
                return True
            seen[(h, fx["slot"])] = t["id"]
    return False


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    forumd, shared = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) == 4 else 200
    rng = random.Random(4242)
    unscheduled = clashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            seed = 1000 + i
            text = generate(shared, seed, rng)
            path = os.path.join(tmp, f"gen{seed}.json")
            with open(path, "wb") as f:
                f.write(text)
            steps = str(rng.choice([2000, 20000, 60000]))
            rc, out, err = solve(forumd, text, "--seed", str(i), "--iterations", steps,
                                 "--time-limit", "0")
            if rc == 2 and fixed_host_clash(json.loads(text)) and ".fixed: host" in err:
                clashes += 1
                continue
            if rc != 0:
                fail(f"instance seed {seed}: exit status {rc}: {err}")
            sol = json.loads(out)
            check_verdict(f"instance seed {seed}", referee(shared, path, out), sol)
            unscheduled += len(sol["unscheduled"])
            os.unlink(path)
    print(f"{count} generated instances ok ({unscheduled} unscheduled topics explained, "
          f"{clashes} refused for fixed topics sharing a host in one slot)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
