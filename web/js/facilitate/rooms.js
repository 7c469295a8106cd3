// SPDX-License-Identifier: MIT
// The rooms: capacity, features and the slots when a room is not available.

import { seg } from '../api.js';
import { h, formValues, focusNext } from '../dom.js';
import { t, tn, fmtDay, fmtTime } from '../i18n.js';
import { field, counted, tooLong, checkbox, formError, splitList } from '../common.js';
import { charLimit } from '../limits.js';
import { state, api, ev, tz, slotName, loadRooms, setErrors, errorsOf, act, rerender } from './state.js';
import { panel } from './panel.js';

// "in_person" on an online room makes it hybrid: it then takes in-person
// topics too (docs/api.md, the allocation problem); the checkbox says it.
function roomBody(v) {
    const features = splitList(v.features).filter((f) => f !== 'in_person');
    if (v.hybrid) features.push('in_person');
    return {
        name: (v.name || '').trim(),
        capacity: v.capacity === '' ? NaN : Number(v.capacity),
        features,
        unavailable: v.unavailable || [],
        url: (v.url || '').trim() || null,
    };
}

// One click in the availability grid: the room is (un)available in a slot.
async function onToggleSlot(room, sid, available) {
    const unavailable = available ? room.unavailable.filter((x) => x !== sid) : [...room.unavailable, sid];
    await act(`room-${room.id}`, () => api().patch(ev(`/rooms/${seg(room.id)}`), { unavailable }), loadRooms, t('fac.saved'), ['unavailable']);
}

function checkRoom(b) {
    const errs = {};
    if (!b.name) errs.name = t('fac.required');
    if (!Number.isInteger(b.capacity) || b.capacity < 1) errs.capacity = t('fac.positive');
    if (tooLong(b.name, 'room_name')) errs.name = tooLong(b.name, 'room_name');
    const max = charLimit('feature');
    if (max !== undefined && b.features.some((f) => [...f].length > max)) errs.features = t('error.too_long_max', { max });
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
        return rerender();
    }
    await act(
        'room-new',
        async () => {
            await api().post(ev('/rooms'), body);
            state.newRoom = { name: '', capacity: '', features: '', url: '' };
        },
        loadRooms,
        t('fac.room_added'),
        ['name', 'capacity', 'features', 'unavailable', 'url'],
    );
    focusNext('room-new-name');
}

async function onSaveRoom(e, room) {
    e.preventDefault();
    const body = roomBody(formValues(e.target));
    const key = `room-${room.id}`;
    const errs = checkRoom(body);
    if (Object.keys(errs).length) {
        setErrors(key, errs);
        return rerender();
    }
    // The form stays open after saving (the focus stays on Save); "Edit"
    // closes it.
    await act(
        key,
        () => api().patch(ev(`/rooms/${seg(room.id)}`), body),
        loadRooms,
        t('fac.saved'),
        ['name', 'capacity', 'features', 'unavailable', 'url'],
    );
}

async function onDeleteRoom(room) {
    if (!confirm(t('fac.room_delete_confirm', { room: room.name }))) return;
    await act(`room-${room.id}`, () => api().del(ev(`/rooms/${seg(room.id)}`)), loadRooms, t('fac.deleted'));
}

