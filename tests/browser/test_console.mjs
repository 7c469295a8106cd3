// SPDX-License-Identifier: MIT
// What a new facilitator ran into (issue 15), in French and in English: the
// console folds into sections with summary lines (and the rooms are a
// compact table), a refused save keeps what was typed and says in the
// page's language what to change, server errors are translated from their
// code and field, limits are counted in characters with a visible counter,
// join codes work in any case, the participant page before publication, and
// vote counts that follow one's own vote at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, launchBrowser, openPage, S, fill, until, seedEvent, join, unfold } from './lib/harness.mjs';

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

const LOCALES = { fr: 'fr-FR', en: 'en-GB' };

for (const lang of ['fr', 'en']) {
    const L = S[lang];

    test(`${lang}: the console folds, with a summary line per section and rooms as a table`, async () => {
        const ev = await seedEvent(d, {
            event: { name: `Pliage ${lang}`, join_code: `PLI-${lang}` },
            slots: ['09:00-10:00', '10:15-11:15', '14:00-15:00', '15:15-16:15'],
            rooms: [['Verrière', 30], ['Atelier', 12], ['Bibliothèque', 10], ['Cour', 40], ['Visio', 50, ['online']]],
            people: [{ name: 'Awa', title: 'Coopérer' }, { name: 'Bastien', title: 'Le prix juste' }],
        });
        const page = await openPage(browser, { locale: LOCALES[lang] });
        await page.goto(`${d.url}/e/${ev.id}/facilitate#token=${ev.token}`);
        // A ready event opens only its allocation; the rest shows a summary.
        for (const [title, expanded] of [
            [L['fac.settings'], false],
            [L['fac.day'], false],
            [L['fac.rooms'], false],
            [L['fac.people'], false],
            [L['fac.topics'], false],
            [L['fac.allocation'], true],
        ])
            await page.getByRole('heading', { level: 2 }).getByRole('button', { name: title, exact: true, expanded }).waitFor();
        await page.getByText(fill(L['fac.rooms_summary.other'], { n: 5, seats: 142 })).waitFor();
        await page.getByText(fill(L['fac.people_summary.other'], { n: 2, votes: 0 })).waitFor();
        const folded = await page.evaluate(() => document.documentElement.scrollHeight);
        assert.ok(folded < 2600, `the folded console on a phone is ${folded} px high`);
        // The five rooms are a table, with the availability as a slot grid.
        await unfold(page, [L['fac.rooms']]);
        const table = page.getByRole('table', { name: L['fac.rooms'] });
        await table.waitFor();
        assert.equal(await table.getByRole('row').count(), 6, 'a header and five rooms');
        const box = await page.locator('#rooms').boundingBox();
        assert.ok(box.height < 1500, `the rooms section is ${box.height} px high for five rooms`);
        // One click makes Verrière unavailable in the first slot.
        await table.getByRole('checkbox', { name: fill(L['fac.room_available_in'], { room: 'Verrière', slot: 'Créneau 1' }) }).uncheck();
        await until(async () => (await d.ok('GET', `/events/${ev.id}/rooms`)).find((r) => r.name === 'Verrière').unavailable.length === 1, 'saved');
        // Folding is remembered on this device.
        await page.reload();
        await page.getByRole('heading', { level: 2 }).getByRole('button', { name: L['fac.rooms'], exact: true, expanded: true }).waitFor();
        assert.deepEqual(page.problems, []);
        await page.context().close();
    });

    test(`${lang}: a refused save keeps what was typed, and errors are in the page's language`, async () => {
        const other = await seedEvent(d, { event: { name: `Autre ${lang}`, join_code: `TAKEN-${lang}` } });
        const ev = await seedEvent(d, {
            event: { name: `Réglages ${lang}` },
            people: [{ name: 'Awa', title: 'Coopérer' }, { name: 'Bastien', title: 'Le prix juste' }],
        });
        const page = await openPage(browser, { locale: LOCALES[lang] });
        page.allowConsole = page.allowConsole.concat([/status of 409/]);
        // Without a token, the token page says which event it is for.
        await page.goto(`${d.url}/e/${ev.id}/facilitate`);
        await page.getByText(fill(L['fac.token_for'], { name: `Réglages ${lang}` })).waitFor();
        await page.getByLabel(L['fac.token'], { exact: true }).fill(ev.token);
        await page.getByRole('button', { name: L['fac.token_submit'] }).click();
        await unfold(page, [L['fac.settings']]);
        const settings = page.getByRole('form', { name: L['fac.settings'] });
        // A code another event uses (in another case), a budget, a checkbox.
        await settings.getByLabel(L['fac.join_code']).fill(`taken-${lang}`);
        await settings.getByLabel(L['fac.vote_budget'], { exact: true }).fill('7');
        await settings.getByLabel(L['fac.show_tallies']).check();
        await settings.getByRole('button', { name: L['fac.save_settings'] }).click();
        await settings.getByText(L['error.conflict.join_code']).waitFor();
        assert.equal(await settings.getByLabel(L['fac.join_code']).inputValue(), `taken-${lang}`, 'the code stays as typed');
        assert.equal(await settings.getByLabel(L['fac.vote_budget'], { exact: true }).inputValue(), '7', 'the budget stays');
        assert.equal(await settings.getByLabel(L['fac.show_tallies']).isChecked(), true, 'the checkbox stays');
        await page.getByText(L['fac.unsaved']).waitFor();
        assert.equal((await d.ok('GET', `/events/${ev.id}`)).vote_budget, 0, 'nothing saved');
        // Fixed, saved: the note goes.
        await settings.getByLabel(L['fac.join_code']).fill(`OK-${lang}`);
        await settings.getByRole('button', { name: L['fac.save_settings'] }).click();
        await until(async () => (await d.ok('GET', `/events/${ev.id}`)).vote_budget === 7, 'saved');
        await page.getByText(L['fac.unsaved']).waitFor({ state: 'detached' });
        // A lock refused by the server ("another topic is locked ..."): the
        // text comes from the code and field, never the English message.
        const slot = ev.slots[0];
        await d.ok('PATCH', `/events/${ev.id}/topics/${ev.topics[0].id}`, { token: ev.token, body: { fixed: { room: ev.rooms[0].id, slot: slot.id } } });
        await unfold(page, [L['fac.topics']]);
        const lock = page.getByRole('form', { name: fill(L['fac.lock_named'], { title: 'Le prix juste' }) });
        await lock.getByLabel(L['fac.lock_room']).selectOption({ label: 'Verrière' });
        await lock.getByLabel(L['fac.lock_slot']).selectOption(slot.id);
        await lock.getByRole('button', { name: fill(L['fac.lock_named'], { title: 'Le prix juste' }) }).click();
        await page.getByText(L['error.conflict.fixed']).first().waitFor();
        assert.equal(await page.getByText('another topic is locked').count(), 0, 'no English server message');
        // A slot over another one is named in the page's language.
        await unfold(page, [L['fac.day']]);
        const add = page.getByRole('form', { name: L['fac.slot_add'] });
        await add.getByLabel(L['fac.starts_at']).fill('2025-10-14T10:00');
        await add.getByLabel(L['fac.ends_at']).fill('2025-10-14T11:30');
        await add.getByRole('button', { name: L['fac.slot_add_button'] }).click();
        await add.getByText(fill(L['error.overlap_named'], { slot: 'Créneau 1' })).waitFor();
        assert.equal((await d.ok('GET', `/events/${ev.id}/slots`)).length, 2, 'no slot added');
        // The time limit's field takes the API's range.
        await unfold(page, [L['fac.allocation']]);
        assert.equal(await page.getByLabel(L['fac.time_limit']).getAttribute('max'), '30000');
        assert.ok(other.id);
        assert.deepEqual(page.problems, []);
        await page.context().close();
    });

    test(`${lang}: limits in characters with a counter, join codes in any case, before publication, fresh tallies`, async () => {
        const ev = await seedEvent(d, {
            event: { name: `Participant ${lang}`, join_code: `Code-${lang}`, show_tallies: true },
            people: [{ name: 'Awa', title: 'Coopérer' }],
        });
        await d.ok('PATCH', `/events/${ev.id}`, { token: ev.token, body: { show_tallies: true } });
        const page = await openPage(browser, { locale: LOCALES[lang] });
        await page.goto(`${d.url}/e/${ev.id}`);
        // The code typed in small letters joins.
        await page.getByLabel(L['join.name']).fill('Chloé');
        await page.getByLabel(L['join.code']).fill(`code-${lang}`.toLowerCase());
        await page.getByRole('button', { name: L['join.submit'] }).click();
        await page.getByRole('heading', { name: fill(L['me.hello'] || 'x', { name: 'Chloé' }) }).waitFor();
        // Nothing published yet: said so, and no calendar link.
        await page.getByText(L['agenda.not_published']).waitFor();
        assert.equal(await page.getByText(L['agenda.empty']).count(), 0);
        assert.equal(await page.getByRole('link', { name: L['agenda.download_all'] }).count(), 0, 'no .ics link before publication');
        // 200 "é" fit; 201 do not, and the counter says so before anything is sent.
        await page.getByText(L['topic.propose']).click();
        const title = page.getByLabel(L['topic.title'], { exact: true });
        await title.fill('é'.repeat(201));
        await page.getByText(fill(L['form.counter'], { n: 201, max: 200 })).waitFor();
        await page.getByRole('button', { name: L['topic.submit'] }).click();
        await page.getByText(fill(L['error.too_long_max'], { max: 200 })).waitFor();
        assert.equal(await title.inputValue(), 'é'.repeat(201), 'nothing cut');
        assert.equal((await d.ok('GET', `/events/${ev.id}/topics`)).length, 1, 'nothing sent');
        await title.fill('é'.repeat(200));
        await page.getByRole('button', { name: L['topic.submit'] }).click();
        await until(async () => (await d.ok('GET', `/events/${ev.id}/topics`)).length === 2, 'a title of 200 é');
        // One's own vote shows in the tally at once.
        const card = page.getByRole('article', { name: 'Coopérer', exact: true });
        await card.getByText(L['vote.w3']).click();
        await card.getByText(fill(L['topic.votes.one'], { n: 1 })).waitFor({ timeout: 5000 });
        // Published: the agenda and its links appear without a reload.
        const a = await d.ok('POST', `/events/${ev.id}/allocation`, { token: ev.token, body: { time_limit_ms: 200 } });
        await d.ok('POST', `/events/${ev.id}/schedule/publish`, { token: ev.token, body: { allocation: a.id } });
        await page.reload();
        await page.getByRole('link', { name: L['agenda.download_all'] }).waitFor();
        assert.match(await page.getByRole('link', { name: L['agenda.subscribe'] }).getAttribute('href'), /^webcal:\/\/127\.0\.0\.1:\d+\/api\/v1\/events\/.+\/agenda\/[0-9a-f]{32}\.ics$/);
        assert.deepEqual(page.problems, []);
        await page.context().close();
    });
}

