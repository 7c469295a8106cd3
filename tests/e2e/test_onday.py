# SPDX-License-Identifier: MIT
"""On the day, end to end through the HTTP API: re-runs after a publication,
the changes of the day, the marketplace, and what people are told.

test_rerun_after_closing_a_room: the seed's day is published; at lunch on
Friday (the daemon's clock says so: --now) a room is closed for the two
remaining slots; the re-run moves exactly the sessions that stood there,
keeps every other session of those slots in its room and slot with its id,
and leaves the slots that have started exactly as published.

test_merge_keeps_one_vote_per_person: a merge keeps both hosts and one vote
per person (the larger), so that the merged topic's total is the sum of the
per-person maxima; the merges refused (into itself, across events, unknown,
stale) change nothing; undo puts both topics back.
"""

import json
import os

import harness
from harness import expect
from test_day import DAY, build_day, ics_parse

BEFORE_THE_DAY = "2025-09-01T08:00:00+02:00"
FRIDAY_LUNCH = "2025-09-19T12:30:00+02:00"


def server(now=BEFORE_THE_DAY, db_dir=None):
    return harness.Server(db_dir=db_dir, extra_args=["--now", now])


def restart_at(srv, now):
    """The same database, the daemon's clock at `now` (the day has moved on)."""
    srv.stop()
    srv.extra_args = ["--now", now]
    srv.start()


def etag_of(srv, base, fac):
    r = srv.get(base + "/changes", token=fac)
    expect(r.status == 200 and r.header("ETag"), "GET /changes with its ETag", r)
    expect(r.header("ETag") == r.body["plan"]["etag"], "the ETag is the plan's", r.body)
    return r.header("ETag")


def post_if(srv, path, body, fac, etag):
    return srv.post(path, body, token=fac, headers={"If-Match": etag} if etag else None)


def allocate(srv, base, fac, ms=1500):
    r = srv.post(base + "/allocation", {"time_limit_ms": ms}, token=fac, timeout=120)
    expect(r.status == 200, "allocation -> 200", r)
    return r.body


def publish(srv, base, fac, aid, etag=None):
    r = post_if(srv, base + "/schedule/publish", {"allocation": aid}, fac, etag)
    expect(r.status == 200, "publish -> 200", r)
    return r.body["version"]


def place(s):
    return (s["room"], s["slot"])


def same_session(a, b):
    keys = ("id", "topic", "group", "room", "slot", "starts_at", "ends_at", "title",
            "hosts", "seated", "kind", "block")
    return all(a.get(k) == b.get(k) for k in keys)


