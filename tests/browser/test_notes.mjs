// SPDX-License-Identifier: MIT
// Session notes in the browser: two participants write the same notes at
// once and no text is lost (what only one changed merges by itself; the
// same field changed by both shows the conflict view, both versions side
// by side, to the second one); a hostile note (<script>, javascript:
// links, raw HTML) is shown as text on the notes page and in the
// proceedings, with no element, request or dialog coming of it; the
// participant's agenda leads to the notes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon, seedEvent, launchBrowser, openPage, S, fill, until } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let ev;

before(async () => {
    d = await new Daemon().start();
    ev = await seedEvent(d, {
        people: [
            { name: 'Ana', title: 'Le rapport à l’argent', theme: 'Argent' },
            { name: 'Bruno', title: 'Sobriété choisie', theme: 'Sobriété' },
            { name: 'Chloé' },
        ],
        votes: [
            [2, 0, 1],
            [2, 1, 2],
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

const notesUrl = (sid, token) => `${d.url}/e/${ev.id}/notes/${sid}${token ? `#token=${token}` : ''}`;

async function notesOf(sid, token) {
    return (await d.ok('GET', `/events/${ev.id}/sessions/${sid}/notes`, { token })).notes;
}

// Opens the notes page as person, in edit mode.
async function editor(person, sid) {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(notesUrl(sid, person.token));
    await page.getByRole('button', { name: L['notes.edit'] }).click();
    await page.getByLabel(L['notes.key_points']).waitFor();
    return page;
}

async function saved(page) {
    await until(async () => (await page.locator('#save-status').textContent()).startsWith(L['notes.saved_at'].split('{')[0]), 'the notes saved');
}

test('two participants write the same notes at once: nothing is lost', async () => {
    const sid = ev.topics[0].id;
    const [ana, bruno] = ev.people;
    const a = await editor(ana, sid);
    const b = await editor(bruno, sid);

    // Different fields: merged by themselves, whoever saves second.
    await a.getByLabel(L['notes.proposals']).fill('Publier la grille des salaires');
    // The counter counts characters against the limit GET /limits serves.
    const lim = await (await fetch(`${d.url}/api/v1/limits`)).json();
    assert.equal(await a.locator('#count-proposals').textContent(), L['notes.count'].replace('{n}', '30').replace('{max}', String(lim.chars.notes_proposals)));
    await saved(a);
    await b.getByLabel(L['notes.follow_up']).fill('Bruno suit, bruno@example.org');
    await saved(b);
    let n = await notesOf(sid, ana.token);
    assert.equal(n.proposals, 'Publier la grille des salaires');
    assert.equal(n.follow_up, 'Bruno suit, bruno@example.org');
    assert.equal(await b.getByRole('alert').count(), 0, 'no conflict view for different fields');

    // The same field, each from the version they read: the first one saves,
    // the second one gets the two versions side by side.
    await a.getByLabel(L['notes.key_points']).fill('Ana : parler d’argent reste tabou.');
    await saved(a);
    await b.getByLabel(L['notes.key_points']).fill('Bruno : la transparence aide.');
    const conflict = b.getByRole('alert');
    await conflict.getByRole('heading', { name: L['notes.conflict_title'] }).waitFor();
    assert.equal(await conflict.getByLabel(L['notes.yours']).inputValue(), 'Bruno : la transparence aide.');
    assert.equal(await conflict.getByLabel(fill(L['notes.theirs'], { who: 'Ana' })).inputValue(), 'Ana : parler d’argent reste tabou.');
    // Nothing of Bruno's was written over Ana's meanwhile.
    n = await notesOf(sid, ana.token);
    assert.equal(n.key_points, 'Ana : parler d’argent reste tabou.');
    // Bruno's text is kept on his device too, until it is saved.
    assert.match(await b.evaluate((k) => localStorage.getItem(k), `forumd.notes.${ev.id}.${sid}`), /la transparence aide/);

    await conflict.getByRole('button', { name: L['notes.keep_both'] }).click();
    await saved(b);
    n = await notesOf(sid, ana.token);
    assert.match(n.key_points, /Bruno : la transparence aide\./);
    assert.match(n.key_points, /Ana : parler d’argent reste tabou\./);
    assert.equal(n.proposals, 'Publier la grille des salaires');
    assert.equal(n.follow_up, 'Bruno suit, bruno@example.org');
    assert.equal(await b.evaluate((k) => localStorage.getItem(k), `forumd.notes.${ev.id}.${sid}`), null);

    // Ana finishes, reloads and reads both, rendered; the revisions say who.
    await a.getByRole('button', { name: L['notes.done'] }).click();
    await a.reload();
    await a.getByText('Bruno : la transparence aide.').waitFor();
    await a.getByText('Ana : parler d’argent reste tabou.').waitFor();
    await a.getByRole('heading', { name: L['notes.revisions'] }).click();
    await a.getByText(fill(L['notes.revision_line'], { rev: n.rev, who: 'Bruno', time: '' }).trim(), { exact: false }).waitFor();
    // Ana saw no conflict: her key points met Bruno's follow-up and merged.
    assert.equal(await a.getByRole('alert').count(), 0);
    // 412 is the API saying "someone saved meanwhile" (both pages met it):
    // the browser logs it; nothing else may go wrong.
    for (const p of [a, b]) assert.deepEqual(p.problems.filter((x) => !/status of 412/.test(x)), []);
    await a.context().close();
    await b.context().close();
});

test('a participant says they were there; the agenda leads to the notes', async () => {
    const chloe = ev.people[2];
    const sid = ev.topics[1].id;
    const page = await openPage(browser);
    await page.goto(`${d.url}/e/${ev.id}#token=${chloe.token}`);
    const agenda = page.getByRole('region', { name: L['agenda.title'] });
    await agenda.getByRole('link', { name: fill(L['session.notes_of'], { title: 'Sobriété choisie' }) }).click();
    await page.waitForURL(`**/e/${ev.id}/notes/${sid}`);
    await page.getByRole('heading', { level: 1, name: 'Sobriété choisie' }).waitFor();
    await page.getByRole('button', { name: L['notes.present_add'] }).click();
    await page.getByRole('button', { name: L['notes.present_remove'] }).waitFor();
    await page.getByText('Chloé', { exact: true }).waitFor();
    const doc = await d.ok('GET', `/events/${ev.id}/sessions/${sid}/notes`, { token: chloe.token });
    assert.deepEqual(doc.present, ['Chloé']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

const HOSTILE = {
    key_points:
        '<script>window.__pwned = 1</script>\n\nAvant <img src=x onerror="window.__pwned=2"> après\n\n' +
        '[clic](javascript:window.__pwned=3) [data](data:text/html,<b>x</b>)\n\n<iframe src="https://example.org/"></iframe>\n',
    proposals: '<a href="javascript:window.__pwned=4">lien brut</a> et [propre](https://example.org/ok)',
    follow_up: '<svg onload="window.__pwned=5"></svg>',
};

async function expectInert(page, region) {
    // Every piece of markup is there as text, as typed.
    await region.getByText('<script>window.__pwned = 1</script>', { exact: false }).waitFor();
    await region.getByText('<img src=x onerror="window.__pwned=2">', { exact: false }).waitFor();
    await region.getByText('<iframe src="https://example.org/">', { exact: false }).waitFor();
    await region.getByText('<svg onload="window.__pwned=5">', { exact: false }).waitFor();
    // ...and nothing of it is an element, a link that runs code, or a request.
    assert.equal(await page.locator('main script, main img, main iframe, main svg, main object, main embed').count(), 0);
    assert.equal(await page.locator('a[href^="javascript:" i], a[href^="data:" i]').count(), 0);
    assert.equal(await region.getByRole('link', { name: 'clic' }).count(), 0);
    await region.getByText('clic data', { exact: false }).waitFor();
    assert.equal(await region.getByRole('link', { name: 'propre' }).getAttribute('href'), 'https://example.org/ok');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
}

test('a hostile note is text on the notes page and in the proceedings', async () => {
    const sid = ev.topics[1].id;
    const bruno = ev.people[1];
    const cur = await d.call('GET', `/events/${ev.id}/sessions/${sid}/notes`, { token: bruno.token });
    await d.ok('PUT', `/events/${ev.id}/sessions/${sid}/notes`, { token: bruno.token, body: HOSTILE, headers: { 'If-Match': cur.headers.get('etag') } });

    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const requests = [];
    page.on('request', (r) => {
        if (!r.url().startsWith(d.url)) requests.push(r.url());
    });
    await page.goto(notesUrl(sid, bruno.token));
    await expectInert(page, page.locator('main'));
    // The editor shows the text as it was typed.
    await page.getByRole('button', { name: L['notes.edit'] }).click();
    assert.equal(await page.getByLabel(L['notes.key_points']).inputValue(), HOSTILE.key_points);
    await page.getByRole('button', { name: L['notes.done'] }).click();

    await page.goto(`${d.url}/e/${ev.id}/proceedings`);
    const article = page.getByRole('article', { name: 'Sobriété choisie' });
    await expectInert(page, article);
    assert.deepEqual(requests, [], 'no request leaves for a hostile note');
    assert.deepEqual(page.problems, []);
    await page.context().close();
});

test('the proceedings are for the event\'s people until the facilitator opens them', async () => {
    const page = await openPage(browser);
    await page.goto(`${d.url}/e/${ev.id}/proceedings`);
    await page.getByText(L['proceedings.join_to_read']).waitFor();
    await d.ok('PATCH', `/events/${ev.id}`, { token: ev.token, body: { proceedings_public: true } });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Bigre! Rencontre.s 2025' }).waitFor();
    await page.getByRole('navigation', { name: L['proceedings.contents'] }).or(page.getByRole('heading', { name: L['proceedings.contents'] })).first().waitFor();
    // A visitor reads the notes, but is not offered to write them.
    await page.getByRole('article', { name: 'Le rapport à l’argent' }).getByRole('link', { name: L['proceedings.open_notes'] }).click();
    await page.getByRole('heading', { level: 1, name: 'Le rapport à l’argent' }).waitFor();
    assert.equal(await page.getByRole('button', { name: L['notes.edit'] }).count(), 0);
    await page.getByText(L['notes.join_to_write']).waitFor();
    assert.deepEqual(
        page.problems.filter((p) => !/status of 401/.test(p)),
        [],
    );
    await page.context().close();
});
