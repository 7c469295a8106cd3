// SPDX-License-Identifier: MIT
// A new facilitator's first day, with the pages only (issue 15): the admin
// creates the event at /admin and opens its facilitator link; the console
// sets up 4 slots and 3 rooms, takes topics received on paper, allocates and
// publishes. No API call and no id copied by hand: the test counts the
// actions a person makes (docs/web.md states the number). Then the admin
// page in English: the list, a copy for next year, deletion, a wrong token.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, launchBrowser, openPage, S, fill, until, ADMIN_TOKEN } from './lib/harness.mjs';

let d;
let browser;

before(async () => {
    d = await startDaemon();
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (d) {
        const code = await d.stop();
        d.cleanup();
        assert.equal(code, 0, 'forumd exits 0 on SIGTERM');
    }
});

test('from /admin to a published schedule, with the pages only (French)', async () => {
    const L = S.fr;
    let actions = 0;
    // One action: one click, one field filled, one box ticked, one page opened.
    const act = async (fn) => {
        actions++;
        return fn();
    };
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await act(() => page.goto(`${d.url}/admin#token=${ADMIN_TOKEN}`));
    await page.getByRole('heading', { name: L['admin.create'] }).waitFor();
    assert.ok(!page.url().includes('token='), 'the admin token leaves the address bar');

    const create = page.getByRole('form', { name: L['admin.create'] });
    await act(() => create.getByLabel(L['fac.name']).fill('Rencontre de printemps'));
    await act(() => create.getByLabel(L['fac.timezone']).fill('Europe/Paris'));
    await act(() => create.getByLabel(L['fac.join_code']).fill('printemps'));
    await act(() => create.getByRole('button', { name: L['admin.create_button'] }).click());
    await page.getByRole('heading', { name: fill(L['admin.created_title'], { name: 'Rencontre de printemps' }) }).waitFor();
    const link = await page.getByRole('textbox', { name: L['admin.facilitator_link'] }).inputValue();
    assert.match(link, /\/e\/[a-z0-9]+\/facilitate#token=[0-9a-f]{32}$/, 'the facilitator link');
    // The list shows it with its join code.
    await page.getByRole('heading', { name: 'Rencontre de printemps', level: 3 }).waitFor();
    await page.getByText(fill(L['fac.summary_code'], { code: 'printemps' })).first().waitFor();

    // Open the console from the link (same tab).
    await act(() => page.getByRole('link', { name: L['admin.open_console'] }).first().click());
    await page.getByRole('heading', { name: 'Rencontre de printemps', level: 1 }).waitFor();
    await page.getByRole('button', { name: L['fac.day'] }).waitFor();
    const eid = page.url().match(/\/e\/([^/]+)\/facilitate/)[1];

    // The empty event opens its slots and rooms: 4 slots.
    for (const [i, [a, b]] of [
        ['09:00', '10:00'],
        ['10:15', '11:15'],
        ['14:00', '15:00'],
        ['15:15', '16:15'],
    ].entries()) {
        const form = page.getByRole('form', { name: L['fac.slot_add'] });
        // The label is optional; the end of one slot pre-fills the next start.
        await act(() => form.getByLabel(L['fac.starts_at']).fill(`2026-04-09T${a}`));
        await act(() => form.getByLabel(L['fac.ends_at']).fill(`2026-04-09T${b}`));
        await act(() => form.getByRole('button', { name: L['fac.slot_add_button'] }).click());
        await until(async () => (await d.ok('GET', `/events/${eid}/slots`)).length === i + 1, `slot ${i + 1}`);
    }
    // 3 rooms, one of them online.
    for (const [name, cap, feats] of [
        ['Grande salle', '30', 'accessible'],
        ['Atelier', '12', ''],
        ['Visio', '50', 'online'],
    ]) {
        const form = page.getByRole('form', { name: L['fac.room_add'] });
        await act(() => form.getByLabel(L['fac.room_name']).fill(name));
        await act(() => form.getByLabel(L['fac.capacity']).fill(cap));
        if (feats) await act(() => form.getByLabel(L['fac.features']).fill(feats));
        await act(() => form.getByRole('button', { name: L['fac.room_add_button'] }).click());
        await page.getByRole('row', { name: new RegExp(`^${name}`) }).waitFor();
    }
    // Topics received on paper.
    await act(() => page.getByRole('button', { name: L['fac.topics'] }).click());
    for (const title of ['Coopérer sans s’épuiser', 'Le prix juste', 'Anticiper']) {
        const form = page.getByRole('form', { name: L['fac.topic_add'] });
        await act(() => form.getByLabel(L['topic.title']).fill(title));
        await act(() => form.getByRole('button', { name: L['fac.topic_add_button'] }).click());
        await page.getByRole('heading', { name: title }).waitFor();
    }
    // Allocate and publish.
    await act(() => page.getByRole('button', { name: L['fac.allocation'] }).click());
    await act(() => page.getByRole('button', { name: L['fac.allocate'] }).click());
    await page.getByRole('button', { name: L['fac.publish'] }).waitFor();
    await act(() => page.getByRole('button', { name: L['fac.publish'] }).click());
    await until(async () => (await d.call('GET', `/events/${eid}/schedule`)).status === 200, 'published');
    const sch = await d.ok('GET', `/events/${eid}/schedule`);
    assert.equal(sch.version, 1);
    assert.equal(sch.slots.length, 4);
    assert.equal(sch.rooms.length, 3);
    assert.equal(page.confirms.length, 1, 'publishing asks first');
    console.log(`# actions from /admin to a published schedule: ${actions}`);
    assert.ok(actions <= 40, `a short path (${actions} actions)`);
    assert.deepEqual(page.problems, []);
});

test('the admin page in English: list, copy for next year, new link, delete, wrong token', async () => {
    const L = S.en;
    const page = await openPage(browser, { locale: 'en-GB' });
    // A facilitator token is not the admin token: said in English.
    const ev = await d.ok('POST', '/events', { token: ADMIN_TOKEN, body: { name: 'Gathering 2025', timezone: 'Europe/Paris', join_code: 'GATHER' } });
    await page.goto(`${d.url}/admin`);
    const tokenBox = page.getByLabel(L['admin.token'], { exact: true });
    await tokenBox.fill(ev.facilitator_token);
    await page.getByRole('button', { name: L['fac.token_submit'] }).click();
    await page.getByText(L['admin.token_not_admin']).waitFor();
    await tokenBox.fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: L['fac.token_submit'] }).click();
    await page.getByRole('heading', { name: 'Gathering 2025', level: 3 }).waitFor();
    // The token stays on this device: a reload needs no token.
    await page.reload();
    await page.getByRole('heading', { name: 'Gathering 2025', level: 3 }).waitFor();

    // A join code already used: the error is in English and names the field.
    const create = page.getByRole('form', { name: L['admin.create'] });
    await create.getByLabel(L['fac.name']).fill('Another');
    await create.getByLabel(L['fac.join_code']).fill('gather');
    await create.getByRole('button', { name: L['admin.create_button'] }).click();
    await create.getByText(L['error.conflict.join_code']).waitFor();
    assert.equal(await create.getByLabel(L['fac.name']).inputValue(), 'Another', 'what was typed stays');

    // Copy for next year: 364 days later, same weekday, same times.
    await d.ok('POST', `/events/${ev.id}/slots`, { token: ev.facilitator_token, body: { label: 'Thu 2pm', starts_at: '2025-09-18T14:00:00+02:00', ends_at: '2025-09-18T15:00:00+02:00' } });
    await page.reload();
    await page.getByRole('button', { name: fill(L['admin.copy_named'], { name: 'Gathering 2025' }) }).click();
    const copy = page.getByRole('form', { name: fill(L['admin.copy_named'], { name: 'Gathering 2025' }) });
    assert.equal(await copy.getByLabel(L['admin.copy_name']).inputValue(), 'Gathering 2026', 'the year moves on');
    await copy.getByRole('button', { name: L['admin.copy_button'] }).click();
    await page.getByRole('heading', { name: fill(L['admin.created_title'], { name: 'Gathering 2026' }) }).waitFor();
    const events = await d.ok('GET', '/events', { token: ADMIN_TOKEN });
    const copied = events.find((e) => e.name === 'Gathering 2026');
    const slots = await d.ok('GET', `/events/${copied.id}/slots`);
    assert.deepEqual(
        slots.map((s) => [s.label, s.starts_at]),
        [['Thu 2pm', '2026-09-17T12:00:00Z']],
    );

    // A new facilitator link replaces the old one.
    await page.getByRole('button', { name: fill(L['admin.new_link_named'], { name: 'Gathering 2025' }) }).click();
    await page.getByRole('heading', { name: fill(L['admin.new_link_title'], { name: 'Gathering 2025' }) }).waitFor();
    assert.equal((await d.call('GET', `/events/${ev.id}/participants`, { token: ev.facilitator_token })).status, 401, 'the old link stops working');

    // Delete, with a confirmation naming what goes.
    await page.getByRole('button', { name: fill(L['fac.delete_named'], { what: 'Gathering 2025' }) }).click();
    await until(async () => (await d.call('GET', `/events/${ev.id}`)).status === 404, 'deleted');
    assert.ok(page.confirms.some((m) => m.includes('Gathering 2025') && m.includes('cannot be undone')), 'asked first');
    await page.getByRole('heading', { name: 'Gathering 2025', level: 3 }).waitFor({ state: 'detached' });
    assert.deepEqual(page.problems.filter((p) => !/status of 40[139]/.test(p)), []);
});