def test_rerun_after_closing_a_room():
    with open(DAY, encoding="utf-8") as f:
        spec = json.load(f)
    with server() as srv:
        day = build_day(srv, spec)
        base, fac = day["base"], day["fac"]
        first = allocate(srv, base, fac, 3000)
        expect("previous" not in srv.get(base + "/allocation/problem", token=fac).body,
               "no previous before the first publication", None)
        v1 = publish(srv, base, fac, first["id"])
        sched1 = srv.get(base + "/schedule").body
        expect(sched1["changes"] is None, "the first version changes nothing", sched1)

        # Friday, lunch: Thursday and the morning are over; the two slots of
        # the afternoon remain.
        restart_at(srv, FRIDAY_LUNCH)
        left = [day["slots"][6], day["slots"][7]]
        problem = srv.get(base + "/allocation/problem", token=fac).body
        expect([s["id"] for s in problem["slots"]] == left,
               "only the slots to come are in the problem", problem["slots"])
        placed = [t for t in problem["topics"] if t.get("slots")]
        afternoon = {day["topics"][i] for i, t in enumerate(spec["topics"]) if t["block"] == 4}
        expect({t["id"] for t in placed} == afternoon,
               "the topics held in slots that have started are not in it", placed)
        in_left = [s for s in sched1["sessions"] if s["slot"] in left and s["topic"]]
        expect(sorted((p["topic"], p["group"], p["room"], p["slot"])
                      for p in problem["previous"]) ==
               sorted((s["topic"], s["group"], s["room"], s["slot"]) for s in in_left),
               "previous: the published sessions of the slots to come", problem["previous"])

        # The room with the most sessions this afternoon closes.
        by_room = {}
        for s in in_left:
            by_room.setdefault(s["room"], []).append(s)
        room = max(by_room, key=lambda r: (len(by_room[r]), r))
        stood = {s["id"] for s in by_room[room]}
        etag = etag_of(srv, base, fac)
        r = post_if(srv, base + "/changes/close_room", {"room": room, "from": left[0]},
                    fac, etag)
        expect(r.status == 201 and r.body["change"]["kind"] == "close_room",
               "the room closes from the first slot to come", r)
        expect({s["id"] for s in r.body["change"]["summary"]["sessions"]} == stood,
               "the change says what stood there", r.body)
        expect(r.header("ETag") != etag, "the plan's revision moved on", r.header("ETag"))
        etag = r.header("ETag")

        draft = allocate(srv, base, fac)
        moved_ids = {c["id"] for c in draft["changes"]["sessions"]
                     if c["change"] in ("moved", "dropped")}
        expect(draft["solution"]["score"]["moved"] == len(stood),
               "moved = the sessions that stood in that room", draft["solution"]["score"])
        expect(moved_ids == stood, "the draft moves those and only those",
               draft["changes"])
        for c in draft["changes"]["sessions"]:
            if c["change"] != "new":
                ids = {a["id"] for a in c["affected"]}
                was = next(s for s in in_left if s["id"] == c["id"])
                expect(len(ids) == was["seated"], "who is affected: its people", c)
        sessions = draft["solution"]["sessions"]
        for s in in_left:
            if s["id"] in stood:
                expect(not any(x["topic"] == s["topic"] and x.get("group", 1) == s["group"] and
                               x["room"] == s["room"] and x["slot"] == s["slot"]
                               for x in sessions), "a session of the closed room moved", s)
                continue
            expect(any(x["topic"] == s["topic"] and x.get("group", 1) == s["group"] and
                       x["room"] == s["room"] and x["slot"] == s["slot"] for x in sessions),
                   "every other session keeps its room and slot", s)
        expect(not any(x["slot"] not in left for x in sessions),
               "the draft holds only the slots to come", sessions)

        v2 = publish(srv, base, fac, draft["id"], etag)
        expect(v2 == v1 + 1, "version 2", v2)
        sched2 = srv.get(base + "/schedule").body
        before = {s["id"]: s for s in sched1["sessions"] if s["slot"] not in left}
        after = {s["id"]: s for s in sched2["sessions"] if s["slot"] not in left}
        expect(set(before) == set(after), "the sessions of the slots that started stay",
               (sorted(before), sorted(after)))
        for sid, s in before.items():
            expect(same_session(s, after[sid]), "exactly as published", (s, after[sid]))
        for s in sched2["sessions"]:
            if s["slot"] in left and s["topic"] and s["id"] not in stood:
                old = next(x for x in in_left if x["id"] == s["id"])
                expect(place(s) == place(old), "kept in its room and slot", (old, s))
            expect(s["room"] != room or s["slot"] not in left,
                   "nothing in the closed room", s)
        changed = {c["id"]: c for c in sched2["changes"]["sessions"]}
        expect(sched2["changes"]["since"] == v1 and
               {i for i, c in changed.items() if c["change"] != "new"} == stood,
               "the version says what it changed", sched2["changes"])

        # Calendars follow: the started ones keep their SEQUENCE, the moved ones rise.
        cal = {e["UID"]: e for e in ics_parse(srv.get(base + "/schedule.ics").text)[1]}
        for sid in before:
            expect(cal["%s-%s@forumd" % (day["eid"], sid)]["SEQUENCE"] == "0",
                   "a session that started is unchanged for calendars", sid)
        for sid in stood:
            e = cal["%s-%s@forumd" % (day["eid"], sid)]
            expect(e["SEQUENCE"] == "1", "a moved or dropped session: SEQUENCE 1", e)

        # Someone who was in a moved session sees it on their agenda: moved
        # (old -> new) when they follow it, removed when it goes on without them.
        people = {p["id"]: p for p in day["people"]}
        seen = set()
        for c in draft["changes"]["sessions"]:
            if c["change"] != "moved":
                continue
            now = next(x for x in sessions if x["topic"] == c["topic"] and
                       x.get("group", 1) == c["group"])
            for a in c["affected"]:
                follows = a["id"] in now["attendees"]
                if follows in seen:
                    continue
                seen.add(follows)
                r = srv.get(base + "/me/agenda?since=%d" % v1, token=people[a["id"]]["token"])
                item = next(x for x in r.body if x["id"] == c["id"])
                expect(item["change"] == ("moved" if follows else "removed") and
                       item["was"]["room"] == room and
                       item["was"]["slot"] == c["from"]["slot"],
                       "the agenda marks it, with where it was", item)
                if follows:
                    expect(item["room"] == c["to"]["room"] and item["slot"] == c["to"]["slot"],
                           "moved: old -> new time and room", item)
                r = srv.get(base + "/me/agenda", token=people[a["id"]]["token"])
                expect(all("change" not in x for x in r.body), "no marks without since",
                       r.body)
        expect(True in seen, "someone follows a moved session", draft["changes"])


