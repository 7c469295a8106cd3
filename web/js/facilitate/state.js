// SPDX-License-Identifier: MIT
// The facilitator page's one state object and what every section shares:
// the API client, the loaders, names of slots, rooms and topics, the error
// map of each form, act() around every API action, and the page's render().

import { Api, seg, tokens, eventIdFromPath } from '../api.js';
import { t, fmtRange } from '../i18n.js';
import { errorText, formErrors, announce } from '../common.js';
import { sortSlots } from '../schedule.js';

export const state = {
    eid: eventIdFromPath(),
    token: null,
    tokenErrors: {},
    event: null,
    slots: [],
    rooms: [],
    topics: [],
    participants: [],
    clashes: [],
    allocations: [],
    draft: null, // {id, solution}
    published: null, // the public schedule, or null
    loading: true,
    fatal: null,
    busy: false,
    allocating: false,
    timeLimit: '2000',
    errors: {}, // form key -> {field: message}
    newSlot: { label: '', starts_at: '', ends_at: '' },
    blocks: [],
    newBlock: { name: '', kind: 'forum', room: '', title: '', proposals_open: true, slots: [] },
    newRoom: { name: '', capacity: '', features: '' },
    newTopic: { title: '', theme: '' },
    copied: null,
    editing: null, // topic id whose edit form is open
    editingRoom: null, // room id whose edit form is open
    settingsDraft: null, // the settings as typed while not saved
    open: null, // section id -> unfolded (facilitate/panel.js)
    // On the day (facilitate/onday.js).
    plan: null, // GET /changes: {head, draft, changes, plan: {version, revision, etag}}
    market: null, // GET /marketplace
    marketSkew: 0, // the server's clock minus this one (ms)
    marketBlock: '',
    voteMinutes: '0',
    voteEnding: false,
    quick: { title: '', host_name: '' },
    conflict: null, // {message, stale, changes}: what another facilitator changed
    moveForm: null,
    movePreview: null, // the cost of a move, before it is confirmed
    lastChange: null,
};

// The page's render(), set once by facilitate.js: sections call rerender()
// after they change the state.
let renderFn = () => {};

export function setRender(fn) {
    renderFn = fn;
}

export function rerender() {
    renderFn();
}

export function api() {
    return new Api(state.token);
}

export function ev(path) {
    return `/events/${seg(state.eid)}${path || ''}`;
}

// ---- data -----------------------------------------------------------------

export async function loadEvent() {
    state.event = await api().get(ev());
}

export async function loadSlots() {
    state.slots = sortSlots((await api().get(ev('/slots'))) || []);
}

export async function loadBlocks() {
    state.blocks = (await api().get(ev('/blocks'))) || [];
}

export async function loadRooms() {
    state.rooms = (await api().get(ev('/rooms'))) || [];
}

export async function loadTopics() {
    state.topics = (await api().get(ev('/topics'))) || [];
}

export async function loadParticipants() {
    state.participants = (await api().get(ev('/participants'))) || [];
}

export async function loadClashes() {
    try {
        state.clashes = (await api().get(ev('/clashes?limit=30'))) || [];
    } catch {
        state.clashes = [];
    }
}

export async function loadAllocations() {
    try {
        state.allocations = (await api().get(ev('/allocations'))) || [];
    } catch {
        state.allocations = [];
    }
}

export async function loadPublished() {
    try {
        state.published = await api().get(ev('/schedule'));
    } catch (err) {
        if (err.status !== 404) throw err;
        state.published = null;
    }
}

// The changes of the day and the plan's ETag (sent as If-Match with every change).
export async function loadPlan() {
    try {
        state.plan = await api().get(ev('/changes'));
    } catch {
        state.plan = null;
    }
}

export function planEtag() {
    return state.plan && state.plan.plan ? state.plan.plan.etag : null;
}

export async function loadMarket() {
    try {
        state.market = await api().get(ev('/marketplace'));
        state.marketSkew = Date.parse(state.market.now) - Date.now() || 0;
    } catch {
        state.market = null;
    }
}

export async function loadAll() {
    await Promise.all([
        loadEvent(),
        loadSlots(),
        loadBlocks(),
        loadRooms(),
        loadTopics(),
        loadParticipants(),
        loadClashes(),
        loadAllocations(),
        loadPublished(),
        loadPlan(),
        loadMarket(),
    ]);
}

// ---- helpers ----------------------------------------------------------------

export function tz() {
    return state.event ? state.event.timezone : undefined;
}

export function slotName(id) {
    const s = state.slots.find((x) => x.id === id);
    if (!s) return id;
    return s.label || fmtRange(s.starts_at, s.ends_at, tz());
}

export function blockById(id) {
    return state.blocks.find((x) => x.id === id);
}

// The block slot id is in, or undefined.
export function blockOfSlot(id) {
    return state.blocks.find((b) => (b.slots || []).includes(id));
}

export function roomById(id) {
    return state.rooms.find((x) => x.id === id);
}

export function topicById(id) {
    return state.topics.find((x) => x.id === id);
}

export function topicTitle(id) {
    const x = topicById(id);
    if (x) return x.title;
    if (state.published) {
        const s = (state.published.sessions || []).find((y) => y.topic === id);
        if (s) return s.title;
    }
    return id;
}

// What a 409 or 412 of the day says another facilitator changed
// (state.conflict), or null for any other error.
export function conflictOf(err) {
    if (!err || (err.status !== 409 && err.status !== 412)) return null;
    return { message: errorText(err), stale: err.status === 412, changes: (err.data && err.data.changes) || [] };
}

export function setErrors(key, errs) {
    state.errors[key] = errs;
}

export function errorsOf(key) {
    return state.errors[key] || {};
}

// Runs an API action: clears key's errors, calls fn, reloads with reload,
// announces done; on failure spreads the error over the form of key.
// onError(err), when given, may set the errors itself and return true.
export async function act(key, fn, reload, done, fields, onError) {
    setErrors(key, {});
    state.busy = true;
    rerender();
    try {
        await fn();
        if (reload) await reload();
        if (done) announce(done);
    } catch (err) {
        if (err.status === 401) return logout(t('fac.token_rejected'));
        if (!onError || !onError(err)) setErrors(key, formErrors(err, fields));
        announce(errorText(err));
    } finally {
        state.busy = false;
    }
    rerender();
}

// Forgets the token (rejected, or the facilitator logs out).
export function logout(msg) {
    tokens.set('f', state.eid, null);
    state.token = null;
    state.tokenErrors = msg ? { token: msg } : {};
    state.busy = false;
    rerender();
}
