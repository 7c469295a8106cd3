// SPDX-License-Identifier: MIT
// The participant page in French and in English: the browser's preference
// picks the language, the switch changes it and is remembered, and times
// are shown in the event's time zone (not the browser's) with Intl. The
// vote budget, when the event sets one, is shown and enforced.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, seedEvent, launchBrowser, openPage, S, fill, until } from './lib/harness.mjs';

let d;
let browser;
let ev;

before(async () => {
    d = await startDaemon();
    ev = await seedEvent(d, {
        event: { vote_budget: 4 },
        people: [
            { name: 'Inès', title: 'Le syndrome de l’imposteur', theme: 'le commercial' },
            { name: 'Jules', title: 'Dire non à sa clientèle', theme: 'le commercial' },
            { name: 'Kim', title: 'Faire avec moins', theme: 'faire avec moins' },
            { name: 'Lou' },
        ],
        votes: [
            [0, 1, 3],
            [1, 0, 2],
            [2, 0, 1],
        ],
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

// A browser in New York looking at a Paris event: 09:30 Paris is 03:30 there.
const NEW_YORK = { timezoneId: 'America/New_York' };

test('a browser that prefers French gets the page in French', async () => {
    const L = S.fr;
    const page = await openPage(browser, Object.assign({ locale: 'fr-FR' }, NEW_YORK));
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[0].token}`);
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Inès' }) }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    const card = page.getByRole('article', { name: 'Dire non à sa clientèle' });
    for (const k of ['vote.none', 'vote.w1', 'vote.w2', 'vote.w3']) await card.getByRole('radio', { name: L[k], exact: true }).waitFor();
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isChecked(), 'the stored vote is shown');
    const agenda = page.getByRole('region', { name: L['agenda.title'] });
    await agenda.getByText('mar. 14 oct., 09:30–10:45').or(agenda.getByText('mar. 14 oct., 11:00–12:15')).first().waitFor();
    await page.getByText(fill(L['vote.budget'], { left: 1, total: 4 })).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('a browser that prefers English gets the page in English', async () => {
    const L = S.en;
    const page = await openPage(browser, Object.assign({ locale: 'en-US' }, NEW_YORK));
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[1].token}`);
    await page.getByRole('heading', { name: fill(L['me.hello'], { name: 'Jules' }) }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    const card = page.getByRole('article', { name: 'Faire avec moins' });
    for (const k of ['vote.none', 'vote.w1', 'vote.w2', 'vote.w3']) await card.getByRole('radio', { name: L[k], exact: true }).waitFor();
    assert.deepEqual([L['vote.w1'], L['vote.w2'], L['vote.w3']], ['curious', 'interested', 'essential']);
    const agenda = page.getByRole('region', { name: L['agenda.title'] });
    await agenda.getByText('Tue 14 Oct, 09:30–10:45').or(agenda.getByText('Tue 14 Oct, 11:00–12:15')).first().waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('topics can be shown one theme at a time', async () => {
    const L = S.fr;
    const page = await openPage(browser, { locale: 'fr-FR' });
    await page.goto(`${d.url}/e/${ev.id}`);
    await page.getByRole('article', { name: 'Faire avec moins' }).waitFor();
    assert.equal(await page.getByRole('article').count(), 3);
    await page.getByLabel(L['topics.filter']).selectOption({ label: 'le commercial (2)' });
    await page.getByRole('article', { name: 'Faire avec moins' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('article').count(), 2);
    await page.getByLabel(L['topics.filter']).selectOption({ label: L['topics.filter_all'] });
    await page.getByRole('article', { name: 'Faire avec moins' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the switch changes the language and the choice is remembered', async () => {
    const page = await openPage(browser, { locale: 'fr-FR' });
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[3].token}`);
    await page.getByRole('heading', { name: fill(S.fr['me.hello'], { name: 'Lou' }) }).waitFor();
    await page.getByRole('group', { name: S.fr['lang.switch'] }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: fill(S.en['me.hello'], { name: 'Lou' }) }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    await page.getByRole('heading', { name: fill(S.en['me.hello'], { name: 'Lou' }) }).waitFor();
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: fill(S.fr['me.hello'], { name: 'Lou' }) }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the vote budget is shown, counted down and enforced with a message', async () => {
    const L = S.en;
    const page = await openPage(browser, { locale: 'en-GB' });
    // Votes on a closed-budget event: Lou has 4 points.
    page.allowConsole = page.allowConsole.concat([/status of (409|422)/]);
    await page.goto(`${d.url}/e/${ev.id}#token=${ev.people[3].token}`);
    await page.getByText(fill(L['vote.budget'], { left: 4, total: 4 })).waitFor();
    await page.getByRole('article', { name: 'Dire non à sa clientèle' }).getByRole('radio', { name: L['vote.w3'] }).check();
    await page.getByText(fill(L['vote.budget'], { left: 1, total: 4 })).waitFor();
    const over = page.getByRole('article', { name: 'Faire avec moins' });
    await over.getByRole('radio', { name: L['vote.w2'] }).check();
    // The API refuses (over budget): the message shows on that topic and the choice goes back.
    await over.getByRole('alert').waitFor();
    await until(async () => over.getByRole('radio', { name: L['vote.none'] }).isChecked(), 'the choice reverts');
    const mine = await d.ok('GET', `/events/${ev.id}/me/votes`, { token: ev.people[3].token });
    assert.deepEqual(
        mine.map((v) => v.weight),
        [3],
    );
    assert.deepEqual(page.problems, []);
    await page.context().close();
});
