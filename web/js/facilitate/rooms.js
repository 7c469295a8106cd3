// SPDX-License-Identifier: MIT
// The rooms: capacity, features and the slots when a room is not available.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t } from '../i18n.js';
import { field, checkbox, formError, splitList } from '../common.js';
import { state, api, ev, slotName, loadRooms, setErrors, errorsOf, act, rerender } from './state.js';

function roomBody(v) {
    return {
        name: (v.name || '').trim(),
        capacity: v.capacity === '' ? NaN : Number(v.capacity),
        features: splitList(v.features),
        unavailable: v.unavailable || [],
        url: (v.url || '').trim() || null,
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
        return rerender();
    }
    await act(key, () => api().patch(ev(`/rooms/${seg(room.id)}`), body), loadRooms, t('fac.saved'), ['name', 'capacity', 'features', 'unavailable', 'url']);
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
        field(t('fac.room_url'), h('input', { id: `${prefix}-url`, name: 'url', type: 'url', value: v.url || '', maxlength: 500, autocomplete: 'off', inputmode: 'url' }), err.url, t('fac.room_url_hint')),
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

export function renderRooms() {
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
                        roomFields(`room-${r.id}`, { name: r.name, capacity: r.capacity, features: (r.features || []).join(', '), unavailable: r.unavailable, url: r.url || '' }, err),
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
