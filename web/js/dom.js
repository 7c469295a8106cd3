// SPDX-License-Identifier: MIT
// The one way the pages build DOM: h(tag, attrs, ...children). Strings always
// become text nodes, so user text can never turn into markup. No innerHTML.

const BOOL_PROPS = new Set(['checked', 'disabled', 'selected', 'readOnly', 'required', 'hidden', 'multiple']);
const VALUE_PROPS = new Set(['value']);

// What h() put in each text field, to tell what someone typed since (below).
const shown = new WeakMap();
const TEXT_INPUT = /^(text|search|email|url|tel|number|password|date|time|datetime-local|month|week)$/;

function textField(el) {
    return el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && TEXT_INPUT.test(el.type));
}

// Forms submitted since the last render: their handlers decide what they show
// next (kept, cleared after a success), so mount() leaves their fields alone.
const submitted = new WeakSet();
if (typeof document !== 'undefined') document.addEventListener('submit', (e) => submitted.add(e.target), true);

function append(el, child) {
    if (child === null || child === undefined || child === false || child === true) return;
    if (Array.isArray(child)) {
        for (const c of child) append(el, c);
        return;
    }
    if (child instanceof Node) {
        el.appendChild(child);
        return;
    }
    el.appendChild(document.createTextNode(String(child)));
}

// h('button', {type: 'button', onclick: fn, class: 'x'}, 'Label') -> element.
// attrs: 'class', 'for', aria-* and data-* and any plain attribute by name;
// on<event> takes a function only (never a string: the CSP forbids those
// anyway); 'value', 'checked', 'disabled', ... are set as properties. A
// 'style' attribute is refused: use classes or el.style.setProperty().
export function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
        for (const [key, val] of Object.entries(attrs)) {
            if (val === null || val === undefined || val === false && !BOOL_PROPS.has(key)) continue;
            if (key.startsWith('on')) {
                if (typeof val !== 'function') throw new TypeError(`h(): ${key} must be a function`);
                el.addEventListener(key.slice(2).toLowerCase(), val);
            } else if (key === 'style') {
                throw new TypeError('h(): no style attribute (CSP); use a class');
            } else if (BOOL_PROPS.has(key)) {
                el[key] = Boolean(val);
            } else if (VALUE_PROPS.has(key)) {
                el.value = String(val);
            } else if (key === 'class') {
                el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : String(val);
            } else {
                el.setAttribute(key, val === true ? '' : String(val));
            }
        }
    }
    append(el, children);
    if (textField(el)) shown.set(el, el.value);
    return el;
}

// The text fields under parent that someone typed into since they were
// rendered (outside the forms just submitted): id -> [shown, typed].
function typedFields(parent) {
    const out = new Map();
    for (const el of parent.querySelectorAll('input[id], textarea[id]')) {
        if (!textField(el) || !shown.has(el) || (el.form && submitted.has(el.form))) continue;
        if (el.value !== shown.get(el)) out.set(el.id, [shown.get(el), el.value]);
    }
    return out;
}

// Replaces the children of parent with the given nodes, keeping the focus
// (and the caret) on the element with the same id, so that re-rendering
// while someone uses the keyboard does not throw them back to the top. A
// control disabled while a request runs cannot hold the focus; its id is
// kept and the focus goes back to it at the next render that enables it.
// What someone typed into a text field is kept too (a save that lands while
// they fill another form, a refresh on slow Wi-Fi), unless the page now
// shows something else there (new data wins) or the field's form was just
// submitted (its handler decides: kept on an error, cleared after a success).
let pendingFocus = null;

export function mount(parent, ...children) {
    const active = document.activeElement;
    let focusId = active && active.id && parent.contains(active) ? active.id : null;
    if (!focusId && (!active || active === document.body) && pendingFocus) focusId = pendingFocus;
    let sel = null;
    if (focusId && active && active.id === focusId && typeof active.selectionStart === 'number') {
        try {
            sel = [active.selectionStart, active.selectionEnd];
        } catch {
            sel = null;
        }
    }
    const typed = typedFields(parent);
    parent.replaceChildren();
    append(parent, children);
    for (const [id, [was, now]] of typed) {
        const again = document.getElementById(id);
        if (again && parent.contains(again) && textField(again) && shown.get(again) === was) again.value = now;
    }
    pendingFocus = null;
    if (!focusId) return;
    const again = document.getElementById(focusId);
    if (!again) return;
    if (again.disabled) {
        pendingFocus = focusId;
        return;
    }
    if (again !== document.activeElement) {
        again.focus({ preventScroll: true });
        if (sel && typeof again.setSelectionRange === 'function') {
            try {
                again.setSelectionRange(sel[0], sel[1]);
            } catch {
                /* not a text input */
            }
        }
    }
}

// After a form's request has landed, moves the focus to the element with
// this id (the first field of the emptied form, for the next entry), unless
// the person has meanwhile gone on to a field of another form: an answer
// arriving on slow Wi-Fi must not pull the caret out of what they type.
export function focusNext(id) {
    const el = document.getElementById(id);
    if (!el) return;
    const a = document.activeElement;
    if (a && a !== el && a.form && a.form !== el.form && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)) return;
    el.focus();
}

// Reads a form's fields as a plain object of strings (checkbox groups as arrays).
export function formValues(form) {
    const out = {};
    for (const el of form.elements) {
        if (!el.name) continue;
        if (el.type === 'checkbox') {
            if (el.dataset.group !== undefined) {
                if (!out[el.name]) out[el.name] = [];
                if (el.checked) out[el.name].push(el.value);
            } else {
                out[el.name] = el.checked;
            }
        } else if (el.type === 'radio') {
            if (el.checked) out[el.name] = el.value;
        } else if (el.type === 'select-multiple') {
            out[el.name] = [...el.selectedOptions].map((o) => o.value);
        } else {
            out[el.name] = el.value;
        }
    }
    return out;
}

// Copies text to the clipboard, falling back to selecting an input.
export async function copyText(text, input) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        if (input) {
            input.focus();
            input.select();
            try {
                return document.execCommand('copy');
            } catch {
                return false;
            }
        }
        return false;
    }
}

// A short unique id for label/input pairs.
let seq = 0;
export function uid(prefix) {
    seq += 1;
    return `${prefix}-${seq}`;
}
