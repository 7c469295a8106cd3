// SPDX-License-Identifier: MIT
// Times in the event's zone (web/js/i18n.js, run here under node, which
// has the same Intl): a slot typed as wall-clock time in the event's zone
// becomes the right UTC instant, summer and winter time included, and
// comes back as typed; formatting uses the event's zone, not the device's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from './lib/harness.mjs';

const i18n = await import(pathToFileURL(path.join(WEB_DIR, 'js', 'i18n.js')).href);

test('wall-clock time in the event zone -> UTC', () => {
    const cases = [
        ['2025-10-14T09:30', 'Europe/Paris', '2025-10-14T07:30:00Z'], // CEST, +02:00
        ['2025-11-20T09:30', 'Europe/Paris', '2025-11-20T08:30:00Z'], // CET, +01:00
        ['2025-10-26T03:30', 'Europe/Paris', '2025-10-26T02:30:00Z'], // the morning clocks go back
        ['2025-03-30T12:00', 'Europe/Paris', '2025-03-30T10:00:00Z'], // the day clocks go forward
        ['2025-07-01T18:00', 'America/New_York', '2025-07-01T22:00:00Z'],
        ['2025-07-01T18:00', 'UTC', '2025-07-01T18:00:00Z'],
        ['2025-12-31T23:45', 'Pacific/Auckland', '2025-12-31T10:45:00Z'],
    ];
    for (const [local, tz, utc] of cases) assert.equal(i18n.fromZoneInput(local, tz), utc, `${local} ${tz}`);
    assert.equal(i18n.fromZoneInput('not a time', 'Europe/Paris'), null);
});

test('UTC -> wall-clock time in the event zone, round trip', () => {
    for (const tz of ['Europe/Paris', 'America/New_York', 'UTC', 'Asia/Kolkata']) {
        for (const local of ['2025-01-15T08:00', '2025-06-15T14:45', '2025-10-14T09:30']) {
            assert.equal(i18n.toZoneInput(i18n.fromZoneInput(local, tz), tz), local, `${local} ${tz}`);
        }
    }
    assert.equal(i18n.toZoneInput('2025-10-14T07:30:00Z', 'Europe/Paris'), '2025-10-14T09:30');
    assert.equal(i18n.toZoneInput('garbage', 'Europe/Paris'), '');
});

test('formatting uses the event zone whatever the device zone', () => {
    // Node here runs in whatever zone the machine has; the event's wins.
    assert.equal(i18n.fmtTime('2025-10-14T07:30:00Z', 'Europe/Paris'), '09:30');
    assert.equal(i18n.fmtTime('2025-10-14T07:30:00Z', 'America/New_York'), '03:30');
    // An unknown zone falls back to the device's rather than failing.
    assert.match(i18n.fmtTime('2025-10-14T07:30:00Z', 'Not/AZone'), /^\d\d:\d\d$/);
});
