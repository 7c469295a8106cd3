// SPDX-License-Identifier: MIT
// The day: a timeline of the blocks (forum, parallel groups, workshops,
// plenary, break) in the order of the day, each with its settings and its
// slots; the slots in no block after them; a form for a new block and one
// for a new slot. The API checks every rule (a slot in one block, blocks
// that never overlap, a plenary in a room large enough) and its error goes
// next to the field it names.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t, tn, fmtRange, fmtDay, fmtTime } from '../i18n.js';
import { panel } from './panel.js';
import { field, checkbox, formError, kindLabel } from '../common.js';
import { state, api, ev, tz, slotName, roomById, blockOfSlot, loadBlocks, loadTopics, setErrors, errorsOf, act, rerender } from './state.js';
import { renderSlotRow, renderSlotAdd } from './slots.js';

const KINDS = ['forum', 'groups', 'workshops', 'plenary', 'break'];
const BLOCK_FIELDS = ['name', 'kind', 'room', 'title', 'proposals_open', 'slots'];

function blockBody(v) {
    return {
        name: (v.name || '').trim(),
        kind: v.kind,
        room: v.room || null,
        title: (v.title || '').trim(),
        proposals_open: Boolean(v.proposals_open) && v.kind !== 'plenary' && v.kind !== 'break',
        slots: v.slots || [],
    };
}

function checkBlock(b) {
    const errs = {};
    if (!b.name) errs.name = t('fac.required');
    return errs;
}

async function onAddBlock(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newBlock = { ...v, slots: v.slots || [] };
    const body = blockBody(v);
    const errs = checkBlock(body);
    if (Object.keys(errs).length) {
        setErrors('block-new', errs);
        return rerender();
    }
    await act(
        'block-new',
        async () => {
            await api().post(ev('/blocks'), body);
            state.newBlock = { name: '', kind: 'forum', room: '', title: '', proposals_open: true, slots: [] };
        },
        loadBlocks,
        t('fac.block_added'),
        BLOCK_FIELDS,
    );
}

async function onSaveBlock(e, block) {
    e.preventDefault();
    const body = blockBody(formValues(e.target));
    const key = `block-${block.id}`;
    const errs = checkBlock(body);
    if (Object.keys(errs).length) {
        setErrors(key, errs);
        return rerender();
    }
    await act(key, () => api().patch(ev(`/blocks/${seg(block.id)}`), body), loadBlocks, t('fac.saved'), BLOCK_FIELDS);
}

async function onDeleteBlock(block) {
    if (!confirm(t('fac.block_delete_confirm', { name: block.name }))) return;
    await act(`block-${block.id}`, () => api().del(ev(`/blocks/${seg(block.id)}`)), async () => Promise.all([loadBlocks(), loadTopics()]), t('fac.deleted'));
}

// The fields of a block's form. v: {name, kind, room, title, proposals_open,
// slots}; self: the block's id (its own slots stay pickable), or null.
function blockFields(prefix, v, err, self) {
    const everyone = v.kind === 'plenary' || v.kind === 'break';
    return [
        field(t('fac.block_name'), h('input', { id: `${prefix}-name`, name: 'name', value: v.name, maxlength: 100, required: true }), err.name),
        field(
            t('fac.block_kind'),
            h(
                'select',
                { id: `${prefix}-kind`, name: 'kind' },
                KINDS.map((k) => h('option', { value: k, selected: v.kind === k }, kindLabel(k))),
            ),
            err.kind,
        ),
        field(
            t('fac.block_room'),
            h(
                'select',
                { id: `${prefix}-room`, name: 'room' },
                h('option', { value: '' }, '—'),
                state.rooms.map((r) => h('option', { value: r.id, selected: v.room === r.id }, r.name)),
            ),
            err.room,
        ),
        field(t('fac.block_title'), h('input', { id: `${prefix}-title`, name: 'title', value: v.title || '', maxlength: 200 }), err.title, t('fac.block_title_hint')),
        everyone ? null : checkbox(`${prefix}-proposals`, 'proposals_open', t('fac.block_proposals'), v.proposals_open),
        state.slots.length
            ? h(
                  'fieldset',
                  { class: 'block-slots', 'aria-describedby': err.slots ? `${prefix}-slots-error` : null },
                  h('legend', null, t('fac.block_slots')),
                  state.slots.map((s) => {
                      const owner = blockOfSlot(s.id);
                      const taken = owner && owner.id !== self;
                      const label = taken ? `${slotName(s.id)} (${owner.name})` : slotName(s.id);
                      return checkbox(`${prefix}-slot-${s.id}`, 'slots', label, (v.slots || []).includes(s.id), { value: s.id, 'data-group': '', disabled: Boolean(taken) });
                  }),
                  err.slots ? h('p', { class: 'field-error', id: `${prefix}-slots-error` }, err.slots) : null,
              )
            : null,
    ];
}

