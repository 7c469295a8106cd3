// SPDX-License-Identifier: MIT
// Every string of the pages exists in both languages: web/i18n/fr.json and
// en.json have the same keys, no empty value, the same {placeholders}, and
// every key the code asks for (t('...'), tn('...'), data-i18n) is there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIR, SOURCE_DIR } from './lib/harness.mjs';

const load = (l) => JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'i18n', `${l}.json`), 'utf8'));
const fr = load('fr');
const en = load('en');

function sources(ext) {
    const out = [];
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (p.endsWith(ext)) out.push([p, fs.readFileSync(p, 'utf8')]);
        }
    };
    walk(WEB_DIR);
    return out;
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('fr.json and en.json have the same keys', () => {
    const a = Object.keys(fr).sort();
    const b = Object.keys(en).sort();
    assert.deepEqual(
        a.filter((k) => !b.includes(k)),
        [],
        'keys only in fr.json',
    );
    assert.deepEqual(
        b.filter((k) => !a.includes(k)),
        [],
        'keys only in en.json',
    );
    assert.ok(a.length > 100, `expected the full set of strings, got ${a.length}`);
});

test('every value is a non-empty string with the same placeholders in both languages', () => {
    for (const k of Object.keys(fr)) {
        assert.equal(typeof fr[k], 'string', `fr ${k}`);
        assert.equal(typeof en[k], 'string', `en ${k}`);
        assert.ok(fr[k].trim(), `fr ${k} is empty`);
        assert.ok(en[k].trim(), `en ${k} is empty`);
        assert.deepEqual(placeholders(fr[k]), placeholders(en[k]), `placeholders of ${k}`);
    }
});

test('every key the pages use exists', () => {
    const used = new Set();
    for (const [file, text] of sources('.js')) {
        for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
        for (const m of text.matchAll(/\btn\('([\w.]+)'/g)) {
            used.add(`${m[1]}.one`);
            used.add(`${m[1]}.other`);
        }
        // Template keys (`vote.w${w}`): every value the code can produce.
        if (/t\(`vote\.w\$\{w\}`\)/.test(text)) for (const w of [1, 2, 3]) used.add(`vote.w${w}`);
        // Any other computed key would escape this test: i18n.js (which
        // defines t) and common.js (error codes, optional by design) aside.
        if (!/\/(i18n|common)\.js$/.test(file)) {
            const rest = text.replace(/\bt\(`vote\.w\$\{w\}`\)/g, '').replace(/\bt\(`why\.\$\{code\}`\)/g, '');
            assert.ok(!/\bt\(\s*[^'\s)]/.test(rest), `${file}: a t() call with a computed key`);
        }
    }
    for (const [, text] of sources('.html')) {
        for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.]+)"/g)) used.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in fr) || !(k in en)).sort();
    assert.deepEqual(missing, [], 'keys used by the code but missing from i18n/*.json');
    assert.ok(used.size > 100, `found only ${used.size} keys in the code`);
});

test('every error code the API answers has a text in both languages', () => {
    // The pages show errors from their code (and field), never the server's
    // English message: every code src/api/ can send must be translated.
    const codes = new Set();
    const dir = path.join(SOURCE_DIR, 'src', 'api');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.c'))) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const m of text.matchAll(/api__error\(\s*&?c,\s*\d+,\s*"(\w+)"/g)) codes.add(m[1]);
        for (const m of text.matchAll(/too_many\(\s*c,\s*\w+,\s*"(\w+)"/g)) codes.add(m[1]);
        for (const m of text.matchAll(/\{FORUM_\w+,\s*\d+,\s*"(\w+)"\}/g)) codes.add(m[1]);
    }
    assert.ok(codes.size > 20, `found only ${codes.size} codes`);
    const missing = [...codes].filter((c) => !(`error.${c}` in fr) || !(`error.${c}` in en)).sort();
    assert.deepEqual(missing, [], 'API error codes without a translation');
});

test('every reason the allocator gives for an unplaced topic is translated', () => {
    // The codes are the strings alloc_why_name() returns (src/alloc/problem.c).
    const src = path.join(SOURCE_DIR, 'src', 'alloc', 'problem.c');
    const text = fs.readFileSync(src, 'utf8');
    const body = text.slice(text.indexOf('alloc_why_name('));
    const fn = body.slice(0, body.indexOf('\n}\n'));
    const codes = [...fn.matchAll(/return "(\w+)";/g)].map((m) => m[1]).filter((c) => c !== 'unknown');
    assert.ok(codes.length >= 3, `found the reason codes in ${src}: ${codes}`);
    for (const c of codes) {
        assert.ok(`why.${c}` in fr, `fr.json lacks why.${c}`);
        assert.ok(`why.${c}` in en, `en.json lacks why.${c}`);
    }
});

test('the vote words are the ones the event asked for', () => {
    assert.deepEqual([fr['vote.w1'], fr['vote.w2'], fr['vote.w3']], ['curieux·se', 'intéressé·e', 'indispensable']);
    assert.deepEqual([en['vote.w1'], en['vote.w2'], en['vote.w3']], ['curious', 'interested', 'essential']);
});

test('the pages keep to the CSP and never parse markup from strings', () => {
    for (const [file, text] of sources('.html')) {
        assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(text), `${file}: inline <script>`);
        assert.ok(!/<style/i.test(text), `${file}: <style> element`);
        assert.ok(!/\sstyle\s*=/i.test(text), `${file}: style= attribute`);
        assert.ok(!/\son[a-z]+\s*=/i.test(text), `${file}: on*= handler attribute`);
        assert.ok(!/(src|href)\s*=\s*"(https?:)?\/\//i.test(text), `${file}: a third-party resource`);
    }
    for (const [file, text] of sources('.js')) {
        assert.ok(!/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(text), `${file}: markup from a string`);
        assert.ok(!/from\s+'(https?:)?\/\//.test(text), `${file}: a third-party import`);
        assert.ok(!/setAttribute\(\s*'style'/.test(text), `${file}: a style attribute`);
    }
});
