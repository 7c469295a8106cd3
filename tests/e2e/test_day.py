# SPDX-License-Identifier: MIT
"""The day as the seed describes it, end to end through the HTTP API only.

test_seed_day builds tests/data/day/bigre-day.json (three half-days and a
plenary as blocks, a lunch break, co-development and two other methods as
group topics, an online room with a link, 60 participants who join, propose
and vote), allocates, publishes, and checks what people get: the plenary is
one session for everyone, in every agenda and every calendar; group topics run
as numbered groups in their block's slots; the iCalendar parses and holds one
VEVENT per session (the plenary and the break included).

test_two_publications publishes twice with one session moved, one dropped and
the rest locked where they were, and checks that calendars can follow: same
UIDs, SEQUENCE raised for the moved one only, the dropped one sent once as
CANCELLED, and no more in the version after.
"""

import json
import os

import harness
from harness import expect

DAY = os.path.join(os.environ.get("FORUM_SOURCE_DIR", ""), "tests", "data", "day",
                   "bigre-day.json")


# -- iCalendar (RFC 5545), as much as the checks need ------------------------

def ics_parse(text):
    """Parses an iCalendar text: returns (calendar properties, [VEVENT dicts]).

    Checks the framing as it goes: CRLF line ends, lines of at most 75
    octets, continuation lines unfolded, BEGIN/END balanced. A property that
    appears once per VEVENT maps to its value, unescaped when it is TEXT.
    """
    raw = text.encode("utf-8")
    expect(raw.endswith(b"\r\n"), "the calendar ends with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    for line in lines:
        expect(len(line) <= 75, "a line of at most 75 octets", line)
        expect(b"\n" not in line and b"\r" not in line, "no bare CR or LF", line)
    logical = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            expect(logical, "a continuation after a line")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    cal, events, stack, cur = {}, [], [], None
    for line in (x.decode("utf-8") for x in logical):
        name, _, value = line.partition(":")
        name = name.split(";")[0]
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                cur = {}
            continue
        if name == "END":
            expect(stack and stack[-1] == value, "END:%s closes BEGIN:%s" % (value, stack))
            stack.pop()
            if value == "VEVENT":
                events.append(cur)
                cur = None
            continue
        if name in ("SUMMARY", "LOCATION", "DESCRIPTION", "X-WR-CALNAME"):
            value = (value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",")
                     .replace("\\;", ";").replace("\\\\", "\\"))
        target = cur if cur is not None else cal
        expect(name not in target, "one %s per component" % name, line)
        target[name] = value
    expect(not stack, "every BEGIN has its END", stack)
    expect(cal.get("VERSION") == "2.0", "VERSION:2.0", cal)
    return cal, events


def ics_utc(iso):
    """"2025-09-18T12:00:00Z" as iCalendar writes it: "20250918T120000Z"."""
    return iso.replace("-", "").replace(":", "")


# -- the seed's day through the API --------------------------------------------

def build_day(srv, spec):
    """Builds the day of spec through the API; returns what the checks need."""
    ev = srv.create_event(**spec["event"])
    eid, fac = ev["id"], ev["facilitator_token"]
    base = "/api/v1/events/%s" % eid
    day = {"eid": eid, "fac": fac, "base": base}

    def post(path, body, token=fac):
        r = srv.post(base + path, body, token=token)
        expect(r.status == 201, "POST %s -> 201" % path, r)
        return r.body

    day["slots"] = [post("/slots", s)["id"] for s in spec["slots"]]
    day["rooms"] = [post("/rooms", r)["id"] for r in spec["rooms"]]
    day["blocks"] = []
    for b in spec["blocks"]:
        body = dict(b, slots=[day["slots"][i] for i in b["slots"]])
        if "room" in b:
            body["room"] = day["rooms"][b["room"]]
        day["blocks"].append(post("/blocks", body)["id"])
    day["people"] = [srv.join(eid, join_code=spec["event"]["join_code"], **p)
                     for p in spec["participants"]]
    day["topics"] = []
    for t in spec["topics"]:
        block = day["blocks"][t["block"]]
        body = {"title": t["title"], "theme": t["theme"], "block": block}
        for k in ("max_size", "needs"):
            if k in t:
                body[k] = t[k]
        if t["by"] == "participant":
            # Proposed by its host from their phone, into the block open for it.
            topic = post("/topics", body, token=day["people"][t["hosts"][0]]["token"])
            expect(topic["block"] == block, "the proposal went into its block", topic)
            extra = {}
        else:
            topic = post("/topics", body)
            extra = {"hosts": [day["people"][h]["id"] for h in t["hosts"]]}
        if "groups" in t:
            extra["groups"] = t["groups"]
        if extra:
            r = srv.patch(base + "/topics/" + topic["id"], extra, token=fac)
            expect(r.status == 200, "hosts and groups set", r)
        day["topics"].append(topic["id"])
    for p, ti, w in spec["votes"]:
        r = srv.put(base + "/topics/%s/vote" % day["topics"][ti], {"weight": w},
                    token=day["people"][p]["token"])
        expect(r.status == 200, "vote stored", r)
    return day


