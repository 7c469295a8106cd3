// SPDX-License-Identifier: MIT
// The facilitator's page (/e/{eid}/facilitate): event settings, slots,
// rooms, topics with votes and clash hints, locks, the allocation and its
// comparison with the published schedule, publication.
// One state object, one render(state).

import { Api, seg, tokens, takeFragment, eventIdFromPath } from './api.js';
import { h, mount, formValues, copyText } from './dom.js';
import { t, tn, has, loadLang, pickLang, langSwitch, fmtRange, fmtTime, fmtDay, toZoneInput, fromZoneInput } from './i18n.js';
import { errorText, formErrors, field, checkbox, formError, themeClass, setThemes, splitList, announce, recent } from './common.js';

const state = {
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
    newRoom: { name: '', capacity: '', features: '' },
    newTopic: { title: '', theme: '' },
    copied: null,
    editing: null, // topic id whose edit form is open
};

function api() {
    return new Api(state.token);
}

function ev(path) {
    return `/events/${seg(state.eid)}${path || ''}`;
}

// ---- data -----------------------------------------------------------------

async function loadEvent() {
    state.event = await api().get(ev());
}

async function loadSlots() {
    state.slots = (await api().get(ev('/slots'))) || [];
    state.slots.sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at)));
}

async function loadRooms() {
    state.rooms = (await api().get(ev('/rooms'))) || [];
}

async function loadTopics() {
    state.topics = (await api().get(ev('/topics'))) || [];
}

async function loadParticipants() {
    state.participants = (await api().get(ev('/participants'))) || [];
}

async function loadClashes() {
    try {
        state.clashes = (await api().get(ev('/clashes?limit=30'))) || [];
    } catch {
        state.clashes = [];
    }
}

async function loadAllocations() {
    try {
        state.allocations = (await api().get(ev('/allocations'))) || [];
    } catch {
        state.allocations = [];
    }
}

async function loadPublished() {
    try {
        state.published = await api().get(ev('/schedule'));
    } catch (err) {
        if (err.status !== 404) throw err;
        state.published = null;
    }
}

async function loadAll() {
    await Promise.all([loadEvent(), loadSlots(), loadRooms(), loadTopics(), loadParticipants(), loadClashes(), loadAllocations(), loadPublished()]);
}

// ---- helpers ----------------------------------------------------------------

function tz() {
    return state.event ? state.event.timezone : undefined;
}

function slotName(id) {
    const s = state.slots.find((x) => x.id === id);
    if (!s) return id;
    return s.label || fmtRange(s.starts_at, s.ends_at, tz());
}

function roomById(id) {
    return state.rooms.find((x) => x.id === id);
}

function topicById(id) {
    return state.topics.find((x) => x.id === id);
}

function topicTitle(id) {
    const x = topicById(id);
    if (x) return x.title;
    if (state.published) {
        const s = (state.published.sessions || []).find((y) => y.topic === id);
        if (s) return s.title;
    }
    return id;
}

function setErrors(key, errs) {
    state.errors[key] = errs;
}

function errorsOf(key) {
    return state.errors[key] || {};
}

// Runs an API action: clears key's errors, calls fn, reloads with reload,
// announces done; on failure spreads the error over the form of key.
async function act(key, fn, reload, done, fields) {
    setErrors(key, {});
    state.busy = true;
    render();
    try {
        await fn();
        if (reload) await reload();
        if (done) announce(done);
    } catch (err) {
        if (err.status === 401) return logout(t('fac.token_rejected'));
        setErrors(key, formErrors(err, fields));
        announce(errorText(err));
    } finally {
        state.busy = false;
    }
    render();
}

// ---- token ------------------------------------------------------------------

async function useToken(token) {
    state.token = token;
    try {
        await loadParticipants();
    } catch (err) {
        state.token = null;
        if (err.status === 401) return { token: t('fac.token_unknown') };
        if (err.status === 403) return { token: t('fac.token_wrong_event') };
        return { token: errorText(err) };
    }
    tokens.set('f', state.eid, token);
    return null;
}

async function onToken(e) {
    e.preventDefault();
    const v = formValues(e.target).token.trim();
    if (!v) {
        state.tokenErrors = { token: t('fac.token_required') };
        return render();
    }
    state.busy = true;
    render();
    const errs = await useToken(v);
    state.busy = false;
    state.tokenErrors = errs || {};
    if (!errs) await start2();
    else render();
}

function logout(msg) {
    tokens.set('f', state.eid, null);
    state.token = null;
    state.tokenErrors = msg ? { token: msg } : {};
    state.busy = false;
    render();
}

// ---- settings ---------------------------------------------------------------

