// SPDX-License-Identifier: MIT
// Accessibility and fit: every control has a label; joining and voting
// work with the keyboard alone, with a visible focus and announcements in
// an aria-live region; the participant page fits 320 px without sideways
// scrolling; the wall fits ten rooms by four slots on a TV and on a small
// laptop without scrolling, every text at a contrast of 7:1 or more; the
// facilitator's token form says what is wrong next to the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, seedEvent, launchBrowser, openPage, S, fill, until, unfold, roomForm } from './lib/harness.mjs';
import { runAxe, describe } from './lib/axe.mjs';

const L = S.fr;
let d;
let browser;
let ev;
let big;
let huge;

before(async () => {
    d = await startDaemon();
    ev = await seedEvent(d, {
        people: [
            { name: 'Quentin', title: 'Analyse institutionnelle : une introduction pratique pour les coopératives', theme: 'co-accompagnement', description: 'Un atelier pour découvrir la méthode.' },
            { name: 'Rose', title: 'Vendre de façon différente', theme: 'le commercial' },
        ],
        votes: [[0, 1, 2]],
    });
    // Ten rooms, four slots, a topic in every cell with long titles.
    const rooms = Array.from({ length: 10 }, (_, i) => [`Salle ${String.fromCharCode(65 + i)} — rez-de-chaussée`, 30]);
    rooms[3][0] = 'Atelier de la Manufacture coopérative (premier étage, sans ascenseur, au fond de la cour)';
    const people = Array.from({ length: 40 }, (_, i) => ({
        name: `Personne ${i + 1}`,
        title: `Sujet ${i + 1} : comment travailler sur le rapport à l’argent en coopérative`,
        theme: ['le commercial', 'faire avec moins', 'les crises / anticiper', 'coopération'][i % 4],
    }));
    big = await seedEvent(d, { slots: ['09:00-10:00', '10:15-11:15', '11:30-12:30', '14:00-15:00'], rooms, people, publish: true });
    // Eighteen rooms: more than a screen holds.
    const many = Array.from({ length: 18 }, (_, i) => [`Salle ${i + 1}`, 10]);
    huge = await seedEvent(d, { slots: ['09:00-10:00', '10:15-11:15'], rooms: many, people: [{ name: 'Wanda', title: 'Un seul sujet' }, { name: 'Xavier' }], votes: [[1, 0, 1]], publish: true });
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

// Controls without an accessible name, by axe-core's naming rules (they
// replaced a hand-written check of labels, aria-label and button text).
async function unlabelled(page) {
    const res = await runAxe(page, { type: 'rule', values: ['label', 'button-name', 'select-name', 'input-button-name', 'aria-input-field-name'] });
    return describe(res.violations);
}

test('joining and voting with the keyboard alone, announced politely', async () => {
    const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
    await page.goto(`${d.url}/e/${ev.id}`);
    await page.getByLabel(L['join.name']).waitFor();
    // Tab from the top of the page until the name field has the focus.
    await until(async () => {
        await page.keyboard.press('Tab');
        return page.evaluate(() => document.activeElement && document.activeElement.id === 'join-name');
    }, 'focus on the name field');
    await page.keyboard.type('Sacha');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Sacha' }) }).waitFor();
    // The focus lands on the greeting, so a screen reader says where one is.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'me-title');

    const card = page.getByRole('article', { name: 'Vendre de façon différente' });
    await card.getByRole('radio', { name: L['vote.none'] }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await until(async () => card.getByRole('radio', { name: L['vote.w2'] }).isChecked(), 'arrow keys choose');
    await page.getByRole('status').getByText(fill(L['vote.saved'], { title: 'Vendre de façon différente', choice: L['vote.w2'] })).waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('status').getAttribute('aria-live'), 'polite');
    // The focus stays on the radio across the re-render, and it shows.
    const outline = await page.evaluate(() => {
        const el = document.activeElement;
        return { type: el.type, checked: el.checked, outline: getComputedStyle(el.closest('label')).outlineStyle };
    });
    assert.deepEqual(outline, { type: 'radio', checked: true, outline: 'solid' });
    assert.deepEqual(await unlabelled(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

// Arrow keys run through the choices faster than answers come back (slow
// venue Wi-Fi): the first save is held back while two more choices are
// made. One save at a time, the last choice saved and announced last (two
// saves in flight once left "curieux·se" announced after "intéressé·e").
test('choices made while a vote is saving: the last one is saved, and announced', async () => {
    const me = await d.ok('POST', `/events/${ev.id}/participants`, { body: { name: 'Yuna' } });
    const page = await openPage(browser, { viewport: { width: 390, height: 844 } });
    let release;
    const held = new Promise((resolve) => (release = resolve));
    const sent = [];
    let inFlight = 0;
    let most = 0;
    await page.route('**/vote', async (route) => {
        const first = sent.length === 0;
        sent.push(route.request().postDataJSON().weight);
        inFlight++;
        most = Math.max(most, inFlight);
        if (first) await held;
        const res = await route.fetch();
        inFlight--;
        await route.fulfill({ response: res });
    });
    await page.goto(`${d.url}/e/${ev.id}#token=${me.token}`);
    const card = page.getByRole('article', { name: 'Vendre de façon différente' });
    await card.getByRole('radio', { name: L['vote.none'] }).focus();
    await page.keyboard.press('ArrowRight');
    await until(async () => sent.length === 1, 'the first choice on its way');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isChecked(), 'the page shows the last choice at once');
    release();
    await page.getByRole('status').getByText(fill(L['vote.saved'], { title: 'Vendre de façon différente', choice: L['vote.w3'] })).waitFor({ state: 'attached' });
    const votes = await d.ok('GET', `/events/${ev.id}/me/votes`, { token: me.token });
    assert.deepEqual(votes.map((v) => v.weight), [3], 'the last choice is the one saved');
    assert.deepEqual(sent, [1, 3], 'the choice in between is never sent');
    assert.equal(most, 1, 'one save at a time');
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isChecked());
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the participant page fits 320 px without sideways scrolling', async () => {
    const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[0].token}`);
    await page.getByRole('article', { name: 'Vendre de façon différente' }).waitFor();
    await page.getByText(L['topic.propose']).click();
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `scrollWidth ${widths.scroll} > ${widths.client}`);
    assert.deepEqual(await unlabelled(page), []);
    await page.context().close();
});

test('the facilitator page labels every control and explains a wrong token', async () => {
    const page = await openPage(browser, { viewport: { width: 390, height: 844 } });
    page.allowConsole = page.allowConsole.concat([/status of 40[13]/]);
    await page.goto(`${d.url}/e/${ev.id}/facilitate`);
    await page.getByLabel(L['fac.token'], { exact: true }).fill('not-a-token');
    await page.getByRole('button', { name: L['fac.token_submit'] }).click();
    await page.getByText(L['fac.token_unknown']).waitFor();
    assert.equal(await page.getByLabel(L['fac.token'], { exact: true }).getAttribute('aria-invalid'), 'true');
    // A participant's token is known but has no right here.
    await page.getByLabel(L['fac.token'], { exact: true }).fill(ev.people[0].token);
    await page.getByRole('button', { name: L['fac.token_submit'] }).click();
    await page.getByText(L['fac.token_wrong_event']).waitFor();
    await page.getByLabel(L['fac.token'], { exact: true }).fill(ev.token);
    await page.getByRole('button', { name: L['fac.token_submit'] }).click();
    await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    assert.deepEqual(await unlabelled(page), []);
    // Saving a room from the keyboard keeps the focus on its Save button
    // through the re-renders (it is disabled while the request runs).
    // Every section open: every control labelled.
    await unfold(page);
    assert.deepEqual(await unlabelled(page), []);
    const room = await roomForm(page, L, 'Verrière');
    await room.getByLabel(L['fac.capacity']).fill('21');
    await room.getByRole('button', { name: L['fac.save'], exact: true }).focus();
    await page.keyboard.press('Enter');
    await until(async () => (await d.ok('GET', `/events/${ev.id}/rooms`)).find((r) => r.name === 'Verrière').capacity === 21, 'saved');
    await until(async () => (await page.evaluate(() => document.activeElement.id)) === `room-${ev.rooms[0].id}-save`, 'focus kept on Save');
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `facilitator page scrollWidth ${widths.scroll} > ${widths.client}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

// WCAG relative luminance and contrast of two "rgb(r, g, b)" colours.
function contrast(a, b) {
    const lum = (c) => {
        const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
            const x = v / 255;
            return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}

for (const [w, hgt] of [
    [1920, 1080],
    [1280, 720],
]) {
    test(`the wall fits 10 rooms x 4 slots at ${w}x${hgt} without scrolling, at 7:1 contrast`, async () => {
        const page = await openPage(browser, { viewport: { width: w, height: hgt } });
        await page.clock.install({ time: new Date('2025-10-14T08:30:00Z') });
        await page.goto(`${d.url}/e/${big.id}/wall`);
        const grid = page.getByRole('table');
        await grid.waitFor();
        assert.equal(await grid.getByRole('row').count(), 11);
        assert.equal(await grid.getByRole('columnheader').count(), 5);
        const fit = await page.evaluate(() => ({
            sw: document.documentElement.scrollWidth,
            sh: document.documentElement.scrollHeight,
            iw: innerWidth,
            ih: innerHeight,
            outside: [...document.querySelectorAll('td, th')].filter((el) => {
                const r = el.getBoundingClientRect();
                return r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5 || r.height < 1;
            }).length,
        }));
        assert.ok(fit.sw <= fit.iw && fit.sh <= fit.ih, `page scrolls: ${JSON.stringify(fit)}`);
        assert.equal(fit.outside, 0, 'every cell is on screen');
        const pairs = await page.evaluate(() => {
            const bg = (el) => {
                for (let e = el; e; e = e.parentElement) {
                    const c = getComputedStyle(e).backgroundColor;
                    if (c && !/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
                }
                return 'rgb(255, 255, 255)';
            };
            return [...document.querySelectorAll('main *')]
                .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
                .map((el) => ({ text: el.textContent.slice(0, 30), fg: getComputedStyle(el).color, bg: bg(el), size: parseFloat(getComputedStyle(el).fontSize) }));
        });
        assert.ok(pairs.length > 40);
        for (const p of pairs) assert.ok(contrast(p.fg, p.bg) >= 7, `${p.text}: ${p.fg} on ${p.bg} = ${contrast(p.fg, p.bg).toFixed(2)}`);
        // Titles stay big enough to read across a room.
        const title = pairs.find((p) => p.text.startsWith('Sujet'));
        assert.ok(title.size >= (hgt >= 1080 ? 20 : 13), `title font ${title.size}px`);
        assert.deepEqual(page.problems, []);
        await page.context().close();
    });
}

test('a wall with more rooms than a screen holds shows them page by page', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    await page.clock.install({ time: new Date('2025-10-14T07:30:00Z') });
    await page.goto(`${d.url}/e/${huge.id}/wall`);
    const grid = page.getByRole('table');
    await grid.getByRole('rowheader', { name: 'Salle 1', exact: true }).waitFor();
    // 18 rooms in two pages of 9, each page fits the screen.
    assert.equal(await grid.getByRole('row').count(), 10);
    await grid.getByText(fill(L['wall.page'], { page: 1, pages: 2 })).waitFor();
    assert.equal(await grid.getByRole('rowheader', { name: 'Salle 10', exact: true }).count(), 0);
    await page.clock.fastForward(15000);
    await grid.getByRole('rowheader', { name: 'Salle 10', exact: true }).waitFor();
    await grid.getByText(fill(L['wall.page'], { page: 2, pages: 2 })).waitFor();
    const fit = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight);
    assert.ok(fit, 'no scrolling');
    assert.deepEqual(page.problems, []);
    await page.context().close();
});
