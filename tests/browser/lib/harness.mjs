// SPDX-License-Identifier: MIT
// Browser-test harness: a real `forumd serve` on a free loopback port with a
// temporary database, a small JSON client for setting things up through the
// API, and Debian's Chromium driven by playwright-core (never a downloaded
// browser). Every page opened through openPage() fails the test on a page
// error, a console error (a CSP violation is one) or an unexpected dialog.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.FORUM_SOURCE_DIR || path.resolve(here, '../../..');
export const WEB_DIR = path.join(SOURCE_DIR, 'web');
export const CHROMIUM = process.env.FORUM_CHROMIUM || '/usr/bin/chromium';
export const ADMIN_TOKEN = `browser-admin-${randomBytes(16).toString('hex')}`;
const START_TIMEOUT_MS = 60000;
const STOP_TIMEOUT_MS = 60000;

export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Containers often have a tiny /dev/shm; /tmp is safer for the renderer.
    '--disable-dev-shm-usage',
];

// ---- the daemon -------------------------------------------------------------

export class Daemon {
    // opts.dbDir: reuse a database directory (restart); opts.web: false to
    // serve the embedded copy of web/; opts.port: a fixed port (restart).
    constructor(opts = {}) {
        this.binary = process.env.FORUMD;
        if (!this.binary) throw new Error('FORUMD is not set: run through ctest');
        this.ownDir = !opts.dbDir;
        this.dbDir = opts.dbDir || fs.mkdtempSync(path.join(os.tmpdir(), 'forumd-browser-'));
        this.web = opts.web === undefined ? WEB_DIR : opts.web;
        this.port = opts.port || 0;
        this.extra = opts.args || [];
        this.proc = null;
        this.log = [];
    }

    get url() {
        return `http://127.0.0.1:${this.port}`;
    }

    async start() {
        const args = ['serve', '--listen', `127.0.0.1:${this.port}`, '--db', path.join(this.dbDir, 'forumd.db')];
        if (this.web) args.push('--web', this.web);
        args.push(...this.extra);
        const env = Object.assign({}, process.env, { FORUMD_ADMIN_TOKEN: ADMIN_TOKEN });
        this.proc = spawn(this.binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const proc = this.proc;
        this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
        const port = await new Promise((resolve, reject) => {
            let buf = '';
            const timer = setTimeout(() => reject(new Error(`forumd did not start:\n${this.log.join('')}`)), START_TIMEOUT_MS);
            const onData = (chunk) => {
                const s = chunk.toString();
                this.log.push(s);
                if (process.env.FORUMD_BROWSER_VERBOSE) process.stderr.write(s);
                buf += s;
                const m = buf.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            };
            proc.stderr.on('data', onData);
            proc.stdout.on('data', onData);
            proc.on('exit', (code) => {
                clearTimeout(timer);
                reject(new Error(`forumd exited (${code}) before listening:\n${this.log.join('')}`));
            });
        });
        this.port = port;
        return this;
    }

    // SIGTERM; resolves with the exit code (the tests expect 0).
    async stop() {
        if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return this.proc ? this.proc.exitCode : 0;
        this.proc.kill('SIGTERM');
        const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const { code } = await this.exited;
        clearTimeout(timer);
        return code;
    }

    // SIGKILL: the daemon dies without any cleanup.
    async kill() {
        if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
        this.proc.kill('SIGKILL');
        await this.exited;
    }

    cleanup() {
        if (this.ownDir) fs.rmSync(this.dbDir, { recursive: true, force: true });
    }

    // One JSON request to the API: {status, headers, body}. path starts
    // with /api/v1 or not (added).
    async call(method, p, { token, body, headers } = {}) {
        const h = Object.assign({}, headers || {});
        if (token) h.Authorization = `Bearer ${token}`;
        let data;
        if (body !== undefined) {
            h['Content-Type'] = 'application/json';
            data = JSON.stringify(body);
        }
        const full = p.startsWith('/api/') || p === '/healthz' ? p : `/api/v1${p}`;
        const res = await fetch(this.url + full, { method, headers: h, body: data });
        const text = await res.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        } catch {
            json = null;
        }
        return { status: res.status, headers: res.headers, body: json, text };
    }

    // Like call() but throws unless the status is 2xx; returns the body.
    async ok(method, p, opts) {
        const r = await this.call(method, p, opts);
        if (r.status < 200 || r.status > 299) throw new Error(`${method} ${p} -> ${r.status} ${r.text}`);
        return r.body;
    }
}

// Starts a daemon; the caller stops it.
export async function startDaemon(opts) {
    return new Daemon(opts).start();
}

// ---- building events through the API ---------------------------------------

// Creates an event (admin) and returns {id, token} (token: the facilitator's).
export async function createEvent(d, fields = {}) {
    const body = Object.assign({ name: 'Test event', timezone: 'Europe/Paris', locale: 'fr' }, fields);
    const ev = await d.ok('POST', '/events', { token: ADMIN_TOKEN, body });
    return { id: ev.id, token: ev.facilitator_token, event: ev };
}

