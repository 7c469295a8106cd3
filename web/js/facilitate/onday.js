// SPDX-License-Identifier: MIT
// On the day: the marketplace (open a block to proposals, the quick entry
// for hosts without a phone, close it with or without a short vote, and
// allocate at once) and the changes of the day after a publication (cancel
// a session, merge two topics, move a session by hand with its cost shown
// first, close a room from a slot on, add a topic on the spot), each
// undoable, newest first, until the next publication. Every change is sent
// with If-Match on the plan as this page last read it: when another
// facilitator changed it meanwhile, nothing is done and the page says what
// changed.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t, tn, fmtTime } from '../i18n.js';
import { errorText, formErrors, field, counted, formError, announce, sessionTitle } from '../common.js';
import { range } from '../limits.js';
import { state, api, ev, tz, slotName, roomById, loadTopics, loadRooms, loadEvent, loadBlocks, loadParticipants, loadPlan, loadMarket, planEtag, conflictOf, setErrors, errorsOf, rerender } from './state.js';
import { allocateNow } from './allocation.js';
import { panel } from './panel.js';

const MARKET_POLL_MS = 3000;
// The allocation that follows the marketplace: on the seed's day (20 topics
// in the forum, 60 people) the solver's result is the same from 200 ms to
// 2 s, so half a second keeps the grid on the wall within 2 s of closing
// (docs/performance.md, "On the day"). A re-run after changes of the day
// (with `previous`) gets a second.
export const MARKET_ALLOCATE_MS = 500;
const RERUN_MS = 1000;

const etag = planEtag;

// Sends one change with If-Match; a 409 or 412 keeps what it says changed.
async function change(key, path, body, done, fields) {
    setErrors(key, {});
    state.conflict = null;
    state.busy = true;
    rerender();
    let out = null;
    try {
        out = (await api().raw('POST', ev(path), { body, ifMatch: etag() })).data;
        if (done) announce(done(out));
        state.lastChange = out && out.change ? out.change : null;
    } catch (err) {
        state.conflict = conflictOf(err);
        setErrors(key, formErrors(err, fields));
        announce(errorText(err));
    }
    await Promise.all([loadPlan(), loadTopics(), loadRooms()]);
    state.busy = false;
    rerender();
    return out;
}

// ---- the marketplace ---------------------------------------------------------------

function allocatedBlocks() {
    return state.blocks.filter((b) => b.kind !== 'plenary' && b.kind !== 'break');
}

function marketOpen() {
    const m = state.market;
    return Boolean(m && m.block && (m.phase === 'proposals' || m.phase === 'vote'));
}

async function putMarket(body) {
    setErrors('market', {});
    state.busy = true;
    rerender();
    try {
        state.market = await api().put(ev('/marketplace'), body);
        state.marketSkew = Date.parse(state.market.now) - Date.now() || 0;
        await Promise.all([loadEvent(), loadBlocks()]);
    } catch (err) {
        setErrors('market', formErrors(err, ['block', 'phase', 'vote_minutes']));
        announce(errorText(err));
        state.busy = false;
        rerender();
        return false;
    }
    state.busy = false;
    rerender();
    return true;
}

async function onOpenMarket(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.marketBlock = v.block;
    if (await putMarket({ phase: 'proposals', block: v.block })) {
        announce(t('fac.market_opened', { block: state.market.block.name }));
        const title = document.getElementById('quick-title');
        if (title) title.focus();
    }
}

// Closing leads straight to the allocation: at once, or when the vote ends.
async function closeAndAllocate() {
    state.voteEnding = false;
    if (!(await putMarket({ phase: 'closed' }))) return;
    announce(t('fac.market_closed'));
    await allocateNow(MARKET_ALLOCATE_MS);
}

async function onCloseMarket(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.voteMinutes = v.vote_minutes;
    const minutes = Number(v.vote_minutes);
    if (v.vote_minutes === '' || minutes === 0) return closeAndAllocate();
    const r = range('vote_minutes') || [1, 60];
    if (!Number.isInteger(minutes) || minutes < r[0] || minutes > r[1]) {
        setErrors('market', { vote_minutes: t('fac.vote_minutes_range', { max: r[1] }) });
        return rerender();
    }
    if (await putMarket({ phase: 'vote', vote_minutes: minutes })) announce(t('fac.market_vote_started', { n: minutes }));
}

