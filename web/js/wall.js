// SPDX-License-Identifier: MIT
// The wall display (/e/{eid}/wall): the current block of the day from the
// clock: its rooms x slots grid, current and next slot highlighted, group
// sessions by number ("Co-développement — groupe 2"), or a plenary or a
// break as one full-width item for everyone. Polled every 10 s with
// If-None-Match; when the daemon is away it keeps the last schedule with an
// "updated at" mark and recovers by itself. QR codes: to join (with the join
// code when the wall's link carries #code=), and each online room's link.
// For ten minutes after a publication the cells it changed are marked
// (moved, new, cancelled). While the marketplace of a block is open ("place
// du marché"), the wall shows the topics as they arrive, the join link as a
// QR code and how many joined, polled every second, and the vote window's
// countdown; right after it closes, every half second for two minutes, so
// that the grid appears as soon as it is published (docs/performance.md,
// "On the day": closing the marketplace to the published wall in under 2 s).
// One state object, one render().

import { Api, ApiError, seg, eventIdFromPath } from './api.js';
import { h, mount } from './dom.js';
import { t, tn, loadLang, pickLang, LANGS, fmtTime, fmtDay } from './i18n.js';
import { themeClass, setThemes, sessionTitle, kindLabel } from './common.js';
import { indexSchedule, cellKey, dayBlocks, currentBlock, isForEveryone, recentChanges } from './schedule.js';

const POLL_MS = 10000;
const MARKET_POLL_MS = 1000; // the marketplace is open: topics as they arrive
const FAST_POLL_MS = 500; // it has just closed: the grid comes within a second
const FAST_FOR_MS = 120000;
const CLOCK_MS = 15000;
const POLL_TIMEOUT_MS = 8000;
const IDLE_MS = 5000;
const ROOMS_PER_PAGE = 12;
const PAGE_MS = 15000;
const MAX_COLUMNS = 5;

