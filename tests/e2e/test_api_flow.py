# SPDX-License-Identifier: MIT
"""End-to-end flow through a real daemon: an event from creation to the
published schedule, its ETag/304, the exports and a participant's agenda;
the draft is checked by the project's referee (`forumd check`) against
GET /allocation/problem."""

import json
import os
import subprocess
import tempfile

import harness
from harness import expect


def build_event(srv):
    ev = srv.create_event("Rencontre e2e", timezone="Europe/Paris", join_code="E2E-2025",
                          max_weight=3, vote_budget=6)
    eid, fac = ev["id"], ev["facilitator_token"]
    base = "/api/v1/events/%s" % eid
    slots = []
    for i, (a, b) in enumerate([("14:00", "15:00"), ("15:15", "16:15"), ("16:30", "17:30")]):
        r = srv.post(base + "/slots", {"label": "Jeu. " + a,
                                       "starts_at": "2025-09-18T%s:00+02:00" % a,
                                       "ends_at": "2025-09-18T%s:00+02:00" % b}, token=fac)
        expect(r.status == 201, "slot created", r)
        slots.append(r.body["id"])
    rooms = []
    for name, cap, feats in [("Grande salle", 20, ["accessible"]), ("Atelier", 6, []),
                             ("Visio", 10, ["online", "accessible"])]:
        r = srv.post(base + "/rooms", {"name": name, "capacity": cap, "features": feats},
                     token=fac)
        expect(r.status == 201, "room created", r)
        rooms.append(r.body["id"])
    people = []
    for i in range(12):
        body = {"name": "Personne %d" % i}
        if i == 3:
            body["needs"] = ["accessible"]
        if i == 5:
            body["unavailable"] = [slots[2]]
        p = srv.join(eid, join_code="E2E-2025", **body)
        people.append((p["id"], p["token"]))
    topics = []
    for i in range(6):
        r = srv.post(base + "/topics", {"title": "Sujet %d, « avec ; virgules »" % i,
                                        "theme": "Coopération"}, token=people[i][1])
        expect(r.status == 201, "topic created", r)
        topics.append(r.body["id"])
    for i, (pid, tok) in enumerate(people):
        for k in range(3):
            tid = topics[(i + k * 2) % len(topics)]
            r = srv.put(base + "/topics/%s/vote" % tid, {"weight": 1 + (k % 2)}, token=tok)
            expect(r.status == 200, "vote stored", r)
    return eid, fac, base, people, topics, slots, rooms


def check_with_referee(problem, solution):
    with tempfile.TemporaryDirectory() as d:
        pp, sp = os.path.join(d, "problem.json"), os.path.join(d, "solution.json")
        with open(pp, "w") as f:
            json.dump(problem, f)
        with open(sp, "w") as f:
            json.dump(solution, f)
        out = subprocess.run([os.environ["FORUMD"], "check", pp, sp, "--json"],
                             capture_output=True, text=True)
    expect(out.returncode == 0, "the referee accepts the draft", out.stdout + out.stderr)
    verdict = json.loads(out.stdout)
    for key in ("scheduled", "satisfied", "demand"):
        expect(verdict[key] == solution["score"][key], "the claimed %s is the referee's" % key,
               verdict)


