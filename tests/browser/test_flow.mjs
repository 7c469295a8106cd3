// SPDX-License-Identifier: MIT
// The whole flow through the pages, as people would do it: the facilitator
// sets up slots and rooms; three participants join, propose and vote; the
// facilitator allocates and publishes; the wall and each agenda show the
// published result (checked against the API's own answers).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, createEvent, launchBrowser, openPage, S, fill, until, unfold, roomForm } from './lib/harness.mjs';

const L = S.fr;
let d;
let browser;
let ev;
let fac;
const people = [
    { name: 'Awa', title: 'Coopérer sans s’épuiser', theme: 'coopération' },
    { name: 'Bastien', title: 'Défendre son prix de vente', theme: 'le commercial' },
    { name: 'Chloé', title: 'Anticiper les deux prochaines années', theme: 'les crises / anticiper' },
];
// Who votes what: [voter index, topic index, weight].
const votes = [
    [0, 1, 3],
    [0, 2, 2],
    [1, 0, 1],
    [1, 2, 3],
    [2, 0, 3],
    [2, 1, 2],
];

before(async () => {
    d = await startDaemon();
    ev = await createEvent(d, { name: 'Bigre! Rencontre.s 2025', join_code: 'BIGRE25' });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (d) {
        const code = await d.stop();
        d.cleanup();
        assert.equal(code, 0, 'forumd exits 0 on SIGTERM');
    }
});

test('the facilitator opens the page with the link and sets up slots and rooms', async () => {
    fac = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await fac.goto(`${d.url}/e/${ev.id}/facilitate#token=${ev.token}`);
    await fac.getByRole('heading', { name: L['fac.settings'] }).waitFor();
    assert.ok(!fac.url().includes('token='), 'the token leaves the address bar');

    // Open both phases and save.
    const settings = fac.getByRole('form', { name: L['fac.settings'] });
    await settings.getByLabel(L['fac.proposals_open']).check();
    await settings.getByLabel(L['fac.voting_open']).check();
    await settings.getByRole('button', { name: L['fac.save_settings'] }).click();
    await until(async () => (await d.ok('GET', `/events/${ev.id}`)).voting_open === true, 'voting open');

    for (const [i, [a, b]] of [
        ['09:30', '10:45'],
        ['11:00', '12:15'],
    ].entries()) {
        const form = fac.getByRole('form', { name: L['fac.slot_add'] });
        await form.getByLabel(L['fac.slot_label']).fill(`Forum ouvert ${i + 1}`);
        await form.getByLabel(L['fac.starts_at']).fill(`2025-10-14T${a}`);
        await form.getByLabel(L['fac.ends_at']).fill(`2025-10-14T${b}`);
        await form.getByRole('button', { name: L['fac.slot_add_button'] }).click();
        await fac.getByRole('form', { name: fill(L['fac.slot_named'], { slot: `Forum ouvert ${i + 1}` }) }).waitFor();
    }
    const slots = await d.ok('GET', `/events/${ev.id}/slots`);
    assert.equal(slots.length, 2);
    // Times typed in the event's zone (Paris, UTC+2 in October) are stored in UTC.
    const first = slots.find((s) => s.label === 'Forum ouvert 1');
    assert.equal(new Date(first.starts_at).toISOString(), '2025-10-14T07:30:00.000Z');

    for (const [name, capacity, features] of [
        ['Verrière', '12', 'accessible, projecteur'],
        ['Atelier', '8', 'accessible'],
    ]) {
        const form = fac.getByRole('form', { name: L['fac.room_add'] });
        await form.getByLabel(L['fac.room_name']).fill(name);
        await form.getByLabel(L['fac.capacity']).fill(capacity);
        await form.getByLabel(L['fac.features']).fill(features);
        await form.getByRole('button', { name: L['fac.room_add_button'] }).click();
        await fac.getByRole('rowheader', { name }).waitFor();
    }
    const rooms = await d.ok('GET', `/events/${ev.id}/rooms`);
    assert.deepEqual(rooms.map((r) => r.name).sort(), ['Atelier', 'Verrière']);
    assert.deepEqual(rooms.find((r) => r.name === 'Verrière').features.sort(), ['accessible', 'projecteur']);

    // Edit a room: capacity, features, a slot where it is unavailable; then delete it.
    {
        const form = fac.getByRole('form', { name: L['fac.room_add'] });
        await form.getByLabel(L['fac.room_name']).fill('Salle en ligne');
        await form.getByLabel(L['fac.capacity']).fill('20');
        await form.getByRole('button', { name: L['fac.room_add_button'] }).click();
        const room = await roomForm(fac, L, 'Salle en ligne');
        await room.getByLabel(L['fac.capacity']).fill('25');
        await room.getByLabel(L['fac.features']).fill('online');
        await room.getByRole('group', { name: L['fac.room_unavailable'] }).getByLabel('Forum ouvert 2').check();
        await room.getByRole('button', { name: L['fac.save'], exact: true }).click();
        const slot2 = (await d.ok('GET', `/events/${ev.id}/slots`)).find((s) => s.label === 'Forum ouvert 2');
        const saved = await until(async () => {
            const r = (await d.ok('GET', `/events/${ev.id}/rooms`)).find((x) => x.name === 'Salle en ligne');
            return r && r.capacity === 25 ? r : null;
        }, 'the room edit is saved');
        assert.deepEqual(saved.features, ['online']);
        assert.deepEqual(saved.unavailable, [slot2.id]);
        await fac.getByRole('button', { name: fill(L['fac.delete_named'], { what: 'Salle en ligne' }) }).click();
        await until(async () => (await d.ok('GET', `/events/${ev.id}/rooms`)).length === 2, 'the room is deleted');
        assert.equal(fac.confirms.length, 1, 'deleting asks first');
    }

    // A slot added by mistake, renamed, then deleted.
    {
        const form = fac.getByRole('form', { name: L['fac.slot_add'] });
        await form.getByLabel(L['fac.slot_label']).fill('Erreur');
        await form.getByLabel(L['fac.starts_at']).fill('2025-10-14T18:00');
        await form.getByLabel(L['fac.ends_at']).fill('2025-10-14T19:00');
        await form.getByRole('button', { name: L['fac.slot_add_button'] }).click();
        const slot = fac.getByRole('form', { name: fill(L['fac.slot_named'], { slot: 'Erreur' }) });
        await slot.getByLabel(L['fac.slot_label']).fill('Erreur bis');
        await slot.getByRole('button', { name: L['fac.save'], exact: true }).click();
        const renamed = fac.getByRole('form', { name: fill(L['fac.slot_named'], { slot: 'Erreur bis' }) });
        await renamed.getByRole('button', { name: fill(L['fac.delete_named'], { what: 'Erreur bis' }) }).click();
        await until(async () => (await d.ok('GET', `/events/${ev.id}/slots`)).length === 2, 'the slot is deleted');
    }

    // An API error lands next to its field: a room without a capacity never reaches the server.
    const form = fac.getByRole('form', { name: L['fac.room_add'] });
    await form.getByLabel(L['fac.room_name']).fill('Sans place');
    await form.getByRole('button', { name: L['fac.room_add_button'] }).click();
    await form.getByText(L['fac.positive']).waitFor();
    assert.equal((await d.ok('GET', `/events/${ev.id}/rooms`)).length, 2);
    assert.deepEqual(fac.problems, []);
});

