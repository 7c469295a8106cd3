// SPDX-License-Identifier: MIT
// The paper bridge, one page for three prints of the published schedule:
// /e/{eid}/print/doors (an A4 sheet per room for its door: the room in
// large type, its sessions by slot, a QR code per session to its notes),
// /e/{eid}/print/poster (the whole grid, a sheet per day, A3 or A4
// landscape) and /e/{eid}/print/flyer (the QR code to join, and the join
// code). QR codes are drawn by the server (GET /qr.svg) for the exact URL
// written under them.

import { Api, seg, tokens, takeFragment, eventIdFromPath } from './api.js';
import { h, mount } from './dom.js';
import { t, loadLang, pickLang, langSwitch, useEventLang, fmtTime, fmtDay } from './i18n.js';
import { errorText, sessionTitle, kindLabel, themeClass, setThemes } from './common.js';
import { sortSlots, indexSchedule, cellKey, dayBlocks, isForEveryone } from './schedule.js';

const KINDS = ['doors', 'poster', 'flyer'];

const state = {
    eid: eventIdFromPath(),
    kind: kindFromPath(),
    token: null, // a facilitator's: the flyer needs the join code
    code: null, // the join code, from #code= or the facilitator's GET /events
    event: null,
    schedule: null,
    paper: 'a3', // the poster's sheet
    fatal: null,
    loading: true,
};

function kindFromPath() {
    const m = location.pathname.match(/\/print\/([a-z]+)$/);
    return m && KINDS.includes(m[1]) ? m[1] : 'doors';
}

// The image of a QR code standing for url (drawn by the server).
export function qrSrc(eid, url) {
    return `/api/v1/events/${seg(eid)}/qr.svg?url=${encodeURIComponent(url)}`;
}

function qr(url, label, cls) {
    return h('figure', { class: ['qr', cls] }, h('img', { src: qrSrc(state.eid, url), alt: t('print.qr_alt', { what: label, url }) }), h('figcaption', { class: 'mono' }, url));
}

export function notesUrl(eid, sid) {
    return `${location.origin}/e/${seg(eid)}/notes/${seg(sid)}`;
}

export function joinUrl(eid, code) {
    return `${location.origin}/e/${seg(eid)}${code ? `#code=${encodeURIComponent(code)}` : ''}`;
}

async function load() {
    const e = seg(state.eid);
    try {
        // With a facilitator's token the event says its join code.
        const withToken = state.token ? await new Api(state.token).get(`/events/${e}`).catch(() => null) : null;
        state.event = withToken || (await new Api(null).get(`/events/${e}`));
        if (!state.code && state.event.join_code) state.code = state.event.join_code;
    } catch (err) {
        state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
        return;
    }
    if (state.kind === 'flyer') return;
    try {
        state.schedule = await new Api(null).get(`/events/${e}/schedule`);
    } catch (err) {
        state.fatal = err.code === 'not_published' ? t('print.not_published') : errorText(err);
    }
}

// ---- the door sheets -------------------------------------------------------------

function doorItem(x, tz) {
    const everyone = isForEveryone(x);
    return h(
        'li',
        { class: ['door-session', everyone ? 'everyone' : ''] },
        h('div', { class: 'when' }, h('span', { class: 'day' }, fmtDay(x.starts_at, tz)), h('span', { class: 'time' }, `${fmtTime(x.starts_at, tz)}–${fmtTime(x.ends_at, tz)}`)),
        h(
            'div',
            { class: 'what' },
            h('strong', null, sessionTitle(x)),
            everyone ? h('span', { class: 'sub' }, `${kindLabel(x.kind)} · ${t('session.everyone')}`) : null,
            x.hosts && x.hosts.length ? h('span', { class: 'sub' }, t('notes.hosts', { names: x.hosts.join(', ') })) : null,
        ),
        x.kind === 'break' ? null : qr(notesUrl(state.eid, x.id), t('print.qr_notes', { title: sessionTitle(x) }), 'small'),
    );
}