def topics_state(srv, base, fac, people):
    """Everything a merge touches, as the API shows it."""
    topics = srv.get(base + "/topics", token=fac).body
    votes = [srv.get(base + "/me/votes", token=p["token"]).body for p in people]
    changes = srv.get(base + "/changes", token=fac).body
    problem = srv.get(base + "/allocation/problem", token=fac).body
    return json.dumps([topics, votes, changes, problem], sort_keys=True)


def test_merge_keeps_one_vote_per_person(srv):
    ev = srv.create_event("Fusion", timezone="Europe/Paris", max_weight=3)
    eid, fac = ev["id"], ev["facilitator_token"]
    base = "/api/v1/events/%s" % eid
    other = srv.create_event("Autre")
    other_topic = srv.post("/api/v1/events/%s/topics" % other["id"], {"title": "Ailleurs"},
                           token=other["facilitator_token"]).body["id"]
    people = [srv.join(eid, name="P%d" % i) for i in range(7)]
    a = srv.post(base + "/topics", {"title": "Coopératives et argent"},
                 token=people[0]["token"]).body["id"]
    b = srv.post(base + "/topics", {"title": "L'argent dans les coopératives"},
                 token=people[1]["token"]).body["id"]
    c = srv.post(base + "/topics", {"title": "Autre sujet"}, token=people[2]["token"]).body["id"]
    # (person, A, B): one vote each, both, or none.
    ballots = [(2, 2, 3), (3, 1, 0), (4, 0, 2), (5, 3, 1), (6, 0, 0)]
    for p, wa, wb in ballots:
        for tid, w in ((a, wa), (b, wb)):
            if w:
                r = srv.put(base + "/topics/%s/vote" % tid, {"weight": w},
                            token=people[p]["token"])
                expect(r.status == 200, "vote", r)
    srv.put(base + "/topics/%s/vote" % c, {"weight": 1}, token=people[3]["token"])

    # Refused merges change nothing.
    before = topics_state(srv, base, fac, people)
    etag = etag_of(srv, base, fac)
    refused = [
        ({"into": a, "topic": a}, 422, "invalid", "topic"),
        ({"into": a, "topic": other_topic}, 422, "invalid", "topic"),
        ({"into": other_topic, "topic": b}, 422, "invalid", "into"),
        ({"into": a, "topic": "tNOPE000"}, 422, "invalid", "topic"),
        ({"into": a}, 422, "missing", "topic"),
        ({"into": a, "topic": b, "title": ""}, 422, "empty", "title"),
        ({"into": a, "topic": b, "title": 5}, 422, "wrong_type", "title"),
        ({"into": a, "topic": b, "title": "x" * 201}, 422, "too_long", "title"),
        ({"into": a, "topic": b, "votes": 1}, 422, "unknown_field", "votes"),
    ]
    for body, status, code, field in refused:
        r = post_if(srv, base + "/changes/merge", body, fac, etag)
        expect(r.status == status and r.error_code() == code and
               r.body["error"].get("field") == field, "refused: %s" % json.dumps(body), r)
    r = post_if(srv, base + "/changes/merge", {"into": a, "topic": b}, fac,
                '"%s-v0-r99"' % eid)
    expect(r.status == 412 and r.error_code() == "stale" and
           r.body["current"]["etag"] == etag, "a stale If-Match: 412 with the current", r)
    r = srv.post(base + "/changes/merge", {"into": a, "topic": b}, token=people[0]["token"])
    expect(r.status == 403, "a participant cannot merge", r)
    r = srv.post("/api/v1/events/%s/changes/merge" % other["id"], {"into": a, "topic": b},
                 token=fac)
    expect(r.status == 403, "nor the facilitator of another event", r)
    expect(topics_state(srv, base, fac, people) == before, "the refused merges changed nothing",
           None)

    r = post_if(srv, base + "/changes/merge",
                {"into": a, "topic": b, "title": "L'argent en coopérative"}, fac, etag)
    expect(r.status == 201, "merge -> 201", r)
    summary = r.body["change"]["summary"]
    topics = {t["id"]: t for t in srv.get(base + "/topics", token=fac).body}
    expect(b not in topics, "the other topic is gone from the proposals", topics)
    merged = topics[a]
    expect(merged["title"] == "L'argent en coopérative", "the title given", merged)
    expect([h["id"] for h in merged["hosts"]] == [people[0]["id"], people[1]["id"]],
           "both hosts", merged)
    maxima = {p: max(wa, wb) for p, wa, wb in ballots if max(wa, wb) > 0}
    expect(merged["votes"] == {"count": len(maxima), "weight": sum(maxima.values())},
           "one vote per person: the total is the sum of the maxima", merged["votes"])
    expect(summary["weight"] == sum(maxima.values()) and summary["voters"] == len(maxima),
           "the change says so", summary)
    for p, w in maxima.items():
        mine = srv.get(base + "/me/votes", token=people[p]["token"]).body
        expect([v for v in mine if v["topic"] in (a, b)] == [{"topic": a, "weight": w}],
               "one vote, the larger", (p, mine))
    r = srv.put(base + "/topics/%s/vote" % b, {"weight": 1}, token=people[6]["token"])
    expect(r.status == 404, "nobody votes for the merged-away topic", r)
    problem = srv.get(base + "/allocation/problem", token=fac).body
    expect(b not in {t["id"] for t in problem["topics"]} and
           all(b not in p["votes"] for p in problem["participants"]),
           "the allocation problem counts no vote twice", problem)

    # Merging the gone topic again: 409 naming the change that took it.
    r = srv.post(base + "/changes/merge", {"into": c, "topic": b}, token=fac)
    expect(r.status == 409 and r.body["changes"][0]["kind"] == "merge",
           "409 with what changed", r)

    # Undo: both topics as they were, votes included.
    seq = r.body["changes"][0]["seq"]
    r = srv.post(base + "/changes/%d/undo" % seq, token=fac)
    expect(r.status == 200 and r.body["change"]["kind"] == "undo", "undo -> 200", r)
    after = json.loads(topics_state(srv, base, fac, people))
    was = json.loads(before)
    expect(after[0] == was[0] and after[1] == was[1], "undo puts everything back",
           (after[0], was[0]))
    r = srv.post(base + "/changes/%d/undo" % seq, token=fac)
    expect(r.status == 409, "an undone change is not undone twice", r)


