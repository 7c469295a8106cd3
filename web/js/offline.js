// SPDX-License-Identifier: MIT
// Bad venue Wi-Fi (docs/web.md, "Offline"): registers the service worker
// (web/sw.js) from every page, links the event's web app manifest on the
// participant page and the wall, and keeps the page's network state from
// what api.js reports: online, or offline with the time of the oldest
// kept answer on screen. Loaded by each page's <head>; the pages import
// it for the offline mark.

import { eventIdFromPath, seg } from './api.js';
import { h } from './dom.js';
import { t, fmtTime, fmtDay } from './i18n.js';
import { announce } from './common.js';

// The service worker's cache of answers given to a token (web/sw.js).
const API_PERSONAL = 'forumd-api-personal';
// While offline, how often the pages are asked to try again (the browser's
// "online" event does not come when the Wi-Fi is up but the venue's
// network is not).
const RETRY_MS = 10000;
// After the "online" event, a second try: the event often comes before
// the network really answers (a Wi-Fi that joins before its address).
const ONLINE_AGAIN_MS = 3000;

// online: every read the page shows had a live answer. since: when the
// oldest kept answer shown offline was received (a Date), or null.
export const network = { online: true, since: null };

// API path -> the time of the kept answer shown for it (a Date), or null
// for a call that had no answer at all; a live answer for the path (any
// live answer, for the calls without an answer) takes it out.
const behind = new Map();
const NO_ANSWER = '';

const changes = new Set();
const retries = new Set();

// fn(network) runs when the page goes offline or comes back online.
export function onNetworkChange(fn) {
    changes.add(fn);
}

// fn() runs when the browser says the network is back (and once more
// ONLINE_AGAIN_MS later), and every RETRY_MS while offline: the page reads
// again what it shows (live answers for all of it end "offline").
export function whenOnline(fn) {
    retries.add(fn);
}

function update(path, online, since) {
    const was = network.online;
    if (online) {
        behind.delete(path);
        behind.delete(NO_ANSWER);
    } else {
        behind.set(since ? path : NO_ANSWER, since);
    }
    network.online = behind.size === 0;
    network.since = null;
    for (const d of behind.values()) if (d && (!network.since || d < network.since)) network.since = d;
    if (was !== network.online) announce(network.online ? t('offline.back') : t('offline.now'));
    if (was !== network.online || !network.online) for (const fn of changes) fn(network);
}

window.addEventListener('forumd:network', (ev) => {
    const since = ev.detail.since ? new Date(ev.detail.since) : null;
    update(String(ev.detail.path || NO_ANSWER), ev.detail.online, since && !Number.isNaN(since.getTime()) ? since : null);
});

function retry() {
    for (const fn of retries) fn();
}

window.addEventListener('online', () => {
    retry();
    setTimeout(retry, ONLINE_AGAIN_MS);
});
setInterval(() => {
    if (!network.online && !document.hidden) retry();
}, RETRY_MS);

// The offline mark: null while online. tz: the event's time zone.
export function offlineMark(tz) {
    if (network.online) return null;
    let when = null;
    if (network.since) {
        const iso = network.since.toISOString();
        const sameDay = fmtDay(iso, tz) === fmtDay(new Date().toISOString(), tz);
        when = sameDay ? fmtTime(iso, tz) : `${fmtDay(iso, tz)} ${fmtTime(iso, tz)}`;
    }
    return h(
        'div',
        { class: 'offline-mark', id: 'offline-mark' },
        h('p', null, h('strong', null, when ? t('offline.mark', { time: when }) : t('offline.mark_unknown'))),
        h('p', null, t('offline.hint')),
    );
}

// Removes what the service worker kept of the answers given to a token
// for event eid ("leave on this device": the next person on this phone
// must not find the previous one's agenda). The worker is told too, so
// that answers it is still keeping for that token are not kept.
export async function forgetPersonal(eid) {
    if (typeof caches === 'undefined') return;
    const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ forget: seg(eid) });
    try {
        const cache = await caches.open(API_PERSONAL);
        const prefix = `${location.origin}/api/v1/events/${seg(eid)}`;
        for (const req of await cache.keys()) {
            if (req.url === prefix || req.url.startsWith(`${prefix}/`)) await cache.delete(req);
        }
    } catch {
        /* no cache storage here (private mode): nothing was kept */
    }
}

// The participant page and the wall install to a home screen or a kiosk:
// their manifest is the event's (its name, start_url on this event).
function linkManifest() {
    const eid = eventIdFromPath();
    const body = document.body.classList;
    const name = body.contains('page-wall') ? 'wall' : body.contains('page-participant') ? 'manifest' : null;
    if (!eid || !name || document.querySelector('link[rel="manifest"]')) return;
    document.head.appendChild(h('link', { rel: 'manifest', href: `/api/v1/events/${seg(eid)}/${name}.webmanifest` }));
}

// One worker for the whole origin (scope "/"): it serves every page's
// files offline, and keeps the participant page's and the wall's reads.
function register() {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
        /* no offline copy this time; the page works as before */
    });
}

linkManifest();
register();