def test_full_flow(srv):
    eid, fac, base, people, topics, slots, rooms = build_event(srv)

    r = srv.get(base + "/schedule")
    expect(r.status == 404 and r.error_code() == "not_published", "404 before publishing", r)

    problem = srv.get(base + "/allocation/problem", token=fac)
    expect(problem.status == 200, "problem", problem)
    expect(len(problem.body["participants"]) == 12, "12 participants in the problem",
           problem.body)

    r = srv.post(base + "/allocation", {"time_limit_ms": 500}, token=fac)
    expect(r.status == 200, "allocation answers", r)
    aid, solution = r.body["id"], r.body["solution"]
    check_with_referee(problem.body, solution)

    r = srv.get(base + "/allocations", token=fac)
    expect(r.status == 200 and r.body[0]["id"] == aid and r.body[0]["published"] is False,
           "the draft is listed", r)

    r = srv.post(base + "/schedule/publish", {"allocation": aid}, token=fac)
    expect(r.status == 200 and r.body["version"] == 1, "published as version 1", r)

    r = srv.get(base + "/schedule")
    expect(r.status == 200, "schedule", r)
    etag = r.header("ETag")
    expect(etag and etag.startswith('"'), "a strong ETag", etag)
    sched = r.body
    expect(sched["version"] == 1 and sched["timezone"] == "Europe/Paris", "version, zone",
           sched)
    expect(len(sched["sessions"]) == len(solution["sessions"]), "every session is public",
           sched)
    expect(all("attendees" not in s for s in sched["sessions"]), "seats stay private", sched)

    r = srv.get(base + "/schedule", headers={"If-None-Match": etag})
    expect(r.status == 304 and r.raw == b"", "304 without body", r)

    r = srv.get(base + "/schedule.ics")
    expect(r.status == 200 and r.header("Content-Type").startswith("text/calendar"), "ics", r)
    expect(r.raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nEND:VCALENDAR\r\n" in r.raw,
           "ics framing with CRLF", r.raw[:200])
    expect(all(len(line) <= 75 for line in r.raw.split(b"\r\n")), "folded at 75 octets", r)
    expect(b"\\," in r.raw and b"\\;" in r.raw, "TEXT escaping", r.raw[:400])

    r = srv.get(base + "/schedule.csv")
    expect(r.status == 200 and r.raw.startswith("\ufeffslot,starts_at (Europe/Paris),"
                                                "ends_at (Europe/Paris),room,".encode()),
           "csv: a BOM, local times with the zone in the header", r)
    expect(",2025-09-18 14:00,2025-09-18 15:00," in r.text, "csv: wall-clock times", r)
    expect(r.text.count("\r\n") == len(sched["sessions"]) + 1, "one CRLF line per session", r)

    # Everyone's agenda matches where the solution seats them.
    seated = {}
    for s in solution["sessions"]:
        for pid in s["attendees"]:
            seated.setdefault(pid, set()).add(s["topic"])
    for pid, tok in people:
        r = srv.get(base + "/me/agenda", token=tok)
        expect(r.status == 200, "agenda", r)
        expect({a["topic"] for a in r.body} == seated.get(pid, set()), "agenda = seats", r.body)
    pid, tok = next((p, t) for p, t in people if seated.get(p))
    me = srv.get(base + "/me", token=tok)
    expect(me.status == 200 and tok not in me.body["calendar_url"], "feed link", me)
    r = srv.get(me.body["calendar_url"])
    expect(r.status == 200 and r.raw.count(b"BEGIN:VEVENT") == len(seated[pid]),
           "the feed lists this person's sessions", r)

    # A new publication: new version, new tag, old tag no longer matches.
    r = srv.post(base + "/allocation", {"time_limit_ms": 200}, token=fac)
    expect(r.status == 200, "second allocation", r)
    r = srv.post(base + "/schedule/publish", {"allocation": r.body["id"]}, token=fac)
    expect(r.status == 200 and r.body["version"] == 2, "version 2", r)
    r = srv.get(base + "/schedule", headers={"If-None-Match": etag})
    expect(r.status == 200 and r.header("ETag") != etag and r.body["version"] == 2,
           "the old tag is stale", r)


def test_roles_over_http(srv):
    eid, fac, base, people, topics, slots, rooms = build_event(srv)
    r = srv.post(base + "/rooms", {"name": "x", "capacity": 1}, token=people[0][1])
    expect(r.status == 403 and r.error_code() == "forbidden", "participant cannot add rooms", r)
    r = srv.post(base + "/rooms", {"name": "x", "capacity": 1})
    expect(r.status == 401, "anonymous cannot add rooms", r)
    r = srv.patch(base + "/topics/%s" % topics[1], {"title": "stolen"}, token=people[0][1])
    expect(r.status == 403, "participant cannot edit another's topic", r)
    r = srv.get(base + "/allocation/problem", token=people[0][1])
    expect(r.status == 403, "participant cannot read the problem", r)
    r = srv.post(base + "/participants", {"name": "intrus"})
    expect(r.status == 403 and r.error_code() == "bad_join_code", "join code needed", r)
    r = srv.get("/api/v1/join/E2E-2025")
    expect(r.status == 200 and r.body["event"] == eid, "join code lookup", r)


if __name__ == "__main__":
    harness.main(globals())
