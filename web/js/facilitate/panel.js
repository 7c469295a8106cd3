// SPDX-License-Identifier: MIT
// The console's sections fold: each is a heading whose button opens or
// closes it (the disclosure pattern: aria-expanded, aria-controls), with a
// summary line that stays visible when it is closed. Which sections are
// open is kept per event on this device.

import { h } from '../dom.js';
import { state, rerender } from './state.js';

export const SECTIONS = ['settings', 'day', 'rooms', 'participants', 'topics', 'onday', 'allocation', 'paper'];

function key() {
    return `forumd.fold.${state.eid}`;
}

// The open sections: the stored choice, else what a facilitator needs next
// (an empty event opens its settings, slots and rooms; a ready one, the
// allocation).
export function initOpen() {
    try {
        const stored = JSON.parse(localStorage.getItem(key()) || 'null');
        if (stored && typeof stored === 'object') {
            state.open = stored;
            return;
        }
    } catch {
        /* defaults */
    }
    const ready = state.slots.length > 0 && state.rooms.length > 0;
    state.open = { settings: !ready, day: state.slots.length === 0, rooms: state.rooms.length === 0, allocation: ready };
}

export function isOpen(id) {
    return Boolean(state.open && state.open[id]);
}

export function setOpen(id, open) {
    state.open = Object.assign({}, state.open, { [id]: open });
    try {
        localStorage.setItem(key(), JSON.stringify(state.open));
    } catch {
        /* kept for this page only */
    }
    rerender();
}

// One section: heading with its fold button, the summary line, and the body
// (built only when open). attrs go to the <section>.
export function panel(id, title, summary, body, attrs) {
    const open = isOpen(id);
    return h(
        'section',
        Object.assign({ class: ['card', 'panel', open ? 'open' : 'folded'], id, 'aria-labelledby': `${id}-title` }, attrs || {}),
        h(
            'h2',
            { id: `${id}-title` },
            h('button', { type: 'button', class: 'fold', id: `${id}-fold`, 'aria-expanded': open ? 'true' : 'false', 'aria-controls': `${id}-body`, onclick: () => setOpen(id, !open) }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, open ? '▾' : '▸'), title),
        ),
        summary ? h('p', { class: 'summary', id: `${id}-summary` }, summary) : null,
        h('div', { id: `${id}-body`, class: 'panel-body', hidden: !open }, open ? body() : null),
    );
}
