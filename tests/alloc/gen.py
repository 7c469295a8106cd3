#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The project's generator of allocation problems (docs/allocator.md,
contract v2), for the property tests: reproducible, standard library only.

usage: gen.py --topics N --rooms N --slots N --participants N [--seed N]
              [--themes N] [--votes LO-HI] [--groups K] [--blocks B]
              [--previous] [--objective topics_first|votes_first] > problem.json

What an open-space day looks like: topics belong to themes and some draw
far more votes than others; participants lean to one or two themes and
cast LO..HI votes of weight 1-3; one large room, the others medium or
small; some rooms are not step-free or have no projector, a few close for
a slot; a few people need step-free access or miss a slot; some formats
cap their size; a facilitator locked a topic or two in place. Always a
valid document: fixed placements keep every hard rule they can break.

  --groups K   the K most wanted unfixed topics run as parallel groups:
               0-3 hosts, groups.max the number of hosts (2-3 without
               hosts), group sizes that the rooms and the voters can fill.
  --blocks B   the day is cut into B consecutive blocks of slots, and each
               topic may use only its block's slots.
  --previous   a published schedule (a greedy one, without the ~15 % of
               topics proposed since), then a room closed for a slot where
               a previous session stood, for 1-3 of them: a re-run must
               move those.
"""
import argparse
import json
import random
import sys

STEP_FREE, PROJECTOR = "step-free", "projector"


def _rooms(rng, n_rooms, n_people, n_slots):
    rooms = []
    typical = max(5, n_people // max(1, n_rooms))
    for i in range(n_rooms):
        if i == 0:
            cap = max(12, n_people // 4)
        else:
            cap = max(3, int(typical * rng.choice((0.4, 0.7, 1.0, 1.0, 1.3))))
        feats = [f for f, p in ((STEP_FREE, 0.8), (PROJECTOR, 0.5)) if i == 0 or rng.random() < p]
        room = {"id": f"R{i + 1}", "capacity": cap, "features": feats}
        if n_slots > 1 and rng.random() < 0.1:
            room["unavailable"] = [f"S{rng.randrange(n_slots) + 1}"]
        rooms.append(room)
    return rooms


def _people_and_topics(rng, a):
    themes = max(1, a.themes)
    people = []
    for i in range(a.participants):
        p = {"id": f"P{i + 1}", "votes": {}}
        if rng.random() < 0.05:
            p["needs"] = [STEP_FREE]
        if a.slots > 1 and rng.random() < 0.1:
            p["unavailable"] = [f"S{rng.randrange(a.slots) + 1}"]
        p["_themes"] = rng.sample(range(themes), min(themes, rng.choice((1, 2))))
        people.append(p)
    topics = []
    for i in range(a.topics):
        t = {"id": f"T{i + 1}", "_theme": rng.randrange(themes),
             "_pull": 1.0 / (1 + rng.random() * i) ** 0.8}
        k = rng.choices((0, 1, 2), (0.1, 0.75, 0.15))[0]
        t["hosts"] = [p["id"] for p in rng.sample(people, min(k, len(people)))]
        if rng.random() < 0.2:
            t["needs"] = [PROJECTOR]
        if rng.random() < 0.15:
            t["max_size"] = rng.randint(max(2, len(t["hosts"])), 10)
        topics.append(t)
    lo, hi = a.votes
    for p in people:
        if not topics:
            break
        weights = [t["_pull"] * (4 if t["_theme"] in p["_themes"] else 1) for t in topics]
        for _ in range(rng.randint(lo, hi)):
            t = rng.choices(topics, weights)[0]
            p["votes"][t["id"]] = rng.choice((1, 1, 2, 3))
    return people, topics


def _room_ok(t, room, slot, by_id):
    """Rule 3 for topic t in room at slot (features, availability)."""
    needs = set(t.get("needs", []))
    for h in t["hosts"]:
        needs |= set(by_id[h].get("needs", []))
        if slot in by_id[h].get("unavailable", []):
            return False
    if slot in room.get("unavailable", []):
        return False
    if "slots" in t and slot not in t["slots"]:
        return False
    return needs <= set(room["features"])


def _fix_some(rng, topics, rooms, slots, by_id):
    """Locks up to two topics in place, keeping every rule a fixed cell can break."""
    used, host_slots = set(), set()
    for t in rng.sample(topics, min(len(topics), 6)):
        if sum("fixed" in u for u in topics) >= 2:
            break
        cells = [(r, s) for r in rooms for s in slots
                 if (r["id"], s) not in used and _room_ok(t, r, s, by_id)
                 and len(t["hosts"]) <= min(r["capacity"], t.get("max_size", 10 ** 9))
                 and not any((h, s) in host_slots for h in t["hosts"])]
        if not cells or rng.random() < 0.4:
            continue
        r, s = rng.choice(cells)
        t["fixed"] = {"room": r["id"], "slot": s}
        used.add((r["id"], s))
        host_slots.update((h, s) for h in t["hosts"])


def _groups(rng, topics, people, rooms, k):
    voters = {t["id"]: 0 for t in topics}
    for p in people:
        for tid, w in p["votes"].items():
            voters[tid] += w > 0
    small = min(r["capacity"] for r in rooms)
    wanted = sorted((t for t in topics if "fixed" not in t), key=lambda t: -voters[t["id"]])
    for t in wanted[:k]:
        t["hosts"] = [p["id"] for p in rng.sample(people, min(len(people), rng.randint(0, 3)))]
        t.pop("max_size", None)
        gmax = len(t["hosts"]) or rng.randint(2, 3)
        lo = max(1, min(rng.randint(3, 5), small, voters[t["id"]] // gmax or 1))
        t["groups"] = {"max": gmax, "size_min": lo, "size_max": lo + rng.randint(2, 3)}


def _blocks(topics, slots, b):
    b = max(1, min(b, len(slots)))
    cut = [slots[i * len(slots) // b:(i + 1) * len(slots) // b] for i in range(b)]
    for i, t in enumerate(topics):  # before any topic is fixed: _fix_some keeps to the block
        t["slots"] = list(cut[i % b])


def _previous(rng, topics, rooms, slots, by_id):
    """A greedy published schedule of the topics proposed before the last ~15 %."""
    late = {t["id"] for t in rng.sample(topics, len(topics) * 15 // 100) if "fixed" not in t}
    free = {(r["id"], s) for r in rooms for s in slots}
    busy, prev = set(), []
    room_by_id = {r["id"]: r for r in rooms}
    order = sorted(topics, key=lambda t: ("fixed" not in t, -t["_pull"]))
    for t in order:
        if t["id"] in late:
            continue
        n = t["groups"]["max"] if "groups" in t else 1
        for s in slots if "fixed" not in t else [t["fixed"]["slot"]]:
            if any((h, s) in busy for h in t["hosts"]):
                continue
            cells = [r for r in rooms if (r["id"], s) in free and _room_ok(t, r, s, by_id)]
            if "fixed" in t:
                cells = [room_by_id[t["fixed"]["room"]]] + [
                    r for r in cells if r["id"] != t["fixed"]["room"]]
            if len(cells) < n:
                continue
            for g, r in enumerate(cells[:n], start=1):
                prev.append({"topic": t["id"], "group": g, "room": r["id"], "slot": s})
                free.discard((r["id"], s))
            busy.update((h, s) for h in t["hosts"])
            break
    fixed_cells = {(t["fixed"]["room"], t["fixed"]["slot"]) for t in topics if "fixed" in t}
    movable = [e for e in prev if (e["room"], e["slot"]) not in fixed_cells]
    for e in rng.sample(movable, min(len(movable), max(1, min(3, len(prev) // 8)))):
        closed = room_by_id[e["room"]].setdefault("unavailable", [])
        if e["slot"] not in closed:
            closed.append(e["slot"])
    return prev


def generate(topics, rooms, slots, participants, seed=1, themes=4, votes=(2, 6),
             groups=0, blocks=0, previous=False, objective=None):
    """Returns a problem document (a dict), the same for the same arguments."""
    a = argparse.Namespace(topics=topics, rooms=rooms, slots=slots,
                           participants=participants, themes=themes, votes=votes)
    rng = random.Random(seed)
    slot_ids = [f"S{i + 1}" for i in range(slots)]
    room_list = _rooms(rng, rooms, participants, slots)
    people, topic_list = _people_and_topics(rng, a)
    by_id = {p["id"]: p for p in people}
    if blocks:
        _blocks(topic_list, slot_ids, blocks)
    _fix_some(rng, topic_list, room_list, slot_ids, by_id)
    if groups and room_list and people:
        _groups(rng, topic_list, people, room_list, groups)
    prev = _previous(rng, topic_list, room_list, slot_ids, by_id) if previous else []
    for p in people:
        del p["_themes"]
    for t in topic_list:
        del t["_theme"], t["_pull"]
    doc = {"slots": [{"id": s, "label": f"slot {i + 1}"} for i, s in enumerate(slot_ids)],
           "rooms": room_list, "topics": topic_list, "participants": people}
    if prev:
        doc["previous"] = prev
    if objective:
        doc["options"] = {"objective": objective}
    return doc


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("topics", "rooms", "slots", "participants"):
        ap.add_argument("--" + name, type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--themes", type=int, default=4)
    ap.add_argument("--votes", default="2-6", help="LO-HI votes per participant")
    ap.add_argument("--groups", type=int, default=0)
    ap.add_argument("--blocks", type=int, default=0)
    ap.add_argument("--previous", action="store_true")
    ap.add_argument("--objective", choices=("topics_first", "votes_first"))
    a = ap.parse_args(argv[1:])
    lo, _, hi = a.votes.partition("-")
    doc = generate(a.topics, a.rooms, a.slots, a.participants, seed=a.seed, themes=a.themes,
                   votes=(int(lo), int(hi or lo)), groups=a.groups, blocks=a.blocks,
                   previous=a.previous, objective=a.objective)
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
