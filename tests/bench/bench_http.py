# SPDX-License-Identifier: MIT
"""Sets up the event bench_http.sh measures, through the API only: slots,
rooms, topics, participants with votes, an allocation and a published
schedule. Prints shell assignments (EID=..., ETAG=...) and writes the
participant tokens and topic ids for vote.lua.

usage: python3 bench_http.py BASE_URL ADMIN_TOKEN OUT_DIR [PARTICIPANTS] [TOPICS]
"""

import json
import os
import random
import sys
import urllib.error
import urllib.request


def call(base, method, path, body=None, token=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            raw = r.read()
            return r.status, dict(r.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        sys.exit("bench_http.py: %s %s -> %d %s" % (method, path, e.code, raw[:300]))


def main():
    base, admin, out = sys.argv[1], sys.argv[2], sys.argv[3]
    n_people = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    n_topics = int(sys.argv[5]) if len(sys.argv) > 5 else 30
    rng = random.Random(7)
    api = "/api/v1"
    _, _, ev = call(base, "POST", api + "/events",
                    {"name": "Bench", "max_weight": 3, "vote_budget": 0}, admin)
    eid, fac = ev["id"], ev["facilitator_token"]
    e = api + "/events/%s" % eid
    call(base, "PATCH", e, {"proposals_open": True, "voting_open": True}, fac)
    for i in range(5):
        call(base, "POST", e + "/slots",
             {"label": "Slot %d" % (i + 1), "starts_at": "2026-06-01T%02d:00:00Z" % (8 + i),
              "ends_at": "2026-06-01T%02d:50:00Z" % (8 + i)}, fac)
    for i in range(6):
        call(base, "POST", e + "/rooms", {"name": "Room %d" % (i + 1), "capacity": 40}, fac)
    topics = []
    for i in range(n_topics):
        _, _, t = call(base, "POST", e + "/topics",
                       {"title": "Topic %d: %s" % (i + 1, "x" * rng.randint(10, 60)),
                        "description": "A session about thing %d." % i}, fac)
        topics.append(t["id"])
    tokens = []
    for i in range(n_people):
        _, _, p = call(base, "POST", e + "/participants", {"name": "Person %d" % i})
        tokens.append(p["token"])
        for tid in rng.sample(topics, 5):
            call(base, "PUT", e + "/topics/%s/vote" % tid, {"weight": rng.randint(1, 3)},
                 p["token"])
    _, _, alloc = call(base, "POST", e + "/allocation", {"time_limit_ms": 2000}, fac)
    call(base, "POST", e + "/schedule/publish", {"allocation": alloc["id"]}, fac)
    _, headers, sched = call(base, "GET", e + "/schedule")
    etag = headers.get("ETag") or headers.get("Etag")
    with open(os.path.join(out, "tokens.txt"), "w") as f:
        f.write("\n".join(tokens) + "\n")
    with open(os.path.join(out, "topics.txt"), "w") as f:
        f.write("\n".join(str(t) for t in topics) + "\n")
    with open(os.path.join(out, "schedule.json"), "wb") as f:
        f.write(json.dumps(sched).encode())
    print("EID=%s" % eid)
    print("ETAG='%s'" % etag)
    print("SESSIONS=%d" % len(sched.get("sessions", [])))


if __name__ == "__main__":
    main()
