// SPDX-License-Identifier: MIT
// The service worker: the pages keep working on a venue's bad Wi-Fi
// (docs/web.md, "Offline"). forumd serves this file at /sw.js after one
// line, self.FORUMD_RELEASE = {files, root, pages}, that lists every web
// file of the running release with its ETag, and the page routes
// (src/http/release.c). No import, no third-party code.
//
// - Install: every listed file is fetched and kept in the cache
//   forumd-static-<digest of the list>. An answer whose ETag is not the
//   listed one (the server changed meanwhile) fails the install, so one
//   cache never holds files of two releases.
// - Activate: the other releases' caches are dropped; the open pages are
//   taken over at once.
// - Pages and their files: network first, the cached release when the
//   network fails. A page shown from the cache takes all its files from
//   the cache; a page whose network answer is of another release (the
//   server was updated, this worker not yet) takes none from it: a page
//   never mixes two releases.
// - The reads of the participant page and the wall (the event, topics,
//   rooms, slots, blocks, schedule, one's own data, votes and agenda): network
//   first, else the last good answer (200 or 404), marked with
//   X-Forumd-Stale: <when it was received>. The key is the URL: tokens
//   travel in the Authorization header, never in a URL. An answer given
//   to a token is kept with a digest of that token, served back only to
//   the same token, and the answers kept for another token of the same
//   event are dropped when a new one is kept. Answers are kept one at a
//   time, and one asked for before another token's kept answer was asked
//   for is not kept (a page left for another person's link may still
//   have answers in flight). "Leave on this device" tells the worker too
//   (a message {forget: eid}): an answer asked for before it is not kept.
// - Everything else goes to the network untouched: writes (a vote or a
//   proposal offline fails, and the page says so), the facilitator's and
//   the home page's reads, iCal and CSV exports, other origins.

const RELEASE = self.FORUMD_RELEASE || { files: {}, root: '/index.html', pages: {} };
const STATIC_PREFIX = 'forumd-static-';
// web/js/offline.js names the personal cache too (to empty it on "leave").
const API_PUBLIC = 'forumd-api-public';
const API_PERSONAL = 'forumd-api-personal';
// The pages whose reads are kept for offline use (files of RELEASE.pages).
const OFFLINE_PAGES = ['/participant.html', '/wall.html'];
// /api/v1/events/{eid} and the reads below it that those pages make.
const API_KEPT = /^\/api\/v1\/events\/([^/]+)(?:\/(?:topics|rooms|slots|blocks|schedule|me|me\/votes|me\/agenda))?$/;
// How long the network may take before a kept copy is shown instead.
const NETWORK_TIMEOUT_MS = 6000;
// Pages remembered with how they take their files (a worker may be
// stopped and started again between two requests: see pinOf()).
const PINS_MAX = 64;
const STALE = 'X-Forumd-Stale';
const RECEIVED = 'X-Forumd-Received';
const OWNER = 'X-Forumd-Owner';
// When the request of a kept answer was sent (ms since the epoch).
const ASKED = 'X-Forumd-Asked';

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