async function onSettings(e) {
    e.preventDefault();
    const v = formValues(e.target);
    const body = {
        name: v.name.trim(),
        proposals_open: v.proposals_open,
        voting_open: v.voting_open,
        show_tallies: v.show_tallies,
        max_weight: Number(v.max_weight),
        vote_budget: v.vote_budget === '' ? 0 : Number(v.vote_budget),
        timezone: v.timezone.trim(),
        locale: v.locale,
        // An empty code means none: the API wants null for that.
        join_code: v.join_code.trim() || null,
    };
    const errs = {};
    if (!body.name) errs.name = t('fac.required');
    if (!Number.isInteger(body.max_weight) || body.max_weight < 1) errs.max_weight = t('fac.positive');
    if (!Number.isInteger(body.vote_budget) || body.vote_budget < 0) errs.vote_budget = t('fac.non_negative');
    if (Object.keys(errs).length) {
        setErrors('settings', errs);
        return render();
    }
    await act('settings', () => api().patch(ev(), body), loadEvent, t('fac.saved'), Object.keys(body));
}

function linkRow(id, label, url) {
    return h(
        'div',
        { class: 'copy-row' },
        h('label', { for: id }, label),
        h('input', { id, type: 'text', readOnly: true, value: url, class: 'mono' }),
        h(
            'button',
            {
                type: 'button',
                onclick: async () => {
                    const ok = await copyText(url, document.getElementById(id));
                    state.copied = ok ? id : null;
                    announce(ok ? t('me.copied') : t('me.copy_failed'));
                    render();
                },
                'aria-label': t('fac.copy_named', { what: label }),
            },
            state.copied === id ? t('me.copied') : t('me.copy'),
        ),
    );
}

function renderSettings() {
    const e = state.event;
    const err = errorsOf('settings');
    const base = `${location.origin}/e/${seg(state.eid)}`;
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return h(
        'section',
        { class: 'card', id: 'settings', 'aria-labelledby': 'settings-title' },
        h('h2', { id: 'settings-title' }, t('fac.settings')),
        h('p', null, tn('fac.participants_count', state.participants.length)),
        linkRow('link-participant', t('fac.link_participant'), e.join_code ? `${base}#code=${encodeURIComponent(e.join_code)}` : base),
        linkRow('link-wall', t('fac.link_wall'), `${base}/wall`),
        h(
            'form',
            { onsubmit: onSettings, novalidate: true, 'aria-labelledby': 'settings-title' },
            formError(err._form),
            field(t('fac.name'), h('input', { id: 'set-name', name: 'name', value: e.name, maxlength: 200, required: true }), err.name),
            h(
                'fieldset',
                null,
                h('legend', null, t('fac.phases')),
                checkbox('set-proposals', 'proposals_open', t('fac.proposals_open'), e.proposals_open),
                checkbox('set-voting', 'voting_open', t('fac.voting_open'), e.voting_open),
                checkbox('set-tallies', 'show_tallies', t('fac.show_tallies'), e.show_tallies),
            ),
            h(
                'div',
                { class: 'grid2' },
                field(t('fac.max_weight'), h('input', { id: 'set-max-weight', name: 'max_weight', type: 'number', min: 1, max: 10, value: e.max_weight }), err.max_weight),
                field(
                    t('fac.vote_budget'),
                    h('input', { id: 'set-budget', name: 'vote_budget', type: 'number', min: 0, value: e.vote_budget || 0 }),
                    err.vote_budget,
                    t('fac.vote_budget_hint'),
                ),
                field(t('fac.join_code'), h('input', { id: 'set-join-code', name: 'join_code', value: e.join_code || '', autocomplete: 'off' }), err.join_code, t('fac.join_code_hint')),
                field(t('fac.timezone'), h('input', { id: 'set-tz', name: 'timezone', value: e.timezone || '', list: 'zones', autocomplete: 'off' }), err.timezone),
                field(
                    t('fac.locale'),
                    h(
                        'select',
                        { id: 'set-locale', name: 'locale' },
                        ['fr', 'en'].map((l) => h('option', { value: l, selected: (e.locale || 'fr').startsWith(l) }, l === 'fr' ? 'Français' : 'English')),
                    ),
                    err.locale,
                ),
            ),
            h('datalist', { id: 'zones' }, zones.map((z) => h('option', { value: z }))),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'set-save', class: 'primary', disabled: state.busy }, t('fac.save_settings'))),
        ),
    );
}

// ---- slots ------------------------------------------------------------------

function slotBody(v) {
    return { label: v.label.trim(), starts_at: fromZoneInput(v.starts_at, tz()), ends_at: fromZoneInput(v.ends_at, tz()) };
}

function checkSlot(b) {
    const errs = {};
    if (!b.starts_at) errs.starts_at = t('fac.required');
    if (!b.ends_at) errs.ends_at = t('fac.required');
    if (b.starts_at && b.ends_at && b.ends_at <= b.starts_at) errs.ends_at = t('fac.end_after_start');
    return errs;
}

async function onAddSlot(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newSlot = v;
    const body = slotBody(v);
    const errs = checkSlot(body);
    if (Object.keys(errs).length) {
        setErrors('slot-new', errs);
        return render();
    }
    await act(
        'slot-new',
        async () => {
            await api().post(ev('/slots'), body);
            state.newSlot = { label: '', starts_at: v.ends_at, ends_at: '' };
        },
        loadSlots,
        t('fac.slot_added'),
        ['label', 'starts_at', 'ends_at'],
    );
    const el = document.getElementById('slot-new-label');
    if (el) el.focus();
}

