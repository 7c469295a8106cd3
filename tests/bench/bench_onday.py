#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""From closing the marketplace to the published wall (issue 12).

The seed's day (tests/data/day/bigre-day.json: 60 people, 8 rooms, five
blocks) is built through the API on a daemon whose clock is before the day
(--now). The marketplace of its open-forum block opens; topics arrive until
the block holds 20 (the seed's 11, then 9 more: 5 typed in the quick entry
with a host's name, 4 proposed from phones) and everyone votes on some of
them. A wall polls as web/js/wall.js does (GET /marketplace, then GET
/schedule with its ETag; every second while the marketplace is open, every
half second for two minutes after it closes). Then, timed, what the console does
at "Close the marketplace and allocate" and "Publish":

  PUT /marketplace {"phase": "closed"}
  POST /allocation {"time_limit_ms": 500}   (MARKET_ALLOCATE_MS, web/js/facilitate/onday.js)
  POST /schedule/publish

and the time until the wall's poll first gets the published version. The
facilitator's click on "Publish" is not counted (a person's time). Each run
is a fresh event: N runs give the median and p90 of each step.

usage: bench_onday.py FORUMD [--runs 10] [--time-limit 500]
"""
import argparse
import json
import os
import random
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

import harness  # noqa: E402
from test_day import DAY, build_day  # noqa: E402

BEFORE_THE_DAY = "2025-09-01T08:00:00+02:00"
FORUM = 2  # the open-forum block of the seed's day
TOPICS = 20
MARKET_POLL_S = 1.0  # web/js/wall.js: MARKET_POLL_MS
FAST_POLL_S = 0.5  # FAST_POLL_MS, for FAST_FOR_MS after closing
POLL_S = 10.0

NEW_TOPICS = [
    ("Gouvernance partagée au quotidien", "Jeanne"),
    ("Rémunérer le temps bénévole ?", "Luc"),
    ("Sortir du salariat sans perdre ses droits", "Aïcha"),
    ("Coopératives et communs numériques", "Tom"),
    ("Le conflit comme ressource", "Nadia"),
    ("Entraide entre coopératives d'activité", None),
    ("Accueillir les nouvelles personnes", None),
    ("Faire vivre les assemblées générales", None),
    ("Habitat participatif et coopération", None),
]


class Wall(threading.Thread):
    """Polls like the wall; records when it first sees a published version."""

    def __init__(self, srv, base):
        super().__init__(daemon=True)
        self.srv, self.base = srv, base
        self.etag = None
        self.seen_at = None
        self.version = None
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            m = self.srv.get(self.base + "/marketplace").body or {}
            h = {"If-None-Match": self.etag} if self.etag else None
            r = self.srv.get(self.base + "/schedule", headers=h)
            if r.status == 200 and self.seen_at is None:
                self.seen_at = time.monotonic()
                self.version = r.body["version"]
                self.etag = r.header("ETag")
            if m.get("phase") in ("proposals", "vote"):
                delay = MARKET_POLL_S
            elif m.get("phase") == "closed":
                delay = FAST_POLL_S
            else:
                delay = POLL_S
            self.stop.wait(delay)


def ok(r, status, what):
    if r.status != status:
        sys.exit("%s: %d %s" % (what, r.status, r.text[:300]))
    return r.body


def one_run(srv, spec, rng, time_limit, n):
    # Join codes are unique across events: each run's event has its own.
    spec = dict(spec, event=dict(spec["event"], join_code="%s-%d" % (spec["event"]["join_code"], n)))
    day = build_day(srv, spec)
    base, fac = day["base"], day["fac"]
    forum = day["blocks"][FORUM]
    ok(srv.put(base + "/marketplace", {"phase": "proposals", "block": forum}, token=fac),
       200, "open the marketplace")
    wall = Wall(srv, base)
    wall.start()
    new = []
    for i, (title, host) in enumerate(NEW_TOPICS):
        if host:
            body = {"title": title, "host_name": host, "block": forum}
            t = ok(srv.post(base + "/topics", body, token=fac), 201, "quick entry")
        else:
            who = day["people"][(7 * i) % len(day["people"])]
            t = ok(srv.post(base + "/topics", {"title": title, "block": forum},
                            token=who["token"]), 201, "a proposal from a phone")
        new.append(t["id"])
    topics = ok(srv.get(base + "/topics", token=fac), 200, "topics")
    in_forum = [t for t in topics if t.get("block") == forum]
    if len(in_forum) != TOPICS:
        sys.exit("the forum holds %d topics, not %d" % (len(in_forum), TOPICS))
    for p in day["people"]:
        for tid in rng.sample(new, 2):
            r = srv.put(base + "/topics/%s/vote" % tid, {"weight": rng.randint(1, 3)},
                        token=p["token"])
            if r.status not in (200, 409):  # 409: over the vote budget
                ok(r, 200, "vote")

    t0 = time.monotonic()
    ok(srv.put(base + "/marketplace", {"phase": "closed"}, token=fac), 200, "close")
    t_closed = time.monotonic()
    draft = ok(srv.post(base + "/allocation", {"time_limit_ms": time_limit}, token=fac,
                        timeout=120), 200, "allocate")
    t_alloc = time.monotonic()
    pub = ok(srv.post(base + "/schedule/publish", {"allocation": draft["id"]}, token=fac),
             200, "publish")
    t_pub = time.monotonic()
    r = srv.get(base + "/schedule")
    t_get = time.monotonic() - t_pub
    ok(r, 200, "the schedule")
    deadline = time.monotonic() + 30
    while wall.seen_at is None and time.monotonic() < deadline:
        time.sleep(0.01)
    wall.stop.set()
    wall.join()
    if wall.seen_at is None or wall.version != pub["version"]:
        sys.exit("the wall never saw version %d" % pub["version"])
    placed = {s["topic"] for s in draft["solution"]["sessions"]}
    return {
        "close": t_closed - t0,
        "allocate": t_alloc - t_closed,
        "publish": t_pub - t_alloc,
        "published": t_pub - t0,
        "get": t_get,
        "wall": wall.seen_at - t0,
        "forum_placed": len(placed & {t["id"] for t in in_forum}),
    }


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("forumd")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--time-limit", type=int, default=500)
    a = ap.parse_args()
    with open(DAY, encoding="utf-8") as f:
        spec = json.load(f)
    rng = random.Random(12)
    rows = []
    srv = harness.Server(binary=os.path.abspath(a.forumd), extra_args=["--now", BEFORE_THE_DAY],
                         log_level="warn")
    srv.start()
    try:
        for i in range(a.runs):
            row = one_run(srv, spec, rng, a.time_limit, i + 1)
            rows.append(row)
            print("run %2d: close %.3f  allocate %.3f  publish %.3f  -> published %.3f s;"
                  " wall sees it at %.3f s (one GET %.3f s); forum topics placed %d/%d"
                  % (i + 1, row["close"], row["allocate"], row["publish"], row["published"],
                     row["wall"], row["get"], row["forum_placed"], TOPICS), flush=True)
    finally:
        srv.stop()
        srv.cleanup()
    print()
    print("%d runs, time limit %d ms, load average %s" %
          (len(rows), a.time_limit, " ".join("%.1f" % x for x in os.getloadavg())))
    print("%-34s %8s %8s %8s" % ("step (s)", "median", "p90", "max"))
    for k, label in (("close", "close the marketplace"), ("allocate", "allocate"),
                     ("publish", "publish"), ("published", "close -> published"),
                     ("get", "one GET /schedule after"),
                     ("wall", "close -> the wall shows it")):
        v = [r[k] for r in rows]
        print("%-34s %8.3f %8.3f %8.3f" % (label, statistics.median(v), pct(v, 90), max(v)))
    worst = max(r["wall"] for r in rows)
    print("close -> wall <= 2 s in %d of %d runs (worst %.3f s)" %
          (sum(r["wall"] <= 2.0 for r in rows), len(rows), worst))


if __name__ == "__main__":
    main()