async function digest(text) {
    const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let staticNameP = null;
// The name of this release's cache: it changes with any file's ETag.
function staticName() {
    if (!staticNameP) staticNameP = digest(JSON.stringify(RELEASE.files)).then((d) => STATIC_PREFIX + d.slice(0, 16));
    return staticNameP;
}

async function staticCache() {
    return caches.open(await staticName());
}

// The file that serves a page's path ("/e/x/wall" -> "/wall.html"), or null.
function pageFile(pathname) {
    if (pathname === '/') return RELEASE.root;
    const m = pathname.match(/^\/e\/[^/]+(.*)$/);
    if (!m) return null;
    if (has(RELEASE.pages, m[1])) return RELEASE.pages[m[1]];
    // "/notes/*": a page with one more segment (a session's notes).
    const any = m[1].replace(/\/[^/]+$/, '/*');
    return any !== m[1] && has(RELEASE.pages, any) ? RELEASE.pages[any] : null;
}

// Rejects when p takes longer than ms (0: never).
function withTimeout(p, ms) {
    if (!ms) return p;
    let timer;
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

// ---- install, activate ------------------------------------------------------

self.addEventListener('install', (event) => {
    event.waitUntil(
        (async () => {
            const cache = await staticCache();
            const got = await Promise.all(
                Object.entries(RELEASE.files).map(async ([path, etag]) => {
                    const res = await fetch(path, { cache: 'no-cache' });
                    if (!res.ok || res.headers.get('ETag') !== etag) throw new Error(`${path} is not the file of this release`);
                    return [path, res];
                }),
            );
            for (const [path, res] of got) await cache.put(path, res);
            await self.skipWaiting();
        })(),
    );
});

self.addEventListener('activate', (event) => {
    event.waitUntil(
        (async () => {
            const keep = await staticName();
            for (const name of await caches.keys()) {
                if (name.startsWith(STATIC_PREFIX) && name !== keep) await caches.delete(name);
            }
            await self.clients.claim();
        })(),
    );
});

// ---- pages and files ----------------------------------------------------------

// clientId -> 'cache' (the page came from the cache) or 'network' (the
// network serves another release). Absent: network first, then the cache.
const pins = new Map();

function pin(clientId, how) {
    if (!clientId) return;
    pins.delete(clientId);
    pins.set(clientId, how);
    while (pins.size > PINS_MAX) pins.delete(pins.keys().next().value);
}

function offlinePage() {
    const body =
        '<!doctype html><html lang="fr"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>forumd</title><main><h1>Hors ligne · Offline</h1><p>Cette page n’a pas encore été ouverte sur cet appareil. · This page has not been opened on this device yet.</p></main></html>';
    return new Response(body, {
        status: 503,
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'no-store' },
    });
}

async function navigate(event, url) {
    const file = pageFile(url.pathname);
    const cache = await staticCache();
    const cached = file ? await cache.match(file) : undefined;
    let res = null;
    try {
        res = await withTimeout(fetch(event.request), cached ? NETWORK_TIMEOUT_MS : 0);
    } catch {
        res = null;
    }
    if (res) {
        if (file && res.ok && res.headers.get('ETag') !== RELEASE.files[file]) {
            // The server runs another release: this page uses the network
            // only, and this worker looks for its successor now.
            pin(event.resultingClientId, 'network');
            self.registration.update().catch(() => {});
        }
        return res;
    }
    if (cached) {
        pin(event.resultingClientId, 'cache');
        return cached;
    }
    return offlinePage();
}

async function file(event, url) {
    const how = pins.get(event.clientId);
    const cache = await staticCache();
    if (how === 'network') return fetch(event.request);
    const cached = await cache.match(url.pathname);
    if (how === 'cache' && cached) return cached;
    try {
        return await withTimeout(fetch(event.request), cached ? NETWORK_TIMEOUT_MS : 0);
    } catch {
        return cached || Response.error();
    }
}

// ---- the API reads kept for offline use ------------------------------------------

async function keptFor(clientId) {
    const client = clientId ? await self.clients.get(clientId) : null;
    return Boolean(client) && OFFLINE_PAGES.includes(pageFile(new URL(client.url).pathname));
}

// A copy of res with extra headers (and without the ones in drop).
async function withHeaders(res, extra, drop = []) {
    const headers = new Headers(res.headers);
    for (const k of drop) headers.delete(k);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers });
}

// Whether url is /api/v1/events/{eid} or below it.
function ofEvent(url, eid) {
    const prefix = `${self.location.origin}/api/v1/events/${eid}`;
    return url === prefix || url.startsWith(`${prefix}/`);
}

// The answers being kept, one after the other: keep() reads the cache,
// then writes it, and two of them at once (one person's answers still in
// flight, the next person's arriving) could each drop the other's.
let keeping = Promise.resolve();
function oneAtATime(fn) {
    const p = keeping.then(fn);
    keeping = p.catch(() => {});
    return p;
}

// When a request is sent: the clock in ms, made strictly increasing so
// that of two requests the later one is the newer.
let lastAsked = 0;
function askedNow() {
    lastAsked = Math.max(Date.now(), lastAsked + 1);
    return lastAsked;
}

