// SPDX-License-Identifier: MIT
// Notes as the server renders them: cmark's tree made safe (src/export/
// markdown.c), sent as JSON elements [tag, attributes?, ...children] whose
// children are strings or elements. This builds them with h(), so every
// string is a text node: nothing anybody typed becomes markup. The tags and
// links are checked again here, whatever the server sent.

import { h } from './dom.js';

const TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre', 'code', 'em', 'strong', 'a', 'br', 'hr']);
const MAX_DEPTH = 24;

// The link a page may follow: http, https or mailto, or a path on this site.
export function safeHref(href) {
    if (typeof href !== 'string' || !href || /[\s\\]/.test(href) || href.startsWith('//')) return null;
    let u;
    try {
        u = new URL(href, location.origin);
    } catch {
        return null;
    }
    if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:') return u.href;
    return null;
}

function element(node, shift, depth) {
    if (typeof node === 'string') return node;
    if (!Array.isArray(node) || typeof node[0] !== 'string' || depth > MAX_DEPTH) return null;
    let tag = node[0];
    let rest = node.slice(1);
    let attrs = {};
    if (rest.length && rest[0] && typeof rest[0] === 'object' && !Array.isArray(rest[0])) {
        attrs = rest[0];
        rest = rest.slice(1);
    }
    const children = rest.map((c) => element(c, shift, depth + 1));
    if (!TAGS.has(tag)) return children; // unknown: its text only
    const m = /^h([1-6])$/.exec(tag);
    if (m) tag = `h${Math.min(6, Number(m[1]) + shift)}`;
    if (tag === 'a') {
        const href = safeHref(attrs.href);
        if (!href) return children;
        const external = new URL(href).origin !== location.origin;
        return h('a', { href, rel: 'noopener noreferrer nofollow ugc', target: external ? '_blank' : null }, children);
    }
    if (tag === 'ol' && Number.isInteger(attrs.start) && attrs.start !== 1) return h('ol', { start: attrs.start }, children);
    return h(tag, null, children);
}

// The DOM nodes of a tree (an array of elements); headings go down by
// shift levels (a note's "# Title" under the page's own headings).
export function renderTree(tree, shift = 0) {
    if (!Array.isArray(tree)) return [];
    return tree.map((n) => element(n, shift, 0));
}
