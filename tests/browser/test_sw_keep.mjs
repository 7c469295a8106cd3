// SPDX-License-Identifier: MIT
// The service worker's answers kept for offline use (web/sw.js, run here
// under node in a vm with an in-memory Cache Storage and a fetch the test
// answers by hand): which person's answers are kept when two people's
// answers cross on one phone. browser.offline checks the same in Chromium,
// where the order in which answers arrive cannot be chosen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { WEB_DIR } from './lib/harness.mjs';

const ORIGIN = 'http://forumd.test';
const EID = 'ev1';
const SOURCE = fs.readFileSync(path.join(WEB_DIR, 'sw.js'), 'utf8');

// Lets other promises run, as a real Cache Storage does between calls.
const tick = () => new Promise((resolve) => setImmediate(resolve));

class FakeCache {
    constructor() {
        this.entries = new Map();
    }
    static url(key) {
        return new URL(typeof key === 'string' ? key : key.url, ORIGIN).href;
    }
    async match(key) {
        await tick();
        const res = this.entries.get(FakeCache.url(key));
        return res ? res.clone() : undefined;
    }
    async put(key, res) {
        const body = await res.arrayBuffer();
        await tick();
        this.entries.set(FakeCache.url(key), new Response(body, { status: res.status, headers: res.headers }));
    }
    async delete(key) {
        await tick();
        return this.entries.delete(FakeCache.url(key));
    }
    async keys() {
        await tick();
        return [...this.entries.keys()].map((url) => ({ url }));
    }
}

// A fresh worker: its fetch handler, its caches, and the requests it sent
// to the network, each waiting for the test to answer it.
function worker() {
    const stores = new Map();
    const sent = [];
    const handlers = {};
    const ctx = {
        FORUMD_RELEASE: { files: {}, root: '/index.html', pages: { '': '/participant.html' } },
        location: { origin: ORIGIN },
        addEventListener: (type, fn) => {
            handlers[type] = fn;
        },
        clients: { get: async () => ({ url: `${ORIGIN}/e/${EID}` }) },
        registration: { update: async () => {} },
        caches: {
            open: async (name) => {
                if (!stores.has(name)) stores.set(name, new FakeCache());
                return stores.get(name);
            },
            keys: async () => [...stores.keys()],
            delete: async (name) => stores.delete(name),
        },
        fetch: (req) =>
            new Promise((resolve, reject) => {
                sent.push({ req, resolve, reject });
            }),
        crypto: globalThis.crypto,
        TextEncoder,
        Response,
        Headers,
        URL,
        setTimeout,
        clearTimeout,
    };
    ctx.self = ctx;
    vm.createContext(ctx);
    vm.runInContext(SOURCE, ctx, { filename: 'sw.js' });
    // Dispatches GET path with token; resolves to {answer, kept}: the
    // worker's answer to the page and the end of its keeping.
    function get(apiPath, token) {
        const headers = token ? { Authorization: `Bearer ${token}` } : {};
        const request = new Request(`${ORIGIN}/api/v1/events/${EID}${apiPath}`, { headers });
        let answer = null;
        const kept = [];
        handlers.fetch({
            request,
            clientId: 'page',
            respondWith: (p) => {
                answer = p;
            },
            waitUntil: (p) => kept.push(p),
        });
        return {
            answer: () => answer,
            // apiRead() hands its keeping to waitUntil() before it answers.
            kept: async () => {
                await answer;
                await Promise.all(kept);
            },
        };
    }
    // Waits until the worker sent n requests to the network (it digests
    // the token first, on another thread: give it time on a busy machine).
    async function sentCount(n) {
        const end = Date.now() + 10000;
        while (sent.length < n && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 1));
        assert.equal(sent.length, n, 'requests sent to the network');
    }
    // What the personal cache holds: path -> the name in the body.
    async function personal() {
        const out = {};
        const c = stores.get('forumd-api-personal');
        for (const [url, res] of c ? c.entries : []) out[url.slice(`${ORIGIN}/api/v1/events/${EID}`.length) || '/'] = (await res.clone().json()).name;
        return out;
    }
    // The page's "leave on this device" (offline.js): resolves when done.
    async function forget(eid) {
        const done = [];
        handlers.message({ data: { forget: eid }, waitUntil: (p) => done.push(p) });
        await Promise.all(done);
    }
    return { get, sent, sentCount, personal, forget };
}