async function onSaveSlot(e, slot) {
    e.preventDefault();
    const body = slotBody(formValues(e.target));
    const key = `slot-${slot.id}`;
    const errs = checkSlot(body);
    if (Object.keys(errs).length) {
        setErrors(key, errs);
        return render();
    }
    await act(key, () => api().patch(ev(`/slots/${seg(slot.id)}`), body), loadSlots, t('fac.saved'), ['label', 'starts_at', 'ends_at']);
}

async function onDeleteSlot(slot) {
    if (!confirm(t('fac.slot_delete_confirm', { slot: slotName(slot.id) }))) return;
    await act(`slot-${slot.id}`, () => api().del(ev(`/slots/${seg(slot.id)}`)), async () => Promise.all([loadSlots(), loadRooms()]), t('fac.deleted'));
}

function slotFields(prefix, v, err) {
    return [
        field(t('fac.slot_label'), h('input', { id: `${prefix}-label`, name: 'label', value: v.label, maxlength: 80 }), err.label, t('fac.slot_label_hint')),
        field(t('fac.starts_at'), h('input', { id: `${prefix}-start`, name: 'starts_at', type: 'datetime-local', value: v.starts_at, required: true }), err.starts_at),
        field(t('fac.ends_at'), h('input', { id: `${prefix}-end`, name: 'ends_at', type: 'datetime-local', value: v.ends_at, required: true }), err.ends_at),
    ];
}

function renderSlots() {
    const z = tz();
    return h(
        'section',
        { class: 'card', id: 'slots', 'aria-labelledby': 'slots-title' },
        h('h2', { id: 'slots-title' }, t('fac.slots')),
        h('p', { class: 'hint' }, t('fac.times_in_zone', { zone: z || 'UTC' })),
        h(
            'ul',
            { class: 'rows' },
            state.slots.map((s) => {
                const key = `slot-${s.id}`;
                const err = errorsOf(key);
                const name = slotName(s.id);
                return h(
                    'li',
                    null,
                    h(
                        'form',
                        { class: 'row-form', 'aria-label': t('fac.slot_named', { slot: name }), novalidate: true, onsubmit: (e) => onSaveSlot(e, s) },
                        formError(err._form),
                        slotFields(`slot-${s.id}`, { label: s.label || '', starts_at: toZoneInput(s.starts_at, z), ends_at: toZoneInput(s.ends_at, z) }, err),
                        h(
                            'div',
                            { class: 'actions' },
                            h('button', { type: 'submit', id: `slot-${s.id}-save`, disabled: state.busy }, t('fac.save')),
                            h('button', { type: 'button', class: 'danger', onclick: () => onDeleteSlot(s), 'aria-label': t('fac.delete_named', { what: name }) }, t('fac.delete')),
                        ),
                    ),
                );
            }),
        ),
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'slot-new-title', novalidate: true, onsubmit: onAddSlot },
            h('h3', { id: 'slot-new-title' }, t('fac.slot_add')),
            formError(errorsOf('slot-new')._form),
            slotFields('slot-new', state.newSlot, errorsOf('slot-new')),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'slot-new-add', class: 'primary', disabled: state.busy }, t('fac.slot_add_button'))),
        ),
    );
}

// ---- rooms ------------------------------------------------------------------

function roomBody(v) {
    return {
        name: (v.name || '').trim(),
        capacity: v.capacity === '' ? NaN : Number(v.capacity),
        features: splitList(v.features),
        unavailable: v.unavailable || [],
    };
}

function checkRoom(b) {
    const errs = {};
    if (!b.name) errs.name = t('fac.required');
    if (!Number.isInteger(b.capacity) || b.capacity < 1) errs.capacity = t('fac.positive');
    return errs;
}

async function onAddRoom(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newRoom = v;
    const body = roomBody(v);
    const errs = checkRoom(body);
    if (Object.keys(errs).length) {
        setErrors('room-new', errs);
        return render();
    }
    await act(
        'room-new',
        async () => {
            await api().post(ev('/rooms'), body);
            state.newRoom = { name: '', capacity: '', features: '' };
        },
        loadRooms,
        t('fac.room_added'),
        ['name', 'capacity', 'features', 'unavailable'],
    );
    const el = document.getElementById('room-new-name');
    if (el) el.focus();
}

async function onSaveRoom(e, room) {
    e.preventDefault();
    const body = roomBody(formValues(e.target));
    const key = `room-${room.id}`;
    const errs = checkRoom(body);
    if (Object.keys(errs).length) {
        setErrors(key, errs);
        return render();
    }
    await act(key, () => api().patch(ev(`/rooms/${seg(room.id)}`), body), loadRooms, t('fac.saved'), ['name', 'capacity', 'features', 'unavailable']);
}