def test_changes_and_concurrency():
    """Two facilitators at once: 412 on a stale version, 409 with what changed,
    never a lost change; undo newest first; a draft the day left behind is
    not published."""
    with open(DAY, encoding="utf-8") as f:
        spec = json.load(f)
    with server() as srv:
        day = build_day(srv, spec)
        base, fac = day["base"], day["fac"]
        v1 = publish(srv, base, fac, allocate(srv, base, fac, 1000)["id"])
        sched = srv.get(base + "/schedule").body
        work = [s for s in sched["sessions"] if s["kind"] == "workshops"]
        etag = etag_of(srv, base, fac)
        # Facilitator A cancels a session; facilitator B, who read the same
        # state, tries to close a room: 412, nothing done.
        r = post_if(srv, base + "/changes/cancel", {"session": work[0]["id"]}, fac, etag)
        expect(r.status == 201 and r.body["change"]["summary"]["whole_topic"] is True,
               "cancel -> 201", r)
        cancel_seq = r.body["change"]["seq"]
        r2 = post_if(srv, base + "/changes/close_room",
                     {"room": day["rooms"][1], "from": day["slots"][6]}, fac, etag)
        expect(r2.status == 412 and r2.body["changes"][0]["seq"] == cancel_seq and
               r2.body["current"]["version"] == v1, "412 with what changed", r2)
        # The schedule's own ETag is enough when only publications matter.
        r2 = post_if(srv, base + "/changes/close_room",
                     {"room": day["rooms"][1], "from": day["slots"][6]}, fac,
                     '"%s-v%d"' % (day["eid"], v1))
        expect(r2.status == 201, "If-Match with the schedule's version", r2)
        close_seq = r2.body["change"]["seq"]
        # Cancelling it again: 409 naming the change.
        r = srv.post(base + "/changes/cancel", {"session": work[0]["id"]}, token=fac)
        expect(r.status == 409 and any(c["seq"] == cancel_seq for c in r.body["changes"]),
               "409: cancelled by that change", r)
        # Undo newest first.
        r = srv.post(base + "/changes/%d/undo" % cancel_seq, token=fac)
        expect(r.status == 409 and r.body["changes"], "undo the newer one first", r)
        r = srv.post(base + "/changes/%d/undo" % close_seq, token=fac)
        expect(r.status == 200, "undo the newest", r)
        rooms = {x["id"]: x for x in srv.get(base + "/rooms").body}
        expect(day["slots"][6] not in rooms[day["rooms"][1]]["unavailable"],
               "the room is open again", rooms[day["rooms"][1]])
        # A draft made, then a change: that draft is left behind.
        d1 = allocate(srv, base, fac, 500)
        expect(all(s["topic"] != work[0]["topic"] for s in d1["solution"]["sessions"]),
               "the cancelled topic is not placed", d1["solution"])
        expect(any(c["id"] == work[0]["id"] and c["change"] == "dropped"
                   for c in d1["changes"]["sessions"]), "the draft says it is dropped",
               d1["changes"])
        r = srv.post(base + "/changes/topic", {"title": "Sur place", "host_name": "Nora",
                                               "block": day["blocks"][4]}, token=fac)
        expect(r.status == 201 and r.body["change"]["kind"] == "add_topic", "add on the spot", r)
        r = srv.post(base + "/schedule/publish", {"allocation": d1["id"]}, token=fac)
        expect(r.status == 409 and r.body["changes"], "a draft the day left behind: 409", r)
        ch = srv.get(base + "/changes", token=fac).body
        expect(ch["draft"]["id"] == d1["id"] and ch["draft"]["fresh"] is False,
               "the console sees the draft is not fresh", ch)
        d2 = allocate(srv, base, fac, 500)
        d3 = allocate(srv, base, fac, 500)
        publish(srv, base, fac, d2["id"])
        r = srv.post(base + "/schedule/publish", {"allocation": d3["id"]}, token=fac)
        expect(r.status == 409, "two facilitators publish at once: the second gets 409", r)
        ch = srv.get(base + "/changes", token=fac).body
        expect(ch["changes"] == [], "the publication closed the changes", ch)
        r = srv.post(base + "/changes/%d/undo" % cancel_seq, token=fac)
        expect(r.status == 409 and r.error_code() == "published",
               "published changes stay", r)

        # The person who was in the cancelled session is told, and their feed too.
        pid = next(iter(work[0]["hosts"]), None)
        attendee = next(p for p in day["people"]
                        if any(a["id"] == work[0]["id"] for a in
                               srv.get(base + "/me/agenda?since=%d" % v1,
                                       token=p["token"]).body))
        agenda = srv.get(base + "/me/agenda?since=%d" % v1, token=attendee["token"]).body
        item = next(a for a in agenda if a["id"] == work[0]["id"])
        expect(item["change"] == "cancelled", "cancelled on the agenda", (pid, item))
        me = srv.get(base + "/me", token=attendee["token"]).body
        feed = {e["UID"]: e for e in ics_parse(srv.get(me["calendar_url"]).text)[1]}
        expect(feed["%s-%s@forumd" % (day["eid"], work[0]["id"])]["STATUS"] == "CANCELLED",
               "and in their calendar", feed)