test('three participants join with the code, propose a topic each and vote with words', async () => {
    for (const p of people) {
        p.page = await openPage(browser);
        await p.page.goto(`${d.url}/`);
        // Typed in small letters on a phone: still found.
        await p.page.getByLabel(L['home.what']).fill(p === people[0] ? 'bigre25' : 'BIGRE25');
        await p.page.getByRole('button', { name: L['home.go'] }).click();
        await p.page.getByRole('heading', { name: L['join.title'] }).waitFor();
        await p.page.getByLabel(L['join.name']).fill(p.name);
        // The join code came along from the home page.
        // As typed: join codes are case-insensitive everywhere, the participant page too.
        assert.equal(await p.page.getByLabel(L['join.code']).inputValue(), p === people[0] ? 'bigre25' : 'BIGRE25');
        assert.deepEqual(p.page.problems, [], `problems on ${p.name}'s page`);
        await p.page.getByRole('button', { name: L['join.submit'] }).click();
        await p.page.getByRole('heading', { name: fill(L['me.hello'], { name: p.name }) }).waitFor();
        const link = await p.page.getByLabel(L['me.link']).inputValue();
        assert.match(link, new RegExp(`/e/${ev.id}#token=.+`));
        p.token = decodeURIComponent(link.split('#token=')[1]);

        await p.page.getByText(L['topic.propose']).click();
        const propose = p.page.getByRole('region', { name: L['topic.propose'] });
        await propose.getByLabel(L['topic.title']).fill(p.title);
        await propose.getByLabel(L['topic.theme']).fill(p.theme);
        await propose.getByRole('group', { name: L['topic.needs'] }).getByLabel('accessible').check();
        await propose.getByRole('button', { name: L['topic.submit'], exact: true }).click();
        await p.page.getByRole('article', { name: p.title }).waitFor();
    }
    const topics = await d.ok('GET', `/events/${ev.id}/topics`);
    assert.equal(topics.length, 3);
    for (const p of people) p.topic = topics.find((x) => x.title === p.title);
    assert.deepEqual(people[0].topic.needs, ['accessible']);

    for (const [who, what, weight] of votes) {
        const page = people[who].page;
        await page.reload();
        const card = page.getByRole('article', { name: people[what].title, exact: true });
        await card.getByRole('radio', { name: L[`vote.w${weight}`] }).check();
        await until(async () => (await card.getByRole('radio', { name: L[`vote.w${weight}`] }).isChecked()) && !(await card.getByRole('alert').count()), 'vote saved');
    }
    for (const [i, p] of people.entries()) {
        const mine = await d.ok('GET', `/events/${ev.id}/me/votes`, { token: p.token });
        const want = votes.filter(([w]) => w === i).map(([, x, weight]) => ({ topic: people[x].topic.id, weight }));
        const got = mine.map((v) => ({ topic: v.topic, weight: v.weight }));
        const key = (a) => a.slice().sort((x, y) => String(x.topic).localeCompare(String(y.topic)));
        assert.deepEqual(key(got), key(want), `votes of ${p.name}`);
        // One's own topic has edit controls, no vote.
        const own = p.page.getByRole('article', { name: p.title, exact: true });
        assert.equal(await own.getByRole('radio').count(), 0);
        await own.getByRole('button', { name: fill(L['topic.edit_named'], { title: p.title }) }).waitFor();
        assert.deepEqual(p.page.problems, [], `problems on ${p.name}'s page`);
    }
});