async function onDeleteRoom(room) {
    if (!confirm(t('fac.room_delete_confirm', { room: room.name }))) return;
    await act(`room-${room.id}`, () => api().del(ev(`/rooms/${seg(room.id)}`)), loadRooms, t('fac.deleted'));
}

function roomFields(prefix, v, err) {
    const unavailable = v.unavailable || [];
    return [
        field(t('fac.room_name'), h('input', { id: `${prefix}-name`, name: 'name', value: v.name, maxlength: 100, required: true }), err.name),
        field(t('fac.capacity'), h('input', { id: `${prefix}-capacity`, name: 'capacity', type: 'number', min: 1, value: v.capacity, inputmode: 'numeric', required: true }), err.capacity),
        field(t('fac.features'), h('input', { id: `${prefix}-features`, name: 'features', value: v.features, autocomplete: 'off' }), err.features, t('fac.features_hint')),
        state.slots.length
            ? h(
                  'fieldset',
                  { class: 'unavailable' },
                  h('legend', null, t('fac.room_unavailable')),
                  state.slots.map((s) => checkbox(`${prefix}-unav-${s.id}`, 'unavailable', slotName(s.id), unavailable.includes(s.id), { value: s.id, 'data-group': '' })),
                  err.unavailable ? h('p', { class: 'field-error' }, err.unavailable) : null,
              )
            : null,
    ];
}

function renderRooms() {
    return h(
        'section',
        { class: 'card', id: 'rooms', 'aria-labelledby': 'rooms-title' },
        h('h2', { id: 'rooms-title' }, t('fac.rooms')),
        h(
            'ul',
            { class: 'rows' },
            state.rooms.map((r) => {
                const key = `room-${r.id}`;
                const err = errorsOf(key);
                return h(
                    'li',
                    null,
                    h(
                        'form',
                        { class: 'row-form', 'aria-label': t('fac.room_named', { room: r.name }), novalidate: true, onsubmit: (e) => onSaveRoom(e, r) },
                        formError(err._form),
                        roomFields(`room-${r.id}`, { name: r.name, capacity: r.capacity, features: (r.features || []).join(', '), unavailable: r.unavailable }, err),
                        h(
                            'div',
                            { class: 'actions' },
                            h('button', { type: 'submit', id: `room-${r.id}-save`, disabled: state.busy }, t('fac.save')),
                            h('button', { type: 'button', class: 'danger', onclick: () => onDeleteRoom(r), 'aria-label': t('fac.delete_named', { what: r.name }) }, t('fac.delete')),
                        ),
                    ),
                );
            }),
        ),
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'room-new-title', novalidate: true, onsubmit: onAddRoom },
            h('h3', { id: 'room-new-title' }, t('fac.room_add')),
            formError(errorsOf('room-new')._form),
            roomFields('room-new', state.newRoom, errorsOf('room-new')),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'room-new-add', class: 'primary', disabled: state.busy }, t('fac.room_add_button'))),
        ),
    );
}

// ---- topics -----------------------------------------------------------------

async function onLock(e, topic) {
    e.preventDefault();
    const v = formValues(e.target);
    const key = `topic-${topic.id}`;
    if (!v.room || !v.slot) {
        setErrors(key, { fixed: t('fac.lock_pick') });
        return render();
    }
    await act(key, () => api().patch(ev(`/topics/${seg(topic.id)}`), { fixed: { room: v.room, slot: v.slot } }), loadTopics, t('fac.locked', { title: topic.title }), ['fixed']);
}

async function onUnlock(topic) {
    await act(`topic-${topic.id}`, () => api().patch(ev(`/topics/${seg(topic.id)}`), { fixed: null }), loadTopics, t('fac.unlocked', { title: topic.title }), ['fixed']);
}

async function onDeleteTopic(topic) {
    if (!confirm(t('topic.delete_confirm', { title: topic.title }))) return;
    await act(`topic-${topic.id}`, () => api().del(ev(`/topics/${seg(topic.id)}`)), async () => Promise.all([loadTopics(), loadClashes()]), t('topic.deleted'));
}

async function onAddTopic(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newTopic = v;
    if (!v.title.trim()) {
        setErrors('topic-new', { title: t('topic.title_required') });
        return render();
    }
    const body = { title: v.title.trim() };
    if (v.theme.trim()) body.theme = v.theme.trim();
    await act(
        'topic-new',
        async () => {
            await api().post(ev('/topics'), body);
            state.newTopic = { title: '', theme: '' };
        },
        loadTopics,
        t('topic.proposed', { title: body.title }),
        ['title', 'theme'],
    );
}

function clashesOf(tid) {
    const out = [];
    for (const c of state.clashes) {
        if (c.a === tid) out.push({ other: c.b, shared: c.shared });
        else if (c.b === tid) out.push({ other: c.a, shared: c.shared });
    }
    return out.slice(0, 3);
}