// Adds slots on 2025-10-14 (Paris time) from a list of "HH:MM-HH:MM".
export async function addSlots(d, eid, token, ranges, day = '2025-10-14') {
    const out = [];
    for (const [i, r] of ranges.entries()) {
        const [a, b] = r.split('-');
        const body = { label: `Créneau ${i + 1}`, starts_at: parisToUtc(day, a), ends_at: parisToUtc(day, b) };
        out.push(await d.ok('POST', `/events/${eid}/slots`, { token, body }));
    }
    return out;
}

// "2025-10-14" + "14:00" in Europe/Paris (CEST, +02:00 in October before the 26th) -> UTC RFC 3339.
export function parisToUtc(day, hm) {
    const [H, M] = hm.split(':').map(Number);
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCHours(H - 2, M);
    return d.toISOString().replace(/\.000Z$/, 'Z');
}

export async function addRoom(d, eid, token, name, capacity, features = [], unavailable = []) {
    return d.ok('POST', `/events/${eid}/rooms`, { token, body: { name, capacity, features, unavailable } });
}

export async function join(d, eid, name, joinCode) {
    const body = { name };
    if (joinCode) body.join_code = joinCode;
    return d.ok('POST', `/events/${eid}/participants`, { body });
}

// ---- the browser ------------------------------------------------------------

let pw = null;
async function playwright() {
    if (!pw) pw = await import('playwright-core');
    return pw;
}

// Launches Debian's Chromium, headless. Playwright gives every launch a
// fresh temporary profile (--user-data-dir) and removes it on close.
export async function launchBrowser() {
    const { chromium } = await playwright();
    return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A new isolated context (own localStorage: one person) with a page whose
// errors are collected in page.problems. opts: viewport, locale, ...
export async function openPage(browser, opts = {}) {
    const ctx = await browser.newContext(
        Object.assign({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' }, opts),
    );
    ctx.setDefaultTimeout(20000);
    const page = await ctx.newPage();
    watch(page);
    return page;
}

// Records page errors, console errors and dialogs on page.problems; confirm()
// dialogs are accepted (and recorded in page.confirms), anything else is a problem.
// The browser logs every non-2xx fetch as a console error; 404 is part of
// the contract (schedule not published yet), so it is allowed by default.
export const EXPECTED_CONSOLE = [/Failed to load resource: the server responded with a status of 404/];

export function watch(page, { allowConsole = EXPECTED_CONSOLE } = {}) {
    page.problems = [];
    page.confirms = [];
    page.allowConsole = allowConsole;
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = msg.text();
        if (page.allowConsole.some((re) => re.test(text))) return;
        page.problems.push(`console: ${text}`);
    });
    page.on('dialog', async (dialog) => {
        if (dialog.type() === 'confirm') {
            page.confirms.push(dialog.message());
            await dialog.accept();
        } else {
            page.problems.push(`dialog ${dialog.type()}: ${dialog.message()}`);
            await dialog.dismiss();
        }
    });
    return page;
}

// ---- files --------------------------------------------------------------------

// The files of a web directory (default: the source web/), as sorted
// relative paths with "/" ("css/app.css"); hidden files are left out, as
// the build leaves them out.
export function webFiles(dir = WEB_DIR) {
    const out = [];
    const walk = (p) => {
        for (const e of fs.readdirSync(p, { withFileTypes: true })) {
            if (e.name.startsWith('.')) continue;
            const f = path.join(p, e.name);
            if (e.isDirectory()) walk(f);
            else out.push(path.relative(dir, f).split(path.sep).join('/'));
        }
    };
    walk(dir);
    return out.sort();
}

// ---- screenshots ------------------------------------------------------------

export function imgDir() {
    const dir = path.join(SOURCE_DIR, 'docs', 'img');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

// ---- strings ----------------------------------------------------------------

// The pages' strings, so that tests find controls by the very label a
// person reads: S.fr['join.name'] is "Votre nom". fill(s, {n: 2}) fills
// placeholders.
export const S = {
    fr: JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'i18n', 'fr.json'), 'utf8')),
    en: JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'i18n', 'en.json'), 'utf8')),
};

