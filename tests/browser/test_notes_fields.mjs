// SPDX-License-Identifier: MIT
// The notes' fields as the page handles them (web/js/notes-fields.js, run
// here under node): a notes document's fields, and the three-way merge of
// two writers: what only one changed is taken, what both changed the same is
// one, what both changed differently is a conflict (the page's text kept).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from './lib/harness.mjs';

const nf = await import(pathToFileURL(path.join(WEB_DIR, 'js', 'notes-fields.js')).href);

const base = { attendance: '', names: '', key_points: 'a', proposals: 'p', follow_up: '' };

test('a notes document gives the fields the page edits', () => {
    assert.deepEqual(nf.fieldsOf({ attendance: 12, names: 'Ana', key_points: 'k', proposals: '', follow_up: 'f' }), {
        attendance: '12',
        names: 'Ana',
        key_points: 'k',
        proposals: '',
        follow_up: 'f',
    });
    assert.deepEqual(nf.fieldsOf({ attendance: null }), { attendance: '', names: '', key_points: '', proposals: '', follow_up: '' });
    assert.equal(nf.fieldsOf({ attendance: 0 }).attendance, '0');
    assert.ok(nf.sameFields(base, Object.assign({}, base)));
    assert.ok(!nf.sameFields(base, Object.assign({}, base, { names: 'x' })));
});

test('what only one side changed merges by itself', () => {
    const mine = Object.assign({}, base, { key_points: 'a + mine' });
    const theirs = Object.assign({}, base, { follow_up: 'theirs', attendance: '7' });
    const { merged, conflicts } = nf.mergeFields(base, mine, theirs);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(merged, { attendance: '7', names: '', key_points: 'a + mine', proposals: 'p', follow_up: 'theirs' });
});

test('the same change on both sides is no conflict', () => {
    const both = Object.assign({}, base, { proposals: 'same' });
    const { merged, conflicts } = nf.mergeFields(base, both, Object.assign({}, both));
    assert.deepEqual(conflicts, []);
    assert.equal(merged.proposals, 'same');
});

test('a field both changed differently is a conflict, the page\'s text kept', () => {
    const mine = Object.assign({}, base, { key_points: 'mine', names: 'Ana' });
    const theirs = Object.assign({}, base, { key_points: 'theirs', attendance: '3' });
    const { merged, conflicts } = nf.mergeFields(base, mine, theirs);
    assert.deepEqual(conflicts, ['key_points']);
    assert.equal(merged.key_points, 'mine');
    assert.equal(merged.names, 'Ana');
    assert.equal(merged.attendance, '3');
});

test('the fields are the API\'s', () => {
    assert.deepEqual(nf.FIELDS, ['attendance', 'names', 'key_points', 'proposals', 'follow_up']);
});
