# SPDX-License-Identifier: MIT
"""What a new facilitator ran into (issue 15), through the API: overlapping
slots, the administrator's events (list, copy, delete), join codes in any
case, the online room, limits in characters, removing a participant."""

import harness
from harness import expect

DAY = "2025-09-18T%s:00+02:00"


def event(srv, **fields):
    ev = srv.create_event("Console", timezone="Europe/Paris", **fields)
    return ev["id"], ev["facilitator_token"], "/api/v1/events/%s" % ev["id"]


def slot(srv, base, fac, a, b, label=None):
    return srv.post(base + "/slots", {"label": label or a, "starts_at": DAY % a,
                                      "ends_at": DAY % b}, token=fac)


def test_overlapping_slots_refused(srv):
    eid, fac, base = event(srv)
    first = slot(srv, base, fac, "14:00", "15:00", "Après-midi 1")
    expect(first.status == 201, "first slot", first)
    r = slot(srv, base, fac, "14:30", "15:30")
    expect(r.status == 422 and r.error_code() == "overlap", "overlap refused", r)
    expect(r.body["error"]["field"] == "starts_at", "names the field", r)
    expect(first.body["id"] in r.body["error"]["message"] and
           "Après-midi 1" in r.body["error"]["message"], "names the other slot", r)
    r = slot(srv, base, fac, "14:00", "15:00")
    expect(r.status == 422 and r.error_code() == "overlap", "a duplicate refused", r)
    expect("same times" in r.body["error"]["message"], "says it is the same", r)
    r = slot(srv, base, fac, "13:00", "17:00")
    expect(r.status == 422, "a slot around another refused", r)
    # Touching is fine: 15:00-16:00 after 14:00-15:00.
    second = slot(srv, base, fac, "15:00", "16:00")
    expect(second.status == 201, "adjacent slot accepted", second)
    # Patch: moving the second over the first is refused and changes nothing.
    r = srv.patch(base + "/slots/" + second.body["id"], {"starts_at": DAY % "14:45"},
                  token=fac)
    expect(r.status == 422 and r.error_code() == "overlap", "patch refused", r)
    got = srv.get(base + "/slots").body
    expect([s["starts_at"] for s in got] == ["2025-09-18T12:00:00Z",
                                             "2025-09-18T13:00:00Z"], "unchanged", got)
    # Patching a slot within its own time is not an overlap with itself.
    r = srv.patch(base + "/slots/" + second.body["id"], {"ends_at": DAY % "15:50"},
                  token=fac)
    expect(r.status == 200, "patch within its own time", r)


