// SPDX-License-Identifier: MIT
// The one way the pages build DOM: h(tag, attrs, ...children). Strings always
// become text nodes, so user text can never turn into markup. No innerHTML.

const BOOL_PROPS = new Set(['checked', 'disabled', 'selected', 'readOnly', 'required', 'hidden', 'multiple']);
const VALUE_PROPS = new Set(['value']);

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
    return el;
}

// Replaces the children of parent with the given nodes, keeping the focus
// (and the caret) on the element with the same id, so that re-rendering
// while someone uses the keyboard does not throw them back to the top. A
// control disabled while a request runs cannot hold the focus; its id is
// kept and the focus goes back to it at the next render that enables it.
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
    parent.replaceChildren();
    append(parent, children);
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