function renderDoors() {
    const sch = state.schedule;
    const tz = sch.timezone || state.event.timezone;
    return (sch.rooms || []).map((r) => {
        const mine = sortSlots((sch.sessions || []).filter((x) => x.room === r.id));
        // More sessions, smaller rows: up to nine fit an A4 sheet.
        const size = mine.length > 7 ? 'denser' : mine.length > 4 ? 'dense' : '';
        return h(
            'section',
            { class: ['sheet', 'door', size], 'aria-label': r.name },
            h(
                'header',
                { class: 'door-head' },
                h('div', null, h('p', { class: 'event' }, state.event.name), h('h2', { class: 'room' }, r.name)),
                r.url ? h('div', { class: 'online' }, h('p', null, t('print.online')), qr(r.url, t('print.qr_online', { room: r.name }), 'small')) : null,
            ),
            mine.length ? h('ol', { class: 'door-sessions' }, mine.map((x) => doorItem(x, tz))) : h('p', { class: 'hint' }, t('print.room_free')),
            h('p', { class: 'door-foot' }, t('print.door_hint')),
        );
    });
}

// ---- the poster ---------------------------------------------------------------------

function renderPoster() {
    const sch = state.schedule;
    const tz = sch.timezone || state.event.timezone;
    const idx = indexSchedule(sch);
    const rooms = sch.rooms || [];
    const days = new Map();
    for (const b of dayBlocks(sch)) {
        const d = fmtDay(b.slots[0].starts_at, tz);
        if (!days.has(d)) days.set(d, []);
        days.get(d).push(b);
    }
    return [...days].map(([day, blocks]) => {
        const cols = blocks.flatMap((b) => b.slots.map((s) => ({ slot: s, block: b })));
        const everyoneAt = (c) => (c.block.kind === 'plenary' || c.block.kind === 'break' ? (sch.sessions || []).find((x) => x.block === c.block.id && isForEveryone(x)) : null);
        // A plenary or a break over several slots is one column.
        const shown = cols.filter((c, i) => !(everyoneAt(c) && i > 0 && cols[i - 1].block.id === c.block.id));
        return h(
            'section',
            { class: 'sheet poster', 'aria-label': day },
            h('h2', null, `${state.event.name} · ${day}`),
            h(
                'table',
                { class: 'poster-grid' },
                h(
                    'thead',
                    null,
                    h(
                        'tr',
                        null,
                        h('th', { scope: 'col' }, t('print.room')),
                        shown.map((c) => {
                            const x = everyoneAt(c);
                            const to = x ? x.ends_at : c.slot.ends_at;
                            return h('th', { scope: 'col' }, h('span', { class: 'time' }, `${fmtTime(c.slot.starts_at, tz)}–${fmtTime(to, tz)}`), c.block.name ? h('span', { class: 'sub' }, c.block.name) : null);
                        }),
                    ),
                ),
                h(
                    'tbody',
                    null,
                    rooms.map((r, ri) =>
                        h(
                            'tr',
                            null,
                            h('th', { scope: 'row' }, r.name),
                            shown.map((c) => {
                                const x = everyoneAt(c);
                                if (x) {
                                    if (ri > 0) return null; // one cell down the whole column
                                    return h('td', { class: 'everyone', rowspan: rooms.length }, h('strong', null, x.title), h('span', { class: 'sub' }, [kindLabel(x.kind), x.room ? (idx.roomById.get(x.room) || {}).name : ''].filter(Boolean).join(' · ')));
                                }
                                const s = idx.cells.get(cellKey(r.id, c.slot.id));
                                if (!s) return h('td', { class: 'free' }, '');
                                return h('td', { class: ['session', themeClass(s.theme)] }, h('strong', null, sessionTitle(s)), s.hosts && s.hosts.length ? h('span', { class: 'sub' }, s.hosts.join(', ')) : null);
                            }),
                        ),
                    ),
                ),
            ),
        );
    });
}

// ---- the flyer ----------------------------------------------------------------------

