// SPDX-License-Identifier: MIT
// The slots: the time periods of the event, in the event's zone (their rows
// and the form that adds one; day.js lays them out within their blocks).

import { seg } from '../api.js';
import { h, formValues, focusNext } from '../dom.js';
import { t, toZoneInput, fromZoneInput, fmtRange } from '../i18n.js';
import { field, counted, tooLong, formError } from '../common.js';
import { state, api, ev, tz, slotName, loadSlots, loadRooms, loadBlocks, setErrors, errorsOf, act, rerender } from './state.js';

// The slots that share a moment with b (other than the slot self): the
// API refuses them (docs/decisions/0011); the page names the other slot.
function overlapping(b, self) {
    return state.slots.filter((s) => s.id !== self && b.starts_at < s.ends_at && s.starts_at < b.ends_at);
}

// A slot without a name is named by its day and times.
function slotBody(v) {
    const b = { label: v.label.trim(), starts_at: fromZoneInput(v.starts_at, tz()), ends_at: fromZoneInput(v.ends_at, tz()) };
    if (!b.label && b.starts_at && b.ends_at) b.label = fmtRange(b.starts_at, b.ends_at, tz());
    return b;
}

function checkSlot(b) {
    const errs = {};
    if (!b.starts_at) errs.starts_at = t('fac.required');
    if (!b.ends_at) errs.ends_at = t('fac.required');
    if (b.starts_at && b.ends_at && b.ends_at <= b.starts_at) errs.ends_at = t('fac.end_after_start');
    if (tooLong(b.label, 'slot_label')) errs.label = tooLong(b.label, 'slot_label');
    return errs;
}

// Names the slot an overlap error is about, from what the page knows.
function overlapError(key, body, self) {
    return (err) => {
        if (err.code !== 'overlap') return false;
        const other = overlapping(body, self)[0];
        setErrors(key, { starts_at: other ? t('error.overlap_named', { slot: slotName(other.id) }) : t('error.overlap') });
        return true;
    };
}

async function onAddSlot(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newSlot = v;
    const body = slotBody(v);
    const errs = checkSlot(body);
    if (!errs.starts_at && !errs.ends_at && overlapping(body, null).length) errs.starts_at = t('error.overlap_named', { slot: slotName(overlapping(body, null)[0].id) });
    if (Object.keys(errs).length) {
        setErrors('slot-new', errs);
        return rerender();
    }
    await act(
        'slot-new',
        async () => {
            await api().post(ev('/slots'), body);
            state.newSlot = { label: '', starts_at: v.ends_at, ends_at: '' };
        },
        async () => Promise.all([loadSlots(), loadBlocks()]),
        t('fac.slot_added'),
        ['label', 'starts_at', 'ends_at'],
        overlapError('slot-new', body, null),
    );
    focusNext('slot-new-label');
}

async function onSaveSlot(e, slot) {
    e.preventDefault();
    const body = slotBody(formValues(e.target));
    const key = `slot-${slot.id}`;
    const errs = checkSlot(body);
    if (Object.keys(errs).length) {
        setErrors(key, errs);
        return rerender();
    }
    await act(key, () => api().patch(ev(`/slots/${seg(slot.id)}`), body), async () => Promise.all([loadSlots(), loadBlocks()]), t('fac.saved'), ['label', 'starts_at', 'ends_at'], overlapError(key, body, slot.id));
}

async function onDeleteSlot(slot) {
    if (!confirm(t('fac.slot_delete_confirm', { slot: slotName(slot.id) }))) return;
    await act(`slot-${slot.id}`, () => api().del(ev(`/slots/${seg(slot.id)}`)), async () => Promise.all([loadSlots(), loadRooms(), loadBlocks()]), t('fac.deleted'));
}

function slotFields(prefix, v, err) {
    return [
        counted(t('fac.slot_label'), h('input', { id: `${prefix}-label`, name: 'label', value: v.label }), 'slot_label', err.label, t('fac.slot_label_hint')),
        field(t('fac.starts_at'), h('input', { id: `${prefix}-start`, name: 'starts_at', type: 'datetime-local', value: v.starts_at, required: true }), err.starts_at),
        field(t('fac.ends_at'), h('input', { id: `${prefix}-end`, name: 'ends_at', type: 'datetime-local', value: v.ends_at, required: true }), err.ends_at),
    ];
}

// One slot's row: its form (label, start, end), save and delete.
export function renderSlotRow(s) {
    const z = tz();
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
}

// The form that adds a slot.
export function renderSlotAdd() {
    return h(
        'form',
        { class: 'row-form add', 'aria-labelledby': 'slot-new-title', novalidate: true, onsubmit: onAddSlot },
        h('h3', { id: 'slot-new-title' }, t('fac.slot_add')),
        formError(errorsOf('slot-new')._form),
        slotFields('slot-new', state.newSlot, errorsOf('slot-new')),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'slot-new-add', class: 'primary', disabled: state.busy }, t('fac.slot_add_button'))),
    );
}