function renderTopicRow(topic) {
    const key = `topic-${topic.id}`;
    const err = errorsOf(key);
    const v = topic.votes || { count: 0, weight: 0 };
    const clashes = clashesOf(topic.id);
    const fixed = topic.fixed;
    return h(
        'li',
        { class: ['fac-topic', themeClass(topic.theme)] },
        h(
            'article',
            { 'aria-labelledby': `${key}-title` },
            h('h3', { id: `${key}-title` }, topic.title),
            h(
                'p',
                { class: 'meta' },
                topic.theme ? h('span', { class: 'theme-chip' }, topic.theme) : null,
                ' ',
                tn('fac.votes', v.count, { weight: v.weight }),
                (topic.hosts || []).length ? ` · ${t('topic.by', { hosts: topic.hosts.map((x) => x.name).join(', ') })}` : '',
                topic.max_size ? ` · ${t('topic.size', { n: topic.max_size })}` : '',
                topic.needs && topic.needs.length ? ` · ${t('topic.needs_list', { needs: topic.needs.join(', ') })}` : '',
            ),
            clashes.length
                ? h(
                      'p',
                      { class: 'clash-hint' },
                      t('fac.clash_hint', {
                          list: clashes.map((c) => t('fac.clash_item', { title: topicTitle(c.other), n: c.shared })).join(', '),
                      }),
                  )
                : null,
            fixed
                ? h(
                      'div',
                      { class: 'actions' },
                      h('p', { class: 'locked' }, t('fac.locked_at', { room: (roomById(fixed.room) || { name: fixed.room }).name, slot: slotName(fixed.slot) })),
                      h('button', { type: 'button', id: `${key}-unlock`, onclick: () => onUnlock(topic), 'aria-label': t('fac.unlock_named', { title: topic.title }) }, t('fac.unlock')),
                  )
                : h(
                      'form',
                      { class: 'lock-form', novalidate: true, onsubmit: (e) => onLock(e, topic), 'aria-label': t('fac.lock_named', { title: topic.title }) },
                      field(
                          t('fac.lock_room'),
                          h('select', { id: `${key}-room`, name: 'room' }, h('option', { value: '' }, '—'), state.rooms.map((r) => h('option', { value: r.id }, r.name))),
                      ),
                      field(
                          t('fac.lock_slot'),
                          h('select', { id: `${key}-slot`, name: 'slot' }, h('option', { value: '' }, '—'), state.slots.map((s) => h('option', { value: s.id }, slotName(s.id)))),
                      ),
                      h('button', { type: 'submit', id: `${key}-lock`, disabled: state.busy, 'aria-label': t('fac.lock_named', { title: topic.title }) }, t('fac.lock')),
                  ),
            err.fixed || err._form ? h('p', { class: 'field-error', role: 'alert' }, err.fixed || err._form) : null,
            state.editing === topic.id
                ? renderTopicEdit(topic)
                : h(
                      'div',
                      { class: 'actions' },
                      h(
                          'button',
                          {
                              type: 'button',
                              id: `${key}-edit`,
                              onclick: () => {
                                  state.editing = topic.id;
                                  setErrors(`${key}-edit`, {});
                                  render();
                                  const el = document.getElementById(`${key}-edit-title`);
                                  if (el) el.focus();
                              },
                              'aria-label': t('topic.edit_named', { title: topic.title }),
                          },
                          t('topic.edit'),
                      ),
                      h('button', { type: 'button', class: 'danger quiet', onclick: () => onDeleteTopic(topic), 'aria-label': t('topic.delete_named', { title: topic.title }) }, t('topic.delete')),
                  ),
        ),
    );
}

// The facilitator fixes a title, merges two topics into one text, or sets
// a group size: the same fields as the host's, on any topic.
function renderTopicEdit(topic) {
    const key = `topic-${topic.id}-edit`;
    const err = errorsOf(key);
    const done = () => {
        state.editing = null;
        render();
        const el = document.getElementById(`topic-${topic.id}-edit`);
        if (el) el.focus();
    };
    return h(
        'form',
        {
            class: 'row-form',
            novalidate: true,
            'aria-label': t('topic.edit_named', { title: topic.title }),
            onsubmit: async (e) => {
                e.preventDefault();
                const v = formValues(e.target);
                const size = v.max_size.trim();
                if (!v.title.trim()) {
                    setErrors(key, { title: t('topic.title_required') });
                    return render();
                }
                if (size !== '' && !/^\d+$/.test(size)) {
                    setErrors(key, { max_size: t('topic.size_invalid') });
                    return render();
                }
                const body = { title: v.title.trim(), theme: v.theme.trim(), description: v.description.trim(), max_size: size === '' ? null : Number(size) };
                await act(
                    key,
                    async () => {
                        await api().patch(ev(`/topics/${seg(topic.id)}`), body);
                        state.editing = null;
                    },
                    loadTopics,
                    t('topic.saved'),
                    ['title', 'theme', 'description', 'max_size'],
                );
            },
        },
        formError(err._form),
        field(t('topic.title'), h('input', { id: `${key}-title`, name: 'title', value: topic.title, maxlength: 200 }), err.title),
        field(t('topic.theme'), h('input', { id: `${key}-theme`, name: 'theme', value: topic.theme || '', maxlength: 80 }), err.theme),
        field(t('topic.max_size'), h('input', { id: `${key}-size`, name: 'max_size', type: 'number', min: 1, value: topic.max_size || '' }), err.max_size),
        h('div', { class: 'wide' }, field(t('topic.description'), h('textarea', { id: `${key}-description`, name: 'description', rows: 3, maxlength: 2000 }, topic.description || ''), err.description)),
        h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('topic.save')),
            h('button', { type: 'button', onclick: done }, t('topic.cancel')),
        ),
    );
}

