// SPDX-License-Identifier: MIT
// The shared schedule module (web/js/schedule.js, run here under node): slots
// in time order, sessions indexed by cell, slot and identity (topic, group),
// and the changes between a draft and the published version by identity,
// plenaries and breaks left out; what a publication changed, marked on the
// wall for ten minutes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from './lib/harness.mjs';

const sch = await import(pathToFileURL(path.join(WEB_DIR, 'js', 'schedule.js')).href);

const slots = [
    { id: 's2', starts_at: '2025-09-18T14:00:00Z', ends_at: '2025-09-18T15:00:00Z' },
    { id: 's1', starts_at: '2025-09-18T09:00:00Z', ends_at: '2025-09-18T10:00:00Z' },
    { id: 's3', starts_at: '2025-09-19T09:00:00Z', ends_at: '2025-09-19T10:00:00Z' },
];

test('slots sort by start time, into a new array', () => {
    const sorted = sch.sortSlots(slots);
    assert.deepEqual(sorted.map((s) => s.id), ['s1', 's2', 's3']);
    assert.equal(slots[0].id, 's2', 'the input is left as it was');
    assert.deepEqual(sch.sortSlots(null), []);
});

test('a session is known by (topic, group)', () => {
    assert.equal(sch.sessionId({ topic: 't1' }), 't1');
    assert.equal(sch.sessionId({ topic: 't1', group: 1 }), 't1');
    assert.equal(sch.sessionId({ topic: 't1', group: 3 }), 't1-3');
    assert.equal(sch.sessionId({ id: 'b9', topic: null }), 'b9');
    assert.equal(sch.sessionId({ id: 't1-2', topic: 't1', group: 2 }), 't1-2');
});

test('the index finds sessions by cell, slot and identity', () => {
    const doc = {
        slots,
        rooms: [{ id: 'r1', name: 'A' }, { id: 'r2', name: 'B' }],
        sessions: [
            { topic: 't1', group: 1, room: 'r1', slot: 's1' },
            { topic: 't1', group: 2, room: 'r2', slot: 's1' },
            { id: 'b1', topic: null, kind: 'break', room: null, slot: 's2' },
        ],
    };
    const idx = sch.indexSchedule(doc);
    assert.deepEqual(idx.slots.map((s) => s.id), ['s1', 's2', 's3']);
    assert.equal(idx.cells.get(sch.cellKey('r2', 's1')).group, 2);
    assert.equal(idx.cells.size, 2, 'a break holds no room');
    assert.equal(idx.bySlot.get('s1').length, 2);
    assert.equal(idx.bySlot.get('s2')[0].id, 'b1');
    assert.equal(idx.byId.get('t1-2').room, 'r2');
    assert.equal(idx.roomById.get('r1').name, 'A');
    // A draft has no slots or rooms of its own: they are passed.
    const draft = sch.indexSchedule({ sessions: doc.sessions.slice(0, 1) }, slots, doc.rooms);
    assert.equal(draft.slots.length, 3);
    assert.equal(draft.cells.get(sch.cellKey('r1', 's1')).topic, 't1');
});

test('the diff goes by identity: groups move apart, plenaries are no change', () => {
    const before = [
        { id: 't1', topic: 't1', group: 1, room: 'r1', slot: 's1' },
        { id: 't1-2', topic: 't1', group: 2, room: 'r2', slot: 's1' },
        { id: 't2', topic: 't2', group: 1, room: 'r1', slot: 's2' },
        { id: 'b1', topic: null, kind: 'plenary', room: 'r1', slot: 's3' },
    ];
    const after = [
        { topic: 't1', group: 1, room: 'r1', slot: 's1' },
        { topic: 't1', group: 2, room: 'r3', slot: 's1' },
        { topic: 't3', room: 'r2', slot: 's2' },
    ];
    const changes = sch.diffSchedules(after, before);
    assert.deepEqual(
        changes.map((c) => [c.kind, c.id, c.topic, c.group]),
        [
            ['moved', 't1-2', 't1', 2],
            ['added', 't3', 't3', 1],
            ['removed', 't2', 't2', 1],
        ],
    );
    assert.equal(changes[0].from.room, 'r2');
    assert.equal(changes[0].to.room, 'r3');
    assert.deepEqual(sch.diffSchedules(before, before), []);
});

