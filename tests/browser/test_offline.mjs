// SPDX-License-Identifier: MIT
// Bad venue Wi-Fi: the service worker and the web app manifests.
// - The manifests of the participant page and the wall are valid (name,
//   icons of 192 and 512 px, start_url on the event) and the worker
//   controls both pages; /sw.js lists every web file with its ETag.
// - Register, vote, publish, go offline (context.setOffline), reload: the
//   agenda shows with its "last updated" time and the offline mark; a vote
//   and a proposal tried offline are refused with a clear message and stay
//   on the page; back online, the page refreshes by itself; no token is in
//   any cache key; "leave on this device" empties the personal copies.
// - A new release (every web file changed) on the same port and database:
//   the next visit uses only the new files, online and then offline, and
//   the old release's cache is gone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Daemon, startDaemon, seedEvent, launchBrowser, openPage, S, fill, until, WEB_DIR, webFiles } from './lib/harness.mjs';

const L = S.fr;
// Offline, the browser logs each failed request as a console error.
const OFFLINE_CONSOLE = [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR_FAILED|FetchEvent/];
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
        assert.equal(code, 0);
    }
});

// Waits until the service worker is active and controls the page.
async function controlled(page) {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await until(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker controls the page');
}

// Width and height of a PNG, from its IHDR chunk.
function pngSize(buf) {
    assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
    return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

// Every cache of the page's origin: {name: [{url, etag, text}]}.
async function cacheContents(page) {
    return page.evaluate(async () => {
        const out = {};
        for (const name of await caches.keys()) {
            const c = await caches.open(name);
            out[name] = [];
            for (const req of await c.keys()) {
                const res = await c.match(req);
                out[name].push({ url: req.url, etag: res.headers.get('ETag'), text: name.startsWith('forumd-api') ? await res.text() : '' });
            }
        }
        return out;
    });
}

// The list forumd puts before web/sw.js.
async function releaseOf(daemon) {
    const res = await fetch(`${daemon.url}/sw.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const text = await res.text();
    const m = text.match(/^self\.FORUMD_RELEASE = (\{.*\});\n/);
    assert.ok(m, 'sw.js starts with the release line');
    return { release: JSON.parse(m[1]), rest: text.slice(m[0].length) };
}

test('the manifests are valid and the service worker controls the participant page and the wall', async () => {
    const ev = await seedEvent(d, { event: { name: 'Bigre! Rencontre.s 2025' }, people: [{ name: 'Odile', title: 'Co-développement' }], publish: true });

    // /sw.js: web/sw.js after the list of every other web file with the ETag it is served with.
    const { release, rest } = await releaseOf(d);
    assert.equal(rest, fs.readFileSync(path.join(WEB_DIR, 'sw.js'), 'utf8'));
    assert.deepEqual(Object.keys(release.files).sort(), webFiles().filter((f) => f !== 'sw.js').map((f) => `/${f}`));
    for (const [file, etag] of Object.entries(release.files)) {
        const res = await fetch(d.url + file);
        assert.equal(res.headers.get('etag'), etag, file);
    }
    assert.equal(release.root, '/index.html');
    assert.equal(release.pages[''], '/participant.html');
    assert.equal(release.pages['/wall'], '/wall.html');

    for (const [route, kind] of [
        [`/e/${ev.id}`, 'participant'],
        [`/e/${ev.id}/wall`, 'wall'],
    ]) {
        const page = await openPage(browser, kind === 'wall' ? { viewport: { width: 1920, height: 1080 } } : {});
        await page.goto(d.url + route);
        await controlled(page);
        const reg = await page.evaluate(async () => {
            const r = await navigator.serviceWorker.getRegistration();
            return { scope: r.scope, script: r.active.scriptURL, controller: navigator.serviceWorker.controller.scriptURL };
        });
        assert.deepEqual(reg, { scope: `${d.url}/`, script: `${d.url}/sw.js`, controller: `${d.url}/sw.js` }, kind);
        assert.equal(await page.locator('meta[name="theme-color"]').count(), 1);

        const href = await page.locator('link[rel="manifest"]').getAttribute('href');
        const res = await fetch(new URL(href, d.url));
        assert.equal(res.status, 200, `${kind} manifest`);
        assert.equal(res.headers.get('content-type'), 'application/manifest+json');
        const m = await res.json();
        assert.equal(m.name, kind === 'wall' ? 'Bigre! Rencontre.s 2025 · mur' : 'Bigre! Rencontre.s 2025');
        assert.equal(m.start_url, route);
        assert.equal(m.id, route);
        assert.equal(m.scope, `/e/${ev.id}`);
        assert.ok(m.start_url.startsWith(m.scope), 'start_url is inside the scope');
        assert.equal(m.display, kind === 'wall' ? 'fullscreen' : 'standalone');
        assert.equal(m.lang, 'fr');
        assert.match(m.theme_color, /^#[0-9a-f]{6}$/);
        assert.match(m.background_color, /^#[0-9a-f]{6}$/);
        for (const size of [192, 512]) {
            const icon = m.icons.find((i) => i.sizes === `${size}x${size}`);
            assert.ok(icon, `an icon of ${size} px`);
            assert.equal(icon.type, 'image/png');
            const png = await fetch(new URL(icon.src, d.url));
            assert.equal(png.status, 200, icon.src);
            assert.equal(png.headers.get('content-type'), 'image/png');
            assert.deepEqual(pngSize(Buffer.from(await png.arrayBuffer())), [size, size], icon.src);
        }
        assert.deepEqual(page.problems, []);
        await page.context().close();
    }
    // An unknown event has no manifest.
    assert.equal((await d.call('GET', '/events/nope/manifest.webmanifest')).status, 404);
});

test('offline: the agenda reloads with its time, votes and proposals wait for the network, back online the page refreshes', async () => {
    const ev = await seedEvent(d, {
        event: { name: 'Rencontre hors ligne' },
        slots: ['09:30-10:45'],
        rooms: [['Verrière', 20]],
        people: [
            { name: 'Quentin', title: 'Analyse institutionnelle' },
            { name: 'Rose', title: 'Vendre autrement' },
        ],
    });
    const page = await openPage(browser);
    page.allowConsole = page.allowConsole.concat(OFFLINE_CONSOLE);
    const ctx = page.context();
    await page.goto(`${d.url}/e/${ev.id}`);
    await controlled(page);

    // Register and vote.
    await page.getByLabel(L['join.name']).fill('Sacha');
    await page.getByRole('button', { name: L['join.submit'] }).click();
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Sacha' }) }).waitFor();
    const token = await page.evaluate((eid) => localStorage.getItem(`forumd.p.${eid}`), ev.id);
    assert.ok(token);
    const card = page.getByRole('article', { name: 'Analyse institutionnelle' });
    await card.getByText(L['vote.w3'], { exact: true }).click();
    await page.getByRole('status').getByText(fill(L['vote.saved'], { title: 'Analyse institutionnelle', choice: L['vote.w3'] })).waitFor({ state: 'attached' });

    // Publish; the page shows the agenda (a reload, online, as a person would).
    const alloc = await d.ok('POST', `/events/${ev.id}/allocation`, { token: ev.token, body: { time_limit_ms: 500 } });
    await d.ok('POST', `/events/${ev.id}/schedule/publish`, { token: ev.token, body: { allocation: alloc.id } });
    await page.reload();
    const agenda = page.getByRole('region', { name: L['agenda.title'] });
    await agenda.getByText('Analyse institutionnelle').waitFor();
    assert.equal(await page.locator('#offline-mark').count(), 0, 'no offline mark online');

    // Offline, reload: the page, the agenda and the votes come from the service worker.
    await ctx.setOffline(true);
    await page.reload();
    await agenda.getByText('Analyse institutionnelle').waitFor();
    const mark = page.locator('#offline-mark');
    await mark.waitFor();
    const markText = await mark.textContent();
    const [before] = L['offline.mark'].split('{time}');
    assert.ok(markText.includes(before), markText);
    assert.match(markText, /\d\d:\d\d/, 'the time of the last update');
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isChecked(), 'the saved vote shows offline');

    // A vote offline: refused, said so, kept on the page.
    const rose = page.getByRole('article', { name: 'Vendre autrement' });
    await rose.getByText(L['vote.w2'], { exact: true }).click();
    await rose.getByText(L['vote.offline']).waitFor();
    assert.ok(await rose.getByRole('radio', { name: L['vote.w2'] }).isChecked(), 'the choice stays on the page');
    const votes = await d.ok('GET', `/events/${ev.id}/me/votes`, { token });
    assert.equal(votes.length, 1, 'nothing was saved offline');

    // A proposal offline: refused, the text stays in the form.
    await page.getByText(L['topic.propose']).click();
    await page.getByLabel(L['topic.title'], { exact: true }).fill('Atelier sans réseau');
    await page.getByRole('button', { name: L['topic.submit'] }).click();
    await page.getByRole('alert').filter({ hasText: L['error.network'] }).waitFor();
    assert.equal(await page.getByLabel(L['topic.title'], { exact: true }).inputValue(), 'Atelier sans réseau');

    // Meanwhile the facilitator renames a topic; back online, the page sees it by itself.
    const quentin = ev.topics[0];
    await d.ok('PATCH', `/events/${ev.id}/topics/${quentin.id}`, { token: ev.token, body: { title: 'Analyse institutionnelle, saison 2' } });
    await page.locator('body').click({ position: { x: 1, y: 1 } }); // the focus leaves the form: refreshes run
    await ctx.setOffline(false);
    await page.getByRole('article', { name: 'Analyse institutionnelle, saison 2' }).waitFor();
    await until(async () => (await page.locator('#offline-mark').count()) === 0, 'the offline mark goes away');
    assert.equal(await page.getByLabel(L['topic.title'], { exact: true }).inputValue(), 'Atelier sans réseau', 'the draft survived');

    // The choice made offline is still there; sent now, it is saved.
    const rose2 = page.getByRole('article', { name: 'Vendre autrement' });
    assert.ok(await rose2.getByRole('radio', { name: L['vote.w2'] }).isChecked());
    await rose2.getByRole('button', { name: L['vote.resend'] }).click();
    await until(async () => (await d.ok('GET', `/events/${ev.id}/me/votes`, { token })).length === 2, 'the vote is saved');
    await until(async () => (await rose2.getByText(L['vote.offline']).count()) === 0, 'the offline message goes');

    // The token is in no cache key and in no kept answer.
    const kept = await cacheContents(page);
    const all = Object.values(kept).flat();
    assert.ok(all.some((e) => e.url.endsWith('/me/agenda')), 'the agenda is kept');
    for (const e of all) {
        assert.ok(!e.url.includes(token), `token in a cache key: ${e.url}`);
        assert.ok(!e.text.includes(token), `token in a kept answer: ${e.url}`);
        assert.ok(!e.url.includes('#'), `a fragment in a cache key: ${e.url}`);
    }

    // Leaving on this device drops the personal copies of this event.
    await page.getByRole('button', { name: L['me.leave'] }).click();
    await page.getByLabel(L['join.name']).waitFor();
    const after = await cacheContents(page);
    assert.deepEqual(
        (after['forumd-api-personal'] || []).filter((e) => e.url.includes(`/events/${ev.id}`)),
        [],
        'no personal copy left',
    );
    assert.deepEqual(page.problems, []);
    await ctx.close();
});

test('another person on the same phone never gets the previous one’s agenda offline', async () => {
    const ev = await seedEvent(d, {
        event: { name: 'Deux personnes' },
        slots: ['09:30-10:45'],
        rooms: [['Verrière', 20]],
        people: [{ name: 'Ana', title: 'Sujet d’Ana' }, { name: 'Béa' }],
        votes: [[1, 0, 3]],
        publish: true,
    });
    const page = await openPage(browser);
    page.allowConsole = page.allowConsole.concat(OFFLINE_CONSOLE);
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[1].token}`);
    await controlled(page);
    await page.reload();
    await page.getByRole('region', { name: L['agenda.title'] }).getByText('Sujet d’Ana').waitFor();
    // Ana's personal link opened on Béa's phone: her answers replace Béa's.
    await page.goto('about:blank');
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[0].token}`);
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Ana' }) }).waitFor();
    // The worker keeps an answer after handing it over: wait for Ana's.
    const kept = await until(async () => {
        const all = await cacheContents(page);
        const me = (all['forumd-api-personal'] || []).filter((e) => e.url.endsWith(`/events/${ev.id}/me`));
        return me.length === 1 && /"Ana"/.test(me[0].text) ? all : null;
    }, 'Ana’s answers kept');
    assert.ok(!(kept['forumd-api-personal'] || []).some((e) => /"Béa"/.test(e.text)), 'nothing of Béa is kept');
    // Offline with Béa's token again: nothing of Ana's is served to her.
    await page.evaluate(([eid, t]) => localStorage.setItem(`forumd.p.${eid}`, t), [ev.id, ev.people[1].token]);
    await page.context().setOffline(true);
    await page.reload();
    await page.locator('#offline-mark').waitFor();
    assert.equal(await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Ana' }) }).count(), 0);
    assert.equal(await page.getByRole('region', { name: L['agenda.title'] }).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

// Copies web/ into dir, with a marker of the release in a module, a
// stylesheet and a string, so that the page shows which files it runs.
function release(dir, mark) {
    fs.cpSync(WEB_DIR, dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'js', 'participant.js'), `\ndocument.documentElement.dataset.release = '${mark}';\n`);
    fs.appendFileSync(path.join(dir, 'css', 'app.css'), `\n:root {\n    --release: ${mark};\n}\n`);
    const fr = JSON.parse(fs.readFileSync(path.join(dir, 'i18n', 'fr.json'), 'utf8'));
    fr['join.title'] = `${fr['join.title']} (${mark})`;
    fs.writeFileSync(path.join(dir, 'i18n', 'fr.json'), JSON.stringify(fr, null, 2));
}

async function marks(page) {
    return page.evaluate(() => ({
        js: document.documentElement.dataset.release,
        css: getComputedStyle(document.documentElement).getPropertyValue('--release').trim(),
        text: document.getElementById('join-title') && document.getElementById('join-title').textContent,
    }));
}

test('a new release: the next visit uses only the new files, online and offline', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'forumd-release-'));
    const v1 = path.join(root, 'v1');
    const v2 = path.join(root, 'v2');
    release(v1, 'v1');
    release(v2, 'v2');
    let a = await new Daemon({ web: v1 }).start();
    let b = null;
    try {
        const ev = await seedEvent(a, { event: { name: 'Deux versions' }, people: [{ name: 'Odile', title: 'Co-développement' }] });
        const page = await openPage(browser);
        page.allowConsole = page.allowConsole.concat(OFFLINE_CONSOLE);
        await page.goto(`${a.url}/e/${ev.id}`);
        await controlled(page);
        const want1 = { js: 'v1', css: 'v1', text: `${L['join.title']} (v1)` };
        await until(async () => JSON.stringify(await marks(page)) === JSON.stringify(want1), 'release 1 shown');
        const old = Object.keys(await cacheContents(page)).filter((n) => n.startsWith('forumd-static-'));
        assert.equal(old.length, 1);

        // The new release, on the same port and database.
        assert.equal(await a.stop(), 0);
        b = await new Daemon({ web: v2, dbDir: a.dbDir, port: a.port }).start();
        const { release: r2 } = await releaseOf(b);
        await page.goto(`${b.url}/e/${ev.id}`);
        const want2 = { js: 'v2', css: 'v2', text: `${L['join.title']} (v2)` };
        await until(async () => JSON.stringify(await marks(page)) === JSON.stringify(want2), 'release 2 shown at the next visit');

        // The new worker takes over and its cache holds release 2 only.
        await until(async () => {
            const names = Object.keys(await cacheContents(page)).filter((n) => n.startsWith('forumd-static-'));
            return names.length === 1 && names[0] !== old[0];
        }, 'the old release cache is dropped');
        const kept = await cacheContents(page);
        const name = Object.keys(kept).find((n) => n.startsWith('forumd-static-'));
        assert.equal(kept[name].length, Object.keys(r2.files).length, 'every file of release 2 is kept');
        for (const e of kept[name]) assert.equal(e.etag, r2.files[new URL(e.url).pathname], `${e.url} is of release 2`);

        // Offline, the page comes whole from release 2.
        await page.context().setOffline(true);
        await page.reload();
        await until(async () => JSON.stringify(await marks(page)) === JSON.stringify(want2), 'release 2 offline');
        await page.context().setOffline(false);
        assert.deepEqual(page.problems, []);
        await page.context().close();
    } finally {
        if (b) {
            assert.equal(await b.stop(), 0);
            b.cleanup();
        }
        await a.stop();
        a.cleanup();
        fs.rmSync(root, { recursive: true, force: true });
    }
});