function renderTopics() {
    const sorted = state.topics.slice().sort((a, b) => ((b.votes || {}).weight || 0) - ((a.votes || {}).weight || 0));
    const err = errorsOf('topic-new');
    return h(
        'section',
        { class: 'card', id: 'topics', 'aria-labelledby': 'topics-title' },
        h('h2', { id: 'topics-title' }, tn('topics.title', state.topics.length)),
        state.clashes.length ? h('p', { class: 'hint' }, t('fac.clash_explain')) : null,
        sorted.length ? h('ul', { class: 'rows' }, sorted.map(renderTopicRow)) : h('p', null, t('topics.none')),
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'topic-new-title', novalidate: true, onsubmit: onAddTopic },
            h('h3', { id: 'topic-new-title' }, t('fac.topic_add')),
            formError(err._form),
            field(t('topic.title'), h('input', { id: 'topic-new-title-input', name: 'title', value: state.newTopic.title, maxlength: 200 }), err.title),
            field(t('topic.theme'), h('input', { id: 'topic-new-theme', name: 'theme', value: state.newTopic.theme, maxlength: 80 }), err.theme),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'topic-new-add', disabled: state.busy }, t('fac.topic_add_button'))),
        ),
    );
}

// ---- allocation ---------------------------------------------------------------

async function onAllocate(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.timeLimit = v.time_limit_ms;
    const ms = Number(v.time_limit_ms);
    const body = {};
    if (v.time_limit_ms !== '' && Number.isInteger(ms) && ms > 0) body.time_limit_ms = ms;
    state.allocating = true;
    setErrors('alloc', {});
    render();
    try {
        state.draft = await api().post(ev('/allocation'), body);
        await loadAllocations();
        const s = state.draft.solution.score || {};
        announce(t('fac.alloc_done', { satisfied: s.satisfied, demand: s.demand }));
    } catch (err) {
        setErrors('alloc', formErrors(err, ['time_limit_ms']));
        announce(errorText(err));
    }
    state.allocating = false;
    render();
    const heading = document.getElementById('draft-title');
    if (heading) heading.focus();
}

async function onShowDraft(id) {
    await act(
        'alloc',
        async () => {
            state.draft = await api().get(ev(`/allocations/${seg(id)}`));
        },
        null,
        null,
    );
    const heading = document.getElementById('draft-title');
    if (heading) heading.focus();
}

async function onDeleteDraft(id) {
    await act(
        'alloc',
        async () => {
            await api().del(ev(`/allocations/${seg(id)}`));
            if (state.draft && state.draft.id === id) state.draft = null;
        },
        loadAllocations,
        t('fac.deleted'),
    );
}

async function onPublish() {
    if (!state.draft) return;
    if (!confirm(t('fac.publish_confirm'))) return;
    await act(
        'publish',
        () => api().post(ev('/schedule/publish'), { allocation: state.draft.id }),
        async () => Promise.all([loadPublished(), loadAllocations()]),
        null,
    );
    if (state.published && !errorsOf('publish')._form) {
        announce(t('fac.published', { version: state.published.version }));
        render();
    }
}

// Compares the draft's sessions with the published ones, by topic.
export function diffSchedules(draftSessions, publishedSessions) {
    const before = new Map((publishedSessions || []).map((s) => [s.topic, s]));
    const after = new Map((draftSessions || []).map((s) => [s.topic, s]));
    const changes = [];
    for (const [tid, s] of after) {
        const b = before.get(tid);
        if (!b) changes.push({ kind: 'added', topic: tid, to: s });
        else if (b.room !== s.room || b.slot !== s.slot) changes.push({ kind: 'moved', topic: tid, from: b, to: s });
    }
    for (const [tid, b] of before) if (!after.has(tid)) changes.push({ kind: 'removed', topic: tid, from: b });
    return changes;
}

function cellText(s) {
    return t('fac.cell', { room: (roomById(s.room) || { name: s.room }).name, slot: slotName(s.slot) });
}