// The room's fields; adding has no unavailability (the grid sets it after)
// and a shorter hybrid note.
function roomFields(prefix, v, err, adding) {
    const unavailable = v.unavailable || [];
    return [
        counted(t('fac.room_name'), h('input', { id: `${prefix}-name`, name: 'name', value: v.name, required: true }), 'room_name', err.name),
        field(t('fac.capacity'), h('input', { id: `${prefix}-capacity`, name: 'capacity', type: 'number', min: 1, value: v.capacity, inputmode: 'numeric', required: true }), err.capacity),
        field(t('fac.features'), h('input', { id: `${prefix}-features`, name: 'features', value: v.features, autocomplete: 'off' }), err.features, t('fac.features_hint')),
        field(t('fac.room_url'), h('input', { id: `${prefix}-url`, name: 'url', type: 'url', value: v.url || '', maxlength: 500, autocomplete: 'off', inputmode: 'url' }), err.url, t('fac.room_url_hint')),
        checkbox(`${prefix}-hybrid`, 'hybrid', t('fac.room_hybrid'), Boolean(v.hybrid) || splitList(v.features).includes('in_person'), adding ? null : { 'aria-describedby': `${prefix}-hybrid-hint` }),
        adding ? null : h('p', { class: 'hint', id: `${prefix}-hybrid-hint` }, t('fac.room_hybrid_hint')),
        state.slots.length && !adding
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

// A slot's column: its start time, with the day when the event has several.
function slotShort(s) {
    const z = tz();
    const days = new Set(state.slots.map((x) => fmtDay(x.starts_at, z)));
    return days.size > 1 ? `${fmtDay(s.starts_at, z)} ${fmtTime(s.starts_at, z)}` : fmtTime(s.starts_at, z);
}

function summary() {
    const n = state.rooms.length;
    if (!n) return t('fac.rooms_none');
    const seats = state.rooms.reduce((a, r) => a + (r.capacity || 0), 0);
    return tn('fac.rooms_summary', n, { seats });
}

// A row of the rooms table: name, capacity, features, and a grid of the
// slots (a checkbox per slot: available or not), then edit and delete.
function roomRow(r) {
    const key = `room-${r.id}`;
    const err = errorsOf(key);
    const editing = state.editingRoom === r.id;
    const row = h(
        'tr',
        null,
        h('th', { scope: 'row' }, r.name),
        h('td', { class: 'num' }, String(r.capacity)),
        h('td', null, (r.features || []).join(', ')),
        state.slots.map((s) =>
            h(
                'td',
                { class: 'avail' },
                h('input', {
                    type: 'checkbox',
                    id: `${key}-avail-${s.id}`,
                    checked: !(r.unavailable || []).includes(s.id),
                    disabled: state.busy,
                    'aria-label': t('fac.room_available_in', { room: r.name, slot: slotName(s.id) }),
                    onchange: (e) => onToggleSlot(r, s.id, e.target.checked),
                }),
            ),
        ),
        h(
            'td',
            { class: 'row-actions' },
            h('button', { type: 'button', 'aria-expanded': editing ? 'true' : 'false', onclick: () => {
                state.editingRoom = editing ? null : r.id;
                rerender();
            }, 'aria-label': t('fac.edit_named', { what: r.name }) }, t('fac.edit')),
            h('button', { type: 'button', class: 'danger', onclick: () => onDeleteRoom(r), 'aria-label': t('fac.delete_named', { what: r.name }) }, t('fac.delete')),
        ),
    );
    const rows = [row];
    if (err._form || err.unavailable) rows.push(h('tr', null, h('td', { colspan: 4 + state.slots.length }, formError(err._form || err.unavailable))));
    if (editing)
        rows.push(
            h(
                'tr',
                { class: 'edit-row' },
                h(
                    'td',
                    { colspan: 4 + state.slots.length },
                    h(
                        'form',
                        { class: 'row-form', 'aria-label': t('fac.room_named', { room: r.name }), novalidate: true, onsubmit: (e) => onSaveRoom(e, r) },
                        roomFields(key, { name: r.name, capacity: r.capacity, features: (r.features || []).filter((f) => f !== 'in_person').join(', '), unavailable: r.unavailable, url: r.url || '' }, err),
                        h('div', { class: 'actions' }, h('button', { type: 'submit', id: `${key}-save`, disabled: state.busy }, t('fac.save'))),
                    ),
                ),
            ),
        );
    return rows;
}

export function renderRooms() {
    return panel('rooms', t('fac.rooms'), summary(), roomsBody);
}

function roomsBody() {
    return [
        state.rooms.length
            ? h(
                  'div',
                  { class: 'table-scroll' },
                  h(
                      'table',
                      { class: 'rooms-table' },
                      h('caption', { class: 'visually-hidden' }, t('fac.rooms')),
                      h(
                          'thead',
                          null,
                          h(
                              'tr',
                              null,
                              h('th', { scope: 'col' }, t('fac.room_col')),
                              h('th', { scope: 'col', class: 'num' }, t('fac.seats_col')),
                              h('th', { scope: 'col' }, t('fac.features_col')),
                              state.slots.map((s) => h('th', { scope: 'col', class: 'avail' }, h('abbr', { title: slotName(s.id) }, slotShort(s)))),
                              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('fac.actions'))),
                          ),
                      ),
                      h('tbody', null, state.rooms.map(roomRow)),
                  ),
              )
            : null,
        state.rooms.length && state.slots.length ? h('p', { class: 'hint' }, t('fac.avail_hint')) : null,
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'room-new-title', novalidate: true, onsubmit: onAddRoom },
            h('h3', { id: 'room-new-title' }, t('fac.room_add')),
            formError(errorsOf('room-new')._form),
            roomFields('room-new', state.newRoom, errorsOf('room-new'), true),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'room-new-add', class: 'primary', disabled: state.busy }, t('fac.room_add_button'))),
        ),
    ];
}
