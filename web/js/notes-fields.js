// SPDX-License-Identifier: MIT
// The fields of a session's notes as the pages handle them: their names
// and the three-way merge of two writers' fields. Pure
// functions (tested under node: browser.notes_fields).

import { t } from './i18n.js';

export const FIELDS = ['attendance', 'names', 'key_points', 'proposals', 'follow_up'];
export const TEXTS = ['key_points', 'proposals', 'follow_up'];

// The editable fields of a notes document (attendance as the input's text).
export function fieldsOf(notes) {
    return {
        attendance: notes && notes.attendance !== null && notes.attendance !== undefined ? String(notes.attendance) : '',
        names: (notes && notes.names) || '',
        key_points: (notes && notes.key_points) || '',
        proposals: (notes && notes.proposals) || '',
        follow_up: (notes && notes.follow_up) || '',
    };
}

export function sameFields(a, b) {
    return FIELDS.every((f) => a[f] === b[f]);
}

// Three-way merge of the fields: what only one side changed is taken; a
// field both changed differently is a conflict. Returns {merged, conflicts}.
export function mergeFields(base, mine, theirs) {
    const merged = {};
    const conflicts = [];
    for (const f of FIELDS) {
        if (mine[f] === base[f] || mine[f] === theirs[f]) merged[f] = theirs[f];
        else if (theirs[f] === base[f]) merged[f] = mine[f];
        else {
            merged[f] = mine[f];
            conflicts.push(f);
        }
    }
    return { merged, conflicts };
}

// The name of a field of the notes, in the page's language.
export function fieldLabel(f) {
    switch (f) {
        case 'attendance':
            return t('notes.attendance');
        case 'names':
            return t('notes.names');
        case 'key_points':
            return t('notes.key_points');
        case 'proposals':
            return t('notes.proposals');
        default:
            return t('notes.follow_up');
    }
}