async function onQuickEntry(e) {
    e.preventDefault();
    const form = e.target;
    const v = formValues(form);
    state.quick = { title: v.title, host_name: v.host_name };
    if (!v.title.trim()) {
        setErrors('quick', { title: t('topic.title_required') });
        return rerender();
    }
    const body = { title: v.title.trim(), block: state.market.block.id };
    if (v.host_name.trim()) body.host_name = v.host_name.trim();
    setErrors('quick', {});
    state.busy = true;
    rerender();
    try {
        await api().post(ev('/topics'), body);
        // Next: the form is empty again, the cursor in the title.
        state.quick = { title: '', host_name: '' };
        announce(t('fac.quick_added', { title: body.title }));
        await Promise.all([loadMarket(), loadTopics(), loadParticipants()]);
    } catch (err) {
        setErrors('quick', formErrors(err, ['title', 'host_name']));
        announce(errorText(err));
    }
    state.busy = false;
    rerender();
    const title = document.getElementById('quick-title');
    if (title) title.focus();
}

// What is left of the vote window, by the server's clock (ms).
function voteLeft(m) {
    return m.vote_ends_at ? Date.parse(m.vote_ends_at) - (Date.now() + (state.marketSkew || 0)) : 0;
}

function countdown(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function renderMarket() {
    const m = state.market;
    const err = errorsOf('market');
    const blocks = allocatedBlocks();
    if (!marketOpen()) {
        if (!blocks.length) return h('p', null, t('fac.market_no_block'));
        const chosen = state.marketBlock || (blocks.find((b) => b.kind === 'forum') || blocks[0]).id;
        return h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onOpenMarket, 'aria-label': t('fac.market_open') },
            field(t('fac.market_block'), h('select', { id: 'market-block', name: 'block' }, blocks.map((b) => h('option', { value: b.id, selected: b.id === chosen }, b.name))), err.block),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'market-open', class: 'primary', disabled: state.busy }, t('fac.market_open'))),
            formError(err._form),
        );
    }
    const q = errorsOf('quick');
    const left = voteLeft(m);
    return h(
        'div',
        { class: 'market' },
        h('p', { class: 'market-state', role: 'status' }, m.phase === 'vote' ? t('fac.market_voting', { block: m.block.name, time: countdown(left) }) : t('fac.market_is_open', { block: m.block.name }), ' ', tn('fac.market_joined', m.participants || 0)),
        m.phase === 'proposals'
            ? h(
                  'form',
                  { class: 'inline-form quick', novalidate: true, onsubmit: onQuickEntry, 'aria-label': t('fac.quick_title') },
                  counted(t('fac.quick_topic'), h('input', { id: 'quick-title', name: 'title', value: state.quick.title, autocomplete: 'off' }), 'title', q.title),
                  counted(t('fac.quick_host'), h('input', { id: 'quick-host', name: 'host_name', value: state.quick.host_name, autocomplete: 'off' }), 'host_name', q.host_name, t('fac.quick_host_hint')),
                  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'quick-add', disabled: state.busy }, t('fac.quick_add'))),
                  formError(q._form),
              )
            : null,
        h(
            'details',
            { class: 'market-topics' },
            h('summary', null, tn('fac.market_topics', (m.topics || []).length)),
            h('ol', null, (m.topics || []).map((x) => h('li', null, h('strong', null, x.title), x.hosts && x.hosts.length ? ` — ${x.hosts.join(', ')}` : ''))),
        ),
        m.phase === 'proposals'
            ? h(
                  'form',
                  { class: 'inline-form', novalidate: true, onsubmit: onCloseMarket, 'aria-label': t('fac.market_close') },
                  field(t('fac.vote_minutes'), h('input', { id: 'vote-minutes', name: 'vote_minutes', type: 'number', min: 0, max: (range('vote_minutes') || [])[1], value: state.voteMinutes }), err.vote_minutes, t('fac.vote_minutes_hint')),
                  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'market-close', class: 'primary', disabled: state.busy || state.allocating }, t('fac.market_close'))),
              )
            : h('div', { class: 'actions' }, h('button', { type: 'button', id: 'market-allocate', class: 'primary', onclick: closeAndAllocate, disabled: state.busy || state.allocating }, t('fac.market_allocate_now'))),
        formError(err._form),
    );
}

// ---- the changes of the day --------------------------------------------------------

// The sessions of the published schedule a change may name (topics, not the
// plenary or a break), by time.
function publishedSessions() {
    const sch = state.published;
    if (!sch) return [];
    return (sch.sessions || []).filter((s) => s.topic);
}

function sessionLabel(s) {
    const room = (roomById(s.room) || { name: s.room }).name;
    return `${sessionTitle(s)} · ${slotName(s.slot)} · ${room}`;
}

