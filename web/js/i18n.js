// SPDX-License-Identifier: MIT
// Strings and times: loads i18n/{fr,en}.json, picks the language (the
// visitor's choice, else the browser's preference, else the event's), and
// formats times in the event's time zone with Intl.

import { h } from './dom.js';

export const LANGS = ['fr', 'en'];
const STORE_KEY = 'forumd.lang';

let lang = 'en';
let dict = {};

function stored() {
    try {
        const v = localStorage.getItem(STORE_KEY);
        return LANGS.includes(v) ? v : null;
    } catch {
        return null;
    }
}

// The language to use: ?lang= in the URL, a stored choice, the first of
// navigator.languages that we have, else fallback (the event's locale).
export function pickLang(fallback) {
    const q = new URLSearchParams(location.search).get('lang');
    if (LANGS.includes(q)) return q;
    const s = stored();
    if (s) return s;
    for (const l of navigator.languages || [navigator.language || '']) {
        const base = String(l).toLowerCase().split('-')[0];
        if (LANGS.includes(base)) return base;
    }
    const f = String(fallback || '').toLowerCase().split('-')[0];
    return LANGS.includes(f) ? f : 'fr';
}

// Loads the strings of language l (fetched once per page).
export async function loadLang(l) {
    const res = await fetch(`/i18n/${l}.json`, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`i18n/${l}.json: ${res.status}`);
    dict = await res.json();
    lang = l;
    document.documentElement.lang = l;
    return l;
}

// After the event is read: its language, unless the visitor's choice or
// preference picked one already (pickLang's order), loaded if it changes.
export async function useEventLang(locale) {
    if (!locale) return;
    const l = pickLang(locale);
    if (l !== document.documentElement.lang) await loadLang(l);
}

export function currentLang() {
    return lang;
}

// The string for key with {name} placeholders filled from params. A
// missing key shows as the key itself (the i18n test keeps that from shipping).
export function t(key, params) {
    let s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : key;
    if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
    return s;
}

// True when key exists (for optional translations of server error codes).
export function has(key) {
    return Object.prototype.hasOwnProperty.call(dict, key);
}

// Plural: key.one / key.other chosen by Intl.PluralRules, {n} filled in.
export function tn(key, n, params) {
    const cat = new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
    return t(`${key}.${cat}`, Object.assign({ n }, params || {}));
}

// Fills elements marked data-i18n (text), data-i18n-placeholder,
// data-i18n-aria-label and data-i18n-title inside root.
export function applyStatic(root) {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
        el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
    for (const el of root.querySelectorAll('[data-i18n-aria-label]'))
        el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
    for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(el.dataset.i18nTitle));
}

// A language switch: two buttons; onchange(lang) after the new strings are loaded.
export function langSwitch(onchange) {
    return h(
        'div',
        { class: 'lang-switch', role: 'group', 'aria-label': t('lang.switch') },
        LANGS.map((l) =>
            h(
                'button',
                {
                    type: 'button',
                    lang: l,
                    'aria-pressed': l === lang ? 'true' : 'false',
                    onclick: async () => {
                        if (l === lang) return;
                        try {
                            localStorage.setItem(STORE_KEY, l);
                        } catch {
                            /* not kept */
                        }
                        await loadLang(l);
                        onchange(l);
                    },
                },
                l === 'fr' ? 'Français' : 'English',
            ),
        ),
    );
}

function validZone(tz) {
    if (!tz) return undefined;
    try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return tz;
    } catch {
        return undefined;
    }
}

function fmt(opts, tz) {
    return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', Object.assign({ timeZone: validZone(tz) }, opts));
}

// "14:00" in tz.
export function fmtTime(iso, tz) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return fmt({ hour: '2-digit', minute: '2-digit' }, tz).format(d);
}

// "mar. 14 oct." / "Tue 14 Oct" in tz.
export function fmtDay(iso, tz) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return fmt({ weekday: 'short', day: 'numeric', month: 'short' }, tz).format(d);
}

// "Tue 14 Oct, 14:00–15:30" in tz.
export function fmtRange(start, end, tz) {
    const a = fmtTime(start, tz);
    const b = fmtTime(end, tz);
    if (!a) return '';
    return `${fmtDay(start, tz)}, ${a}${b ? `–${b}` : ''}`;
}

// The wall-clock parts of a Date in tz: {year, month, day, hour, minute}.
function zoneParts(date, tz) {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: validZone(tz),
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
    }).formatToParts(date);
    const o = {};
    for (const p of parts) if (p.type !== 'literal') o[p.type] = Number(p.value);
    return o;
}

// "2025-10-14T14:00" (for <input type=datetime-local>) of an instant, in tz.
export function toZoneInput(iso, tz) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const p = zoneParts(d, tz);
    const z = (n) => String(n).padStart(2, '0');
    return `${p.year}-${z(p.month)}-${z(p.day)}T${z(p.hour)}:${z(p.minute)}`;
}

// The RFC 3339 UTC instant of a wall-clock "YYYY-MM-DDTHH:MM" in tz.
export function fromZoneInput(local, tz) {
    const m = String(local).match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/);
    if (!m) return null;
    const want = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    let guess = want;
    // Two rounds settle the offset, also across a DST change.
    for (let i = 0; i < 2; i++) {
        const p = zoneParts(new Date(guess), tz);
        const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
        guess += want - seen;
    }
    return new Date(guess).toISOString().replace(/\.000Z$/, 'Z');
}
