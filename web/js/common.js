// SPDX-License-Identifier: MIT
// Pieces shared by the pages: error text, form fields with their error
// message, theme colours, the status line read by screen readers.

import { h, copyText } from './dom.js';
import { t, has } from './i18n.js';
import { charLimit, range, chars } from './limits.js';
import { isGroupSession } from './schedule.js';

// The text to show for an error thrown by Api (or anything else), in the
// page's language: from the error's code and field, never the server's
// English message. "error.<code>.<field>" is the most precise text, then
// "error.<code>"; {min}, {max} come from the API's limits. ctx.max gives
// the limit of a field whose name the API shares between kinds ('name').
export function errorText(e, ctx) {
    if (!e) return '';
    if (e.code === 'network') return t('error.network');
    const code = e.code || 'unknown';
    const f = e.field || '';
    const r = f ? range(f) : undefined;
    const params = { min: r ? r[0] : '', max: (ctx && ctx.max) || (r ? r[1] : '') || charLimit(f) || '' };
    if (f && has(`error.${code}.${f}`)) return t(`error.${code}.${f}`, params);
    if (code === 'too_long' && params.max) return t('error.too_long_max', params);
    if (code === 'out_of_range' && r) return t('error.out_of_range_between', params);
    if (has(`error.${code}`)) return t(`error.${code}`, params);
    if (e.status >= 500) return t('error.internal');
    return t('error.unknown');
}

// The message for a text over its limit of key, or '' when it fits.
export function tooLong(value, key) {
    const max = charLimit(key);
    return max !== undefined && chars(value) > max ? t('error.too_long_max', { max }) : '';
}

// A text control with a visible counter of characters against the API's
// limit of key ('title', 'room_name', ...): "12 / 200", marked when over.
// Nothing is cut: a paste too long stays whole and the counter says so.
export function counted(label, control, key, error, hint) {
    const max = charLimit(key);
    if (max === undefined) return field(label, control, error, hint);
    const id = `${control.id}-count`;
    const counter = h('p', { class: 'counter', id });
    const update = () => {
        const n = chars(control.value);
        counter.textContent = t('form.counter', { n, max });
        counter.classList.toggle('over', n > max);
    };
    update();
    control.addEventListener('input', update);
    const wrap = field(label, control, error, hint);
    const described = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
    wrap.appendChild(counter);
    return wrap;
}

// Spreads an ApiError over a form's error map: the message goes next to
// the field the API named, else to the whole form.
export function formErrors(e, fields, ctx) {
    const msg = errorText(e, ctx);
    if (e && e.field && (!fields || fields.includes(e.field))) return { [e.field]: msg };
    return { _form: msg };
}

// A labelled control with its error message. control is the input
// element (its id must be set); error is the message or empty.
export function field(label, control, error, hint) {
    const id = control.id;
    const described = [];
    let hintEl = null;
    let errEl = null;
    if (hint) {
        hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
        described.push(`${id}-hint`);
    }
    if (error) {
        errEl = h('p', { class: 'field-error', id: `${id}-error` }, error);
        described.push(`${id}-error`);
        control.setAttribute('aria-invalid', 'true');
    }
    if (described.length) control.setAttribute('aria-describedby', described.join(' '));
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, errEl);
}

// A checkbox with its label after it.
export function checkbox(id, name, label, checked, extra) {
    return h(
        'div',
        { class: 'check' },
        h('input', Object.assign({ type: 'checkbox', id, name, checked: Boolean(checked) }, extra || {})),
        h('label', { for: id }, label),
    );
}

// The error of a whole form (role=alert so it is announced).
export function formError(msg) {
    return msg ? h('p', { class: 'form-error', role: 'alert' }, msg) : null;
}

// Theme colours: one of eight palette entries (css --theme-0 .. --theme-7).
// A page first tells setThemes() every theme of the event; they get the
// palette in alphabetical order, so up to eight themes never share a
// colour and the same theme has the same colour on every page. A theme
// not in the list falls back to a hash of its name.
let themeOrder = [];

const norm = (theme) => String(theme || '').trim().toLowerCase();

export function setThemes(themes) {
    themeOrder = [...new Set(themes.map(norm).filter(Boolean))].sort();
}

export function themeIndex(theme) {
    const key = norm(theme);
    if (!key) return -1;
    const i = themeOrder.indexOf(key);
    if (i >= 0) return i % 8;
    let x = 2166136261;
    for (const ch of key) {
        x ^= ch.codePointAt(0);
        x = Math.imul(x, 16777619) >>> 0;
    }
    return x % 8;
}

export function themeClass(theme) {
    const i = themeIndex(theme);
    return i < 0 ? 'theme-none' : `theme-${i}`;
}

// Splits "a, b ,c" into ['a', 'b', 'c'].
export function splitList(s) {
    return String(s || '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}

// Announces msg in the page's polite live region.
export function announce(msg) {
    const el = document.getElementById('status');
    if (!el) return;
    el.textContent = '';
    // A new text node in a fresh tick is what screen readers pick up.
    setTimeout(() => {
        el.textContent = msg;
    }, 30);
}

// A stored list of the events this browser has joined: {eid: {name, role}}.
export const recent = {
    key: 'forumd.events',
    all() {
        try {
            return JSON.parse(localStorage.getItem(this.key) || '{}') || {};
        } catch {
            return {};
        }
    },
    add(eid, name, role) {
        const all = this.all();
        all[eid] = { name: name || eid, role };
        try {
            localStorage.setItem(this.key, JSON.stringify(all));
        } catch {
            /* not kept */
        }
    },
};

// A session's title as people read it: a group says which one
// ("Co-développement — groupe 2").
export function sessionTitle(s) {
    return isGroupSession(s) ? t('session.group', { title: s.title, n: s.group }) : s.title;
}

// The name of a block's kind in the page's language.
export function kindLabel(kind) {
    switch (kind) {
        case 'groups':
            return t('kind.groups');
        case 'workshops':
            return t('kind.workshops');
        case 'plenary':
            return t('kind.plenary');
        case 'break':
            return t('kind.break');
        default:
            return t('kind.forum');
    }
}

// A page for the event's people, opened by someone who has not joined: what
// it is, why it is closed, and the way in.
export function joinCard(eid, title, text) {
    return h('section', { class: 'card' }, h('h1', { id: 'page-title' }, title), h('p', null, text), h('p', null, h('a', { class: 'button', href: `/e/${encodeURIComponent(eid)}` }, t('notes.join'))));
}

// A read-only link with its Copy button. copied(): whether this link was
// the last one copied; onCopied(id or null) records it and re-renders.
export function copyRow(id, label, url, copied, onCopied) {
    return h(
        'div',
        { class: 'copy-row' },
        h('label', { for: id }, label),
        h('input', { id, type: 'text', readOnly: true, value: url, class: 'mono' }),
        h(
            'button',
            {
                type: 'button',
                'aria-label': t('fac.copy_named', { what: label }),
                onclick: async () => {
                    const ok = await copyText(url, document.getElementById(id));
                    announce(ok ? t('me.copied') : t('me.copy_failed'));
                    onCopied(ok ? id : null);
                },
            },
            copied ? t('me.copied') : t('me.copy'),
        ),
    );
}