def test_admin_lists_copies_and_deletes(srv):
    eid, fac, base = event(srv, join_code="BIGRE")
    s1 = slot(srv, base, fac, "14:00", "15:00", "Jeu. 14h").body["id"]
    s2 = slot(srv, base, fac, "15:00", "16:00", "Jeu. 15h").body["id"]
    srv.post(base + "/rooms", {"name": "Grande salle", "capacity": 30,
                               "features": ["accessible"], "unavailable": [s2]}, token=fac)
    p = srv.join(eid, "Ada", join_code="BIGRE")
    srv.post(base + "/topics", {"title": "Un sujet"}, token=p["token"])
    # Only the admin lists, copies and deletes.
    for method, path, body in [("GET", "/api/v1/events", None),
                               ("POST", base + "/copy", {"name": "X"}),
                               ("DELETE", base, None)]:
        r = srv.request(method, path, body=body)
        expect(r.status == 401, "%s %s without a token: 401" % (method, path), r)
        for tok in (fac, p["token"]):
            r = srv.request(method, path, body=body, token=tok)
            expect(r.status == 403, "%s %s as facilitator/participant: 403" % (method, path), r)
    r = srv.get("/api/v1/events", token="admin")
    expect(r.status == 200 and len(r.body) == 1, "one event listed", r)
    e = r.body[0]
    expect(e["id"] == eid and e["join_code"] == "BIGRE" and e["participants"] == 1 and
           e["topics"] == 1 and e["slots"] == 2 and e["rooms"] == 1 and
           e["published"] == 0 and e["first_slot"] == "2025-09-18T12:00:00Z",
           "the listing counts", e)
    # A copy for next year: 364 days later (same weekday), same wall clock.
    r = srv.post(base + "/copy", {"name": "Console 2026", "days": 364}, token="admin")
    expect(r.status == 201, "copied", r)
    new, newfac = r.body["id"], r.body["facilitator_token"]
    expect(r.body["join_code"] is None and r.body["timezone"] == "Europe/Paris",
           "settings copied, join code not", r.body)
    nb = "/api/v1/events/%s" % new
    got = srv.get(nb + "/slots").body
    expect([(s["label"], s["starts_at"], s["ends_at"]) for s in got] ==
           [("Jeu. 14h", "2026-09-17T12:00:00Z", "2026-09-17T13:00:00Z"),
            ("Jeu. 15h", "2026-09-17T13:00:00Z", "2026-09-17T14:00:00Z")], "slots moved", got)
    rooms = srv.get(nb + "/rooms").body
    expect(len(rooms) == 1 and rooms[0]["features"] == ["accessible"] and
           rooms[0]["unavailable"] == [got[1]["id"]], "rooms copied, with unavailability", rooms)
    expect(srv.get(nb + "/topics").body == [], "no topics copied")
    r = srv.get(nb + "/participants", token=newfac)
    expect(r.status == 200 and r.body == [], "the new facilitator token works, nobody", r)
    # Winter: a slot in March copied 7 days later crosses the switch to summer time.
    r = srv.post(base + "/slots", {"label": "Mars", "starts_at": "2025-03-27T10:00:00+01:00",
                                   "ends_at": "2025-03-27T11:00:00+01:00"}, token=fac)
    expect(r.status == 201, "march slot", r)
    r = srv.post(base + "/copy", {"name": "Une semaine après", "days": 7,
                                  "join_code": "bigre-2"}, token="admin")
    expect(r.status == 201 and r.body["join_code"] == "bigre-2", "copy with a code", r)
    got = srv.get("/api/v1/events/%s/slots" % r.body["id"]).body
    expect(got[0]["starts_at"] == "2025-04-03T08:00:00Z", "10:00 in Paris stays 10:00", got)
    r = srv.post(base + "/copy", {"name": "Taken", "join_code": "bigre"}, token="admin")
    expect(r.status == 409 and r.body["error"]["field"] == "join_code", "code taken (any case)", r)
    r = srv.post(base + "/copy", {"name": "X", "days": 5000}, token="admin")
    expect(r.status == 422 and r.body["error"]["field"] == "days", "days out of range", r)
    # A lost facilitator link: the admin issues a new one, the old stops working.
    r = srv.post(nb + "/facilitator_token", {}, token=newfac)
    expect(r.status == 403, "a facilitator cannot reissue", r)
    r = srv.post(nb + "/facilitator_token", {}, token="admin")
    expect(r.status == 201 and r.body["event"] == new, "reissued", r)
    expect(srv.get(nb + "/participants", token=r.body["facilitator_token"]).status == 200,
           "the new token works")
    expect(srv.get(nb + "/participants", token=newfac).status == 401, "the old one is revoked")
    expect(srv.post("/api/v1/events/nosuchevent/facilitator_token", {},
                    token="admin").status == 404, "unknown event: 404")
    # Delete: everything of the event goes; the others stay.
    r = srv.delete(base, token="admin")
    expect(r.status == 204, "deleted", r)
    expect(srv.get(base).status == 404, "gone")
    expect(srv.get("/api/v1/join/BIGRE").status == 404, "its code is free")
    r = srv.get(base + "/participants", token=fac)
    expect(r.status == 401, "its tokens are gone", r)
    expect(srv.request("GET", base, token=p["token"]).status == 401, "participant token gone")
    r = srv.get("/api/v1/events", token="admin")
    expect(sorted(e["id"] for e in r.body) == sorted([new, got and r.body[0]["id"]]) or
           len(r.body) == 2, "two copies left", r)
    expect(srv.delete(base, token="admin").status == 404, "deleting twice: 404")