function renderChanges(sol) {
    if (!state.published) return h('p', null, t('fac.diff_none_published'));
    const changes = diffSchedules(sol.sessions, state.published.sessions);
    const title = t('fac.diff_title', { version: state.published.version });
    if (!changes.length) return h('div', null, h('h4', null, title), h('p', null, t('fac.diff_same')));
    return h(
        'div',
        null,
        h('h4', null, title),
        h(
            'ul',
            { class: 'changes' },
            changes.map((c) => {
                const name = topicTitle(c.topic);
                if (c.kind === 'added') return h('li', { class: 'added' }, t('fac.diff_added', { title: name, to: cellText(c.to) }));
                if (c.kind === 'removed') return h('li', { class: 'removed' }, t('fac.diff_removed', { title: name, from: cellText(c.from) }));
                return h('li', { class: 'moved' }, t('fac.diff_moved', { title: name, from: cellText(c.from), to: cellText(c.to) }));
            }),
        ),
    );
}

function renderGrid(sol) {
    const bySlotRoom = new Map();
    for (const s of sol.sessions || []) bySlotRoom.set(`${s.room}\u0000${s.slot}`, s);
    return h(
        'div',
        { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'grid-caption' },
        h(
            'table',
            { class: 'grid' },
            h('caption', { id: 'grid-caption' }, t('fac.grid_caption')),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('fac.room')), state.slots.map((s) => h('th', { scope: 'col' }, slotName(s.id))))),
            h(
                'tbody',
                null,
                state.rooms.map((r) =>
                    h(
                        'tr',
                        null,
                        h('th', { scope: 'row' }, r.name, h('span', { class: 'cap' }, t('fac.capacity_n', { n: r.capacity }))),
                        state.slots.map((sl) => {
                            const s = bySlotRoom.get(`${r.id}\u0000${sl.id}`);
                            if (!s) return h('td', { class: (r.unavailable || []).includes(sl.id) ? 'off' : 'empty' }, (r.unavailable || []).includes(sl.id) ? t('fac.unavailable') : '');
                            const n = (s.attendees || []).length;
                            const x = topicById(s.topic);
                            return h(
                                'td',
                                { class: themeClass(x ? x.theme : '') },
                                h('strong', null, topicTitle(s.topic)),
                                h(
                                    'span',
                                    { class: 'attendance' },
                                    h('meter', { min: 0, max: r.capacity, value: n, 'aria-label': t('fac.attendance_label', { title: topicTitle(s.topic) }) }),
                                    ' ',
                                    t('fac.attendance', { n, capacity: r.capacity }),
                                ),
                            );
                        }),
                    ),
                ),
            ),
        ),
    );
}

// Why a topic was left out: the allocator's reason code in the page's
// language when we know it, else its English sentence.
function whyText(sol, tid) {
    const code = (sol.why_code || {})[tid];
    if (code && has(`why.${code}`)) return t(`why.${code}`);
    return (sol.why || {})[tid] || '';
}

function renderDraft() {
    const sol = state.draft.solution || {};
    const s = sol.score || {};
    const ratio = s.bound ? Math.round((100 * s.satisfied) / s.bound) : null;
    const publishErr = errorsOf('publish')._form;
    return h(
        'div',
        { class: 'draft' },
        h('h3', { id: 'draft-title', tabindex: '-1' }, t('fac.draft_title', { id: state.draft.id })),
        h(
            'dl',
            { class: 'score' },
            h('dt', null, t('fac.score_satisfied')),
            h('dd', null, t('fac.score_satisfied_value', { satisfied: s.satisfied, demand: s.demand })),
            s.bound !== undefined && s.bound !== null ? h('dt', null, t('fac.score_bound')) : null,
            s.bound !== undefined && s.bound !== null ? h('dd', null, t('fac.score_bound_value', { bound: s.bound, ratio: ratio === null ? '—' : ratio })) : null,
            h('dt', null, t('fac.score_scheduled')),
            h('dd', null, t('fac.score_scheduled_value', { scheduled: s.scheduled, total: state.topics.length })),
        ),
        (sol.unscheduled || []).length
            ? h(
                  'div',
                  null,
                  h('h4', null, t('fac.unplaced')),
                  h(
                      'ul',
                      { class: 'unplaced' },
                      sol.unscheduled.map((tid) => h('li', null, h('strong', null, topicTitle(tid)), whyText(sol, tid) ? ` — ${whyText(sol, tid)}` : '')),
                  ),
              )
            : h('p', null, t('fac.all_placed')),
        renderGrid(sol),
        renderChanges(sol),
        formError(publishErr),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'publish', class: 'primary', onclick: onPublish, disabled: state.busy }, t('fac.publish'))),
    );
}

