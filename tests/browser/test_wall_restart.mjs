// SPDX-License-Identifier: MIT
// The wall survives the daemon: killed (SIGKILL), the wall keeps the last
// schedule and says when it was updated; restarted on the same database and
// port, the wall recovers by itself and picks up a newer version. Polls are
// driven with Playwright's clock (fast-forward), so nothing waits 10 s.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon, seedEvent, launchBrowser, openPage, S, fill, until, BEFORE_THE_DAY } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let ev;
let wall;

before(async () => {
    d = await new Daemon({ args: BEFORE_THE_DAY }).start();
    ev = await seedEvent(d, {
        people: [
            { name: 'Maëlle', title: 'Entraînement mental', theme: 'co-accompagnement' },
            { name: 'Nour', title: 'Médiation et prévention des conflits', theme: 'coopération' },
        ],
        votes: [
            [0, 1, 3],
            [1, 0, 2],
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

const statusText = async () => wall.getByRole('status').textContent();

test('the wall shows the published schedule', async () => {
    wall = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    // The daemon is gone for a while in this test: failed fetches are expected.
    wall.allowConsole = wall.allowConsole.concat([/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR/]);
    await wall.clock.install({ time: new Date('2025-10-14T07:45:00Z') });
    await wall.goto(`${d.url}/e/${ev.id}/wall`);
    await wall.getByRole('table').getByText('Entraînement mental').waitFor();
    await until(async () => (await statusText()).startsWith(fill(L['wall.updated_at'], { time: '' }).trim()), 'updated mark');
});

test('killed, the daemon leaves the wall showing the last schedule, marked offline', async () => {
    await d.kill();
    await wall.clock.fastForward(11000);
    const offlinePrefix = L['wall.offline'].split('{time}')[0];
    await until(async () => (await statusText()).startsWith(offlinePrefix), 'offline mark');
    await wall.getByRole('table').getByText('Entraînement mental').waitFor();
    await wall.getByRole('table').getByText('Médiation et prévention des conflits').waitFor();
    // Still offline after more polls: nothing disappears.
    await wall.clock.fastForward(21000);
    assert.ok((await statusText()).startsWith(offlinePrefix));
    assert.equal(await wall.getByRole('table').getByText('Entraînement mental').count(), 1);
});

test('restarted on the same database, the daemon is found again and a new version shows', async () => {
    const port = d.port;
    d = await new Daemon({ dbDir: d.dbDir, port, args: BEFORE_THE_DAY }).start();
    d.ownDir = true;
    // The facilitator renames a topic and publishes version 2 meanwhile.
    const topic = ev.topics[0];
    await d.ok('PATCH', `/events/${ev.id}/topics/${topic.id}`, { token: ev.token, body: { title: 'Entraînement mental (suite)' } });
    const a = await d.ok('POST', `/events/${ev.id}/allocation`, { token: ev.token, body: { time_limit_ms: 500 } });
    await d.ok('POST', `/events/${ev.id}/schedule/publish`, { token: ev.token, body: { allocation: a.id } });
    await wall.clock.fastForward(11000);
    await wall.getByRole('table').getByText('Entraînement mental (suite)').waitFor();
    const updatedPrefix = L['wall.updated_at'].split('{time}')[0];
    await until(async () => (await statusText()).startsWith(updatedPrefix), 'updated again');
    assert.deepEqual(wall.problems, []);
});

test('an unchanged schedule is revalidated with If-None-Match (304)', async () => {
    const statuses = [];
    wall.on('response', (r) => {
        if (r.url().endsWith(`/events/${ev.id}/schedule`)) statuses.push(r.status());
    });
    await wall.clock.fastForward(11000);
    await until(() => statuses.length > 0, 'a poll');
    assert.equal(statuses[0], 304);
    await wall.getByRole('table').getByText('Entraînement mental (suite)').waitFor();
});

test('a wall set up before publication shows the grid once it is published', async () => {
    const fresh = await seedEvent(d, {
        event: { name: 'Journée sans programme' },
        people: [{ name: 'Ulysse', title: 'Accélérateur de projet' }, { name: 'Vera' }],
        votes: [[1, 0, 3]],
    });
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    await page.clock.install({ time: new Date('2025-10-14T07:45:00Z') });
    await page.goto(`${d.url}/e/${fresh.id}/wall`);
    await page.getByText(L['wall.not_published']).waitFor();
    await page.getByText(fill(L['wall.join'], { url: `${d.url}/e/${fresh.id}` })).waitFor();
    const a = await d.ok('POST', `/events/${fresh.id}/allocation`, { token: fresh.token, body: { time_limit_ms: 500 } });
    await d.ok('POST', `/events/${fresh.id}/schedule/publish`, { token: fresh.token, body: { allocation: a.id } });
    await page.clock.fastForward(11000);
    await page.getByRole('table').getByText('Accélérateur de projet').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
});