def test_deleting_a_published_event(srv):
    eid, fac, base = event(srv)
    s1 = slot(srv, base, fac, "14:00", "15:00").body["id"]
    srv.post(base + "/rooms", {"name": "Salle", "capacity": 5}, token=fac)
    p = srv.join(eid, "Ada")
    t = srv.post(base + "/topics", {"title": "T"}, token=p["token"]).body["id"]
    srv.put(base + "/topics/%s/vote" % t, {"weight": 2}, token=p["token"])
    a = srv.post(base + "/allocation", {"time_limit_ms": 50}, token=fac)
    expect(a.status == 200, "allocated", a)
    r = srv.post(base + "/schedule/publish", {"allocation": a.body["id"]}, token=fac)
    expect(r.status == 200, "published", r)
    expect(srv.get(base + "/schedule").status == 200, "schedule served (cached)")
    r = srv.delete(base, token="admin")
    expect(r.status == 204, "a published event deletes too", r)
    r = srv.get(base + "/schedule")
    expect(r.status == 404, "its cached schedule is dropped", r)


def test_join_codes_any_case(srv):
    eid, fac, base = event(srv, join_code="Bigre2025")
    for code in ("bigre2025", "BIGRE2025", "Bigre2025"):
        r = srv.get("/api/v1/join/" + code)
        expect(r.status == 200 and r.body["event"] == eid, "GET /join/%s" % code, r)
        r = srv.post(base + "/participants", {"name": "P " + code, "join_code": code})
        expect(r.status == 201, "joining with %s" % code, r)
    r = srv.post(base + "/participants", {"name": "Q", "join_code": "bigre2026"})
    expect(r.status == 403 and r.error_code() == "bad_join_code", "a wrong code still fails", r)
    r = srv.post("/api/v1/events", {"name": "Other", "join_code": "BIGRE2025"}, token="admin")
    expect(r.status == 409 and r.body["error"]["field"] == "join_code",
           "a code differing only in case is taken", r)
    other = srv.create_event("Other")
    r = srv.patch("/api/v1/events/" + other["id"], {"join_code": "bigre2025"},
                  token=other["facilitator_token"])
    expect(r.status == 409 and r.body["error"]["field"] == "join_code", "patch too", r)
    r = srv.patch(base, {"join_code": "BIGRE2025"}, token=fac)
    expect(r.status == 200, "an event may change the case of its own code", r)


def test_online_room_holds_online_topics(srv):
    eid, fac, base = event(srv)
    s1 = slot(srv, base, fac, "14:00", "15:00").body["id"]
    s2 = slot(srv, base, fac, "15:00", "16:00").body["id"]
    hall = srv.post(base + "/rooms", {"name": "Salle", "capacity": 30}, token=fac).body["id"]
    visio = srv.post(base + "/rooms", {"name": "Visio", "capacity": 100,
                                       "features": ["online"]}, token=fac).body["id"]
    people = [srv.join(eid, "P%d" % i) for i in range(6)]
    remote = srv.join(eid, "Loin", needs=["online"])
    topics = []
    for i in range(4):  # four in-person topics for two slots: the hall is full
        r = srv.post(base + "/topics", {"title": "Sur place %d" % i},
                     token=people[i]["token"])
        topics.append(r.body["id"])
    online = srv.post(base + "/topics", {"title": "En ligne", "needs": ["online"]},
                      token=people[4]["token"]).body["id"]
    hosted = srv.post(base + "/topics", {"title": "Hôte à distance"},
                      token=remote["token"]).body["id"]
    for p in people + [remote]:
        for t in topics + [online, hosted]:
            w = 1 if t in (online, hosted) or p is remote else 3
            srv.put(base + "/topics/%s/vote" % t, {"weight": w}, token=p["token"])
    prob = srv.get(base + "/allocation/problem", token=fac).body
    rooms = {r["id"]: r for r in prob["rooms"]}
    expect("in_person" in rooms[hall]["features"] and
           "in_person" not in rooms[visio]["features"], "rooms: in_person added", rooms)
    needs = {t["id"]: t["needs"] for t in prob["topics"]}
    expect(all(needs[t] == ["in_person"] for t in topics), "in-person topics need it", needs)
    expect(needs[online] == ["online"] and needs[hosted] == [],
           "online topic, and a topic whose host needs online, do not", needs)
    a = srv.post(base + "/allocation", {"time_limit_ms": 300}, token=fac)
    expect(a.status == 200, "allocated", a)
    placed = {s["topic"]: s["room"] for s in a.body["solution"]["sessions"]}
    for t in topics:
        expect(placed.get(t) in (None, hall), "in-person topic never in Visio", placed)
    expect(placed.get(online) in (None, visio) and placed.get(hosted) in (None, visio),
           "online topics in Visio", placed)
    expect(sum(1 for t in topics if t in placed) == 2, "two of four in-person topics fit",
           a.body["solution"])
    # The hall closes: in-person topics have nowhere to go but Visio, which
    # takes them only once the facilitator makes it hybrid (in_person too).
    r = srv.patch(base + "/rooms/" + hall, {"unavailable": [s1, s2]}, token=fac)
    expect(r.status == 200, "hall closed", r)
    a = srv.post(base + "/allocation", {"time_limit_ms": 300}, token=fac)
    placed = {s["topic"]: s["room"] for s in a.body["solution"]["sessions"]}
    expect(not any(t in placed for t in topics), "online-only Visio refuses them", placed)
    r = srv.patch(base + "/rooms/" + visio, {"features": ["online", "in_person"]},
                  token=fac)
    expect(r.status == 200, "hybrid", r)
    prob = srv.get(base + "/allocation/problem", token=fac).body
    expect(sorted({r["id"]: r for r in prob["rooms"]}[visio]["features"]) ==
           ["in_person", "online"], "in_person not added twice", prob["rooms"])
    a = srv.post(base + "/allocation", {"time_limit_ms": 300}, token=fac)
    placed = {s["topic"]: s["room"] for s in a.body["solution"]["sessions"]}
    expect(any(placed.get(t) == visio for t in topics),
           "the hybrid room takes in-person topics", placed)
    # An event without an online room is left as it was.
    e2, f2, b2 = event(srv)
    slot(srv, b2, f2, "14:00", "15:00")
    srv.post(b2 + "/rooms", {"name": "Salle", "capacity": 3}, token=f2)
    p = srv.join(e2, "Ada")
    srv.post(b2 + "/topics", {"title": "T"}, token=p["token"])
    prob = srv.get(b2 + "/allocation/problem", token=f2).body
    expect(prob["rooms"][0]["features"] == [] and prob["topics"][0]["needs"] == [],
           "no online room: nothing added", prob)