export function fill(s, params) {
    return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

// Waits until fn() (sync or async) returns a truthy value; polls every 100 ms
// up to ms (a bound so a broken page fails instead of hanging).
export async function until(fn, what, ms = 20000) {
    const end = Date.now() + ms;
    let last;
    for (;;) {
        try {
            last = await fn();
            if (last) return last;
        } catch (e) {
            last = e;
        }
        if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

// Builds a small event through the API: slots, rooms, people with topics
// and votes, and (publish: true) an allocation published as version 1.
// Returns {id, token, slots, rooms, people: [{name, token, topic}], topics}.
export async function seedEvent(d, opts = {}) {
    const ev = await createEvent(d, Object.assign({ name: 'Bigre! Rencontre.s 2025' }, opts.event || {}));
    await d.ok('PATCH', `/events/${ev.id}`, { token: ev.token, body: { proposals_open: true, voting_open: true } });
    const slots = await addSlots(d, ev.id, ev.token, opts.slots || ['09:30-10:45', '11:00-12:15']);
    const rooms = [];
    for (const r of opts.rooms || [
        ['Verrière', 20],
        ['Atelier', 12],
    ])
        rooms.push(await addRoom(d, ev.id, ev.token, r[0], r[1], r[2] || []));
    const people = [];
    const topics = [];
    for (const [i, p] of (opts.people || []).entries()) {
        const who = await join(d, ev.id, p.name, opts.event && opts.event.join_code);
        const person = { name: p.name, token: who.token, id: who.id };
        if (p.title) {
            person.topic = await d.ok('POST', `/events/${ev.id}/topics`, {
                token: who.token,
                body: { title: p.title, theme: p.theme || '', description: p.description || '' },
            });
            topics.push(person.topic);
        }
        people[i] = person;
    }
    for (const [voter, topic, weight] of opts.votes || []) {
        await d.ok('PUT', `/events/${ev.id}/topics/${topics[topic].id}/vote`, { token: people[voter].token, body: { weight } });
    }
    let allocation = null;
    if (opts.publish) {
        allocation = await d.ok('POST', `/events/${ev.id}/allocation`, { token: ev.token, body: { time_limit_ms: 500 } });
        await d.ok('POST', `/events/${ev.id}/schedule/publish`, { token: ev.token, body: { allocation: allocation.id } });
    }
    return { id: ev.id, token: ev.token, slots, rooms, people, topics, allocation };
}

// The seed's day (tests/data/day/bigre-day.json: blocks, group topics, a
// plenary, an online room, 60 participants and their votes) built through
// the API only, as tests/e2e/test_day.py builds it. Returns {id, token,
// spec, slots, rooms, blocks, people: [{id, name, token}], topics}.
export const DAY_SPEC = path.join(SOURCE_DIR, 'tests', 'data', 'day', 'bigre-day.json');

export async function buildDay(d) {
    const spec = JSON.parse(fs.readFileSync(DAY_SPEC, 'utf8'));
    const ev = await createEvent(d, spec.event);
    const post = (p, body, token = ev.token) => d.ok('POST', `/events/${ev.id}${p}`, { token, body });
    const slots = [];
    for (const s of spec.slots) slots.push((await post('/slots', s)).id);
    const rooms = [];
    for (const r of spec.rooms) rooms.push((await post('/rooms', r)).id);
    const blocks = [];
    for (const b of spec.blocks) {
        const body = Object.assign({}, b, { slots: b.slots.map((i) => slots[i]) });
        if (b.room !== undefined) body.room = rooms[b.room];
        blocks.push((await post('/blocks', body)).id);
    }
    const people = [];
    for (const p of spec.participants) {
        const body = Object.assign({ join_code: spec.event.join_code }, p);
        const who = await d.ok('POST', `/events/${ev.id}/participants`, { body });
        people.push({ id: who.id, name: p.name, token: who.token });
    }
    const topics = [];
    for (const t of spec.topics) {
        const body = { title: t.title, theme: t.theme, block: blocks[t.block] };
        for (const k of ['max_size', 'needs']) if (t[k] !== undefined) body[k] = t[k];
        const byHost = t.by === 'participant';
        const topic = await post('/topics', body, byHost ? people[t.hosts[0]].token : ev.token);
        const extra = {};
        if (!byHost) extra.hosts = t.hosts.map((h) => people[h].id);
        if (t.groups) extra.groups = t.groups;
        if (Object.keys(extra).length) await d.ok('PATCH', `/events/${ev.id}/topics/${topic.id}`, { token: ev.token, body: extra });
        topics.push(topic.id);
    }
    for (const [p, ti, w] of spec.votes) await d.ok('PUT', `/events/${ev.id}/topics/${topics[ti]}/vote`, { token: people[p].token, body: { weight: w } });
    return { id: ev.id, token: ev.token, spec, slots, rooms, blocks, people, topics };
}

// ---- the facilitator's console ----------------------------------------------

// Unfolds the console's sections named (their titles), or every folded one.
// The fold buttons are the sections' headings (aria-expanded).
export async function unfold(page, names) {
    if (names) {
        for (const name of names) {
            const b = page.getByRole('heading', { level: 2 }).getByRole('button', { name, exact: true });
            if ((await b.getAttribute('aria-expanded')) !== 'true') await b.click();
            await page.getByRole('heading', { level: 2 }).getByRole('button', { name, exact: true, expanded: true }).waitFor();
        }
        return;
    }
    const folded = page.getByRole('heading', { level: 2 }).getByRole('button', { expanded: false });
    for (let n = await folded.count(); n > 0; n = await folded.count()) await folded.first().click();
}

// The edit form of room name in the console (opened from the rooms table).
export async function roomForm(page, L, name) {
    const form = page.getByRole('form', { name: fill(L['fac.room_named'], { room: name }) });
    if ((await form.count()) === 0) {
        await unfold(page, [L['fac.rooms']]);
        await page.getByRole('button', { name: fill(L['fac.edit_named'], { what: name }) }).click();
    }
    await form.waitFor();
    return form;
}
