// SPDX-License-Identifier: MIT
// The copy of web/ embedded in the binary (forumd serve without --web): every
// file of web/ is served at /<its path>, byte for byte, with its content
// type and the CSP; the page routes map to their HTML; and a person can
// join an event and vote on the embedded pages with no error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, seedEvent, launchBrowser, openPage, S, fill, WEB_DIR, webFiles } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let ev;

before(async () => {
    d = await startDaemon({ web: false });
    ev = await seedEvent(d, { people: [{ name: 'Odile', title: 'Co-développement' }] });
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

const TYPES = { html: 'text/html', js: 'text/javascript', css: 'text/css', json: 'application/json', svg: 'image/svg+xml', png: 'image/png' };

test('every file of web/ is embedded, identical, with its type and the CSP', async () => {
    const files = webFiles();
    const etags = {};
    let release = null;
    assert.ok(files.length >= 15, `web/ has ${files.length} files`);
    for (const rel of files) {
        const res = await fetch(`${d.url}/${rel}`);
        assert.equal(res.status, 200, rel);
        let body = Buffer.from(await res.arrayBuffer());
        if (rel === 'sw.js') {
            // The service worker comes after the release's list of files (src/http/release.c).
            const text = body.toString('utf8');
            const line = text.match(/^self\.FORUMD_RELEASE = (\{.*\});\n/);
            assert.ok(line, 'sw.js starts with the release line');
            release = JSON.parse(line[1]).files;
            body = Buffer.from(text.slice(line[0].length), 'utf8');
        } else {
            etags[`/${rel}`] = res.headers.get('etag');
        }
        assert.ok(body.equals(fs.readFileSync(path.join(WEB_DIR, rel))), `${rel}: the embedded copy differs from the source (rebuild forumd)`);
        const ext = rel.split('.').pop();
        if (TYPES[ext]) assert.ok((res.headers.get('content-type') || '').startsWith(TYPES[ext]), `${rel}: ${res.headers.get('content-type')}`);
        const csp = res.headers.get('content-security-policy') || '';
        assert.match(csp, /script-src 'self'/, `${rel}: CSP`);
        assert.doesNotMatch(csp, /unsafe-inline/, `${rel}: CSP`);
    }
    // The embedded release's list: every file but sw.js, with the ETag it is served with.
    assert.deepEqual(release, etags);
});

test('the page routes serve their pages', async () => {
    const want = {
        '/': 'index.html',
        [`/e/${ev.id}`]: 'participant.html',
        [`/e/${ev.id}/facilitate`]: 'facilitate.html',
        [`/e/${ev.id}/wall`]: 'wall.html',
        '/admin': 'admin.html',
    };
    for (const [route, file] of Object.entries(want)) {
        const res = await fetch(d.url + route);
        assert.equal(res.status, 200, route);
        assert.equal(await res.text(), fs.readFileSync(path.join(WEB_DIR, file), 'utf8'), `${route} serves ${file}`);
    }
});

test('a person joins and votes on the embedded pages', async () => {
    const page = await openPage(browser);
    await page.goto(`${d.url}/e/${ev.id}`);
    await page.getByLabel(L['join.name']).fill('Paul');
    await page.getByRole('button', { name: L['join.submit'] }).click();
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Paul' }) }).waitFor();
    await page.getByRole('article', { name: 'Co-développement' }).getByRole('radio', { name: L['vote.w2'] }).check();
    await page.getByRole('status').getByText(fill(L['vote.saved'], { title: 'Co-développement', choice: L['vote.w2'] })).waitFor({ state: 'attached' });
    const link = await page.getByLabel(L['me.link']).inputValue();
    const token = decodeURIComponent(link.split('#token=')[1]);
    // The Copy button puts the personal link on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: d.url });
    await page.getByRole('button', { name: L['me.copy'], exact: true }).click();
    await page.getByRole('button', { name: L['me.copied'], exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    const votes = await d.ok('GET', `/events/${ev.id}/me/votes`, { token });
    assert.deepEqual(
        votes.map((v) => v.weight),
        [2],
    );
    assert.deepEqual(page.problems, []);
    await page.context().close();
});
