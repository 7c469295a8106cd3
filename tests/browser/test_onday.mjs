// SPDX-License-Identifier: MIT
// On the day, in French and in English (issue 12): the facilitator opens the
// marketplace of a block from the console; a topic typed in the quick entry
// (title, host, Enter) and one proposed from a phone each show on the wall
// within one poll (the wall's clock is Playwright's: exactly one poll
// interval is run, no waiting on the time of day). Closing the marketplace
// leads straight to a draft, published in one click. Then a room closes
// from the slot of a participant's session, the console allocates again and
// publishes: the participant's agenda marks the session moved (before: its
// old room) and the wall highlights the cell. The daemon's clock is before
// the day (--now), so no slot has started.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, createEvent, addSlots, addRoom, join, launchBrowser, openPage, S, fill, until, unfold, BEFORE_THE_DAY } from './lib/harness.mjs';

// The wall polls this often while the marketplace is open (web/js/wall.js).
const MARKET_POLL_MS = 1000;

let d;
let browser;

before(async () => {
    d = await startDaemon({ args: BEFORE_THE_DAY });
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

// An event in lang with a forum block of two slots on 2025-10-14, three
// rooms, and four people (one of whom proposes from her phone later).
async function setUp(lang) {
    const ev = await createEvent(d, { name: `Forum ${lang}`, locale: lang });
    await d.ok('PATCH', `/events/${ev.id}`, { token: ev.token, body: { proposals_open: true, voting_open: true } });
    const slots = await addSlots(d, ev.id, ev.token, ['09:30-10:45', '11:00-12:15']);
    const rooms = [];
    for (const [name, cap] of [
        ['Verrière', 12],
        ['Atelier', 12],
        ['Cabane', 12],
    ])
        rooms.push(await addRoom(d, ev.id, ev.token, name, cap));
    const block = await d.ok('POST', `/events/${ev.id}/blocks`, {
        token: ev.token,
        body: { name: 'Forum ouvert', kind: 'forum', slots: slots.map((s) => s.id), proposals_open: true },
    });
    const people = [];
    for (const name of ['Maëlle', 'Karim', 'Sacha', 'Inès']) people.push(Object.assign({ name }, await join(d, ev.id, name)));
    return { ev, slots, rooms, block, people };
}

for (const lang of ['fr', 'en']) {
    const L = S[lang];
    const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
    let w; // the event of this language
    let fac; // the console
    let phone; // Maëlle's phone
    let mine; // Maëlle's topic

    test(`${lang}: the marketplace wall shows a topic within one poll after it is proposed`, async () => {
        w = await setUp(lang);
        fac = await openPage(browser, { viewport: { width: 1280, height: 900 }, locale });
        await fac.goto(`${d.url}/e/${w.ev.id}/facilitate#token=${w.ev.token}`);
        await unfold(fac, [L['fac.onday']]);
        await fac.getByRole('button', { name: L['fac.market_open'], exact: true }).click();
        await fac.locator('#status').filter({ hasText: fill(L['fac.market_is_open'], { block: 'Forum ouvert' }) }).waitFor();

        // The wall, on its own clock: paused, it polls only when told.
        const wall = await openPage(browser, { viewport: { width: 1920, height: 1080 }, locale });
        const t0 = Date.parse('2025-10-14T06:00:00Z');
        await wall.clock.install({ time: t0 });
        await wall.clock.pauseAt(t0 + 60000);
        await wall.goto(`${d.url}/e/${w.ev.id}/wall`);
        const market = wall.getByRole('region', { name: new RegExp(L['wall.market_title']) });
        await market.getByText(L['wall.market_empty']).waitFor();
        await market.getByText(fill(L['wall.market_joined.other'], { n: 4 })).waitFor();
        // The join link, as a QR code drawn by the server.
        const img = market.locator('img');
        const src = await img.getAttribute('src');
        const qr = await fetch(new URL(src, d.url));
        assert.equal(qr.status, 200);
        assert.match(qr.headers.get('content-type'), /^image\/svg\+xml/);
        assert.match(await qr.text(), /<svg/);
        assert.ok((await img.getAttribute('alt')).includes(`${d.url}/e/${w.ev.id}`), 'the QR code says the link it holds');

        // The quick entry: title, host, Enter, and the next one can be typed.
        const quick = fac.getByRole('form', { name: L['fac.quick_title'] });
        await quick.getByLabel(L['fac.quick_topic'], { exact: true }).fill('Gouvernance partagée');
        await quick.getByLabel(L['fac.quick_host'], { exact: true }).fill('Jeanne');
        await fac.keyboard.press('Enter');
        await fac.locator('#status').filter({ hasText: fill(L['fac.quick_added'], { title: 'Gouvernance partagée' }) }).waitFor();
        const title = quick.getByLabel(L['fac.quick_topic'], { exact: true });
        await until(() => title.evaluate((e) => e === document.activeElement && e.value === ''), 'the title cleared, with the focus, for the next one');

        // One poll later the wall shows it, with its host and block.
        assert.equal(await market.getByText('Gouvernance partagée').count(), 0);
        await wall.clock.runFor(MARKET_POLL_MS);
        const item = market.getByRole('listitem').filter({ hasText: 'Gouvernance partagée' });
        await item.waitFor();
        await item.getByText('Jeanne · Forum ouvert').waitFor();

        // A topic from a phone, likewise.
        mine = await d.ok('POST', `/events/${w.ev.id}/topics`, { token: w.people[0].token, body: { title: 'Entraînement mental', block: w.block.id } });
        await wall.clock.runFor(MARKET_POLL_MS);
        await market.getByRole('listitem').filter({ hasText: 'Entraînement mental' }).waitFor();
        await market.getByRole('list', { name: fill(L['wall.market_count.other'], { n: 2 }) }).waitFor();
        assert.deepEqual(wall.problems, []);
        assert.deepEqual(fac.problems, []);
        await wall.context().close();
    });

    test(`${lang}: closing the marketplace leads to a draft, published in one click`, async () => {
        assert.ok(mine, 'the marketplace test ran');
        for (const [p, title] of [
            [1, 'Monnaies locales'],
            [2, 'Habitat léger'],
        ])
            await d.ok('POST', `/events/${w.ev.id}/topics`, { token: w.people[p].token, body: { title, block: w.block.id } });
        const topics = await d.ok('GET', `/events/${w.ev.id}/topics`, { token: w.ev.token });
        for (const [i, p] of w.people.entries())
            for (const [k, x] of topics.entries()) if ((i + k) % 2 === 0) await d.ok('PUT', `/events/${w.ev.id}/topics/${x.id}/vote`, { token: p.token, body: { weight: 1 + ((i + k) % 3) } });
        // Her phone shows nothing yet; it will have seen version 1.
        phone = await openPage(browser, { locale });
        await phone.goto(`${d.url}/e/${w.ev.id}#token=${w.people[0].token}`);
        await phone.getByRole('heading', { name: L['agenda.title'] }).waitFor();

        await fac.getByRole('button', { name: L['fac.market_close'], exact: true }).click();
        await fac.locator('#draft-title').waitFor();
        await fac.getByRole('button', { name: L['fac.publish'], exact: true }).click();
        await fac.locator('#status').filter({ hasText: fill(L['fac.published'], { version: 1 }) }).waitFor();
        const m = await d.ok('GET', `/events/${w.ev.id}/marketplace`);
        assert.equal(m.phase, 'closed');
        assert.deepEqual(fac.problems, []);
    });

    test(`${lang}: after a room closes and a re-run, her agenda marks her session moved and the wall highlights it`, async () => {
        const v1 = await d.ok('GET', `/events/${w.ev.id}/schedule`);
        assert.equal(v1.version, 1);
        const was = v1.sessions.find((s) => s.topic === mine.id);
        assert.ok(was, 'her topic is in version 1');
        const room = w.rooms.find((r) => r.id === was.room);
        // Her phone shows version 1 (and notes it as seen).
        await phone.reload();
        const agenda = phone.getByRole('region', { name: L['agenda.title'] });
        await agenda.getByText('Entraînement mental').waitFor();

        // The room of her session closes from its slot on.
        await fac.locator('#op-close-room').selectOption(room.id);
        await fac.locator('#op-close-from').selectOption(was.slot);
        await fac.getByRole('button', { name: L['fac.op_close_button'], exact: true }).click();
        await fac.locator('#status').filter({ hasText: room.name }).waitFor();
        await fac.locator('#alloc-time').fill('500');
        await fac.getByRole('button', { name: L['fac.allocate'], exact: true }).click();
        await fac.locator('.draft-changes').getByText('Entraînement mental').waitFor();
        await fac.getByRole('button', { name: L['fac.publish'], exact: true }).click();
        await fac.locator('#status').filter({ hasText: fill(L['fac.published'], { version: 2 }) }).waitFor();
        const v2 = await d.ok('GET', `/events/${w.ev.id}/schedule`);
        const now = v2.sessions.find((s) => s.topic === mine.id);
        assert.notEqual(now.room, room.id, 'her session left the closed room');
        const to = w.rooms.find((r) => r.id === now.room);

        // The next time she opens the app: moved, with where it was.
        await phone.reload();
        const item = agenda.getByRole('listitem').filter({ hasText: 'Entraînement mental' });
        await item.getByText(L['agenda.change_moved'], { exact: true }).waitFor();
        await item.getByText(fill(L['agenda.room'], { room: to.name })).waitFor();
        assert.ok((await item.locator('.was').textContent()).includes(room.name), 'before: the old room');
        assert.match(await agenda.locator('.agenda-changed').textContent(), /version 2/);

        // The wall (its clock before the first slot) marks the cell.
        const wall = await openPage(browser, { viewport: { width: 1920, height: 1080 }, locale });
        await wall.clock.install({ time: new Date('2025-10-14T07:00:00Z') });
        await wall.goto(`${d.url}/e/${w.ev.id}/wall`);
        const cell = wall.getByRole('table').getByRole('cell').filter({ hasText: 'Entraînement mental' });
        await cell.getByText(L['wall.change_moved'], { exact: true }).waitFor();
        assert.match(await cell.getAttribute('class'), /\bchanged\b/);
        assert.deepEqual(wall.problems, []);
        assert.deepEqual(phone.problems, []);
        assert.deepEqual(fac.problems, []);
        await Promise.all([wall.context().close(), phone.context().close(), fac.context().close()]);
    });
}
