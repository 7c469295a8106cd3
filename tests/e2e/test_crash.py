# SPDX-License-Identifier: MIT
"""Crash safety: writers vote and create topics through the API while the
daemon is killed with SIGKILL at a random moment; after each restart every
write that was acknowledged (a 2xx received) is still there. 20 rounds on the
same database, 0 lost writes allowed.

FORUM_CRASH_ROUNDS overrides the number of rounds; FORUM_CRASH_SEED the seed.
"""

import os
import random
import threading
import time

import harness
from harness import expect

ROUNDS = int(os.environ.get("FORUM_CRASH_ROUNDS", "20"))
WRITERS = 4
MAX_WEIGHT = 3


class Ledger:
    """What the writers were told was stored (acknowledged), and what was in flight."""

    def __init__(self):
        self.lock = threading.Lock()
        self.topics = {}        # topic id -> title (acknowledged)
        self.participants = {}  # participant token -> name (acknowledged join)
        # (token, topic id) -> (last acknowledged weight or None, [weights sent after it])
        self.votes = {}

    def vote_sent(self, token, tid, weight):
        with self.lock:
            acked, pending = self.votes.get((token, tid), (None, []))
            self.votes[(token, tid)] = (acked, pending + [weight])

    def vote_acked(self, token, tid, weight):
        with self.lock:
            self.votes[(token, tid)] = (weight, [])


def writer(srv, eid, ledger, rng, stop, counts):
    """One writer: joins, then proposes topics and votes until the server dies."""
    try:
        name = "w%08x" % rng.getrandbits(32)
        r = srv.post("/api/v1/events/%s/participants" % eid, {"name": name}, timeout=10)
        if r.status // 100 != 2:
            return
        token = r.body["token"]
        with ledger.lock:
            ledger.participants[token] = name
        mine = []
        while not stop.is_set():
            if not mine or rng.random() < 0.3:
                title = "Topic %s %d" % (name, len(mine))
                r = srv.post("/api/v1/events/%s/topics" % eid, {"title": title},
                             token=token, timeout=10)
                if r.status // 100 == 2:
                    with ledger.lock:
                        ledger.topics[r.body["id"]] = title
                    mine.append(r.body["id"])
                    counts["topics"] += 1
                elif r.status == 429:
                    time.sleep(0.05)
                continue
            with ledger.lock:
                known = list(ledger.topics)
            tid = rng.choice(known)
            weight = rng.randint(1, MAX_WEIGHT)
            ledger.vote_sent(token, tid, weight)
            r = srv.put("/api/v1/events/%s/topics/%s/vote" % (eid, tid), {"weight": weight},
                        token=token, timeout=10)
            if r.status // 100 == 2:
                ledger.vote_acked(token, tid, weight)
                counts["votes"] += 1
            elif r.status == 429:
                time.sleep(0.05)
    except (OSError, ValueError, KeyError, TypeError):
        return  # the server died under us: what was not acknowledged does not count


def verify(srv, eid, ledger):
    """Every acknowledged write is present. Returns the number checked."""
    r = srv.get("/api/v1/events/%s/topics" % eid, timeout=30)
    expect(r.status == 200 and isinstance(r.body, list), "topics after restart", r)
    present = {t["id"]: t.get("title") for t in r.body}
    lost = [tid for tid in ledger.topics if tid not in present]
    expect(not lost, "every acknowledged topic survives (lost: %d)" % len(lost), lost[:10])
    for tid, title in ledger.topics.items():
        expect(present[tid] == title, "topic %s keeps its title" % tid, present[tid])
    checked = len(ledger.topics)
    by_token = {}
    for (token, tid), (acked, pending) in ledger.votes.items():
        by_token.setdefault(token, []).append((tid, acked, pending))
    for token in ledger.participants:
        r = srv.get("/api/v1/events/%s/me/votes" % eid, token=token, timeout=30)
        expect(r.status == 200 and isinstance(r.body, list),
               "an acknowledged participant still exists", r)
        stored = {v["topic"]: v["weight"] for v in r.body}
        for tid, acked, pending in by_token.get(token, []):
            allowed = set(pending)
            if acked is not None:
                allowed.add(acked)
            else:
                allowed.add(None)  # never acknowledged: absent is fine
            expect(stored.get(tid) in allowed,
                   "vote on %s is an acknowledged (or in-flight) weight" % tid,
                   (stored.get(tid), acked, pending))
            checked += 1
    return checked


def test_crash_rounds():
    seed = int(os.environ.get("FORUM_CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    print("  seed %d, %d rounds" % (seed, ROUNDS), flush=True)
    srv = harness.Server(log_level="warn")
    ledger = Ledger()
    totals = {"topics": 0, "votes": 0}
    try:
        srv.start()
        ev = srv.create_event("Crash test", max_weight=MAX_WEIGHT, vote_budget=0)
        eid, fac = ev["id"], ev["facilitator_token"]
        r = srv.patch("/api/v1/events/%s" % eid, {"proposals_open": True, "voting_open": True},
                      token=fac)
        expect(r.status // 100 == 2, "open proposals and voting", r)
        for rnd in range(ROUNDS):
            stop = threading.Event()
            counts = {"topics": 0, "votes": 0}
            threads = [threading.Thread(target=writer,
                                        args=(srv, eid, ledger,
                                              random.Random(rng.getrandbits(64)), stop,
                                              counts))
                       for _ in range(WRITERS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 1.2))
            srv.kill()  # SIGKILL in the middle of the writes
            stop.set()
            for t in threads:
                t.join(timeout=60)
            srv.start()
            checked = verify(srv, eid, ledger)
            totals["topics"] += counts["topics"]
            totals["votes"] += counts["votes"]
            print("  round %2d: %d topics, %d votes acknowledged; %d writes checked, 0 lost"
                  % (rnd + 1, counts["topics"], counts["votes"], checked), flush=True)
        expect(totals["topics"] + totals["votes"] > ROUNDS,
               "the writers got writes through", totals)
        srv.stop()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    harness.main(globals())
