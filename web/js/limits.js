// SPDX-License-Identifier: MIT
// The API's limits (GET /api/v1/limits), loaded once per page: the pages
// count characters exactly as the API does, and never copy its numbers.

import { Api } from './api.js';

let doc = null;

// Loads the limits; a page that cannot get them still works (the API
// refuses what is too long, and the error is translated).
export async function loadLimits() {
    if (doc) return doc;
    try {
        doc = await new Api(null).get('/limits');
    } catch {
        doc = null;
    }
    return doc;
}

// The most characters a text of kind key may hold ('title', 'room_name', ...).
export function charLimit(key) {
    return doc && doc.chars ? doc.chars[key] : undefined;
}

// [min, max] of the number field key ('max_weight', 'time_limit_ms', ...).
export function range(key) {
    return doc && doc.ranges ? doc.ranges[key] : undefined;
}

// Characters as the API counts them: code points, not UTF-16 units or bytes.
export function chars(s) {
    return [...String(s || '')].length;
}
