#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Property test: many instances of mixed sizes and shapes from the project's
generator (gen.py: contract v2 groups, blocks of allowed slots and previous
schedules on a share of them), each solved with a small step budget; every
solution must be accepted by the project's referee (`forumd check`), claim
its true score, and have bound >= satisfied.

usage: property.py FORUMD [COUNT]
"""
import json
import os
import random
import sys
import tempfile

import gen
from common import check_verdict, fail, referee, solve


def generate(seed, rng):
    """A problem document (bytes) of a random size and shape."""
    size = rng.random()
    if size < 0.5:
        t, r, s, p = rng.randint(1, 12), rng.randint(1, 4), rng.randint(1, 4), rng.randint(2, 40)
    elif size < 0.9:
        t, r, s, p = rng.randint(10, 40), rng.randint(2, 8), rng.randint(2, 6), rng.randint(20, 200)
    else:
        t, r, s, p = rng.randint(40, 120), rng.randint(4, 12), rng.randint(3, 10), rng.randint(100, 600)
    votes = rng.choice([(1, 3), (3, 8), (2, 12)])
    v2 = rng.random()
    doc = gen.generate(t, r, s, p, seed=seed, themes=rng.randint(1, 6), votes=votes,
                       groups=rng.randint(1, 3) if v2 < 0.2 else 0,
                       blocks=rng.randint(2, 3) if 0.15 < v2 < 0.35 else 0,
                       previous=0.3 < v2 < 0.45,
                       objective="votes_first" if 0.4 < v2 < 0.5 else None)
    return json.dumps(doc).encode()


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    forumd = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 200
    rng = random.Random(4242)
    unscheduled = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            seed = 1000 + i
            text = generate(seed, rng)
            path = os.path.join(tmp, f"gen{seed}.json")
            with open(path, "wb") as f:
                f.write(text)
            steps = str(rng.choice([2000, 20000, 60000]))
            rc, out, err = solve(forumd, text, "--seed", str(i), "--iterations", steps,
                                 "--time-limit", "0")
            if rc != 0:
                fail(f"instance seed {seed}: exit status {rc}: {err}")
            sol = json.loads(out)
            check_verdict(f"instance seed {seed}", referee(forumd, path, out), sol)
            unscheduled += len(sol["unscheduled"])
            os.unlink(path)
    print(f"{count} generated instances ok ({unscheduled} unscheduled topics explained)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