test('the day in blocks, slots in no block one block per day', () => {
    const doc = {
        slots: [
            { id: 'a', starts_at: '2025-09-18T12:00:00Z', ends_at: '2025-09-18T13:00:00Z' },
            { id: 'b', starts_at: '2025-09-18T13:00:00Z', ends_at: '2025-09-18T14:00:00Z' },
            { id: 'p', starts_at: '2025-09-18T15:00:00Z', ends_at: '2025-09-18T16:00:00Z' },
            { id: 'x', starts_at: '2025-09-19T07:00:00Z', ends_at: '2025-09-19T08:00:00Z' },
        ],
        blocks: [
            { id: 'bp', name: 'Temps fort', kind: 'plenary', title: 'La radicalité joyeuse', room: 'r1', slots: ['p'] },
            { id: 'bg', name: 'Co-accompagnement', kind: 'groups', slots: ['b', 'a'] },
            { id: 'empty', name: 'Plus tard', kind: 'forum', slots: [] },
        ],
    };
    const blocks = sch.dayBlocks(doc);
    assert.deepEqual(
        blocks.map((b) => [b.id, b.kind, b.slots.map((s) => s.id)]),
        [
            ['bg', 'groups', ['a', 'b']],
            ['bp', 'plenary', ['p']],
            [null, 'forum', ['x']],
        ],
    );
    // Before, during, between and after.
    const at = (iso) => sch.currentBlock(blocks, new Date(iso));
    assert.equal(at('2025-09-18T08:00:00Z').block.id, 'bg');
    assert.equal(at('2025-09-18T08:00:00Z').current, null);
    assert.equal(at('2025-09-18T08:00:00Z').next.id, 'a');
    assert.equal(at('2025-09-18T12:30:00Z').current.id, 'a');
    assert.equal(at('2025-09-18T12:30:00Z').next.id, 'b');
    assert.equal(at('2025-09-18T14:30:00Z').block.id, 'bp', 'between blocks: the next one');
    assert.equal(at('2025-09-18T15:30:00Z').block.kind, 'plenary');
    assert.equal(at('2025-09-20T10:00:00Z').block.id, null, 'after the end: the last one');
    assert.equal(sch.currentBlock([], new Date()).block, null);
    // Without blocks: one per day, as before blocks existed.
    assert.equal(sch.dayBlocks({ slots: doc.slots }).length, 2);
});

test('groups and items for everyone', () => {
    assert.equal(sch.isGroupSession({ groups: 3, group: 2 }), true);
    assert.equal(sch.isGroupSession({ groups: 1, group: 1 }), false);
    assert.equal(sch.isGroupSession({ topic: 't' }), false);
    assert.equal(sch.isForEveryone({ kind: 'plenary' }), true);
    assert.equal(sch.isForEveryone({ kind: 'break', everyone: true }), true);
    assert.equal(sch.isForEveryone({ kind: 'forum' }), false);
});

test('the wall marks what a publication changed for ten minutes, then no more', () => {
    const sched = {
        published_at: '2025-09-18T10:00:00Z',
        changes: {
            since: 1,
            sessions: [
                { id: 't1', change: 'moved', from: { room: 'r1', slot: 's1' }, to: { room: 'r2', slot: 's1' } },
                { id: 't2-2', change: 'new', from: null, to: { room: 'r1', slot: 's2' } },
                { id: 't3', title: 'Annulé', change: 'cancelled', from: { room: 'r3', slot: 's2' }, to: null },
            ],
        },
    };
    const at = Date.parse(sched.published_at);
    const r = sch.recentChanges(sched, at + 60000);
    assert.deepEqual([...r.moved], [
        ['t1', 'moved'],
        ['t2-2', 'new'],
    ]);
    assert.deepEqual([...r.cancelled.keys()], [sch.cellKey('r3', 's2')]);
    assert.equal(r.cancelled.get(sch.cellKey('r3', 's2')).title, 'Annulé');
    const late = sch.recentChanges(sched, at + sch.HIGHLIGHT_MS);
    assert.equal(sch.HIGHLIGHT_MS, 10 * 60 * 1000);
    assert.equal(late.moved.size + late.cancelled.size, 0, 'ten minutes later, nothing is marked');
    const first = sch.recentChanges({ published_at: sched.published_at, changes: null }, at);
    assert.equal(first.moved.size + first.cancelled.size, 0, 'the first version changes nothing');
});