// The console of a new event with one slot, opened in French with these
// sections unfolded, and one request of it held back (slow venue Wi-Fi):
// release() lets it go; seen() says it has left the page.
async function slowConsole(name, code, sections, url, method) {
    const ev = await seedEvent(d, { event: { name, join_code: code }, slots: ['09:00-10:00'] });
    const page = await openPage(browser, { locale: LOCALES.fr });
    await page.goto(`${d.url}/e/${ev.id}/facilitate#token=${ev.token}`);
    await unfold(page, sections);
    let release;
    const held = new Promise((resolve) => (release = resolve));
    let seen = false;
    await page.route(url(ev), async (route) => {
        if (route.request().method() !== method) return route.continue();
        seen = true;
        await held;
        await route.continue();
    });
    return { ev, page, release, seen: async () => seen };
}

// A save that lands while the facilitator fills another form (slow venue
// Wi-Fi) re-renders the console: what was typed there stays, and is added.
test('fr: what is typed in one form survives a save of another that lands meanwhile', async () => {
    const L = S.fr;
    const { ev, page, release, seen } = await slowConsole('Wi-Fi lent', 'LENT-1', [L['fac.settings'], L['fac.day']], (e) => `**/events/${e.id}`, 'PATCH');
    await page.getByRole('form', { name: L['fac.settings'] }).getByRole('button', { name: L['fac.save_settings'] }).click();
    await until(seen, 'the settings save is on its way');
    const form = page.getByRole('form', { name: L['fac.slot_add'] });
    await form.getByLabel(L['fac.slot_label']).fill('Après la pause');
    await form.getByLabel(L['fac.starts_at']).fill('2025-10-14T10:15');
    await form.getByLabel(L['fac.ends_at']).fill('2025-10-14T11:15');
    release();
    await until(async () => !(await page.locator('#set-save').isDisabled()), 'the settings save is done');
    assert.equal(await form.getByLabel(L['fac.slot_label']).inputValue(), 'Après la pause');
    assert.equal(await form.getByLabel(L['fac.starts_at']).inputValue(), '2025-10-14T10:15');
    assert.equal(await form.getByLabel(L['fac.ends_at']).inputValue(), '2025-10-14T11:15');
    await form.getByRole('button', { name: L['fac.slot_add_button'] }).click();
    await page.getByRole('form', { name: fill(L['fac.slot_named'], { slot: 'Après la pause' }) }).waitFor();
    assert.equal((await d.ok('GET', `/events/${ev.id}/slots`)).length, 2);
    assert.equal(await form.getByLabel(L['fac.slot_label']).inputValue(), '', 'the added slot clears the form');
    assert.deepEqual(page.problems, []);
    await page.close();
});

