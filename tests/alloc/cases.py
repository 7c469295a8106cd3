# SPDX-License-Identifier: MIT
"""One plan per hard rule (and per sub-case), broken on purpose, for the
referee's tests (check_cmd.py, cross_check.py): the problem and the valid
plan of tests/unit/alloc/test_check.c, as documents.

PROBLEM: three slots, three rooms (R2 closed in S3, R3 without features),
T1 (host P1, needs a projector, max_size 4), T2 (hosts P5 and P6, groups of
2..3, at most 2, only in S2 or S3), T3 (no host, fixed in R3/S1), T4 (host
P7, only in S3, where no room is free: unscheduled), T5 (host P2); P3 needs
step-free access, P4 is away in S1, P6's vote for T5 weighs 0; a previous
schedule with a kept session, two moved ones and a group that cannot exist.
GOOD: valid, scheduled 4, moved 3, satisfied 14, demand 19, unserved 2.
CASES: (name, edit of the problem or None, edit of the plan, the rules
broken: 1-6, 0 for the document).
"""
import copy

PROBLEM = {
    "slots": [{"id": "S1", "label": "Thu 09:30"}, {"id": "S2"}, {"id": "S3"}],
    "rooms": [
        {"id": "R1", "capacity": 5, "features": ["step-free", "projector"]},
        {"id": "R2", "capacity": 3, "features": ["step-free"], "unavailable": ["S3"]},
        {"id": "R3", "capacity": 4},
    ],
    "topics": [
        {"id": "T1", "hosts": ["P1"], "needs": ["projector"], "max_size": 4},
        {"id": "T2", "hosts": ["P5", "P6"], "slots": ["S2", "S3"],
         "groups": {"max": 2, "size_min": 2, "size_max": 3}},
        {"id": "T3", "fixed": {"room": "R3", "slot": "S1"}},
        {"id": "T4", "hosts": ["P7"], "slots": ["S3"]},
        {"id": "T5", "hosts": ["P2"]},
    ],
    "participants": [
        {"id": "P1", "votes": {"T1": 5, "T2": 2, "T3": 1, "T5": 1}},
        {"id": "P2", "votes": {"T1": 3}},
        {"id": "P3", "needs": ["step-free"], "votes": {"T1": 1, "T4": 0, "T2": 1}},
        {"id": "P4", "unavailable": ["S1"], "votes": {"T2": 2, "T4": 1}},
        {"id": "P5", "votes": {"T1": 1}},
        {"id": "P6", "votes": {"T3": 2, "T5": 0}},
        {"id": "P7", "votes": {"T5": 1}},
        {"id": "P8", "votes": {"T1": 2, "T2": 1}},
    ],
    "previous": [
        {"topic": "T1", "group": 1, "room": "R1", "slot": "S2"},
        {"topic": "T2", "group": 2, "room": "R2", "slot": "S2"},
        {"topic": "T4", "room": "R2", "slot": "S3"},
        {"topic": "T2", "group": 3, "room": "R3", "slot": "S2"},
    ],
}

GOOD = {
    "sessions": [
        {"topic": "T3", "group": 1, "room": "R3", "slot": "S1", "attendees": ["P1"]},
        {"topic": "T5", "room": "R2", "slot": "S1", "attendees": ["P2", "P7"]},
        {"topic": "T1", "group": 1, "room": "R1", "slot": "S2",
         "attendees": ["P1", "P2", "P3", "P8"]},
        {"topic": "T2", "group": 1, "room": "R1", "slot": "S3", "attendees": ["P5", "P4", "P3"]},
        {"topic": "T2", "group": 2, "room": "R3", "slot": "S3", "attendees": ["P6", "P8", "P1"]},
    ],
    "unscheduled": ["T4"],
    "why": {"T4": "no room is free in its slot"},
    "score": {"scheduled": 4, "moved": 3, "satisfied": 14, "demand": 19, "bound": 16,
              "unserved": 2},
}
GOOD_SCORE = {"scheduled": 4, "moved": 3, "satisfied": 14, "demand": 19, "unserved": 2}


def sess(sol, topic, group=1):
    return next(s for s in sol["sessions"]
                if s["topic"] == topic and s.get("group", 1) == group)


def topic(problem, tid):
    return next(t for t in problem["topics"] if t["id"] == tid)


def person(problem, pid):
    return next(p for p in problem["participants"] if p["id"] == pid)


def room(problem, rid):
    return next(r for r in problem["rooms"] if r["id"] == rid)


def _set(d, **kw):
    d.update(kw)



def _plain(sol):
    """Drops the claimed score: a broken plan's claim would add findings of its own."""
    sol.pop("score", None)


