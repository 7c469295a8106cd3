// SPDX-License-Identifier: MIT
// The seed's day in the browser: built through the API only (blocks, group
// topics, a plenary, an online room, 60 participants), allocated and
// published. The wall, with its clock at the plenary, shows it once, the
// whole width, for everyone, with its room and visio link; at the
// co-accompaniment half-day it shows the groups by number; a participant
// reads the day by block and finds the plenary in their agenda. A last test
// serves the wall a schedule with three groups, so that their labels are
// checked whatever the allocator placed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon, buildDay, launchBrowser, openPage, S, fill } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let day;
let sched;

before(async () => {
    d = await new Daemon().start();
    day = await buildDay(d);
    const a = await d.ok('POST', `/events/${day.id}/allocation`, { token: day.token, body: { time_limit_ms: 3000 } });
    await d.ok('POST', `/events/${day.id}/schedule/publish`, { token: day.token, body: { allocation: a.id } });
    sched = await d.ok('GET', `/events/${day.id}/schedule`);
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (d) {
        const code = await d.stop();
        d.cleanup();
        assert.equal(code, 0);
    }
});

// The wall at a given time (UTC), on a TV.
async function wallAt(iso) {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    await page.clock.install({ time: new Date(iso) });
    await page.goto(`${d.url}/e/${day.id}/wall`);
    return page;
}

test('the wall shows the plenary once, the whole width, for everyone', async () => {
    const plenary = day.spec.blocks.find((b) => b.kind === 'plenary');
    // Thursday 18:15 in Paris: the middle of the temps fort.
    const wall = await wallAt('2025-09-18T16:15:00Z');
    const item = wall.getByRole('region', { name: plenary.title });
    await item.waitFor();
    assert.equal(await wall.getByText(plenary.title, { exact: true }).count(), 1, 'the plenary once');
    assert.equal(await wall.getByRole('table').count(), 0, 'no grid during the plenary');
    await item.getByText(L['wall.everyone'], { exact: false }).waitFor();
    await item.getByText('Grande salle', { exact: true }).waitFor();
    await item.getByText(fill(L['wall.online'], { url: 'https://visio.example.org/bigre-rencontres-2025' })).waitFor();
    await item.getByText(L['wall.now']).waitFor();
    // It takes the whole width of the screen (but the margins).
    const box = await item.boundingBox();
    assert.ok(box.width > 1920 * 0.9, `the plenary spans the screen: ${box.width}px`);
    // What comes next: the forum, on Friday.
    await item.getByText(fill(L['wall.then'], { name: 'Forum ouvert', time: '09:30' })).waitFor();
    assert.deepEqual(wall.problems, []);
});

test('the wall shows the co-accompaniment half-day with its groups by number', async () => {
    // Thursday 14:30 in Paris: the first slot of co-accompaniment.
    const wall = await wallAt('2025-09-18T12:30:00Z');
    const grid = wall.getByRole('table');
    await grid.waitFor();
    await grid.getByText('Co-accompagnement', { exact: true }).waitFor();
    // The grid holds this block's slots only.
    assert.equal(await grid.getByRole('columnheader').count(), 1 + 2);
    const codev = sched.sessions.filter((s) => s.title === 'Co-développement');
    assert.ok(codev.length >= 2, `co-développement runs as groups (the allocator's contract v2): ${JSON.stringify(codev)}`);
    for (const s of codev) await grid.getByText(fill(L['session.group'], { title: 'Co-développement', n: s.group }), { exact: true }).waitFor();
    assert.deepEqual(wall.problems, []);
});

test('a participant reads the day by block, the plenary in their agenda', async () => {
    const me = day.people[5];
    const page = await openPage(browser);
    await page.goto(`${d.url}/e/${day.id}#token=${me.token}`);
    const agenda = page.getByRole('region', { name: L['agenda.title'] });
    const plenary = day.spec.blocks.find((b) => b.kind === 'plenary');
    await agenda.getByText(plenary.title, { exact: true }).waitFor();
    await agenda.getByText(L['session.everyone']).first().waitFor();
    await agenda.getByRole('link', { name: L['session.online'] }).first().waitFor();
    // The whole programme, by block.
    const all = page.getByRole('region', { name: new RegExp(L['schedule.title.other'].split('(')[0].trim()) });
    await all.locator('summary').click();
    for (const b of day.spec.blocks) await all.getByRole('heading', { level: 3, name: new RegExp(`^${b.name}`) }).waitFor();
    // Proposals go into the forum: the only block open for them.
    const propose = page.getByRole('region', { name: L['topic.propose'] });
    await propose.locator('summary').click();
    const select = propose.getByLabel(L['topic.block']);
    assert.deepEqual(await select.locator('option').allTextContents().then((o) => o.map((x) => x.split(' · ')[0])), ['Forum ouvert']);
    assert.deepEqual(page.problems, []);
});

test('group sessions read "title — groupe n" on the wall, whatever the allocator did', async () => {
    const wall = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    const slot = sched.slots[0].id;
    const rooms = sched.rooms.slice(1, 4);
    const crafted = Object.assign({}, sched, {
        version: 99,
        sessions: rooms.map((r, i) => ({
            id: i ? `tcodev-${i + 1}` : 'tcodev',
            topic: 'tcodev',
            group: i + 1,
            groups: 3,
            block: day.blocks[0],
            kind: 'groups',
            title: 'Co-développement',
            theme: 'Co-accompagnement',
            hosts: [`Hôte ${i + 1}`],
            room: r.id,
            slot,
            starts_at: sched.slots[0].starts_at,
            ends_at: sched.slots[0].ends_at,
            seated: 6,
        })),
    });
    await wall.route(`**/api/v1/events/${day.id}/schedule`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', headers: { ETag: '"crafted"' }, body: JSON.stringify(crafted) }),
    );
    await wall.clock.install({ time: new Date('2025-09-18T12:30:00Z') });
    await wall.goto(`${d.url}/e/${day.id}/wall`);
    const grid = wall.getByRole('table');
    for (let n = 1; n <= 3; n++) await grid.getByText(fill(L['session.group'], { title: 'Co-développement', n }), { exact: true }).waitFor();
    assert.deepEqual(wall.problems, []);
});