test('a participant says when she is away', async () => {
    const p = people[2];
    await p.page.getByText(L['prefs.title']).click();
    const prefs = p.page.getByRole('form', { name: L['prefs.title'] });
    await prefs.getByRole('group', { name: L['prefs.unavailable'] }).getByLabel(/Forum ouvert 1/).check();
    await prefs.getByRole('button', { name: L['prefs.save'] }).click();
    const slots = await d.ok('GET', `/events/${ev.id}/slots`);
    const away = slots.find((s) => s.label === 'Forum ouvert 1').id;
    await until(async () => {
        const me = await d.ok('GET', `/events/${ev.id}/me`, { token: p.token });
        return me.unavailable.length === 1 && me.unavailable[0] === away;
    }, 'the absence is stored');
    assert.deepEqual(p.page.problems, []);
});

test('a host edits their own topic', async () => {
    const p = people[0];
    await p.page.getByRole('button', { name: fill(L['topic.edit_named'], { title: p.title }) }).click();
    const form = p.page.getByRole('article', { name: fill(L['topic.editing'], { title: p.title }) });
    await form.getByLabel(L['topic.description']).fill('Prendre soin du collectif et de ses membres.');
    await form.getByLabel(L['topic.max_size']).fill('9');
    await form.getByRole('button', { name: L['topic.save'] }).click();
    await p.page.getByRole('article', { name: p.title, exact: true }).getByText('Prendre soin du collectif').waitFor();
    const t = (await d.ok('GET', `/events/${ev.id}/topics`)).find((x) => x.id === p.topic.id);
    assert.equal(t.description, 'Prendre soin du collectif et de ses membres.');
    assert.equal(t.max_size, 9);
});