def test_limits_in_characters(srv):
    eid, fac, base = event(srv)
    lim = srv.get("/api/v1/limits")
    expect(lim.status == 200, "limits served", lim)
    n = lim.body["chars"]["title"]
    expect(n == 200 and lim.body["ranges"]["time_limit_ms"] == [1, 30000],
           "the limits", lim.body)
    p = srv.join(eid, "Ada")
    r = srv.post(base + "/topics", {"title": "é" * n}, token=p["token"])
    expect(r.status == 201, "%d 'é' (%d bytes) fit" % (n, 2 * n), r)
    r = srv.post(base + "/topics", {"title": "é" * (n + 1)}, token=p["token"])
    expect(r.status == 422 and r.error_code() == "too_long" and
           r.body["error"]["field"] == "title" and "characters" in r.body["error"]["message"],
           "one more is too long, in characters", r)
    d = lim.body["chars"]["description"]
    r = srv.post(base + "/topics", {"title": "emoji", "description": "🙂" * d},
                 token=p["token"])
    expect(r.status == 201, "%d emoji (%d bytes) of description fit" % (d, 4 * d), r)
    r = srv.post(base + "/rooms", {"name": "Salle", "capacity": 1,
                                   "features": ["é" * lim.body["chars"]["feature"]]},
                 token=fac)
    expect(r.status == 201, "a feature of 40 'é'", r)
    r = srv.post(base + "/allocation", {"time_limit_ms": 30001}, token=fac)
    expect(r.status == 422 and r.body["error"]["field"] == "time_limit_ms",
           "time limit over the served range", r)


