// SPDX-License-Identifier: MIT
// Screenshots of the three pages for the README and docs/web.md, taken on
// the demo database (forumd serve --demo: the seed's day) at phone (390x844)
// and TV (1920x1080) sizes, written to docs/img/:
//   participant-phone.png participant-tv.png facilitate-phone.png
//   facilitate-tv.png wall-phone.png wall-tv.png (the co-accompaniment
//   half-day's grid), wall-plenary-tv.png (the plenary, for everyone),
//   facilitate-day-tv.png (the day's blocks on one timeline),
//   facilitate-folded-phone.png (the whole console, folded, on a phone),
//   admin.png (the administrator's page), notes-phone.png (a session's
//   notes), notes-conflict-tv.png (two writers at once: the versions side by
//   side), proceedings-tv.png and doors-tv.png (a door sheet with its QR
//   codes)
// usage: FORUMD=build/ci/src/forumd node tests/browser/screenshots.mjs [OUTDIR]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ADMIN_TOKEN, SOURCE_DIR, WEB_DIR, launchBrowser, openPage, S } from './lib/harness.mjs';

const L = S.fr;
const out = path.resolve(process.argv[2] || path.join(SOURCE_DIR, 'docs', 'img'));
const binary = process.env.FORUMD || path.join(SOURCE_DIR, 'build', 'ci', 'src', 'forumd');
const PHONE = { width: 390, height: 844 };
const TV = { width: 1920, height: 1080 };

// Starts forumd --demo on a fresh database; resolves with the printed links.
function startDemo(dir) {
    const proc = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'demo.db'), '--web', WEB_DIR, '--demo'], {
        env: Object.assign({}, process.env, { FORUMD_ADMIN_TOKEN: ADMIN_TOKEN }),
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`forumd --demo did not start:\n${text}`)), 60000);
        const onData = (chunk) => {
            text += chunk.toString();
            const port = text.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
            const fac = text.match(/facilitator:\s+(\S+)/);
            const code = text.match(/join code:\s+(\S+)/);
            if (port && fac) {
                clearTimeout(timer);
                const url = new URL(fac[1]);
                const eid = url.pathname.split('/')[2];
                resolve({ proc, base: `http://127.0.0.1:${port[1]}`, eid, token: url.hash.replace('#token=', ''), code: code ? code[1] : null });
            }
        };
        proc.stdout.on('data', onData);
        proc.stderr.on('data', onData);
        proc.on('exit', (c) => reject(new Error(`forumd exited ${c}:\n${text}`)));
    });
}