// A plenary whose room seats fewer than the participants (people who joined
// after the block was set up): said, so the facilitator changes the room.
function plenaryWarning(b) {
    if (b.kind !== 'plenary' || !b.room) return null;
    const r = roomById(b.room);
    if (!r || r.capacity >= state.participants.length) return null;
    return h('p', { class: 'form-error', role: 'status' }, t('fac.plenary_small', { room: r.name, capacity: r.capacity, n: state.participants.length }));
}

function renderBlock(b) {
    const key = `block-${b.id}`;
    const err = errorsOf(key);
    const z = tz();
    const slots = state.slots.filter((s) => (b.slots || []).includes(s.id));
    const room = b.room ? roomById(b.room) : null;
    return h(
        'li',
        { class: ['block-card', `kind-${b.kind}`] },
        h(
            'article',
            { 'aria-labelledby': `${key}-heading` },
            h('h3', { id: `${key}-heading` }, b.name),
            h(
                'p',
                { class: 'meta' },
                h('span', { class: 'kind-chip' }, kindLabel(b.kind)),
                b.starts_at ? ` · ${fmtRange(b.starts_at, b.ends_at, z)}` : '',
                room ? ` · ${room.name}` : '',
                room && room.url ? ` · ${t('fac.online_at', { url: room.url })}` : '',
                b.proposals_open ? ` · ${t('fac.block_open')}` : '',
            ),
            plenaryWarning(b),
            h(
                'form',
                { class: 'row-form', 'aria-label': t('fac.block_named', { name: b.name }), novalidate: true, onsubmit: (e) => onSaveBlock(e, b) },
                formError(err._form),
                blockFields(key, { name: b.name, kind: b.kind, room: b.room || '', title: b.title, proposals_open: b.proposals_open, slots: b.slots }, err, b.id),
                h(
                    'div',
                    { class: 'actions' },
                    h('button', { type: 'submit', id: `${key}-save`, disabled: state.busy }, t('fac.save')),
                    h('button', { type: 'button', class: 'danger', onclick: () => onDeleteBlock(b), 'aria-label': t('fac.delete_named', { what: b.name }) }, t('fac.delete')),
                ),
            ),
            slots.length ? h('ul', { class: 'rows' }, slots.map(renderSlotRow)) : h('p', { class: 'hint' }, t('fac.block_no_slots')),
        ),
    );
}

export function renderDay() {
    const z = tz();
    const loose = state.slots.filter((s) => !blockOfSlot(s.id));
    // The blocks come in the order of the day; a date heading before each new day.
    let day = null;
    const items = [];
    for (const b of state.blocks) {
        const d = b.starts_at ? fmtDay(b.starts_at, z) : null;
        if (d && d !== day) {
            items.push(h('li', { class: 'day-mark' }, d));
            day = d;
        }
        items.push(renderBlock(b));
    }
    return panel('day', t('fac.day'), daySummary(), () => [
        h('p', { class: 'hint' }, t('fac.day_intro')),
        h('p', { class: 'hint' }, t('fac.times_in_zone', { zone: z || 'UTC' })),
        items.length ? h('ol', { class: 'timeline' }, items) : null,
        loose.length ? h('div', { class: 'loose-slots' }, h('h3', null, t('fac.no_block')), h('ul', { class: 'rows' }, loose.map(renderSlotRow))) : null,
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'block-new-heading', novalidate: true, onsubmit: onAddBlock },
            h('h3', { id: 'block-new-heading' }, t('fac.block_add')),
            formError(errorsOf('block-new')._form),
            blockFields('block-new', state.newBlock, errorsOf('block-new'), null),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'block-new-add', class: 'primary', disabled: state.busy }, t('fac.block_add_button'))),
        ),
        renderSlotAdd(),
    ]);
}

// The day in one line: its slots and blocks, first start to last end.
function daySummary() {
    const n = state.slots.length;
    if (!n) return t('fac.slots_none');
    const z = tz();
    const a = state.slots[0];
    const b = state.slots[n - 1];
    const line = tn('fac.slots_summary', n, { from: `${fmtDay(a.starts_at, z)} ${fmtTime(a.starts_at, z)}`, to: `${fmtDay(b.ends_at, z)} ${fmtTime(b.ends_at, z)}` });
    return state.blocks.length ? `${line} · ${tn('fac.blocks_count', state.blocks.length)}` : line;
}
