// SPDX-License-Identifier: MIT
// axe-core on every page: no serious or critical violation of the WCAG
// 2.0, 2.1 and 2.2 rules of levels A and AA, on a phone (390x844) and a
// TV (1920x1080), in French and in English. The pages and their states
// are one table, PAGES: a new page is one more line (docs/web.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, seedEvent, launchBrowser, openPage, S, fill, ADMIN_TOKEN, BEFORE_THE_DAY, unfold as unfoldPanels } from './lib/harness.mjs';
import { runAxe, describe, BLOCKING } from './lib/axe.mjs';

const SIZES = [
    [390, 844],
    [1920, 1080],
];
const LANGS = ['fr', 'en'];

// Opens every <details> (folded sections count too).
async function unfold(page) {
    await page.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
    });
}

// name: shown in the summary. path(ev): the page and its fragment (the
// language goes in the query). ready(page, L): what shows once the page is
// drawn. prepare(page, L, ev): puts the page in the state to check.
// offline: the page is reloaded offline (the service worker's copy).
const PAGES = [
    { name: 'home (join an event)', path: () => '/', ready: (p, L) => p.getByRole('heading', { level: 1 }) },
    { name: 'participant, not registered', path: (ev) => `/e/${ev.id}`, ready: (p, L) => p.getByLabel(L['join.name']), prepare: unfold },
    {
        name: 'participant, registered',
        path: (ev) => `/e/${ev.id}#token=${ev.people[0].token}`,
        ready: (p, L) => p.getByRole('heading', { name: fill(L['me.hello'], { name: 'Quentin' }) }),
        prepare: unfold,
    },
    {
        name: 'participant, registered, offline',
        path: (ev) => `/e/${ev.id}#token=${ev.people[0].token}`,
        ready: (p, L) => p.getByRole('heading', { name: fill(L['me.hello'], { name: 'Quentin' }) }),
        offline: true,
        prepare: async (page) => {
            await page.locator('#offline-mark').waitFor();
            await unfold(page);
        },
    },
    {
        name: 'facilitator console',
        path: (ev) => `/e/${ev.id}/facilitate#token=${ev.token}`,
        ready: (p, L) => p.getByRole('heading', { name: L['fac.settings'] }),
        prepare: async (page, L, ev) => {
            // The draft shown, with its grid and what changes against the published version.
            await page.getByRole('button', { name: fill(L['fac.show_named'], { id: ev.allocation.id }) }).click();
            await page.locator('#draft-title').waitFor();
            // Every section of the console unfolded (they fold, issue 15).
            await unfoldPanels(page);
            await unfold(page);
        },
    },
    {
        name: 'facilitator console, folded',
        path: (ev) => `/e/${ev.id}/facilitate#token=${ev.token}`,
        ready: (p, L) => p.getByRole('heading', { name: L['fac.settings'] }),
    },
    { name: 'admin', path: () => `/admin#token=${ADMIN_TOKEN}`, ready: (p, L) => p.getByRole('heading', { name: L['admin.create'] }) },
    { name: 'wall', path: (ev) => `/e/${ev.id}/wall`, ready: (p) => p.getByRole('table'), clock: '2025-10-14T08:00:00Z' },
    {
        name: 'session notes, read',
        path: (ev) => `/e/${ev.id}/notes/${ev.topics[0].id}#token=${ev.people[1].token}`,
        ready: (p, L) => p.getByRole('heading', { name: L['notes.key_points'] }),
        prepare: unfold,
    },
    {
        name: 'session notes, written',
        path: (ev) => `/e/${ev.id}/notes/${ev.topics[0].id}#token=${ev.people[1].token}`,
        ready: (p, L) => p.getByRole('button', { name: L['notes.edit'] }),
        prepare: async (page, L) => {
            await page.getByRole('button', { name: L['notes.edit'] }).click();
            await page.getByLabel(L['notes.key_points']).fill('## Idées\n\n- une\n- deux');
            await page.locator('#save-status.saved').waitFor();
            await unfold(page);
        },
    },
    {
        name: 'proceedings',
        path: (ev) => `/e/${ev.id}/proceedings#token=${ev.people[1].token}`,
        ready: (p, L) => p.getByRole('heading', { name: L['proceedings.contents'] }),
    },
    { name: 'door sheets', path: (ev) => `/e/${ev.id}/print/doors`, ready: (p, L) => p.getByRole('region', { name: 'Verrière' }) },
    { name: 'poster', path: (ev) => `/e/${ev.id}/print/poster`, ready: (p) => p.getByRole('table') },
    { name: 'join flyer', path: (ev) => `/e/${ev.id}/print/flyer#token=${ev.token}`, ready: (p) => p.locator('.flyer img') },
    // On the day (issue 12): the marketplace on the wall (topics arriving,
    // the join QR code), and an agenda marking what a re-run moved.
    { name: 'wall, marketplace', path: () => `/e/${market.id}/wall`, ready: (p, L) => p.getByText(L['wall.market_title']) },
    {
        name: 'participant, what changed marked',
        path: () => `/e/${day.id}#token=${day.people[0].token}`,
        ready: (p, L) => p.getByRole('heading', { name: L['agenda.title'] }),
        prepare: async (page) => {
            // This device last showed version 1; version 2 moved her session.
            await page.evaluate((k) => localStorage.setItem(k, '1'), `forumd.seen.${day.id}.${day.people[0].id}`);
            await page.reload();
            await page.locator('.agenda-changed').waitFor();
            await unfold(page);
        },
    },
];

let d;
let browser;
let ev;
let market; // an event whose marketplace is open
let day; // an event published twice, a room closed in between