async function call(base, method, p, token, body) {
    const res = await fetch(`${base}/api/v1${p}`, {
        method,
        headers: Object.assign({ 'Content-Type': 'application/json' }, token ? { Authorization: `Bearer ${token}` } : {}),
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
}

async function main() {
    fs.mkdirSync(out, { recursive: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumd-shots-'));
    const demo = await startDemo(dir);
    const browser = await launchBrowser();
    try {
        const { base, eid, token } = demo;
        // A participant who joins and votes, then a new published version so
        // that her agenda shows.
        const me = await call(base, 'POST', `/events/${eid}/participants`, null, { name: 'Camille', join_code: demo.code });
        const topics = await call(base, 'GET', `/events/${eid}/topics`);
        const weights = [3, 2, 2, 1];
        for (const [i, w] of weights.entries()) await call(base, 'PUT', `/events/${eid}/topics/${topics[i].id}/vote`, me.token, { weight: w });
        const a = await call(base, 'POST', `/events/${eid}/allocation`, token, { time_limit_ms: 1000 });
        await call(base, 'POST', `/events/${eid}/schedule/publish`, token, { allocation: a.id });
        const sched = await call(base, 'GET', `/events/${eid}/schedule`);
        // The wall's clock: ten minutes into the second slot; then into the plenary.
        const now = new Date(Date.parse(sched.slots[1].starts_at) + 10 * 60000);
        const plenary = sched.sessions.find((x) => x.kind === 'plenary');

        const shots = [];
        for (const [size, vp] of [
            ['phone', PHONE],
            ['tv', TV],
        ]) {
            let page = await openPage(browser, { viewport: vp, locale: 'fr-FR' });
            await page.goto(`${base}/e/${eid}#token=${me.token}`);
            await page.getByRole('heading', { name: L['agenda.title'] }).waitFor();
            shots.push(await shot(page, `participant-${size}.png`));
            await page.context().close();

            page = await openPage(browser, { viewport: vp, locale: 'fr-FR' });
            await page.goto(`${base}/e/${eid}/facilitate#token=${token}`);
            await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
            await page.getByRole('button', { name: L['fac.allocate'] }).click();
            await page.getByRole('heading', { name: /^Brouillon / }).waitFor({ timeout: 60000 });
            await page.getByRole('heading', { name: L['fac.allocation'], exact: true }).scrollIntoViewIfNeeded();
            await page.evaluate(() => document.getElementById('allocation').scrollIntoView());
            shots.push(await shot(page, `facilitate-${size}.png`));
            await page.context().close();

            page = await openPage(browser, { viewport: vp, locale: 'fr-FR' });
            await page.clock.install({ time: now });
            await page.goto(`${base}/e/${eid}/wall#code=${demo.code}`);
            await page.getByRole('table').waitFor();
            // Idle: the pointer and the full-screen button hide, as on the TV.
            await page.clock.fastForward(6000);
            shots.push(await shot(page, `wall-${size}.png`));
            await page.context().close();
        }
        // The plenary on the TV, and the facilitator's day.
        let page = await openPage(browser, { viewport: TV, locale: 'fr-FR' });
        await page.clock.install({ time: new Date(Date.parse(plenary.starts_at) + 10 * 60000) });
        await page.goto(`${base}/e/${eid}/wall#code=${demo.code}`);
        await page.getByRole('region', { name: plenary.title }).waitFor();
        await page.clock.fastForward(6000);
        shots.push(await shot(page, 'wall-plenary-tv.png'));
        await page.context().close();
        page = await openPage(browser, { viewport: TV, locale: 'fr-FR' });
        await page.goto(`${base}/e/${eid}/facilitate#token=${token}`);
        await page.getByRole('heading', { name: L['fac.day'] }).waitFor();
        await page.getByRole('heading', { level: 2 }).getByRole('button', { name: L['fac.day'], exact: true }).click();
        await page.evaluate(() => document.getElementById('day').scrollIntoView());
        shots.push(await shot(page, 'facilitate-day-tv.png'));
        await page.context().close();
        // The whole console on a phone as a facilitator first sees it: folded,
        // one summary line per section, the allocation open.
        {
            const page = await openPage(browser, { viewport: PHONE, locale: 'fr-FR' });
            await page.goto(`${base}/e/${eid}/facilitate#token=${token}`);
            await page.getByRole('button', { name: L['fac.allocate'] }).waitFor();
            const file = path.join(out, 'facilitate-folded-phone.png');
            await page.screenshot({ path: file, fullPage: true });
            if (page.problems.length) throw new Error(page.problems.join('\n'));
            shots.push(`${path.relative(SOURCE_DIR, file)} (${fs.statSync(file).size} bytes)`);
            await page.context().close();
        }
        // The administrator's page: the demo and a copy of it for next year.
        {
            await call(base, 'POST', `/events/${eid}/copy`, ADMIN_TOKEN, { name: 'Bigre! Rencontre.s 2026', days: 364 });
            const page = await openPage(browser, { viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
            await page.goto(`${base}/admin#token=${ADMIN_TOKEN}`);
            await page.getByRole('heading', { name: 'Bigre! Rencontre.s 2026', level: 3 }).waitFor();
            shots.push(await shot(page, 'admin.png'));
            await page.context().close();
        }

        // A session's notes (the demo's, on the money topic) on a phone.
        const book = await call(base, 'GET', `/events/${eid}/proceedings.json`);
        const noted = book.blocks.flatMap((b) => b.sessions).find((x) => x.notes && x.kind === 'forum');
        page = await openPage(browser, { viewport: PHONE, locale: 'fr-FR' });
        await page.goto(`${base}/e/${eid}/notes/${noted.id}#token=${me.token}`);
        await page.getByRole('heading', { name: L['notes.key_points'] }).waitFor();
        shots.push(await shot(page, 'notes-phone.png', true));
        await page.context().close();
        // Two writers at once: the second one sees both versions.
        const other = await call(base, 'POST', `/events/${eid}/participants`, null, { name: 'Dominique', join_code: demo.code });
        page = await openPage(browser, { viewport: TV, locale: 'fr-FR' });
        await page.goto(`${base}/e/${eid}/notes/${noted.id}#token=${other.token}`);
        await page.getByRole('button', { name: L['notes.edit'] }).click();
        const cur = await fetch(`${base}/api/v1/events/${eid}/sessions/${noted.id}/notes`, { headers: { Authorization: `Bearer ${me.token}` } });
        const doc = await cur.json();
        await call2(base, `/events/${eid}/sessions/${noted.id}/notes`, me.token, cur.headers.get('etag'), Object.assign({}, doc.notes, { rendered: undefined, rev: undefined, author: undefined, started_at: undefined, saved_at: undefined, key_points: `${doc.notes.key_points}\n\nAjout de Camille : un atelier en mars.` }));
        // The browser logs the 412 that brings the conflict view.
        page.allowConsole = page.allowConsole.concat([/status of 412/]);
        await page.getByLabel(L['notes.key_points']).fill(`${doc.notes.key_points}\n\nAjout de Dominique : publier la grille.`);
        await page.getByRole('heading', { name: L['notes.conflict_title'] }).waitFor();
        await page.evaluate(() => document.getElementById('conflict-title').scrollIntoView());
        shots.push(await shot(page, 'notes-conflict-tv.png'));
        await page.context().close();
        page = await openPage(browser, { viewport: TV, locale: 'fr-FR' });
        await page.goto(`${base}/e/${eid}/proceedings`);
        await page.getByRole('heading', { name: L['proceedings.contents'] }).waitFor();
        shots.push(await shot(page, 'proceedings-tv.png'));
        await page.context().close();
        page = await openPage(browser, { viewport: { width: 900, height: 1250 }, locale: 'fr-FR' });
        await page.goto(`${base}/e/${eid}/print/doors`);
        await page.waitForFunction(() => document.body.dataset.ready === 'true');
        await page.locator('.door').first().scrollIntoViewIfNeeded();
        shots.push(await shot(page, 'doors-tv.png'));
        await page.context().close();
        for (const s of shots) console.log(s);
    } finally {
        await browser.close();
        demo.proc.kill('SIGTERM');
        await new Promise((r) => demo.proc.on('exit', r));
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

// Saves the notes with If-Match (as a page would).
async function call2(base, p, token, etag, body) {
    const res = await fetch(`${base}/api/v1${p}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'If-Match': etag }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`PUT ${p}: ${res.status} ${await res.text()}`);
}

async function shot(page, name, full) {
    const file = path.join(out, name);
    await page.screenshot({ path: file, fullPage: Boolean(full) });
    if (page.problems.length) throw new Error(`${name}: ${page.problems.join('\n')}`);
    return `${path.relative(SOURCE_DIR, file)} (${fs.statSync(file).size} bytes)`;
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