CASES = [
    # rule 1
    ("cell used twice", None, lambda s: _set(sess(s, "T5"), room="R3"), {1}),
    ("ordinary topic with two sessions", None,
     lambda s: s["sessions"].append({"topic": "T3", "room": "R2", "slot": "S2",
                                     "attendees": []}), {1}),
    ("group numbers with a gap", None, lambda s: _set(sess(s, "T2", 2), group=3), {1}),
    ("group number twice", None, lambda s: _set(sess(s, "T2", 2), group=1), {1}),
    ("groups in two slots", None,
     lambda s: _set(sess(s, "T2", 2), slot="S2", attendees=["P6", "P4"]), {1}),
    ("more groups than groups.max", None,
     lambda s: s["sessions"].append({"topic": "T2", "group": 3, "room": "R2", "slot": "S2",
                                     "attendees": ["P5", "P4"]}), {1, 4}),
    ("ordinary topic numbered 2", None, lambda s: _set(sess(s, "T5"), group=2), {1}),
    # rule 2
    ("fixed topic moved", None,
     lambda s: _set(sess(s, "T3"), room="R2", slot="S2", attendees=[]), {2}),
    # rule 3
    ("room lacks a feature the topic needs", None,
     lambda s: _set(sess(s, "T1"), room="R3", attendees=["P1", "P2", "P8"]), {3}),
    ("room unavailable", None, lambda s: _set(sess(s, "T5"), slot="S3"), {3}),
    ("host unavailable", lambda p: _set(person(p, "P2"), unavailable=["S1"]), None, {3, 5}),
    ("room lacks a feature a host needs", lambda p: _set(person(p, "P2"), needs=["projector"]),
     None, {3, 5}),
    ("slot outside the topic's slots", None,
     lambda s: [s["sessions"].append({"topic": "T4", "room": "R3", "slot": "S2",
                                      "attendees": ["P7", "P4"]}),
                s.__setitem__("unscheduled", []), s.__setitem__("why", {})], {3}),
    # rule 4
    ("host missing", None, lambda s: _set(sess(s, "T1"), attendees=["P2", "P3", "P8"]), {4}),
    ("host in two groups", None, lambda s: _set(sess(s, "T2", 2), attendees=["P6", "P5", "P1"]),
     {4, 5}),
    ("group without a host", None,
     lambda s: [_set(sess(s, "T2", 1), attendees=["P5", "P6", "P3"]),
                _set(sess(s, "T2", 2), attendees=["P4", "P8", "P1"])], {4}),
    # rule 5
    ("two sessions in one slot", None,
     lambda s: _set(sess(s, "T5"), attendees=["P2", "P7", "P1"]), {5}),
    ("attends while unavailable", None,
     lambda s: _set(sess(s, "T5"), attendees=["P2", "P7", "P4"]), {5}),
    ("attends without a vote", None,
     lambda s: _set(sess(s, "T1"), attendees=["P1", "P2", "P3", "P7"]), {5}),
    ("attends with a vote of weight 0", None,
     lambda s: _set(sess(s, "T5"), attendees=["P2", "P7", "P6"]), {5}),
    ("needs not met", None,
     lambda s: [_set(sess(s, "T2", 1), attendees=["P5", "P4", "P8"]),
                _set(sess(s, "T2", 2), attendees=["P6", "P3", "P1"])], {5}),
    # rule 6
    ("over capacity", lambda p: _set(room(p, "R2"), capacity=1), None, {6}),
    ("over max_size", lambda p: _set(topic(p, "T1"), max_size=3), None, {6}),
    ("group below size_min", None, lambda s: _set(sess(s, "T2", 2), attendees=["P6"]), {6}),
    ("group above size_max",
     lambda p: topic(p, "T2")["groups"].update(size_max=2), None, {6}),
    # the document
    ("unknown room", None, lambda s: _set(sess(s, "T5"), room="R9"), {0}),
    ("unknown attendee", None, lambda s: _set(sess(s, "T5"), attendees=["P2", "P7", "P99"]),
     {0}),
    ("attendee listed twice", None,
     lambda s: _set(sess(s, "T5"), attendees=["P2", "P7", "P7"]), {0}),
    ("group 0", None, lambda s: _set(sess(s, "T5"), group=0), {0}),
    ("session not an object", None, lambda s: s["sessions"].append("T9"), {0}),
    ("attendees not a list", None, lambda s: s["sessions"].append(
        {"topic": "T4", "room": "R2", "slot": "S2", "attendees": "P7"}), {0}),
    ("unscheduled lists a scheduled topic", None, lambda s: s["unscheduled"].append("T1"), {0}),
    ("unscheduled misses a topic", None, lambda s: s.__setitem__("unscheduled", []), {0}),
    ("unscheduled not a list", None, lambda s: s.__setitem__("unscheduled", "T4"), {0}),
    ("claimed satisfied wrong", None, lambda s: s["score"].update(satisfied=15), {0}),
    ("claimed bound below satisfied", None, lambda s: s["score"].update(bound=13), {0}),
    ("score not an object", None, lambda s: s.__setitem__("score", [14]), {0}),
]


def case(name, pedit, sedit):
    """Returns (problem, solution) for a case: GOOD edited, its claimed score
    dropped unless the case is about the claim."""
    p, s = copy.deepcopy(PROBLEM), copy.deepcopy(GOOD)
    if pedit is not None:
        pedit(p)
    if not name.startswith(("claimed", "score")):
        _plain(s)
    if sedit is not None:
        sedit(s)
    return p, s
