// SPDX-License-Identifier: MIT
// fetch() over the forumd HTTP API: JSON in and out, the bearer token, the
// error body turned into one exception type, and ETag handling for polling.

export const API_PREFIX = '/api/v1';

// Every failure of a call: an HTTP error with the API's error body, or a
// network failure (status 0, code 'network'). data: the whole error document
// (a 409 or 412 of the day also says what changed: `current`, `changes`).
export class ApiError extends Error {
    // stale: see raw(); data: the whole answer (a 412 carries the current
    // state beside the error); etag: its ETag.
    constructor(status, code, message, field, stale, data, etag) {
        super(message || code);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.field = field || null;
        this.stale = stale || null;
        this.data = data || null;
        this.etag = etag || null;
    }
}

// The service worker (web/sw.js) answers a read from its copy when the
// network fails, with X-Forumd-Stale: <when that copy was received>. Each
// call tells the page (web/js/offline.js) with a 'forumd:network' event:
// {path, online: true} after a live answer, {path, online: false, since}
// after a kept copy (since: its time) or no answer at all (since: null).
const STALE_HEADER = 'X-Forumd-Stale';

function report(path, online, since) {
    if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent('forumd:network', { detail: { path, online, since: since || null } }));
}

export class Api {
    // token: the bearer token, or null for anonymous calls.
    constructor(token) {
        this.token = token || null;
    }

    // Sends one request. path is relative to /api/v1 ("/events/abc").
    // opts.body (an object) is sent as JSON; opts.etag adds If-None-Match,
    // opts.ifMatch If-Match; opts.timeoutMs gives up on a request that takes
    // longer.
    // Returns {status, data, etag, stale}; data is null for 204 and 304;
    // stale is null, or the time (RFC 3339) of the kept copy answered offline.
    async raw(method, path, opts = {}) {
        const headers = { Accept: 'application/json' };
        if (this.token) headers.Authorization = `Bearer ${this.token}`;
        if (opts.etag) headers['If-None-Match'] = opts.etag;
        if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
        let body;
        if (opts.body !== undefined) {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(opts.body);
        }
        // A request that hangs (a daemon stopped but not dead, a Wi-Fi
        // that drops packets) counts as a network failure after timeoutMs.
        const ctl = typeof AbortController === 'function' ? new AbortController() : null;
        const timer = ctl && opts.timeoutMs ? setTimeout(() => ctl.abort(), opts.timeoutMs) : null;
        let res;
        try {
            res = await fetch(API_PREFIX + path, { method, headers, body, cache: 'no-store', signal: ctl ? ctl.signal : undefined });
        } catch (e) {
            report(path, false, null);
            throw new ApiError(0, 'network', e && e.message ? e.message : 'network error');
        } finally {
            if (timer) clearTimeout(timer);
        }
        const etag = res.headers.get('ETag');
        const stale = res.headers.get(STALE_HEADER) || null;
        report(path, !stale, stale);
        if (res.status === 204 || res.status === 304) return { status: res.status, data: null, etag, stale };
        const text = await res.text().catch(() => '');
        let data = null;
        if (text) {
            try {
                data = JSON.parse(text);
            } catch {
                data = null;
            }
        }
        if (!res.ok) {
            const err = data && data.error ? data.error : {};
            throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || res.statusText, err.field, stale, data, etag);
        }
        return { status: res.status, data, etag, stale };
    }

    async get(path) {
        return (await this.raw('GET', path)).data;
    }

    async post(path, body) {
        return (await this.raw('POST', path, { body: body || {} })).data;
    }

    async patch(path, body) {
        return (await this.raw('PATCH', path, { body })).data;
    }

    async put(path, body) {
        return (await this.raw('PUT', path, { body })).data;
    }

    async del(path) {
        return (await this.raw('DELETE', path)).data;
    }
}

// Percent-encodes one path segment (ids are strings chosen by the server).
export function seg(id) {
    return encodeURIComponent(String(id));
}

// The token storage of one page kind ('p' participant, 'f' facilitator) and event.
export const tokens = {
    key(kind, eid) {
        return `forumd.${kind}.${eid}`;
    },
    get(kind, eid) {
        try {
            return localStorage.getItem(this.key(kind, eid));
        } catch {
            return null;
        }
    },
    set(kind, eid, token) {
        try {
            if (token) localStorage.setItem(this.key(kind, eid), token);
            else localStorage.removeItem(this.key(kind, eid));
        } catch {
            /* private mode: the token lives for this page only */
        }
    },
};

// Reads "#token=...&code=..." from the URL fragment, then removes the
// fragment from the address bar (and history), so that a token does not
// linger on screen or in a shared screenshot.
export function takeFragment() {
    const hash = location.hash.replace(/^#/, '');
    if (!hash) return {};
    const params = new URLSearchParams(hash);
    const out = {};
    for (const [k, v] of params) out[k] = v;
    if (out.token || out.code) history.replaceState(null, '', location.pathname + location.search);
    return out;
}

// The token a page of the event reads with: the participant's, else the
// facilitator's kept on this device.
export function eventToken(eid) {
    return tokens.get('p', eid) || tokens.get('f', eid);
}

// The event id of a page at /e/{eid}[/...].
export function eventIdFromPath() {
    const m = location.pathname.match(/^\/e\/([^/]+)/);
    return m ? decodeURIComponent(m[1]) : null;
}