// The same, with the caret: a slot added on slow Wi-Fi lands while the
// facilitator has gone on to type a room's name. The slot form empties for
// the next entry, but the caret stays in the room's name, where the rest of
// the typing goes (browser.admin once lost a room this way, typed into the
// slot's label).
test('fr: a save that lands meanwhile leaves the caret in the field being typed', async () => {
    const L = S.fr;
    const { ev, page, release, seen } = await slowConsole('Wi-Fi lent 2', 'LENT-2', [L['fac.day'], L['fac.rooms']], (e) => `**/events/${e.id}/slots`, 'POST');
    const slot = page.getByRole('form', { name: L['fac.slot_add'] });
    await slot.getByLabel(L['fac.starts_at']).fill('2025-10-14T10:15');
    await slot.getByLabel(L['fac.ends_at']).fill('2025-10-14T11:15');
    await slot.getByRole('button', { name: L['fac.slot_add_button'] }).click();
    await until(seen, 'the slot is on its way');
    const room = page.getByRole('form', { name: L['fac.room_add'] });
    await room.getByLabel(L['fac.room_name']).click();
    await page.keyboard.type('Grande');
    release();
    await until(async () => (await d.ok('GET', `/events/${ev.id}/slots`)).length === 2, 'the slot added');
    await until(async () => !(await page.locator('#slot-new-add').isDisabled()), 'the page has the answer');
    await page.keyboard.type(' salle');
    assert.equal(await room.getByLabel(L['fac.room_name']).inputValue(), 'Grande salle');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'room-new-name');
    assert.equal(await slot.getByLabel(L['fac.slot_label']).inputValue(), '', 'nothing typed into the slot form');
    assert.deepEqual(page.problems, []);
    await page.close();
});