def allocate_and_publish(srv, day, time_limit_ms=3000):
    r = srv.post(day["base"] + "/allocation", {"time_limit_ms": time_limit_ms},
                 token=day["fac"], timeout=120)
    expect(r.status == 200, "allocation -> 200", r)
    r2 = srv.post(day["base"] + "/schedule/publish", {"allocation": r.body["id"]},
                  token=day["fac"])
    expect(r2.status == 200, "publish -> 200", r2)
    return r.body


def test_seed_day(srv):
    with open(DAY, encoding="utf-8") as f:
        spec = json.load(f)
    day = build_day(srv, spec)
    base, fac = day["base"], day["fac"]
    n_people = len(spec["participants"])

    # The problem: topics get their block's slots; group topics their groups;
    # the plenary and the break are nobody's.
    r = srv.get(base + "/allocation/problem", token=fac)
    expect(r.status == 200, "problem", r)
    everyone_slots = {day["slots"][i] for b in spec["blocks"]
                      if b["kind"] in ("plenary", "break") for i in b["slots"]}
    by_id = {t["id"]: t for t in r.body["topics"]}
    for i, t in enumerate(spec["topics"]):
        pt = by_id[day["topics"][i]]
        want = [day["slots"][k] for k in spec["blocks"][t["block"]]["slots"]]
        expect(pt["slots"] == want, "a topic's slots are its block's", pt)
        expect(pt.get("groups") == t.get("groups"), "groups in the problem", pt)
    for room in r.body["rooms"]:
        expect(everyone_slots <= set(room["unavailable"]),
               "no room takes a session during the plenary or the break", room)

    allocation = allocate_and_publish(srv, day)
    r = srv.get(base + "/schedule")
    expect(r.status == 200, "schedule", r)
    sched = r.body
    sessions = sched["sessions"]
    expect([b["kind"] for b in sched["blocks"]] ==
           ["groups", "plenary", "forum", "break", "workshops"], "the day's blocks", sched)
    plenaries = [s for s in sessions if s["kind"] == "plenary"]
    expect(len(plenaries) == 1, "one plenary session", plenaries)
    plenary = plenaries[0]
    expect(plenary["topic"] is None and plenary.get("everyone") is True,
           "the plenary is for everyone, not a topic", plenary)
    expect(plenary["seated"] == n_people, "the plenary seats everyone", plenary)
    expect(plenary["room"] == day["rooms"][0] and plenary.get("url", "").startswith("https://"),
           "the plenary in the Grande salle, with its visio link", plenary)
    expect(plenary["title"] == spec["blocks"][1]["title"], "the plenary's title", plenary)
    expect(sum(1 for s in sessions if s["kind"] == "break") == 1, "one lunch break", sessions)

    # Every session carries its block and its identity (topic, group).
    topic_block = {day["topics"][i]: day["blocks"][t["block"]]
                   for i, t in enumerate(spec["topics"])}
    for s in sessions:
        if s["topic"] is None:
            continue
        expect(s["block"] == topic_block[s["topic"]], "a session carries its block", s)
        expect(s["id"] == (s["topic"] if s["group"] == 1 else "%s-%d" % (s["topic"], s["group"])),
               "a session's id is its (topic, group)", s)

    # Every participant's agenda holds the plenary (and the break), and their
    # calendar feed too.
    for p in day["people"]:
        r = srv.get(base + "/me/agenda", token=p["token"])
        expect(r.status == 200, "agenda", r)
        ids = [a["id"] for a in r.body]
        expect(plenary["id"] in ids, "every agenda holds the plenary", (p["name"], r.body))
        expect(len(ids) == len(set(ids)), "no session twice in an agenda", ids)
        mine = [a for a in r.body if a["topic"] is not None]
        expect(len({a["slot"] for a in mine}) == len(mine), "one session per slot", mine)
    me = srv.get(base + "/me", token=day["people"][0]["token"]).body
    r = srv.get(me["calendar_url"])
    expect(r.status == 200, "the personal feed", r)
    _, feed = ics_parse(r.text)
    expect(any(e["UID"] == "%s-%s@forumd" % (day["eid"], plenary["id"]) for e in feed),
           "the personal feed holds the plenary", feed)

    # The event's calendar: one VEVENT per session, the plenary included.
    r = srv.get(base + "/schedule.ics")
    expect(r.status == 200 and r.header("Content-Type").startswith("text/calendar"),
           "schedule.ics", r)
    cal, events = ics_parse(r.text)
    expect(cal["X-WR-CALNAME"] == spec["event"]["name"], "the calendar's name", cal)
    expect(len(events) == len(sessions), "one VEVENT per session",
           (len(events), len(sessions)))
    uids = {e["UID"] for e in events}
    expect(len(uids) == len(events), "one UID per VEVENT", events)
    by_uid = {e["UID"]: e for e in events}
    for s in sessions:
        e = by_uid.get("%s-%s@forumd" % (day["eid"], s["id"]))
        expect(e is not None, "a VEVENT for each session", s)
        expect(e["DTSTART"] == ics_utc(s["starts_at"]) and e["DTEND"] == ics_utc(s["ends_at"]),
               "its times", (e, s))
        expect(e["SEQUENCE"] == "0" and "STATUS" not in e, "a first version", e)
        if s["groups"] > 1:
            expect(e["SUMMARY"] == "%s — groupe %d" % (s["title"], s["group"]),
                   "a group's summary says which group", e)
    pe = by_uid["%s-%s@forumd" % (day["eid"], plenary["id"])]
    # An online link is in URL and, after the room's name, in LOCATION.
    expect(pe["SUMMARY"] == plenary["title"] and
           pe["LOCATION"] == "Grande salle — " + plenary["url"] and
           pe["URL"] == plenary["url"], "the plenary's VEVENT", pe)

    # The CSV has a row per session, and a header with the new columns last.
    r = srv.get(base + "/schedule.csv")
    rows = r.text.split("\r\n")
    expect(rows[0].endswith(",session,group,block,kind,starts_at_utc,ends_at_utc"),
           "the CSV header", rows[0])
    expect(len([x for x in rows[1:] if x]) == len(sessions), "a CSV row per session", rows)

    # Last, what the allocator must do with the blocks and the groups (contract
    # v2: allowed slots and groups; with a solver that reads only v1 these two
    # checks fail, and only they): every placed session lies in its topic's
    # block, and co-développement runs as numbered parallel groups of 5 to 8.
    block_slots = {day["blocks"][i]: {day["slots"][k] for k in b["slots"]}
                   for i, b in enumerate(spec["blocks"])}
    for s in sessions:
        if s["topic"] is not None:
            expect(s["slot"] in block_slots[s["block"]],
                   "a session takes place in its block's slots (the v2 solver)", s)
    codev = [s for s in sessions if s["topic"] == day["topics"][0]]
    expect(len(codev) >= 2, "co-développement runs as groups (the v2 solver)",
           (codev, allocation["solution"].get("why", {})))
    expect(sorted(s["group"] for s in codev) == list(range(1, len(codev) + 1)),
           "groups are numbered 1..k", codev)
    expect(len({s["slot"] for s in codev}) == 1, "all groups in one slot", codev)
    for s in codev:
        expect(s["groups"] == len(codev) and 5 <= s["seated"] <= 8,
               "a group knows how many there are, and holds 5 to 8", s)


