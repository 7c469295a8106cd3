#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes a database with the forumd binary given, for the migration tests.

usage: make_db.py FORUMD OUT.db

Starts `FORUMD serve --demo` on a fresh database (the demo event and its
first published schedule), then builds a second event through the HTTP API
only: slots, rooms (one unavailable in a slot), participants with needs and
unavailabilities, topics (one with two hosts through the facilitator, one
locked, one with max_size), votes, two allocations published one after the
other (versions 1 and 2) and a third draft left unpublished. Then it stops
the daemon (SIGTERM: a clean close), checkpoints the WAL into the file and
writes OUT.db. Standard library only. The ids are random: the tests read
what they need from the database itself.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import re

ADMIN = "make-db-admin-token-0123456789abcdef"


def main():
    forumd, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="forumd-make-db-")
    db = os.path.join(tmp, "forumd.db")
    env = dict(os.environ, FORUMD_ADMIN_TOKEN=ADMIN)
    proc = subprocess.Popen([forumd, "serve", "--listen", "127.0.0.1:0", "--db", db, "--demo"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp)
    port = None
    deadline = time.monotonic() + 60
    while port is None and time.monotonic() < deadline:
        line = proc.stderr.readline().decode()
        m = re.search(r"listening on http://[0-9.]+:(\d+)", line)
        if m:
            port = int(m.group(1))
    assert port, "forumd did not start"
    # Keep draining the request log so that the daemon never blocks on it.
    threading.Thread(target=lambda: [None for _ in iter(proc.stderr.readline, b"")],
                     daemon=True).start()
    threading.Thread(target=lambda: [None for _ in iter(proc.stdout.readline, b"")],
                     daemon=True).start()

    def call(method, path, token=None, body=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        c.request(method, "/api/v1" + path, body=data, headers=headers)
        r = c.getresponse()
        raw = r.read()
        c.close()
        doc = json.loads(raw) if raw else None
        assert r.status < 300, (method, path, r.status, doc)
        return doc

    ev = call("POST", "/events", ADMIN, {"name": "Migration fixture", "timezone": "Europe/Paris",
                                         "locale": "en", "max_weight": 3, "vote_budget": 6})
    eid, fac = ev["id"], ev["facilitator_token"]
    e = "/events/" + eid
    slots = [call("POST", e + "/slots", fac, {"label": "Morning %d" % i,
                                              "starts_at": "2025-10-0%dT09:00:00+02:00" % (i + 1),
                                              "ends_at": "2025-10-0%dT10:00:00+02:00" % (i + 1)})["id"]
             for i in range(3)]
    rooms = [call("POST", e + "/rooms", fac, {"name": "Room %s" % n, "capacity": cap,
                                              "features": feats})["id"]
             for n, cap, feats in (("A", 6, ["accessible"]), ("B", 4, []), ("Online", 10, ["online"]))]
    call("PATCH", e + "/rooms/" + rooms[1], fac, {"unavailable": [slots[2]]})
    people = []
    for i in range(8):
        body = {"name": "Person %d" % i}
        if i == 0:
            body["needs"] = ["accessible"]
        if i == 1:
            body["unavailable"] = [slots[0]]
        people.append(call("POST", e + "/participants", None, body))
    topics = []
    for i in range(6):
        who = people[i]
        t = call("POST", e + "/topics", who["token"], {"title": "Topic %d" % i,
                                                       "description": "About %d" % i,
                                                       "theme": "Theme %d" % (i % 2),
                                                       "max_size": 5 if i == 2 else None})
        topics.append(t["id"])
    call("PATCH", e + "/topics/" + topics[5], fac, {"fixed": {"room": rooms[0], "slot": slots[1]}})
    call("POST", e + "/topics", fac, {"title": "Facilitator topic", "needs": ["online"]})
    for i, p in enumerate(people):
        for k in range(3):
            tid = topics[(i + k + 1) % len(topics)]
            call("PUT", e + "/topics/" + tid + "/vote", p["token"], {"weight": 1 + (i + k) % 2})
    a1 = call("POST", e + "/allocation", fac, {"time_limit_ms": 200})
    call("POST", e + "/schedule/publish", fac, {"allocation": a1["id"]})
    # A change, then a second version.
    call("PATCH", e + "/rooms/" + rooms[0], fac, {"unavailable": [slots[0]]})
    call("PUT", e + "/topics/" + topics[0] + "/vote", people[7]["token"], {"weight": 1})
    a2 = call("POST", e + "/allocation", fac, {"time_limit_ms": 200})
    call("POST", e + "/schedule/publish", fac, {"allocation": a2["id"]})
    call("POST", e + "/allocation", fac, {"time_limit_ms": 100})  # a draft left as is

    proc.terminate()
    assert proc.wait(timeout=60) == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    shutil.copyfile(db, out)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