// eid -> when the page said "leave on this device" for it (askedNow()):
// answers asked for before are not kept. In memory: a worker with
// answers in flight is not stopped.
const forgotten = new Map();

// Keeps res, asked for at asked, as the last good answer for key; drops
// what other tokens left for the event. An answer asked for before
// another token's kept answer is not kept: that token is the newer one.
async function keep(cache, key, eid, owner, asked, res) {
    if (owner && asked < (forgotten.get(eid) || 0)) return;
    const others = [];
    for (const req of owner ? await cache.keys() : []) {
        if (!ofEvent(req.url, eid)) continue;
        const other = await cache.match(req);
        if (!other || (other.headers.get(OWNER) || '') === owner) continue;
        if (Number(other.headers.get(ASKED)) > asked) return;
        others.push(req);
    }
    if (res.status === 304) {
        // Still the same answer: it is as recent as now.
        const old = await cache.match(key);
        if (old && (old.headers.get(OWNER) || '') === owner) await cache.put(key, await withHeaders(old, { [RECEIVED]: new Date().toISOString(), [ASKED]: String(asked) }));
        return;
    }
    if (res.status === 401 || res.status === 403) {
        await cache.delete(key);
        return;
    }
    if (res.status !== 200 && res.status !== 404) return;
    await cache.put(key, await withHeaders(res, { [RECEIVED]: new Date().toISOString(), [OWNER]: owner, [ASKED]: String(asked) }));
    if (!owner) return;
    for (const req of others) if (req.url !== self.location.origin + key) await cache.delete(req);
}

async function apiRead(event, url, eid) {
    const req = event.request;
    if (!(await keptFor(event.clientId))) return fetch(req);
    const auth = req.headers.get('Authorization');
    const owner = auth ? await digest(`forumd-owner\n${auth}`) : '';
    const cache = await caches.open(auth ? API_PERSONAL : API_PUBLIC);
    const key = url.pathname + url.search;
    const old = await cache.match(key);
    const mine = old && (old.headers.get(OWNER) || '') === owner ? old : null;
    const asked = askedNow();
    let res;
    try {
        res = await withTimeout(fetch(req), mine ? NETWORK_TIMEOUT_MS : 0);
    } catch {
        if (mine) return withHeaders(mine, { [STALE]: mine.headers.get(RECEIVED) || '' }, [OWNER, RECEIVED, ASKED]);
        return Response.error();
    }
    const copy = res.clone();
    event.waitUntil(oneAtATime(() => keep(cache, key, eid, owner, asked, copy)).catch(() => {}));
    return res;
}

// "Leave on this device" (web/js/offline.js, forgetPersonal()): what was
// kept for a token of the event goes, after the answers being kept.
async function forget(eid) {
    forgotten.delete(eid);
    forgotten.set(eid, askedNow());
    while (forgotten.size > PINS_MAX) forgotten.delete(forgotten.keys().next().value);
    const cache = await caches.open(API_PERSONAL);
    for (const req of await cache.keys()) {
        if (ofEvent(req.url, eid)) await cache.delete(req);
    }
}

self.addEventListener('message', (event) => {
    const eid = event.data && event.data.forget;
    if (typeof eid !== 'string' || !/^[^/]+$/.test(eid)) return;
    event.waitUntil(oneAtATime(() => forget(eid)).catch(() => {}));
});

// ---- routing ----------------------------------------------------------------------

self.addEventListener('fetch', (event) => {
    const req = event.request;
    if (req.method !== 'GET') return;
    const url = new URL(req.url);
    if (url.origin !== self.location.origin) return;
    if (req.mode === 'navigate') {
        event.respondWith(navigate(event, url));
        return;
    }
    if (url.pathname.startsWith('/api/')) {
        const m = url.pathname.match(API_KEPT);
        if (m) event.respondWith(apiRead(event, url, m[1]));
        return;
    }
    if (has(RELEASE.files, url.pathname)) event.respondWith(file(event, url));
});