test('the facilitator sees votes and clashes, allocates and publishes', async () => {
    await fac.reload();
    await unfold(fac, [L['fac.topics']]);
    const first = fac.getByRole('article', { name: people[0].title, exact: true });
    // Awa's topic has two votes of weight 1 + 3.
    await first.getByText(fill(L['fac.votes.other'], { n: 2, weight: 4 })).waitFor();
    await fac.getByText(L['fac.clash_explain']).waitFor();

    // Lock Bastien's topic to a cell.
    await lock(people[1].title, 'Verrière', 'Forum ouvert 2');
    const locked = (await d.ok('GET', `/events/${ev.id}/topics`)).find((x) => x.id === people[1].topic.id);
    assert.ok(locked.fixed && locked.fixed.room && locked.fixed.slot, 'the lock is stored');

    await fac.getByRole('button', { name: L['fac.allocate'] }).click();
    await fac.getByRole('heading', { name: /^Brouillon / }).waitFor({ timeout: 60000 });
    const list = await d.ok('GET', `/events/${ev.id}/allocations`, { token: ev.token });
    assert.equal(list.length, 1);
    const draft = await d.ok('GET', `/events/${ev.id}/allocations/${list[0].id}`, { token: ev.token });
    const score = draft.solution.score;
    await fac.getByText(fill(L['fac.score_satisfied_value'], { satisfied: score.satisfied, demand: score.demand }), { exact: true }).waitFor();
    // The grid shows every placed topic with its expected attendance.
    const grid = fac.getByRole('table');
    for (const s of draft.solution.sessions) {
        const title = people.find((p) => p.topic.id === s.topic).title;
        await grid.getByText(title).waitFor();
        await grid.getByRole('meter', { name: fill(L['fac.attendance_label'], { title }) }).waitFor();
    }
    // Topics left out are listed with the allocator's reason.
    for (const tid of draft.solution.unscheduled || []) {
        const title = people.find((p) => p.topic.id === tid).title;
        const item = fac.getByRole('list').getByRole('listitem').filter({ hasText: title });
        await item.first().waitFor();
        const code = (draft.solution.why_code || {})[tid];
        const why = code && L[`why.${code}`] ? L[`why.${code}`] : (draft.solution.why || {})[tid];
        if (why) await item.getByText(why).first().waitFor();
    }
    await fac.getByText(L['fac.diff_none_published']).waitFor();

    const asked = fac.confirms.length;
    await fac.getByRole('button', { name: L['fac.publish'] }).click();
    await fac.getByText(fill(L['fac.published_info'], { version: 1, at: '' }).replace(/ \(\)\.$/, '')).first().waitFor();
    assert.equal(fac.confirms.length, asked + 1, 'publishing asks first');
    const sched = await d.ok('GET', `/events/${ev.id}/schedule`);
    assert.equal(sched.version, 1);
    assert.equal(sched.sessions.length, draft.solution.sessions.length);
    const placed = sched.sessions.find((s) => s.topic === people[1].topic.id);
    assert.equal(sched.rooms.find((r) => r.id === placed.room).name, 'Verrière');
    assert.equal(sched.slots.find((s) => s.id === placed.slot).label, 'Forum ouvert 2');

    // Moving the lock: the next draft says what changes against version 1.
    await fac.getByRole('button', { name: fill(L['fac.unlock_named'], { title: people[1].title }) }).click();
    await lock(people[1].title, 'Atelier', 'Forum ouvert 1');
    await fac.getByRole('button', { name: L['fac.allocate'] }).click();
    await fac.getByRole('heading', { name: fill(L['fac.diff_title'], { version: 1 }) }).waitFor({ timeout: 60000 });
    await fac
        .getByText(fill(L['fac.diff_moved'], { title: people[1].title, from: 'Verrière, Forum ouvert 2', to: 'Atelier, Forum ouvert 1' }))
        .waitFor();
    assert.equal((await d.ok('GET', `/events/${ev.id}/schedule`)).version, 1, 'a draft is not public');
    assert.deepEqual(fac.problems, []);
});

async function lock(title, room, slot) {
    const row = fac.getByRole('article', { name: title, exact: true });
    await row.getByLabel(L['fac.lock_room']).selectOption({ label: room });
    await row.getByLabel(L['fac.lock_slot']).selectOption({ label: slot });
    await row.getByRole('button', { name: fill(L['fac.lock_named'], { title }) }).click();
    await row.getByText(fill(L['fac.locked_at'], { room, slot })).waitFor();
}

test('the wall shows the published grid, the current and the next slot', async () => {
    const wall = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    // 10:00 in Paris on the day: the first slot runs, the second comes next.
    await wall.clock.install({ time: new Date('2025-10-14T08:00:00Z') });
    await wall.goto(`${d.url}/e/${ev.id}/wall`);
    const grid = wall.getByRole('table');
    await grid.waitFor();
    const sched = await d.ok('GET', `/events/${ev.id}/schedule`);
    for (const s of sched.sessions) {
        const room = sched.rooms.find((r) => r.id === s.room).name;
        const row = grid.getByRole('row', { name: new RegExp(`^${room}`) });
        await row.getByText(s.title).waitFor();
    }
    const now = grid.getByRole('columnheader', { name: new RegExp(L['wall.now']) });
    await now.getByText('09:30–10:45').waitFor();
    const next = grid.getByRole('columnheader', { name: new RegExp(L['wall.next']) });
    await next.getByText('11:00–12:15').waitFor();
    assert.deepEqual(wall.problems, []);
    await wall.context().close();
});