def test_remove_participant(srv):
    eid, fac, base = event(srv)
    slot(srv, base, fac, "14:00", "15:00")
    srv.post(base + "/rooms", {"name": "Salle", "capacity": 10}, token=fac)
    troll = srv.join(eid, "Troll")
    ada = srv.join(eid, "Ada")
    tb = "/topics/%s"
    alone = srv.post(base + "/topics", {"title": "N'importe quoi"},
                     token=troll["token"]).body["id"]
    good = srv.post(base + "/topics", {"title": "Bon sujet"}, token=ada["token"]).body["id"]
    srv.put(base + tb % good + "/vote", {"weight": 3}, token=troll["token"])
    srv.put(base + tb % alone + "/vote", {"weight": 3}, token=troll["token"])
    srv.put(base + tb % alone + "/vote", {"weight": 1}, token=ada["token"])
    srv.put(base + tb % good + "/vote", {"weight": 2}, token=ada["token"])
    r = srv.get(base + "/participants", token=fac)
    who = {p["name"]: p for p in r.body}
    expect(who["Troll"]["votes"] == 2 and who["Troll"]["hosts"] == 1, "counts shown", who)
    r = srv.delete(base + "/participants/" + troll["id"], token=ada["token"])
    expect(r.status == 403, "a participant cannot remove anyone", r)
    r = srv.delete(base + "/participants/" + troll["id"])
    expect(r.status == 401, "nor anyone without a token", r)
    r = srv.delete(base + "/participants/" + troll["id"], token=fac)
    expect(r.status == 200 and r.body["votes_deleted"] == 2 and
           r.body["topics_deleted"] == [alone], "removed, with what went", r)
    names = [p["name"] for p in srv.get(base + "/participants", token=fac).body]
    expect(names == ["Ada"], "not listed any more", names)
    expect(srv.get(base + tb % alone).status == 404, "their own topic is withdrawn")
    g = srv.get(base + tb % good, token=fac).body
    expect(g["votes"] == {"count": 1, "weight": 2}, "their votes are gone", g)
    r = srv.get(base + "/me", token=troll["token"])
    expect(r.status == 401, "their token no longer works", r)
    r = srv.delete(base + "/participants/" + troll["id"], token=fac)
    expect(r.status == 404, "removing twice: 404", r)
    other = srv.create_event("Other")
    r = srv.delete("/api/v1/events/%s/participants/%s" % (other["id"], ada["id"]),
                   token=other["facilitator_token"])
    expect(r.status == 404, "another event's participant: 404", r)


def test_before_publication(srv):
    """What the participant page relies on before the first publication."""
    eid, fac, base = event(srv)
    slot(srv, base, fac, "14:00", "15:00")
    srv.post(base + "/rooms", {"name": "Salle", "capacity": 10}, token=fac)
    p = srv.join(eid, "Ada")
    t = srv.post(base + "/topics", {"title": "T"}, token=p["token"]).body["id"]
    srv.put(base + "/topics/%s/vote" % t, {"weight": 2}, token=p["token"])
    e = srv.get(base).body
    expect(e["published"] == 0, "the event says nothing is published", e)
    for path in ("/schedule", "/schedule.ics", "/schedule.csv"):
        r = srv.get(base + path)
        expect(r.status == 404 and r.error_code() == "not_published", path + ": not_published", r)
    r = srv.get(base + "/me/agenda", token=p["token"])
    expect(r.status == 200 and r.body == [], "an empty agenda", r)
    feed = srv.get(base + "/me", token=p["token"]).body["calendar_url"]
    r = srv.get(feed)
    expect(r.status == 200 and "BEGIN:VCALENDAR" in r.text and "VEVENT" not in r.text,
           "the personal feed is an empty calendar", r)
    a = srv.post(base + "/allocation", {"time_limit_ms": 50}, token=fac).body
    srv.post(base + "/schedule/publish", {"allocation": a["id"]}, token=fac)
    e = srv.get(base).body
    expect(e["published"] == 1, "then version 1", e)
    expect(srv.get(base + "/schedule.ics").status == 200, "the .ics exists")
    expect([s["topic"] for s in srv.get(base + "/me/agenda", token=p["token"]).body] == [t],
           "the agenda holds the session")


def test_refused_settings_change_nothing(srv):
    """A settings save refused for one field (a join code taken) keeps every
    other field of the request unsaved too: the page keeps what was typed."""
    other = srv.create_event("Other", join_code="TAKEN")
    eid, fac, base = event(srv, join_code="MINE")
    before = srv.get(base, token=fac).body
    r = srv.patch(base, {"join_code": "taken", "vote_budget": 7, "show_tallies": True,
                         "name": "Renamed"}, token=fac)
    expect(r.status == 409 and r.error_code() == "conflict" and
           r.body["error"]["field"] == "join_code", "409 naming join_code", r)
    expect(srv.get(base, token=fac).body == before, "nothing changed", before)
    r = srv.patch(base, {"vote_budget": 10001}, token=fac)
    expect(r.status == 422 and r.body["error"]["field"] == "vote_budget", "range", r)
    expect(srv.get(base, token=fac).body == before, "nothing changed", before)
    expect(other["id"] != eid, "two events")


if __name__ == "__main__":
    harness.main(globals())