function renderFlyer() {
    const e = state.event;
    const url = joinUrl(state.eid, state.code);
    return h(
        'section',
        { class: 'sheet flyer', 'aria-label': t('print.flyer') },
        h('p', { class: 'kicker' }, t('print.flyer_kicker')),
        h('h2', null, e.name),
        h('p', { class: 'lead' }, t('print.flyer_lead')),
        qr(url, t('print.qr_join', { event: e.name }), 'large'),
        state.code ? h('p', { class: 'code' }, t('print.code'), ' ', h('strong', { class: 'mono' }, state.code)) : e.join_code_required ? h('p', { class: 'code' }, t('print.code_ask')) : null,
        h('ol', { class: 'steps' }, h('li', null, t('print.step_join')), h('li', null, t('print.step_propose')), h('li', null, t('print.step_vote')), h('li', null, t('print.step_agenda'))),
    );
}

// ---- the page -----------------------------------------------------------------------

function kindTitle(k) {
    if (k === 'poster') return t('print.poster_title');
    if (k === 'flyer') return t('print.flyer_title');
    return t('print.doors_title');
}

function kindHint(k) {
    if (k === 'poster') return t('print.poster_hint');
    if (k === 'flyer') return t('print.flyer_hint');
    return t('print.doors_hint');
}

function toolbar() {
    const base = `/e/${seg(state.eid)}/print`;
    return h(
        'header',
        { class: 'page-header no-print' },
        h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd')),
        langSwitch(() => render()),
        h('h1', { id: 'page-title' }, kindTitle(state.kind)),
        h('p', { class: 'hint' }, kindHint(state.kind)),
        h('nav', { 'aria-label': t('print.nav') }, h('ul', null, KINDS.map((k) => h('li', null, k === state.kind ? h('span', { 'aria-current': 'page' }, kindTitle(k)) : h('a', { href: `${base}/${k}` }, kindTitle(k)))))),
        state.kind === 'poster'
            ? h(
                  'div',
                  { class: 'field' },
                  h('label', { for: 'paper' }, t('print.paper')),
                  h(
                      'select',
                      {
                          id: 'paper',
                          onchange: (ev) => {
                              state.paper = ev.target.value;
                              render();
                          },
                      },
                      h('option', { value: 'a3', selected: state.paper === 'a3' }, 'A3'),
                      h('option', { value: 'a4', selected: state.paper === 'a4' }, 'A4'),
                  ),
              )
            : null,
        state.kind === 'flyer' && state.event && state.event.join_code_required && !state.code ? h('p', { class: 'notice' }, t('print.code_missing')) : null,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, t('print.print'))),
    );
}

function render() {
    const main = document.getElementById('main');
    document.body.classList.toggle('paper-a4', state.paper === 'a4');
    document.body.classList.toggle('paper-a3', state.paper === 'a3');
    let body;
    if (state.fatal) body = h('p', { class: 'form-error', role: 'alert' }, state.fatal);
    else if (state.loading) body = h('p', { 'aria-busy': 'true' }, t('app.loading'));
    else if (state.kind === 'doors') body = renderDoors();
    else if (state.kind === 'poster') body = renderPoster();
    else body = renderFlyer();
    if (state.schedule) setThemes((state.schedule.sessions || []).map((x) => x.theme));
    mount(main, toolbar(), h('div', { class: `prints prints-${state.kind}` }, body));
    document.title = state.event ? `${state.event.name} · ${kindTitle(state.kind)}` : kindTitle(state.kind);
}

async function start() {
    const frag = takeFragment();
    // A token in the link is the facilitator's (from the console): kept for
    // this page only; else the one this device keeps.
    state.token = frag.token || tokens.get('f', state.eid);
    state.code = frag.code || null;
    await loadLang(pickLang(null));
    render();
    await load();
    await useEventLang(state.event && state.event.locale);
    state.loading = false;
    render();
    // Every QR code drawn: a print (or a headless print to PDF) may start.
    await Promise.all([...document.images].map((img) => (img.decode ? img.decode().catch(() => {}) : null)));
    document.body.dataset.ready = 'true';
}

start();