const state = {
    eid: eventIdFromPath(),
    code: new URLSearchParams(location.hash.replace(/^#/, '')).get('code'), // the join code, if the link says it
    event: null,
    market: null, // GET /marketplace: its phase, block, topics, how many joined
    skew: 0, // the server's clock minus this one (ms): times from the server are compared on its clock
    seenTopics: null, // ids of the topics shown already (the others arrive: marked new)
    freshTopics: new Set(),
    schedule: null,
    etag: null,
    notPublished: false,
    online: true,
    lastOk: null, // Date of the last successful poll
    now: new Date(),
    page: 0, // which page of rooms, when they do not fit one screen
};

const cacheKey = () => `forumd.wall.${state.eid}`;

function saveCache() {
    try {
        localStorage.setItem(cacheKey(), JSON.stringify({ schedule: state.schedule, etag: state.etag, at: state.lastOk && state.lastOk.toISOString() }));
    } catch {
        /* a full or private storage only costs the reload-while-offline case */
    }
}

function loadCache() {
    try {
        const c = JSON.parse(localStorage.getItem(cacheKey()) || 'null');
        if (c && c.schedule) {
            state.schedule = c.schedule;
            state.etag = c.etag || null;
            state.lastOk = c.at ? new Date(c.at) : null;
        }
    } catch {
        /* ignore a damaged cache */
    }
}

let polling = false;

async function poll() {
    // One poll at a time: a slow answer must not pile up requests.
    if (polling) return;
    polling = true;
    try {
        await pollOnce();
    } finally {
        polling = false;
    }
}

// Now on the server's clock (publication and vote times are the server's).
function serverNow() {
    return Date.now() + state.skew;
}

async function pollMarket(api) {
    try {
        const m = (await api.raw('GET', `/events/${seg(state.eid)}/marketplace`, { timeoutMs: POLL_TIMEOUT_MS })).data;
        if (!m) return;
        state.skew = Date.parse(m.now) - Date.now() || 0;
        const ids = (m.topics || []).map((x) => x.id);
        // A topic not seen at the previous poll has just arrived.
        state.freshTopics = state.seenTopics ? new Set(ids.filter((id) => !state.seenTopics.has(id))) : new Set();
        state.seenTopics = new Set(ids);
        state.market = m;
    } catch {
        /* an older server, or offline: no marketplace */
    }
}

function marketOpen() {
    const m = state.market;
    return Boolean(m && m.block && (m.phase === 'proposals' || m.phase === 'vote'));
}

function pollDelay() {
    const m = state.market;
    if (marketOpen()) return MARKET_POLL_MS;
    if (m && m.phase === 'closed' && m.changed_at && serverNow() - Date.parse(m.changed_at) < FAST_FOR_MS) return FAST_POLL_MS;
    return POLL_MS;
}

async function pollOnce() {
    const api = new Api(null);
    await pollMarket(api);
    try {
        if (!state.event) state.event = (await api.raw('GET', `/events/${seg(state.eid)}`, { timeoutMs: POLL_TIMEOUT_MS })).data;
        const res = await api.raw('GET', `/events/${seg(state.eid)}/schedule`, { etag: state.schedule ? state.etag : null, timeoutMs: POLL_TIMEOUT_MS });
        if (res.status !== 304) {
            state.schedule = res.data;
            state.etag = res.etag;
            state.notPublished = false;
        }
        // A copy kept by the service worker (web/sw.js) is the schedule of
        // the time it was received: offline, with that time.
        state.online = !res.stale;
        state.lastOk = res.stale ? new Date(res.stale) : new Date();
        if (!res.stale) saveCache();
    } catch (err) {
        if (err instanceof ApiError && err.code === 'not_published') {
            state.online = !err.stale;
            state.notPublished = true;
            state.schedule = null;
            state.etag = null;
            state.lastOk = new Date();
        } else {
            state.online = false;
        }
    }
    state.now = new Date();
    render();
}

// The slots of a grid block to show: at most MAX_COLUMNS of them, starting
// from the one under way (or the next one).
export function visibleSlots(block, current, next) {
    let shown = block.slots;
    if (shown.length > MAX_COLUMNS) {
        const anchor = current || next;
        const i = Math.max(0, shown.findIndex((s) => anchor && s.id === anchor.id));
        const from = Math.min(i, shown.length - MAX_COLUMNS);
        shown = shown.slice(from, from + MAX_COLUMNS);
    }
    return shown;
}

// More rooms than fit a screen: they are shown ROOMS_PER_PAGE at a time,
// in pages of equal size, each page for PAGE_MS.
export function roomPages(rooms) {
    if (rooms.length <= ROOMS_PER_PAGE) return [rooms];
    const n = Math.ceil(rooms.length / ROOMS_PER_PAGE);
    const size = Math.ceil(rooms.length / n);
    const out = [];
    for (let i = 0; i < rooms.length; i += size) out.push(rooms.slice(i, i + size));
    return out;
}

function renderStatus() {
    const z = state.schedule ? state.schedule.timezone : state.event && state.event.timezone;
    const at = state.lastOk ? fmtTime(state.lastOk.toISOString(), z) : '—';
    return h(
        'p',
        { class: ['wall-status', state.online ? 'ok' : 'offline'], role: 'status', 'aria-live': 'polite' },
        state.online ? t('wall.updated_at', { time: at }) : t('wall.offline', { time: at }),
    );
}

function zoneOf(sched) {
    return sched.timezone || (state.event && state.event.timezone);
}

// What comes after the block shown: "Then: Temps fort, 17:45".
function renderThen(sched, after) {
    if (!after) return null;
    const name = after.title || after.name || kindLabel(after.kind);
    return h('p', { class: 'wall-then' }, t('wall.then', { name, time: fmtTime(after.slots[0].starts_at, zoneOf(sched)) }));
}

// The link to join the event (with its code when the wall knows it).
function joinUrl() {
    return `${location.origin}/e/${seg(state.eid)}${state.code ? `#code=${encodeURIComponent(state.code)}` : ''}`;
}

// A QR code for url, drawn by the server, with what it is for.
function qr(url, caption, cls) {
    return h(
        'figure',
        { class: ['wall-qr', cls] },
        h('img', { src: `/api/v1/events/${seg(state.eid)}/qr.svg?url=${encodeURIComponent(url)}`, alt: t('wall.qr_alt', { what: caption, url }) }),
        h('figcaption', null, caption),
    );
}

function joinQr(cls) {
    return qr(joinUrl(), state.code ? t('wall.qr_join_code', { code: state.code }) : t('wall.qr_join'), cls);
}

// A plenary or a break: one item, the whole width, for everyone.
function renderEveryone(sched, block, after) {
    const z = zoneOf(sched);
    const idx = indexSchedule(sched);
    const s = (sched.sessions || []).find((x) => x.block === block.id && isForEveryone(x));
    const room = idx.roomById.get((s && s.room) || block.room);
    const from = block.slots[0].starts_at;
    const to = block.slots[block.slots.length - 1].ends_at;
    const live = Date.parse(from) <= state.now.getTime() && state.now.getTime() < Date.parse(to);
    return h(
        'section',
        { class: ['wall-everyone', `kind-${block.kind}`, live ? 'now' : ''], 'aria-labelledby': 'wall-everyone-title' },
        h('p', { class: 'kind' }, live ? h('span', { class: 'badge' }, t('wall.now')) : null, kindLabel(block.kind), ' · ', t('wall.everyone')),
        h('h2', { id: 'wall-everyone-title', class: 'title' }, (s && s.title) || block.title || block.name),
        h('p', { class: 'when' }, `${fmtDay(from, z)} · ${fmtTime(from, z)}–${fmtTime(to, z)}`),
        room ? h('p', { class: 'where' }, room.name) : null,
        room && room.url ? h('p', { class: 'online' }, t('wall.online', { url: room.url })) : null,
        renderThen(sched, after),
        h('div', { class: 'wall-qrs' }, room && room.url ? qr(room.url, t('wall.qr_online', { room: room.name }), 'big') : null, joinQr('big')),
    );
}

function renderGrid(sched, block, current, next, after) {
    const z = zoneOf(sched);
    const shown = visibleSlots(block, current, next);
    const pages = roomPages(sched.rooms || []);
    const page = state.page % pages.length;
    const rooms = pages[page];
    const idx = indexSchedule(sched);
    const recent = recentChanges(sched, serverNow());
    const grid = h(
        'table',
        { class: 'wall-grid' },
        h('caption', { class: 'visually-hidden' }, t('wall.caption')),
        h(
            'thead',
            null,
            h(
                'tr',
                null,
                h(
                    'th',
                    { scope: 'col', class: 'corner' },
                    block.name ? h('span', { class: 'block-name' }, block.name) : null,
                    h('span', { class: 'day' }, shown.length ? fmtDay(shown[0].starts_at, z) : ''),
                    pages.length > 1 ? h('span', { class: 'page-mark' }, t('wall.page', { page: page + 1, pages: pages.length })) : null,
                ),
                shown.map((s) => {
                    const isNow = current && s.id === current.id;
                    const isNext = !isNow && next && s.id === next.id;
                    return h(
                        'th',
                        { scope: 'col', class: [isNow ? 'now' : '', isNext ? 'next' : ''], 'aria-current': isNow ? 'time' : null },
                        isNow ? h('span', { class: 'badge' }, t('wall.now')) : null,
                        isNext ? h('span', { class: 'badge' }, t('wall.next')) : null,
                        h('span', { class: 'slot-time' }, `${fmtTime(s.starts_at, z)}–${fmtTime(s.ends_at, z)}`),
                        s.label ? h('span', { class: 'slot-label' }, s.label) : null,
                    );
                }),
            ),
        ),
        h(
            'tbody',
            null,
            rooms.map((r) =>
                h(
                    'tr',
                    null,
                    h('th', { scope: 'row' }, h('span', { class: 'room-name' }, r.name)),
                    shown.map((sl) => {
                        const s = idx.cells.get(cellKey(r.id, sl.id));
                        const cls = [current && sl.id === current.id ? 'now' : '', next && sl.id === next.id && !(current && sl.id === current.id) ? 'next' : ''];
                        const gone = recent.cancelled.get(cellKey(r.id, sl.id));
                        if (!s && gone) return h('td', { class: ['free', 'changed', 'cancelled', ...cls] }, h('span', { class: 'change' }, t('wall.change_cancelled')), h('span', { class: 'title' }, sessionTitle(gone)));
                        if (!s) return h('td', { class: ['free', ...cls] }, '');
                        const change = recent.moved.get(s.id);
                        return h(
                            'td',
                            { class: ['session', themeClass(s.theme), ...cls, change ? 'changed' : ''] },
                            change ? h('span', { class: 'change' }, change === 'new' ? t('wall.change_new') : t('wall.change_moved')) : null,
                            h('a', { class: 'title', href: `/e/${seg(state.eid)}/notes/${seg(s.id)}` }, sessionTitle(s)),
                            s.theme || (s.hosts && s.hosts.length)
                                ? h('span', { class: 'sub' }, [s.theme, (s.hosts || []).join(', ')].filter(Boolean).join(' · '))
                                : null,
                        );
                    }),
                ),
            ),
        ),
    );
    // The type scales with the number of rows and columns, so that ten
    // rooms and four slots fit a screen without scrolling.
    grid.style.setProperty('--rows', String(Math.max(rooms.length, 4)));
    grid.style.setProperty('--cols', String(Math.max(shown.length, 1)));
    const then = renderThen(sched, after);
    // Beside the grid: the QR code to join, and one per online room shown.
    const online = rooms.filter((r) => r.url);
    const side = h('aside', { class: 'wall-side', 'aria-label': t('wall.qr_side') }, joinQr('side'), online.map((r) => qr(r.url, t('wall.qr_online', { room: r.name }), 'side')));
    return h('div', { class: 'wall-main' }, then ? h('div', { class: 'wall-block' }, grid, then) : h('div', { class: 'wall-block' }, grid), side);
}

// "4:07": what is left of the vote window.
function countdown(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// The marketplace: the topics as they arrive (the newest first), the QR
// code to join, how many joined; during the vote, its countdown.
function renderMarket(m) {
    const topics = m.topics || [];
    const left = m.vote_ends_at ? Date.parse(m.vote_ends_at) - serverNow() : 0;
    let vote = null;
    if (m.phase === 'vote')
        vote = left > 0 ? h('p', { class: 'market-vote', role: 'timer' }, t('wall.market_vote', { time: countdown(left) })) : h('p', { class: 'market-vote over' }, t('wall.market_vote_over'));
    return h(
        'section',
        { class: 'wall-market', 'aria-labelledby': 'market-title' },
        h(
            'div',
            { class: 'market-topics' },
            h('h2', { id: 'market-title' }, t('wall.market_title'), h('span', { class: 'market-block' }, m.block.name)),
            vote,
            m.phase === 'proposals' ? h('p', { class: 'market-hint' }, t('wall.market_hint')) : null,
            topics.length
                ? h(
                      'ol',
                      { class: 'market-list', 'aria-label': tn('wall.market_count', topics.length) },
                      topics.map((x) =>
                          h(
                              'li',
                              { class: state.freshTopics.has(x.id) ? 'new' : null },
                              h('span', { class: 'title' }, x.title),
                              h('span', { class: 'sub' }, [(x.hosts || []).join(', '), m.block.name].filter(Boolean).join(' · ')),
                          ),
                      ),
                  )
                : h('p', { class: 'market-empty' }, t('wall.market_empty')),
        ),
        h(
            'aside',
            { class: 'market-join', 'aria-label': t('wall.qr_side') },
            joinQr('big'),
            h('p', { class: 'join-url' }, joinUrl()),
            h('p', { class: 'joined' }, tn('wall.market_joined', m.participants || 0)),
        ),
    );
}

// The block of the day under way (or next, or last): a grid, or one item.
function renderDay(sched) {
    const blocks = dayBlocks(sched);
    const { block, index, current, next } = currentBlock(blocks, state.now);
    if (!block) return h('div', { class: 'wall-empty' }, h('p', null, t('wall.not_published')));
    const after = blocks[index + 1] || null;
    if (block.kind === 'plenary' || block.kind === 'break') return renderEveryone(sched, block, after);
    return renderGrid(sched, block, current, next, after);
}

function render() {
    const main = document.getElementById('main');
    setThemes(state.schedule ? (state.schedule.sessions || []).map((x) => x.theme) : []);

    const z = (state.schedule && state.schedule.timezone) || (state.event && state.event.timezone);
    const name = state.event ? state.event.name : '';
    let body;
    if (marketOpen()) body = renderMarket(state.market);
    else if (state.schedule) body = renderDay(state.schedule);
    else if (state.notPublished) body = h('div', { class: 'wall-empty' }, h('p', null, t('wall.not_published')), h('p', { class: 'join' }, t('wall.join', { url: joinUrl() })), joinQr('big'));
    else if (!state.online) body = h('div', { class: 'wall-empty' }, h('p', null, t('wall.unreachable')));
    else body = h('div', { class: 'wall-empty' }, h('p', null, t('app.loading')));
    mount(
        main,
        h(
            'header',
            { class: 'wall-header' },
            h('h1', null, name),
            h('p', { class: 'clock' }, fmtTime(state.now.toISOString(), z)),
            renderStatus(),
            document.fullscreenEnabled && !document.fullscreenElement
                ? h('button', { type: 'button', id: 'fullscreen', class: 'fullscreen', onclick: () => document.documentElement.requestFullscreen().catch(() => {}) }, t('wall.fullscreen'))
                : null,
        ),
        body,
        state.schedule && !marketOpen() ? h('footer', { class: 'wall-footer' }, t('wall.join', { url: joinUrl() })) : null,
    );
    document.title = name ? `${name} · ${t('wall.title')}` : t('wall.title');
}

// Keeps the screen awake while the page is visible (Screen Wake Lock API).
let wakeLock = null;
async function keepAwake() {
    if (!('wakeLock' in navigator) || document.hidden || wakeLock) return;
    try {
        wakeLock = await navigator.wakeLock.request('screen');
        wakeLock.addEventListener('release', () => {
            wakeLock = null;
        });
    } catch {
        wakeLock = null;
    }
}

async function start() {
    const q = new URLSearchParams(location.search).get('lang');
    loadCache();
    try {
        await loadLang(pickLang(null));
    } catch {
        /* without strings the grid still shows; keys stand in for labels */
    }
    render();
    await poll();
    // On the wall the event's language wins over the TV's, unless ?lang= says otherwise.
    const l = state.event && !LANGS.includes(q) ? String(state.event.locale || '').slice(0, 2) : null;
    if (l && LANGS.includes(l) && l !== document.documentElement.lang) {
        try {
            await loadLang(l);
        } catch {
            /* keep the first language */
        }
        render();
    }
    // The next poll comes sooner while the marketplace is open or has just closed.
    const loop = async () => {
        await poll();
        setTimeout(loop, pollDelay());
    };
    setTimeout(loop, pollDelay());
    setInterval(() => {
        state.now = new Date();
        render();
    }, CLOCK_MS);
    // The vote's countdown, every second while it runs.
    setInterval(() => {
        if (state.market && state.market.phase === 'vote' && marketOpen()) render();
    }, 1000);
    setInterval(() => {
        if (!state.schedule || roomPages(state.schedule.rooms || []).length < 2) return;
        state.page += 1;
        render();
    }, PAGE_MS);
    keepAwake();
    document.addEventListener('visibilitychange', keepAwake);
    document.addEventListener('fullscreenchange', render);
    // The mouse pointer and the full-screen button hide after a few idle
    // seconds, so that nothing covers the grid on the TV.
    let idle = null;
    const wake = () => {
        document.body.classList.remove('idle');
        clearTimeout(idle);
        idle = setTimeout(() => document.body.classList.add('idle'), IDLE_MS);
    };
    for (const ev of ['mousemove', 'keydown', 'touchstart']) document.addEventListener(ev, wake, { passive: true });
    wake();
    window.addEventListener('online', poll);
}

start();