function sessionSelect(id, error) {
    const sessions = publishedSessions();
    const placed = new Set(sessions.map((s) => s.topic));
    const others = state.topics.filter((x) => !placed.has(x.id) && !x.cancelled);
    return field(
        t('fac.op_session'),
        h(
            'select',
            { id, name: 'session' },
            sessions.map((s) => h('option', { value: s.id }, sessionLabel(s))),
            others.map((x) => h('option', { value: x.id }, t('fac.op_unplaced', { title: x.title }))),
        ),
        error,
    );
}

function topicSelect(id, name, label, error) {
    return field(label, h('select', { id, name }, state.topics.filter((x) => !x.cancelled).map((x) => h('option', { value: x.id }, x.title))), error);
}

function roomSelect(id, error) {
    return field(t('fac.room'), h('select', { id, name: 'room' }, state.rooms.map((r) => h('option', { value: r.id }, r.name))), error);
}

function slotSelect(id, name, label, error) {
    return field(label, h('select', { id, name }, state.slots.map((s) => h('option', { value: s.id }, slotName(s.id)))), error);
}

async function onCancel(e) {
    e.preventDefault();
    const v = formValues(e.target);
    if (!v.session || !confirm(t('fac.op_cancel_confirm'))) return;
    await change('op-cancel', '/changes/cancel', { session: v.session }, (out) => t('fac.op_cancel_done', { title: out.change.summary.title }), ['session']);
}

async function onMerge(e) {
    e.preventDefault();
    const v = formValues(e.target);
    const body = { into: v.into, topic: v.topic };
    if (v.title.trim()) body.title = v.title.trim();
    if (v.description.trim()) body.description = v.description.trim();
    await change('op-merge', '/changes/merge', body, (out) => t('fac.op_merge_done', { title: out.change.summary.title, weight: out.change.summary.weight }), ['into', 'topic', 'title', 'description']);
}

async function onMovePreview(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.moveForm = v;
    state.movePreview = null;
    setErrors('op-move', {});
    state.busy = true;
    rerender();
    try {
        state.movePreview = (await api().raw('POST', ev('/changes/move'), { body: { session: v.session, room: v.room, slot: v.slot }, ifMatch: etag() })).data;
    } catch (err) {
        state.conflict = conflictOf(err);
        setErrors('op-move', formErrors(err, ['session', 'room', 'slot']));
    }
    state.busy = false;
    rerender();
    const out = document.getElementById('move-cost');
    if (out) out.focus();
}

async function onMoveConfirm() {
    const v = state.moveForm;
    if (!v) return;
    const done = await change('op-move', '/changes/move', { session: v.session, room: v.room, slot: v.slot, confirm: true }, (out) => t('fac.op_move_done', { title: out.change.summary.title }), ['session', 'room', 'slot']);
    if (done) state.movePreview = null;
    rerender();
}

async function onCloseRoom(e) {
    e.preventDefault();
    const v = formValues(e.target);
    await change('op-close', '/changes/close_room', { room: v.room, from: v.from }, (out) => t('fac.op_close_done', { room: out.change.summary.room_name, n: out.change.summary.sessions.length }), ['room', 'from']);
}

async function onAddTopic(e) {
    e.preventDefault();
    const v = formValues(e.target);
    if (!v.title.trim()) {
        setErrors('op-topic', { title: t('topic.title_required') });
        return rerender();
    }
    const body = { title: v.title.trim() };
    if (v.host_name.trim()) body.host_name = v.host_name.trim();
    if (v.block) body.block = v.block;
    await change('op-topic', '/changes/topic', body, () => t('fac.op_topic_done', { title: body.title }), ['title', 'host_name', 'block']);
}

async function onUndo(seq) {
    await change(`undo-${seq}`, `/changes/${seg(String(seq))}/undo`, undefined, () => t('fac.undone'), []);
}

function place(p) {
    if (!p) return '';
    return t('fac.cell', { room: p.room_name || (roomById(p.room) || { name: p.room || '' }).name, slot: p.slot_label || slotName(p.slot) });
}

// One change of the day in words.
export function changeText(c) {
    const s = c.summary || {};
    switch (c.kind) {
        case 'cancel':
            return t('fac.ch_cancel', { title: s.title, people: s.people || 0 });
        case 'merge':
            return t('fac.ch_merge', { from: s.topic_title, title: s.title, weight: s.weight });
        case 'move':
            return t('fac.ch_move', { title: s.title, to: place(s.to) });
        case 'close_room':
            return t('fac.ch_close', { room: s.room_name, from: place(s.from) || slotName(s.from && s.from.slot), n: (s.sessions || []).length });
        case 'add_topic':
            return t('fac.ch_topic', { title: s.title });
        case 'undo':
            return t('fac.ch_undo', { seq: s.undid });
        default:
            return c.kind;
    }
}

