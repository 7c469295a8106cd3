// SPDX-License-Identifier: MIT
// The schedule as the three pages read it, in one place: slots in time
// order, one index of the sessions (by cell, by slot, by identity), and the
// changes between two versions. Pure functions of plain objects (no DOM, no
// fetch), so that node runs them in tests/browser/test_schedule.mjs.
//
// A session is the published one (GET /schedule: {id, topic, group, room,
// slot, ...}) or a draft's (the allocator's {topic, group, room, slot,
// attendees}). Its identity is (topic, group): group 1 of a topic, or any
// session without a group, has the topic's id as its id; group k > 1 has
// "<topic>-<k>"; a plenary or a break has its block's id.

// Slots (or anything with starts_at) in chronological order, as a new array.
export function sortSlots(slots) {
    return (slots || []).slice().sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at)) || String(a.id).localeCompare(String(b.id)));
}

// The identity of a session: its id when the server gave one, else derived.
export function sessionId(s) {
    if (s.id) return s.id;
    const g = Number(s.group) || 1;
    return g > 1 ? `${s.topic}-${g}` : String(s.topic);
}

// The key of a (room, slot) cell.
export function cellKey(room, slot) {
    return `${room}\u0000${slot}`;
}

// Indexes a schedule (or a draft solution: it has no slots or rooms of its
// own; pass them). Returns {slots (sorted), rooms, roomById, slotById,
// cells: cellKey -> session, bySlot: slot id -> [sessions], byId: id -> session}.
export function indexSchedule(sched, slots, rooms) {
    const out = {
        slots: sortSlots(slots || (sched && sched.slots) || []),
        rooms: (rooms || (sched && sched.rooms) || []).slice(),
        roomById: new Map(),
        slotById: new Map(),
        cells: new Map(),
        bySlot: new Map(),
        byId: new Map(),
    };
    for (const r of out.rooms) out.roomById.set(r.id, r);
    for (const s of out.slots) out.slotById.set(s.id, s);
    for (const s of (sched && sched.sessions) || []) {
        if (s.room) out.cells.set(cellKey(s.room, s.slot), s);
        if (!out.bySlot.has(s.slot)) out.bySlot.set(s.slot, []);
        out.bySlot.get(s.slot).push(s);
        out.byId.set(sessionId(s), s);
    }
    return out;
}

// The changes from the sessions before (the published version) to the
// sessions after (a draft), by identity: [{kind: 'added'|'moved'|'removed',
// id, topic, group, from?, to?}], in the order of after then before. Only
// allocated sessions count: a plenary or a break (no topic) is never in a
// draft, so it is no change.
export function diffSchedules(afterSessions, beforeSessions) {
    const placed = (list) => (list || []).filter((s) => s.topic);
    const before = new Map(placed(beforeSessions).map((s) => [sessionId(s), s]));
    const after = new Map(placed(afterSessions).map((s) => [sessionId(s), s]));
    const changes = [];
    const who = (s) => ({ topic: s.topic, group: Number(s.group) || 1 });
    for (const [id, s] of after) {
        const b = before.get(id);
        if (!b) changes.push({ kind: 'added', id, ...who(s), to: s });
        else if (b.room !== s.room || b.slot !== s.slot) changes.push({ kind: 'moved', id, ...who(s), from: b, to: s });
    }
    for (const [id, b] of before) if (!after.has(id)) changes.push({ kind: 'removed', id, ...who(b), from: b });
    return changes;
}

// True when s is one of several groups of its topic (its title then says
// which group: "Co-développement — groupe 2").
export function isGroupSession(s) {
    return Number(s.groups) > 1;
}

// True for a session that is one item for everyone (a plenary, a break).
export function isForEveryone(s) {
    return Boolean(s.everyone) || s.kind === 'plenary' || s.kind === 'break';
}

const dayOf = (s) => String(s.starts_at).slice(0, 10);

// The day in blocks, in time order: [{id, name, kind, title, room, slots}]
// where slots are slot objects in time order. Slots in no block make one
// block of their own per day (id null, kind 'forum'), so that a schedule
// published before blocks existed reads as one grid per day.
export function dayBlocks(sched) {
    const slots = sortSlots((sched && sched.slots) || []);
    const byId = new Map(slots.map((s) => [s.id, s]));
    const out = [];
    const taken = new Set();
    for (const b of (sched && sched.blocks) || []) {
        const own = sortSlots((b.slots || []).map((id) => byId.get(id)).filter(Boolean));
        for (const s of own) taken.add(s.id);
        if (own.length) out.push({ id: b.id, name: b.name, kind: b.kind, title: b.title || '', room: b.room || null, slots: own });
    }
    const loose = new Map();
    for (const s of slots) {
        if (taken.has(s.id)) continue;
        if (!loose.has(dayOf(s))) loose.set(dayOf(s), []);
        loose.get(dayOf(s)).push(s);
    }
    for (const [, own] of loose) out.push({ id: null, name: '', kind: 'forum', title: '', room: null, slots: own });
    return out.sort((a, b) => String(a.slots[0].starts_at).localeCompare(String(b.slots[0].starts_at)));
}

// The block to show at time now: the one under way, else the next one, else
// the last. Returns {block, index, current (the slot under way or null),
// next (the next slot to start, or null)}; block is null without slots.
export function currentBlock(blocks, now) {
    const ms = now.getTime();
    const all = blocks.flatMap((b) => b.slots);
    const current = all.find((s) => Date.parse(s.starts_at) <= ms && ms < Date.parse(s.ends_at)) || null;
    const next = sortSlots(all).find((s) => Date.parse(s.starts_at) > ms) || null;
    let index = blocks.findIndex((b) => Date.parse(b.slots[0].starts_at) <= ms && ms < Date.parse(b.slots[b.slots.length - 1].ends_at));
    if (index < 0) index = blocks.findIndex((b) => Date.parse(b.slots[0].starts_at) > ms);
    if (index < 0) index = blocks.length - 1;
    return { block: index >= 0 ? blocks[index] : null, index, current, next };
}

// How long the wall marks what a publication changed.
export const HIGHLIGHT_MS = 10 * 60 * 1000;

// What the latest publication changed (sched.changes), for HIGHLIGHT_MS after
// it by now (ms, the server's clock): moved, session id -> "moved" or "new";
// cancelled, the cell it stood in (cellKey) -> the change (with its title).
export function recentChanges(sched, now) {
    const moved = new Map();
    const cancelled = new Map();
    const c = sched.changes;
    if (!c || !sched.published_at || now - Date.parse(sched.published_at) >= HIGHLIGHT_MS) return { moved, cancelled };
    for (const x of c.sessions || []) {
        if (x.change === 'cancelled') {
            if (x.from && x.from.room) cancelled.set(cellKey(x.from.room, x.from.slot), x);
        } else {
            moved.set(x.id, x.change);
        }
    }
    return { moved, cancelled };
}
