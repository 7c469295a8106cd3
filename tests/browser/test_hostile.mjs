// SPDX-License-Identifier: MIT
// Hostile text stays text: a topic titled like markup, a participant named
// like a script, shown on every page (participant, facilitator, wall,
// agenda, a session's notes, the proceedings, the door sheets and the
// poster) as the literal characters, with no element created from it, no
// dialog, no request to the injected URL and no CSP violation. The pages'
// own images are the QR codes the server draws, and only those.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, seedEvent, launchBrowser, openPage, S, unfold } from './lib/harness.mjs';

const L = S.fr;
const TITLE = '<img src=x onerror="window.__pwned=1;alert(1)"> Vendre <b>sans</b> se vendre';
const NAME = '<script>window.__pwned=2</script>Zoé';
const THEME = '"><svg onload=alert(3)>';
const DESCRIPTION = '</p><iframe src="/x"></iframe>';
let d;
let browser;
let ev;
const hits = [];

before(async () => {
    d = await startDaemon();
    ev = await seedEvent(d, {
        people: [
            { name: NAME, title: TITLE, theme: THEME, description: DESCRIPTION },
            { name: 'Yann', title: 'Faire avec moins' },
        ],
        votes: [[1, 0, 3]],
        publish: true,
    });
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

// Opens url, records any request for the injected resources, and checks
// that the page shows the hostile strings as text and made nothing of them.
async function check(page, url, expectTexts, prepare) {
    page.on('request', (r) => {
        if (/\/x$|\/x\?/.test(new URL(r.url()).pathname)) hits.push(r.url());
    });
    await page.goto(url);
    if (prepare) await prepare();
    for (const s of expectTexts) await page.getByText(s, { exact: false }).first().waitFor();
    const injected = await page.evaluate(() => ({
        pwned: window.__pwned || 0,
        img: [...document.images].filter((i) => !new URL(i.src).pathname.endsWith('/qr.svg')).length,
        svg: document.querySelectorAll('main svg').length,
        iframe: document.querySelectorAll('iframe').length,
        b: document.querySelectorAll('main b').length,
        scripts: [...document.scripts].filter((s) => !s.src).length,
    }));
    assert.deepEqual(injected, { pwned: 0, img: 0, svg: 0, iframe: 0, b: 0, scripts: 0 }, `${url}: nothing injected`);
    assert.deepEqual(page.problems, [], `${url}: no dialog, no error`);
}

test('the participant page shows hostile text as text', async () => {
    const page = await openPage(browser);
    await check(page, `${d.url}/e/${ev.id}#token=${ev.people[1].token}`, [TITLE, THEME, DESCRIPTION, NAME]);
    // The accessible name is the literal title too.
    await page.getByRole('article', { name: TITLE }).waitFor();
    await page.context().close();
});

test('the host sees it in their agenda and edit form as text', async () => {
    const page = await openPage(browser);
    await check(page, `${d.url}/e/${ev.id}#token=${ev.people[0].token}`, [TITLE]);
    await page.getByRole('heading', { name: L['agenda.title'] }).waitFor();
    await page.getByRole('region', { name: L['agenda.title'] }).getByText(TITLE).waitFor();
    await page.getByRole('heading', { name: `Bonjour ${NAME}` }).waitFor();
    await page.getByRole('button', { name: `Modifier « ${TITLE} »` }).click();
    const form = page.getByRole('article', { name: `Modifier « ${TITLE} »` });
    assert.equal(await form.getByLabel(L['topic.title']).inputValue(), TITLE);
    assert.equal(await form.getByLabel(L['topic.theme']).inputValue(), THEME);
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the facilitator page shows hostile text as text', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    // Every section open: the topics, and who joined (a hostile name too).
    await check(page, `${d.url}/e/${ev.id}/facilitate#token=${ev.token}`, [TITLE, THEME, NAME], async () => {
        await page.getByRole('heading', { level: 2 }).first().waitFor();
        await unfold(page);
    });
    await page.getByRole('rowheader', { name: NAME }).waitFor();
    await page.getByRole('article', { name: TITLE }).waitFor();
    await page.context().close();
});

test('the wall shows hostile text as text', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    await check(page, `${d.url}/e/${ev.id}/wall`, [TITLE]);
    await page.getByRole('table').getByText(TITLE).waitFor();
    await page.context().close();
});

test('the notes page and the proceedings show hostile text as text', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const sid = ev.topics[0].id;
    await check(page, `${d.url}/e/${ev.id}/notes/${sid}#token=${ev.people[1].token}`, [TITLE, THEME]);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await check(page, `${d.url}/e/${ev.id}/proceedings`, [TITLE]);
    await page.getByRole('article', { name: TITLE }).waitFor();
    await page.context().close();
});

test('the door sheets and the poster show hostile text as text', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await check(page, `${d.url}/e/${ev.id}/print/doors`, [TITLE]);
    // Its QR code's description names the session as text too.
    assert.ok((await page.getByRole('img').first().getAttribute('alt')).length > 0);
    await check(page, `${d.url}/e/${ev.id}/print/poster`, [TITLE]);
    await page.getByRole('table').getByText(TITLE).waitFor();
    await page.context().close();
});

test('no page ever requested the injected resources', () => {
    assert.deepEqual(hits, []);
});