def test_two_publications(srv):
    """v1, then v2 with one session moved, one dropped, the rest locked where
    they were, then v3 unchanged: what a subscribed calendar sees each time."""
    ev = srv.create_event("Deux versions", timezone="Europe/Paris")
    eid, fac = ev["id"], ev["facilitator_token"]
    base = "/api/v1/events/%s" % eid
    slots = [srv.post(base + "/slots", {"label": "S%d" % i,
                                        "starts_at": "2025-09-18T1%d:00:00+02:00" % i,
                                        "ends_at": "2025-09-18T1%d:45:00+02:00" % i},
                      token=fac).body["id"] for i in range(3)]
    rooms = [srv.post(base + "/rooms", {"name": "Salle %d" % i, "capacity": 10},
                      token=fac).body["id"] for i in range(2)]
    people = [srv.join(eid, name="P%d" % i) for i in range(4)]
    topics = []
    for i in range(4):
        r = srv.post(base + "/topics", {"title": "Sujet %d" % i}, token=people[i]["token"])
        expect(r.status == 201, "topic", r)
        topics.append(r.body["id"])
    # Each topic locked in its own cell, so that the versions are what the test says.
    cells = [(rooms[0], slots[0]), (rooms[1], slots[0]), (rooms[0], slots[1]),
             (rooms[1], slots[1])]

    def lock(tid, cell):
        r = srv.patch(base + "/topics/" + tid, {"fixed": {"room": cell[0], "slot": cell[1]}},
                      token=fac)
        expect(r.status == 200, "lock", r)

    for tid, cell in zip(topics, cells):
        lock(tid, cell)
    day = {"base": base, "fac": fac}
    allocate_and_publish(srv, day, 200)
    v1 = ics_parse(srv.get(base + "/schedule.ics").text)[1]
    expect(len(v1) == 4 and all(e["SEQUENCE"] == "0" for e in v1), "v1: four, SEQUENCE 0", v1)

    # v2: topic 1 moves to slot 2; topic 3 is deleted; 0 and 2 stay.
    lock(topics[1], (rooms[1], slots[2]))
    r = srv.delete(base + "/topics/" + topics[3], token=fac)
    expect(r.status == 204, "topic deleted", r)
    allocate_and_publish(srv, day, 200)
    uid = {t: "%s-%s@forumd" % (eid, t) for t in topics}
    v2 = {e["UID"]: e for e in ics_parse(srv.get(base + "/schedule.ics").text)[1]}
    expect(set(v2) == set(uid.values()), "v2: the same UIDs, the dropped one included", v2)
    expect(v2[uid[topics[0]]]["SEQUENCE"] == "0" and v2[uid[topics[2]]]["SEQUENCE"] == "0",
           "unchanged sessions keep SEQUENCE 0", v2)
    moved = v2[uid[topics[1]]]
    expect(moved["SEQUENCE"] == "1" and "STATUS" not in moved, "the moved one: SEQUENCE 1",
           moved)
    expect(moved["DTSTART"] == "20250918T100000Z", "the moved one's new time (12:00 Paris)",
           moved)
    dropped = v2[uid[topics[3]]]
    expect(dropped["STATUS"] == "CANCELLED" and dropped["SEQUENCE"] == "1",
           "the dropped one is sent as cancelled, SEQUENCE raised", dropped)
    expect(sum(1 for e in v2.values() if e.get("STATUS") == "CANCELLED") == 1,
           "exactly one cancelled", v2)
    # The personal feed of the dropped topic's host says the same.
    me = srv.get(base + "/me", token=people[3]["token"]).body
    feed = {e["UID"]: e for e in ics_parse(srv.get(me["calendar_url"]).text)[1]}
    expect(feed.get(uid[topics[3]], {}).get("STATUS") == "CANCELLED",
           "the host's feed cancels it too", feed)

    # v3: nothing changes; the cancelled one was sent once and is gone.
    allocate_and_publish(srv, day, 200)
    v3 = {e["UID"]: e for e in ics_parse(srv.get(base + "/schedule.ics").text)[1]}
    expect(set(v3) == {uid[topics[0]], uid[topics[1]], uid[topics[2]]},
           "v3: the cancelled one is not sent again", v3)
    expect([v3[uid[t]]["SEQUENCE"] for t in topics[:3]] == ["0", "1", "0"],
           "SEQUENCE stays when nothing changes", v3)


# The daemon's clock before the seed's day (18 September 2025): a re-run after
# a publication keeps what has started, and in these tests nothing has.
BEFORE_THE_DAY = "2025-09-01T08:00:00+02:00"

if __name__ == "__main__":
    harness.main(globals(), server_factory=lambda: harness.Server(
        extra_args=["--now", BEFORE_THE_DAY]))
