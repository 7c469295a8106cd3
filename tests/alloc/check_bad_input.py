#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bad input to `forumd solve`: every case in bad/ (NAME.json, NAME.expect)
exits with status 2, prints nothing on stdout and exactly the expected line
on stderr. Then random mutations of valid documents must never crash the
parser: exit 0 with a JSON document, or 2 with one line on stderr.

usage: check_bad_input.py FORUMD

The valid documents it mutates are the project's copies in tests/data/instances.
"""
import glob
import json
import os
import random
import sys

from common import fail, solve

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "instances")


def cases(forumd):
    files = sorted(glob.glob(os.path.join(HERE, "bad", "*.json")))
    if len(files) < 60:
        fail(f"only {len(files)} bad-input cases found")
    for path in files:
        name = os.path.basename(path)[:-5]
        with open(path, "rb") as f:
            text = f.read()
        with open(path[:-5] + ".expect", encoding="utf-8") as f:
            expect = f.read()
        rc, out, err = solve(forumd, text, "--iterations", "100")
        if rc != 2:
            fail(f"{name}: exit status {rc}, expected 2 ({err.strip()})")
        if out:
            fail(f"{name}: wrote {len(out)} bytes on stdout")
        if err != expect:
            fail(f"{name}: stderr {err!r}, expected {expect!r}")
    print(f"{len(files)} bad-input cases ok")


def mutate(rng, text):
    ops = rng.randrange(6)
    pos = rng.randrange(len(text) + 1)
    if ops == 0:  # delete a span
        return text[:pos] + text[pos + rng.randrange(1, 20):]
    if ops == 1:  # insert a token
        tok = rng.choice(['-1', '1.5', '"x"', 'null', '[]', '{}', '"', ',', '}', ']',
                          '1e400', '"\\u0000"', '99999999999999999999', 'true'])
        return text[:pos] + tok + text[pos:]
    if ops == 2:  # duplicate a span
        n = rng.randrange(1, 40)
        return text[:pos] + text[pos:pos + n] + text[pos:]
    if ops == 3:  # replace a number by another value
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if not digits:
            return text
        i = rng.choice(digits)
        return text[:i] + rng.choice(['-7', '0', '2.5', '"3"', 'null', '1000001']) + text[i + 1:]
    if ops == 4:  # swap two ids
        return text.replace('"P1"', '"T1"', 1).replace('"S1"', '"R1"', 1)
    return text[:pos] + chr(rng.randrange(1, 256)) + text[pos:]


def fuzz(forumd, rounds):
    rng = random.Random(2026)
    seeds = []
    for name in ("exact-a.json", "exact-b.json", "exact-l.json", "bigre.json"):
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            seeds.append(f.read())
    for path in sorted(glob.glob(os.path.join(HERE, "bad", "*.json")))[:10]:
        with open(path, encoding="utf-8", errors="replace") as f:
            seeds.append(f.read())
    counts = {0: 0, 2: 0}
    for i in range(rounds):
        text = rng.choice(seeds)
        for _ in range(rng.randrange(1, 4)):
            text = mutate(rng, text)
        rc, out, err = solve(forumd, text.encode("utf-8", errors="replace"),
                             "--iterations", "300", "--time-limit", "0")
        if rc == 0:
            try:
                json.loads(out)
            except ValueError:
                fail(f"mutation {i}: exit 0 without a JSON document")
        elif rc == 2:
            if out or err.count("\n") != 1:
                fail(f"mutation {i}: exit 2 with stdout {len(out)} bytes, stderr {err!r}")
        else:
            fail(f"mutation {i}: exit status {rc}: {err[:2000]}")
        counts[rc] += 1
    print(f"{rounds} mutations ok: {counts[0]} solved, {counts[2]} rejected")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    forumd = sys.argv[1]
    cases(forumd)
    fuzz(forumd, int(os.environ.get("FORUM_ALLOC_FUZZ_ROUNDS", "300")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