function renderConflict() {
    const c = state.conflict;
    if (!c) return null;
    return h(
        'div',
        { class: 'conflict', role: 'alert' },
        h('p', null, c.stale ? t('fac.conflict_stale') : t('fac.conflict'), ' ', c.message),
        c.changes.length ? h('ul', null, c.changes.map((x) => h('li', null, `#${x.seq} · ${changeText(x)}`))) : null,
        h(
            'button',
            {
                type: 'button',
                onclick: async () => {
                    state.conflict = null;
                    await Promise.all([loadPlan(), loadTopics(), loadRooms()]);
                    rerender();
                },
            },
            t('fac.conflict_reload'),
        ),
    );
}

function renderChangeList() {
    const p = state.plan;
    if (!p) return null;
    const list = p.changes || [];
    const z = tz();
    return h(
        'div',
        null,
        h('h3', null, t('fac.changes_title', { version: p.plan.version })),
        list.length
            ? h(
                  'ol',
                  { class: 'changes-list' },
                  list.map((c) =>
                      h(
                          'li',
                          { class: c.state },
                          h('span', null, `${fmtTime(c.at, z)} · `, changeText(c), c.state === 'undone' ? ` (${t('fac.change_undone')})` : ''),
                          c.seq === p.head && c.state === 'pending' && c.kind !== 'undo'
                              ? h('button', { type: 'button', class: 'quiet', id: `undo-${c.seq}`, onclick: () => onUndo(c.seq), disabled: state.busy }, t('fac.undo'))
                              : null,
                          formError(errorsOf(`undo-${c.seq}`)._form),
                      ),
                  ),
              )
            : h('p', null, t('fac.changes_none')),
        p.draft && !p.draft.fresh ? h('p', { class: 'hint' }, t('fac.draft_stale')) : null,
        list.some((c) => c.state === 'pending')
            ? h('div', { class: 'actions' }, h('button', { type: 'button', id: 'rerun', onclick: () => allocateNow(RERUN_MS), disabled: state.busy || state.allocating }, t('fac.rerun')))
            : null,
    );
}

function renderMoveCost() {
    const p = state.movePreview;
    if (!p) return null;
    const c = p.cost || {};
    const items = [
        t('fac.cost_clash', { n: c.clash || 0, names: (c.clash_names || []).join(', ') }),
        t('fac.cost_small', { n: c.too_small || 0, seats: c.seats }),
        (c.feature_missing || []).length ? t('fac.cost_features', { list: c.feature_missing.join(', ') }) : t('fac.cost_features_none'),
        (c.host_busy || []).length ? t('fac.cost_hosts', { names: c.host_busy.join(', ') }) : t('fac.cost_hosts_none'),
    ];
    if (c.cannot_enter) items.push(t('fac.cost_enter', { n: c.cannot_enter }));
    return h(
        'div',
        { class: 'move-cost', id: 'move-cost', tabindex: '-1', 'aria-labelledby': 'move-cost-title' },
        h('h4', { id: 'move-cost-title' }, t('fac.cost_title', { from: place(p.from) || '—', to: place(p.to) })),
        h('ul', null, items.map((x) => h('li', null, x))),
        p.refused ? h('p', { class: 'form-error' }, p.refused.message) : null,
        h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', id: 'move-confirm', class: 'primary', onclick: onMoveConfirm, disabled: state.busy || Boolean(p.refused) }, t('fac.move_confirm')),
            h(
                'button',
                {
                    type: 'button',
                    class: 'quiet',
                    onclick: () => {
                        state.movePreview = null;
                        rerender();
                    },
                },
                t('fac.move_cancel'),
            ),
        ),
    );
}