const json = (body) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

test('one person’s answer arriving after the next person’s is not kept', async () => {
    const w = worker();
    // Béa's page asks; before its answer comes, Ana's link is opened.
    const bea = w.get('/me', 'tok-bea');
    await w.sentCount(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ana = w.get('/me', 'tok-ana');
    await w.sentCount(2);
    w.sent[1].resolve(json({ name: 'Ana' }));
    await ana.kept();
    assert.deepEqual(await w.personal(), { '/me': 'Ana' });
    // Béa's late answer still reaches her (gone) page, and is not kept.
    w.sent[0].resolve(json({ name: 'Béa' }));
    assert.equal((await (await bea.answer()).json()).name, 'Béa');
    await bea.kept();
    assert.deepEqual(await w.personal(), { '/me': 'Ana' });
});

test('two people’s answers kept at the same time: the newer person’s stay, whole', async () => {
    const w = worker();
    const bea = w.get('/me/agenda', 'tok-bea');
    await w.sentCount(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ana = [w.get('/me', 'tok-ana'), w.get('/me/votes', 'tok-ana'), w.get('/me/agenda', 'tok-ana')];
    await w.sentCount(4);
    // All four answers land at once; their keeping overlaps.
    w.sent[0].resolve(json({ name: 'Béa' }));
    for (let i = 1; i < 4; i++) w.sent[i].resolve(json({ name: 'Ana' }));
    await Promise.all([bea.kept(), ...ana.map((g) => g.kept())]);
    assert.deepEqual(await w.personal(), { '/me': 'Ana', '/me/votes': 'Ana', '/me/agenda': 'Ana' });
});

test('the next person’s answers replace the previous one’s; offline, each gets only their own', async () => {
    const w = worker();
    const bea = w.get('/me', 'tok-bea');
    await w.sentCount(1);
    w.sent[0].resolve(json({ name: 'Béa' }));
    await bea.kept();
    assert.deepEqual(await w.personal(), { '/me': 'Béa' });
    const ana = w.get('/me', 'tok-ana');
    await w.sentCount(2);
    w.sent[1].resolve(json({ name: 'Ana' }));
    await ana.kept();
    assert.deepEqual(await w.personal(), { '/me': 'Ana' });
    // Offline: Ana gets her kept answer, marked stale, without the
    // worker's own headers; Béa gets nothing.
    const again = w.get('/me', 'tok-ana');
    await w.sentCount(3);
    w.sent[2].reject(new TypeError('offline'));
    const res = await again.answer();
    assert.equal((await res.json()).name, 'Ana');
    assert.ok(res.headers.get('X-Forumd-Stale'));
    for (const h of ['X-Forumd-Owner', 'X-Forumd-Received', 'X-Forumd-Asked']) assert.equal(res.headers.get(h), null, h);
    const other = w.get('/me', 'tok-bea');
    await w.sentCount(4);
    w.sent[3].reject(new TypeError('offline'));
    assert.equal((await other.answer()).type, 'error');
});

test('leave on this device: what is kept goes, and an answer still in flight is not kept', async () => {
    const w = worker();
    const me = w.get('/me', 'tok-bea');
    await w.sentCount(1);
    w.sent[0].resolve(json({ name: 'Béa' }));
    await me.kept();
    const agenda = w.get('/me/agenda', 'tok-bea');
    await w.sentCount(2);
    await w.forget(EID);
    assert.deepEqual(await w.personal(), {});
    w.sent[1].resolve(json({ name: 'Béa' }));
    await agenda.kept();
    assert.deepEqual(await w.personal(), {}, 'the answer asked for before leaving is not kept');
    // The next person's answers are kept as usual.
    const ana = w.get('/me', 'tok-ana');
    await w.sentCount(3);
    w.sent[2].resolve(json({ name: 'Ana' }));
    await ana.kept();
    assert.deepEqual(await w.personal(), { '/me': 'Ana' });
    // A message that names no event is ignored.
    await w.forget('../x');
    await w.forget(42);
    assert.deepEqual(await w.personal(), { '/me': 'Ana' });
});