def test_limits_of_the_day(srv):
    """GET /limits gives the pages the marketplace's limits; the API keeps them."""
    lim = srv.get("/api/v1/limits").body
    expect(lim["chars"]["host_name"] == 100 and lim["ranges"]["vote_minutes"] == [1, 60],
           "host_name and vote_minutes in GET /limits", lim)
    ev = srv.create_event("Limites", timezone="Europe/Paris")
    base, fac = "/api/v1/events/%s" % ev["id"], ev["facilitator_token"]
    slot = srv.post(base + "/slots", {"label": "Matin",
                                      "starts_at": "2025-10-14T09:30:00+02:00",
                                      "ends_at": "2025-10-14T10:30:00+02:00"}, token=fac).body
    block = srv.post(base + "/blocks", {"name": "Forum", "kind": "forum",
                                        "slots": [slot["id"]]}, token=fac).body
    before = srv.get(base + "/marketplace").body
    r = srv.put(base + "/marketplace", {"phase": "vote", "block": block["id"],
                                        "vote_minutes": 61}, token=fac)
    expect(r.status == 422 and r.error_code() == "out_of_range" and
           r.body["error"]["field"] == "vote_minutes", "61 minutes refused", r)
    r = srv.post(base + "/topics", {"title": "x", "host_name": "é" * 101, "block": block["id"]},
                 token=fac)
    expect(r.status == 422 and r.error_code() == "too_long" and
           r.body["error"]["field"] == "host_name", "a host's name over 100 characters", r)
    r = srv.post(base + "/topics", {"title": "x", "host_name": "é" * 100, "block": block["id"]},
                 token=fac)
    expect(r.status == 201, "100 characters fit", r)
    after = srv.get(base + "/marketplace").body
    expect(before["phase"] == after["phase"] == "closed" and after["block"] is None,
           "the refused vote changed nothing", after)


if __name__ == "__main__":
    harness.main(globals(), server_factory=server)