// A published event where Quentin's session moves: its room closes from its
// slot on, the day is allocated again and version 2 published.
async function movedDay() {
    const e = await seedEvent(d, {
        event: { name: 'Jour' },
        rooms: [
            ['Verrière', 20],
            ['Atelier', 12],
            ['Cabane', 12],
        ],
        people: [
            { name: 'Quentin', title: 'Analyse institutionnelle', theme: 'co-accompagnement' },
            { name: 'Rose', title: 'Vendre autrement', theme: 'le commercial' },
        ],
        votes: [[1, 0, 2]],
        publish: true,
    });
    const v1 = await d.ok('GET', `/events/${e.id}/schedule`);
    const s = v1.sessions.find((x) => x.topic === e.topics[0].id);
    await d.ok('POST', `/events/${e.id}/changes/close_room`, { token: e.token, body: { room: s.room, from: s.slot } });
    const a = await d.ok('POST', `/events/${e.id}/allocation`, { token: e.token, body: { time_limit_ms: 300 } });
    await d.ok('POST', `/events/${e.id}/schedule/publish`, { token: e.token, body: { allocation: a.id } });
    return e;
}

// An event whose forum's marketplace is open, with two topics in.
async function openMarket() {
    const e = await seedEvent(d, { event: { name: 'Marché', join_code: 'MARCHE' }, people: [{ name: 'Ada' }, { name: 'Bo' }] });
    const block = await d.ok('POST', `/events/${e.id}/blocks`, { token: e.token, body: { name: 'Forum ouvert', kind: 'forum', slots: e.slots.map((x) => x.id) } });
    await d.ok('PUT', `/events/${e.id}/marketplace`, { token: e.token, body: { phase: 'proposals', block: block.id } });
    await d.ok('POST', `/events/${e.id}/topics`, { token: e.token, body: { title: 'Gouvernance partagée', host_name: 'Jeanne', block: block.id } });
    await d.ok('POST', `/events/${e.id}/topics`, { token: e.people[0].token, body: { title: 'Monnaies locales', block: block.id } });
    return e;
}

before(async () => {
    // Before the day (--now), so that a re-run after a publication may move
    // sessions (no slot has started).
    d = await startDaemon({ args: BEFORE_THE_DAY });
    ev = await seedEvent(d, {
        event: { vote_budget: 6 },
        people: [
            { name: 'Quentin', title: 'Analyse institutionnelle : une introduction', theme: 'co-accompagnement', description: 'Un atelier pour découvrir la méthode.' },
            { name: 'Rose', title: 'Vendre de façon différente', theme: 'le commercial' },
            { name: 'Sam', title: 'Faire avec moins', theme: 'sobriété' },
            { name: 'Tom' },
        ],
        votes: [
            [0, 1, 2],
            [1, 0, 3],
            [3, 2, 1],
        ],
        publish: true,
    });
    day = await movedDay();
    market = await openMarket();
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

function url(path, lang) {
    const [base, hash] = path.split('#');
    return `${d.url}${base}${base.includes('?') ? '&' : '?'}lang=${lang}${hash ? `#${hash}` : ''}`;
}

const summary = [];

for (const pg of PAGES) {
    for (const [w, hgt] of SIZES) {
        for (const lang of LANGS) {
            const label = `${pg.name}, ${w}x${hgt}, ${lang}`;
            test(`axe: ${label}`, async () => {
                const L = S[lang];
                const page = await openPage(browser, { viewport: { width: w, height: hgt }, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
                if (pg.offline) page.allowConsole = page.allowConsole.concat([/ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Failed to fetch/]);
                if (pg.clock) await page.clock.install({ time: new Date(pg.clock) });
                await page.goto(url(pg.path(ev), lang));
                await pg.ready(page, L).first().waitFor();
                if (pg.offline) {
                    await page.evaluate(() => navigator.serviceWorker.ready);
                    await page.reload();
                    await pg.ready(page, L).first().waitFor();
                    await page.context().setOffline(true);
                    await page.reload();
                    await pg.ready(page, L).first().waitFor();
                }
                if (pg.prepare) await pg.prepare(page, L, ev);
                assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
                const res = await runAxe(page);
                const blocking = res.violations.filter((v) => BLOCKING.includes(v.impact));
                summary.push(`${label}: ${res.violations.length} violation(s), ${blocking.length} serious or critical, ${res.incomplete.length} rule(s) to review by hand${res.incomplete.length ? ` (${res.incomplete.map((v) => v.id).join(', ')})` : ''}${res.violations.length ? `\n    ${describe(res.violations).join('\n    ')}` : ''}`);
                assert.deepEqual(describe(blocking), [], `${label}: serious or critical WCAG A/AA violations`);
                assert.deepEqual(page.problems, []);
                await page.context().close();
            });
        }
    }
}

// The check itself can fail: a planted image without text, a field
// without a label and grey on grey text are found, with their impact.
test('axe finds planted violations', async () => {
    const page = await openPage(browser);
    await page.goto(`${d.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/icons/icon-192.png';
        const p = document.createElement('p');
        p.textContent = 'faint';
        p.style.setProperty('color', '#bbbbbb');
        const input = document.createElement('input');
        document.getElementById('main').append(img, p, input);
    });
    const res = await runAxe(page);
    const found = Object.fromEntries(res.violations.map((v) => [v.id, v.impact]));
    assert.equal(found['image-alt'], 'critical');
    assert.equal(found['color-contrast'], 'serious');
    assert.equal(found.label, 'critical');
    await page.context().close();
});

test('summary', () => {
    assert.equal(summary.length, PAGES.length * SIZES.length * LANGS.length);
    console.log(`# axe-core, WCAG 2.0/2.1/2.2 A and AA:\n# ${summary.join('\n# ')}`);
});