test('each participant sees their own agenda and a calendar link', async () => {
    for (const p of people) {
        await p.page.reload();
        await p.page.getByRole('heading', { name: L['agenda.title'] }).waitFor();
        const agenda = await d.ok('GET', `/events/${ev.id}/me/agenda`, { token: p.token });
        const sched = await d.ok('GET', `/events/${ev.id}/schedule`);
        // Every host of a placed topic attends its session.
        if (sched.sessions.some((s) => s.topic === p.topic.id)) {
            assert.ok(
                agenda.some((a) => a.topic === p.topic.id),
                `${p.name} attends their own topic`,
            );
        }
        if (p === people[2]) assert.ok(!agenda.some((a) => a.slot_label === 'Forum ouvert 1'), 'nothing while she is away');
        const section = p.page.getByRole('region', { name: L['agenda.title'] });
        const items = section.getByRole('listitem');
        assert.equal(await items.count(), agenda.length);
        for (const a of agenda) await section.getByText(a.title).waitFor();
        // The whole programme, folded, lists every session with its room.
        const all = (await d.ok('GET', `/events/${ev.id}/schedule`)).sessions;
        const heading = fill(L[all.length <= 1 ? 'schedule.title.one' : 'schedule.title.other'], { n: all.length });
        await p.page.getByText(heading).click();
        const whole = p.page.getByRole('region', { name: heading });
        for (const s of all) await whole.getByText(s.title, { exact: true }).waitFor();
        assert.equal(await whole.getByText(L['schedule.yours']).count(), agenda.length);
        // Subscribing is a webcal:// link (phones open their calendar app);
        // the same feed is also a plain download.
        const sub = await section.getByRole('link', { name: L['agenda.subscribe'] }).getAttribute('href');
        const cal = await section.getByRole('link', { name: L['agenda.download_mine'] }).getAttribute('href');
        const me = await d.ok('GET', `/events/${ev.id}/me`, { token: p.token });
        assert.ok(cal.endsWith(me.calendar_url), 'the download link is the feed');
        assert.equal(sub, cal.replace(/^http:/, 'webcal:'), 'the subscription is the same feed as webcal://');
        assert.ok(!cal.includes(p.token), 'the feed link never carries the token');
        const feed = await fetch(cal);
        assert.equal(feed.status, 200);
        assert.match(await feed.text(), /BEGIN:VCALENDAR/);
        assert.deepEqual(p.page.problems, [], `problems on ${p.name}'s page`);
    }
});

test('closing the votes and clearing the join code from the settings', async () => {
    await unfold(fac, [L['fac.settings']]);
    const settings = fac.getByRole('form', { name: L['fac.settings'] });
    await settings.getByLabel(L['fac.voting_open']).uncheck();
    await settings.getByLabel(L['fac.join_code']).fill('');
    await settings.getByRole('button', { name: L['fac.save_settings'] }).click();
    const e = await until(async () => {
        const x = await d.ok('GET', `/events/${ev.id}`);
        return x.voting_open === false ? x : null;
    }, 'voting closed');
    assert.equal(e.join_code_required, false, 'an empty code means none');
    assert.deepEqual(fac.problems, []);

    const p = people[0];
    await p.page.reload();
    await p.page.getByText(L['vote.closed']).waitFor();
    const card = p.page.getByRole('article', { name: people[1].title, exact: true });
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isDisabled(), 'votes cannot change');
    assert.ok(await card.getByRole('radio', { name: L['vote.w3'] }).isChecked(), 'the vote still shows');

    // Without a code, the join form asks for a name only.
    const visitor = await openPage(browser);
    await visitor.goto(`${d.url}/e/${ev.id}`);
    await visitor.getByLabel(L['join.name']).waitFor();
    assert.equal(await visitor.getByLabel(L['join.code']).count(), 0);
    assert.deepEqual(visitor.problems, []);
    await visitor.context().close();
});

test('the facilitator fixes a topic title; participants see it', async () => {
    const p = people[2];
    const newTitle = 'Anticiper les 2-3 prochaines années';
    await fac.getByRole('button', { name: fill(L['topic.edit_named'], { title: p.title }) }).click();
    const form = fac.getByRole('form', { name: fill(L['topic.edit_named'], { title: p.title }) });
    await form.getByLabel(L['topic.title']).fill(newTitle);
    await form.getByLabel(L['topic.max_size']).fill('12');
    await form.getByRole('button', { name: L['topic.save'] }).click();
    await fac.getByRole('article', { name: newTitle, exact: true }).waitFor();
    const t = (await d.ok('GET', `/events/${ev.id}/topics`)).find((x) => x.id === p.topic.id);
    assert.equal(t.title, newTitle);
    assert.equal(t.max_size, 12);
    await people[0].page.reload();
    await people[0].page.getByRole('article', { name: newTitle, exact: true }).waitFor();
    assert.deepEqual(fac.problems, []);
});