function renderAllocation() {
    const err = errorsOf('alloc');
    const z = tz();
    return h(
        'section',
        { class: 'card', id: 'allocation', 'aria-labelledby': 'alloc-title', 'aria-busy': state.allocating ? 'true' : 'false' },
        h('h2', { id: 'alloc-title' }, t('fac.allocation')),
        state.published
            ? h('p', null, t('fac.published_info', { version: state.published.version, at: `${fmtDay(state.published.published_at, z)} ${fmtTime(state.published.published_at, z)}` }))
            : h('p', null, t('fac.not_published')),
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onAllocate, 'aria-label': t('fac.allocation') },
            field(t('fac.time_limit'), h('input', { id: 'alloc-time', name: 'time_limit_ms', type: 'number', min: 100, max: 60000, step: 100, value: state.timeLimit }), err.time_limit_ms, t('fac.time_limit_hint')),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'alloc-run', class: 'primary', disabled: state.allocating || state.busy }, state.allocating ? t('fac.allocating') : t('fac.allocate'))),
        ),
        formError(err._form),
        state.allocations.length
            ? h(
                  'div',
                  null,
                  h('h3', null, t('fac.drafts')),
                  h(
                      'ul',
                      { class: 'drafts' },
                      state.allocations.map((a) =>
                          h(
                              'li',
                              null,
                              h(
                                  'span',
                                  null,
                                  t('fac.draft_line', { id: a.id, at: a.created_at ? fmtTime(a.created_at, z) : '', satisfied: a.satisfied, bound: a.bound === undefined || a.bound === null ? '—' : a.bound, scheduled: a.scheduled }),
                                  a.published ? ` · ${t('fac.draft_published')}` : '',
                              ),
                              h('button', { type: 'button', onclick: () => onShowDraft(a.id), 'aria-label': t('fac.show_named', { id: a.id }) }, t('fac.show')),
                              a.published ? null : h('button', { type: 'button', class: 'danger quiet', onclick: () => onDeleteDraft(a.id), 'aria-label': t('fac.delete_named', { what: a.id }) }, t('fac.delete')),
                          ),
                      ),
                  ),
              )
            : null,
        state.draft ? renderDraft() : null,
    );
}

// ---- page -------------------------------------------------------------------

function renderTokenForm() {
    const err = state.tokenErrors;
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'token-title' },
        h('h2', { id: 'token-title' }, t('fac.token_title')),
        h('p', null, t('fac.token_intro')),
        h(
            'form',
            { onsubmit: onToken, novalidate: true },
            field(t('fac.token'), h('input', { id: 'fac-token', name: 'token', type: 'password', autocomplete: 'off', class: 'mono' }), err.token),
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('fac.token_submit'))),
        ),
    );
}

function render() {
    const main = document.getElementById('main');
    setThemes(state.topics.map((x) => x.theme));

    const parts = [
        h(
            'header',
            { class: 'page-header' },
            h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd'), ' · ', t('fac.role')),
            langSwitch(() => render()),
            h('h1', null, state.event ? state.event.name : t('fac.title')),
            state.token && state.event
                ? h(
                      'nav',
                      { 'aria-label': t('fac.nav') },
                      h(
                          'ul',
                          null,
                          [
                              ['settings', t('fac.settings')],
                              ['slots', t('fac.slots')],
                              ['rooms', t('fac.rooms')],
                              ['topics', t('fac.topics')],
                              ['allocation', t('fac.allocation')],
                          ].map(([id, label]) => h('li', null, h('a', { href: `#${id}` }, label))),
                      ),
                      h('button', { type: 'button', class: 'quiet', onclick: () => logout(null) }, t('fac.logout')),
                  )
                : null,
        ),
    ];
    if (state.fatal)
        parts.push(
            h('p', { class: 'form-error', role: 'alert' }, state.fatal),
            h(
                'div',
                { class: 'actions' },
                h(
                    'button',
                    {
                        type: 'button',
                        onclick: () => {
                            state.fatal = null;
                            start2();
                        },
                    },
                    t('app.retry'),
                ),
            ),
        );
    else if (!state.token) parts.push(renderTokenForm());
    else if (state.loading) parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    else parts.push(renderSettings(), renderSlots(), renderRooms(), renderTopics(), renderAllocation());
    mount(main, parts);
    document.title = state.event ? `${state.event.name} · ${t('fac.role')} · forumd` : 'forumd';
}

// True while someone is filling a field: a background refresh would wipe it.
function typing() {
    const a = document.activeElement;
    return Boolean(a && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName));
}

// Loads everything once a token is known.
async function start2() {
    state.loading = true;
    render();
    try {
        await loadAll();
        recent.add(state.eid, state.event.name, 'facilitator');
    } catch (err) {
        if (err.status === 401 || err.status === 403) {
            state.loading = false;
            return logout(t('fac.token_rejected'));
        }
        state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
    }
    state.loading = false;
    render();
}

async function start() {
    const frag = takeFragment();
    await loadLang(pickLang(null));
    state.token = frag.token || tokens.get('f', state.eid);
    if (state.token) {
        const errs = await useToken(state.token);
        if (errs) {
            tokens.set('f', state.eid, null);
            state.tokenErrors = errs;
        }
    }
    if (state.token) await start2();
    else {
        state.loading = false;
        render();
    }
    // Votes and proposals keep coming in while the facilitator prepares.
    setInterval(async () => {
        if (document.hidden || !state.token || state.busy || state.allocating || state.editing || typing()) return;
        try {
            await Promise.all([loadTopics(), loadParticipants(), loadClashes()]);
            render();
        } catch {
            /* next round */
        }
    }, 30000);
}

start();
