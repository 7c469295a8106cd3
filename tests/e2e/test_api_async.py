# SPDX-License-Identifier: MIT
"""End-to-end: an allocation runs off the server threads (other requests are
served meanwhile, a second allocation of the same event gets 409), and
`forumd backup` copies the live database while the daemon serves."""

import os
import sqlite3
import subprocess
import tempfile
import threading

import harness
from harness import expect


def small_event(srv):
    ev = srv.create_event("Async", max_weight=3)
    eid, fac = ev["id"], ev["facilitator_token"]
    base = "/api/v1/events/%s" % eid
    for h in (9, 10):
        r = srv.post(base + "/slots", {"label": "%dh" % h,
                                       "starts_at": "2025-09-18T%02d:00:00Z" % h,
                                       "ends_at": "2025-09-18T%02d:50:00Z" % h}, token=fac)
        expect(r.status == 201, "slot", r)
    r = srv.post(base + "/rooms", {"name": "A", "capacity": 10}, token=fac)
    expect(r.status == 201, "room", r)
    people = [srv.join(eid, name="P%d" % i) for i in range(4)]
    topics = []
    for p in people[:3]:
        r = srv.post(base + "/topics", {"title": "T " + p["id"]}, token=p["token"])
        expect(r.status == 201, "topic", r)
        topics.append(r.body["id"])
    for p in people:
        for t in topics:
            srv.put(base + "/topics/%s/vote" % t, {"weight": 1}, token=p["token"])
    return eid, fac, base


def test_allocation_off_the_server_threads(srv):
    eid, fac, base = small_event(srv)
    results = {}

    def allocate(name):
        results[name] = srv.post(base + "/allocation", {"time_limit_ms": 6000}, token=fac)

    threads = [threading.Thread(target=allocate, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    # Whichever arrives second is refused at once; the other runs on the worker.
    while all(t.is_alive() for t in threads):
        threads[0].join(0.05)
        threads[1].join(0.05)
    first = "a" if not threads[0].is_alive() else "b"
    r = results[first]
    expect(r.status == 409 and r.error_code() == "allocation_running",
           "a second allocation of the event is refused while one runs", r)
    # Meanwhile every other request is served, writes included.
    r = srv.get(base + "/topics")
    expect(r.status == 200, "topics served during the allocation", r)
    r = srv.get("/healthz")
    expect(r.status == 200, "healthz during the allocation", r)
    other = srv.create_event("Other")
    expect("id" in other, "another event created during the allocation", other)
    for t in threads:
        t.join()
    second = results["b" if first == "a" else "a"]
    expect(second.status == 200 and "solution" in second.body,
           "the running allocation answers in the end", second)


def test_backup_while_serving(srv):
    eid, fac, base = small_event(srv)
    with tempfile.TemporaryDirectory() as d:
        copy = os.path.join(d, "copy.db")
        out = subprocess.run([os.environ["FORUMD"], "backup", "--db", srv.db_path, "--to", copy],
                             capture_output=True, text=True, timeout=120)
        expect(out.returncode == 0, "forumd backup exits 0", out.stderr)
        r = srv.get("/healthz")
        expect(r.status == 200, "the daemon still serves", r)
        db = sqlite3.connect(copy)
        try:
            names = [row[0] for row in db.execute("SELECT name FROM events")]
            ok = db.execute("PRAGMA integrity_check").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()
        expect("Async" in names, "the copy holds the event", names)
        expect(ok == "ok", "the copy is sound", ok)
        expect(version >= 2, "the copy has the schema version", version)
        again = subprocess.run([os.environ["FORUMD"], "backup", "--db", srv.db_path, "--to",
                                copy], capture_output=True, text=True, timeout=120)
        expect(again.returncode != 0, "an existing file is never overwritten", again)


if __name__ == "__main__":
    harness.main(globals())
