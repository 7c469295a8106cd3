// SPDX-License-Identifier: MIT
// Tokens in the browser: the personal link (#token= in the fragment)
// resumes the same person on another device and leaves the address bar;
// "leave on this device" forgets it; a stale token falls back to the join
// form instead of breaking the page; the facilitator's token is kept per
// event and can be forgotten.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, seedEvent, launchBrowser, openPage, S, fill } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let ev;

before(async () => {
    d = await startDaemon();
    ev = await seedEvent(d, { people: [{ name: 'Yasmine', title: 'Échanges de pratiques' }] });
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

test('the personal link resumes the same person on another device', async () => {
    const phone = await openPage(browser);
    await phone.goto(`${d.url}/e/${ev.id}`);
    await phone.getByLabel(L['join.name']).fill('Théo');
    await phone.getByRole('button', { name: L['join.submit'] }).click();
    await phone.getByRole('heading', { name: fill(L['me.hello'], { name: 'Théo' }) }).waitFor();
    await phone.getByRole('article', { name: 'Échanges de pratiques' }).getByRole('radio', { name: L['vote.w1'] }).check();
    await phone.getByRole('status').getByText(fill(L['vote.saved'], { title: 'Échanges de pratiques', choice: L['vote.w1'] })).waitFor({ state: 'attached' });
    const link = await phone.getByLabel(L['me.link']).inputValue();

    // On the laptop, the link is pasted into the home page.
    const laptop = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await laptop.goto(`${d.url}/`);
    await laptop.getByLabel(L['home.what']).fill(link);
    await laptop.getByRole('button', { name: L['home.go'] }).click();
    await laptop.getByRole('heading', { name: fill(L['me.hello'], { name: 'Théo' }) }).waitFor();
    assert.ok(!laptop.url().includes('#token'), 'the token leaves the address bar');
    assert.ok(await laptop.getByRole('article', { name: 'Échanges de pratiques' }).getByRole('radio', { name: L['vote.w1'] }).isChecked(), 'the same votes');
    // Kept on that device: a plain visit later is still Théo.
    await laptop.goto(`${d.url}/e/${ev.id}`);
    await laptop.getByRole('heading', { name: fill(L['me.hello'], { name: 'Théo' }) }).waitFor();

    // Leaving forgets the token on this device only.
    await laptop.getByRole('button', { name: L['me.leave'] }).click();
    await laptop.getByRole('heading', { name: L['join.title'] }).waitFor();
    assert.equal(laptop.confirms.length, 1);
    await laptop.reload();
    await laptop.getByRole('heading', { name: L['join.title'] }).waitFor();
    await phone.reload();
    await phone.getByRole('heading', { name: fill(L['me.hello'], { name: 'Théo' }) }).waitFor();
    assert.deepEqual(phone.problems, []);
    assert.deepEqual(laptop.problems, []);
    await phone.context().close();
    await laptop.context().close();
});

test('a stale token falls back to the join form', async () => {
    const page = await openPage(browser);
    page.allowConsole = page.allowConsole.concat([/status of 40[13]/]);
    await page.goto(`${d.url}/e/${ev.id}#token=this-token-does-not-exist`);
    await page.getByRole('heading', { name: L['join.title'] }).waitFor();
    await page.getByRole('article', { name: 'Échanges de pratiques' }).waitFor();
    const kept = await page.evaluate((eid) => localStorage.getItem(`forumd.p.${eid}`), ev.id);
    assert.equal(kept, null, 'the stale token is not kept');
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the facilitator token is kept per event and can be forgotten', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${d.url}/e/${ev.id}/facilitate#token=${ev.token}`);
    await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    assert.ok(!page.url().includes('#token'));
    await page.goto(`${d.url}/e/${ev.id}/facilitate`);
    await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    // The home page lists the event for this device.
    await page.goto(`${d.url}/`);
    await page.getByRole('link', { name: 'Bigre! Rencontre.s 2025' }).click();
    await page.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    await page.getByRole('button', { name: L['fac.logout'] }).click();
    await page.getByLabel(L['fac.token'], { exact: true }).waitFor();
    await page.reload();
    await page.getByLabel(L['fac.token'], { exact: true }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});