function renderOps() {
    const ec = errorsOf('op-cancel');
    const em = errorsOf('op-merge');
    const ev2 = errorsOf('op-move');
    const er = errorsOf('op-close');
    const et = errorsOf('op-topic');
    const blocks = allocatedBlocks();
    return h(
        'div',
        { class: 'ops' },
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onCancel, 'aria-labelledby': 'op-cancel-title' },
            h('h4', { id: 'op-cancel-title' }, t('fac.op_cancel')),
            sessionSelect('op-cancel-session', ec.session),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'op-cancel', class: 'danger', disabled: state.busy }, t('fac.op_cancel_button'))),
            formError(ec._form),
        ),
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onMerge, 'aria-labelledby': 'op-merge-title' },
            h('h4', { id: 'op-merge-title' }, t('fac.op_merge')),
            topicSelect('op-merge-into', 'into', t('fac.op_merge_into'), em.into),
            topicSelect('op-merge-topic', 'topic', t('fac.op_merge_topic'), em.topic),
            counted(t('fac.op_merge_title'), h('input', { id: 'op-merge-new-title', name: 'title' }), 'title', em.title, t('fac.op_merge_title_hint')),
            counted(t('topic.description'), h('textarea', { id: 'op-merge-description', name: 'description', rows: 2 }), 'description', em.description),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'op-merge', disabled: state.busy }, t('fac.op_merge_button'))),
            formError(em._form),
        ),
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onMovePreview, 'aria-labelledby': 'op-move-title' },
            h('h4', { id: 'op-move-title' }, t('fac.op_move')),
            sessionSelect('op-move-session', ev2.session),
            roomSelect('op-move-room', ev2.room),
            slotSelect('op-move-slot', 'slot', t('fac.lock_slot'), ev2.slot),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'op-move', disabled: state.busy }, t('fac.op_move_button'))),
            formError(ev2._form),
        ),
        renderMoveCost(),
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onCloseRoom, 'aria-labelledby': 'op-close-title' },
            h('h4', { id: 'op-close-title' }, t('fac.op_close')),
            roomSelect('op-close-room', er.room),
            slotSelect('op-close-from', 'from', t('fac.op_close_from'), er.from),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'op-close', class: 'danger', disabled: state.busy }, t('fac.op_close_button'))),
            formError(er._form),
        ),
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onAddTopic, 'aria-labelledby': 'op-topic-title' },
            h('h4', { id: 'op-topic-title' }, t('fac.op_topic')),
            counted(t('fac.quick_topic'), h('input', { id: 'op-topic-name', name: 'title' }), 'title', et.title),
            counted(t('fac.quick_host'), h('input', { id: 'op-topic-host', name: 'host_name' }), 'host_name', et.host_name),
            blocks.length
                ? field(
                      t('topic.block'),
                      h('select', { id: 'op-topic-block', name: 'block' }, h('option', { value: '' }, t('fac.op_topic_current')), blocks.map((b) => h('option', { value: b.id }, b.name))),
                      et.block,
                  )
                : null,
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'op-topic', disabled: state.busy }, t('fac.op_topic_button'))),
            formError(et._form),
        ),
    );
}

// The summary line kept when the section is folded.
function summary() {
    const m = state.market;
    if (marketOpen()) return m.phase === 'vote' ? t('fac.market_voting', { block: m.block.name, time: countdown(voteLeft(m)) }) : t('fac.market_is_open', { block: m.block.name });
    const live = ((state.plan && state.plan.changes) || []).filter((c) => c.state !== 'undone').length;
    if (live > 0) return tn('fac.onday_changes', live);
    return state.published ? t('fac.changes_none') : t('fac.changes_before');
}

export function renderOnday() {
    return panel('onday', t('fac.onday'), summary(), () => [
        h('h3', null, t('fac.market')),
        h('p', { class: 'hint' }, t('fac.market_intro')),
        renderMarket(),
        h('h3', null, t('fac.changes')),
        h('p', { class: 'hint' }, state.published ? t('fac.changes_intro') : t('fac.changes_before')),
        renderConflict(),
        renderChangeList(),
        renderOps(),
    ]);
}

// While the marketplace is open, its topics and count every few seconds;
// when the vote window ends, the allocation follows by itself.
export function startMarketPolling() {
    setInterval(async () => {
        if (!state.token || document.hidden) return;
        const m = state.market;
        if (!m || !(m.phase === 'proposals' || m.phase === 'vote')) return;
        if (m.phase === 'vote' && m.vote_ends_at && Date.parse(m.vote_ends_at) <= Date.now() + (state.marketSkew || 0)) {
            if (!state.voteEnding && !state.busy && !state.allocating) {
                state.voteEnding = true;
                await closeAndAllocate();
            }
            return;
        }
        const a = document.activeElement;
        const typing = a && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName) && a.id !== 'quick-title' && a.id !== 'quick-host';
        if (state.busy || typing) return;
        await loadMarket();
        // The quick entry keeps its text and focus across the refresh.
        const focus = a ? a.id : null;
        const form = document.querySelector('form.quick');
        if (form) state.quick = formValues(form);
        rerender();
        if (focus) {
            const el = document.getElementById(focus);
            if (el) el.focus();
        }
    }, MARKET_POLL_MS);
}
