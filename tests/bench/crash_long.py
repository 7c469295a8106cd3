#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Crash, long run: kill -9 forumd under write load, ROUNDS times, and check
that every acknowledged write survived. Standard library only.

Each round: start the daemon on the same database, run writers (votes,
topic proposals, and in one round out of four an allocation and publication)
for a random 0.2-1.5 s, SIGKILL the daemon mid-flight, run SQLite's
integrity check on the files left behind, restart, and compare:

  * every vote whose PUT/DELETE was acknowledged holds the acknowledged
    value; a write in flight at the kill may have landed or not (both are
    accepted, nothing else is);
  * every topic whose POST was acknowledged exists;
  * the published schedule answers 200 and its version never goes back.

    tests/bench/crash_long.py --forumd build/src/forumd --rounds 200

Prints the figures (rounds, acknowledged writes checked, losses, integrity
failures, mean restart time) and exits 1 on any loss. The kill -9 here is a
process crash: the OS page cache survives it. What survives a power loss
rests on WAL + synchronous=FULL, see docs/reliability.md.
"""

import argparse
import http.client
import json
import os
import random
import sqlite3
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402

API = "/api/v1"


class Writer(threading.Thread):
    """Writes for its own participants, one request at a time, until stopped."""

    def __init__(self, srv, eid, mine, topics, acked, inflight, new_topics, rng, stop):
        super().__init__(daemon=True)
        self.srv, self.eid, self.mine, self.topics = srv, eid, mine, topics
        self.acked, self.inflight, self.new_topics = acked, inflight, new_topics
        self.rng, self.stop = rng, stop
        self.writes = 0

    def run(self):
        while not self.stop.is_set():
            pid, tok = self.rng.choice(self.mine)
            tid = self.rng.choice(self.topics)
            path = "%s/events/%s/topics/%s/vote" % (API, self.eid, tid)
            try:
                if self.rng.random() < 0.05:
                    title = "crash topic %d" % self.rng.randrange(1 << 30)
                    self.inflight[pid] = ("topic", title, None)
                    r = self.srv.post("%s/events/%s/topics" % (API, self.eid),
                                      {"title": title}, token=tok, timeout=10)
                    if r.status == 201:
                        self.new_topics.append(r.body["id"])
                elif self.rng.random() < 0.2:
                    self.inflight[pid] = ("vote", tid, None)
                    r = self.srv.delete(path, token=tok, timeout=10)
                    if r.status in (200, 204, 404):
                        self.acked[pid].pop(tid, None)
                else:
                    w = self.rng.randint(1, 3)
                    self.inflight[pid] = ("vote", tid, w)
                    r = self.srv.put(path, {"weight": w}, token=tok, timeout=10)
                    if r.status in (200, 201, 204):
                        self.acked[pid][tid] = w
                self.inflight.pop(pid, None)
                self.writes += 1
            except (OSError, http.client.HTTPException):
                return  # the daemon is gone: what was in flight stays in inflight


def integrity(db_path):
    con = sqlite3.connect(db_path, timeout=10)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def votes_of(srv, eid, tok):
    r = srv.get("%s/events/%s/me/votes" % (API, eid), token=tok)
    harness.expect(r.status == 200, "GET me/votes after restart", r)
    items = r.body if isinstance(r.body, list) else r.body.get("votes", [])
    return {str(v["topic"]): v["weight"] for v in items}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forumd", default=os.environ.get("FORUMD"))
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--participants", type=int, default=24)
    ap.add_argument("--writers", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if not args.forumd:
        sys.exit("crash_long: give --forumd or set FORUMD")
    rng = random.Random(args.seed)
    srv = harness.Server(binary=os.path.abspath(args.forumd), log_level="warn")
    srv.start()
    figures = {"rounds": 0, "writes_acknowledged": 0, "votes_checked": 0, "lost": 0,
               "integrity_failures": 0, "restart_s": [], "schedule_regressions": 0}
    try:
        ev = srv.create_event("Crash forum")
        eid, fac = ev["id"], ev["facilitator_token"]
        for i in range(3):
            srv.post("%s/events/%s/slots" % (API, eid),
                     {"label": "S%d" % i, "starts_at": "2026-05-12T1%d:00:00Z" % i,
                      "ends_at": "2026-05-12T1%d:30:00Z" % i}, token=fac)
            srv.post("%s/events/%s/rooms" % (API, eid),
                     {"name": "R%d" % i, "capacity": 12}, token=fac)
        parts = [(j["id"], j["token"]) for j in
                 (srv.join(eid, "P%d" % i) for i in range(args.participants))]
        topics = []
        for i in range(8):
            r = srv.post("%s/events/%s/topics" % (API, eid), {"title": "T%d" % i},
                         token=parts[i][1])
            harness.expect(r.status == 201, "topic created", r)
            topics.append(r.body["id"])
        acked = {pid: {} for pid, _ in parts}
        new_topics = []
        last_version = -1
        for rnd in range(args.rounds):
            inflight, stop = {}, threading.Event()
            writers = [Writer(srv, eid, parts[w::args.writers], topics, acked, inflight,
                              new_topics, random.Random(rng.random()), stop)
                       for w in range(args.writers)]
            for w in writers:
                w.start()
            if rnd % 4 == 3:
                r = srv.post("%s/events/%s/allocation" % (API, eid), {"time_limit_ms": 200},
                             token=fac, timeout=30)
                if r.status == 200:
                    srv.post("%s/events/%s/schedule/publish" % (API, eid),
                             {"allocation": r.body["id"]}, token=fac, timeout=30)
            time.sleep(rng.uniform(0.2, 1.5))
            srv.kill()
            stop.set()
            for w in writers:
                w.join(timeout=30)
                figures["writes_acknowledged"] += w.writes
            verdict = integrity(srv.db_path)
            if verdict != "ok":
                figures["integrity_failures"] += 1
                print("round %d: integrity_check: %s" % (rnd, verdict), flush=True)
            t0 = time.monotonic()
            srv.start()
            figures["restart_s"].append(time.monotonic() - t0)
            for pid, tok in parts:
                stored = votes_of(srv, eid, tok)
                want = {str(k): v for k, v in acked[pid].items()}
                fl = inflight.get(pid)
                if fl is not None and fl[0] == "vote":
                    tid = str(fl[1])
                    # The write in flight may have landed: accept either outcome.
                    if stored.get(tid) == fl[2] or (fl[2] is None and tid not in stored):
                        want = dict(want)
                        if fl[2] is None:
                            want.pop(tid, None)
                        else:
                            want[tid] = fl[2]
                        if fl[2] is None:
                            acked[pid].pop(fl[1], None)
                        else:
                            acked[pid][fl[1]] = fl[2]
                figures["votes_checked"] += len(want)
                if stored != want:
                    figures["lost"] += 1
                    print("round %d: %s acknowledged %s, stored %s" % (rnd, pid, want, stored),
                          flush=True)
            r = srv.get("%s/events/%s/topics" % (API, eid))
            items = r.body if isinstance(r.body, list) else r.body.get("topics", [])
            have = {str(t["id"]) for t in items}
            missing = [t for t in new_topics if str(t) not in have]
            if missing:
                figures["lost"] += len(missing)
                print("round %d: acknowledged topics missing: %s" % (rnd, missing), flush=True)
            r = srv.get("%s/events/%s/schedule" % (API, eid))
            if r.status == 200 and isinstance(r.body, dict):
                v = r.body.get("version", 0)
                if v < last_version:
                    figures["schedule_regressions"] += 1
                last_version = v
            figures["rounds"] += 1
            if rnd % 10 == 9:
                print("%d rounds, %d writes acknowledged, %d lost" %
                      (rnd + 1, figures["writes_acknowledged"], figures["lost"]), flush=True)
        srv.stop()
    finally:
        srv.cleanup()
    rs = figures.pop("restart_s")
    figures["restart_mean_s"] = round(sum(rs) / len(rs), 3) if rs else None
    figures["restart_max_s"] = round(max(rs), 3) if rs else None
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    ok = figures["lost"] == 0 and figures["integrity_failures"] == 0 \
        and figures["schedule_regressions"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
