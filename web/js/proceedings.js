// SPDX-License-Identifier: MIT
// The proceedings (/e/{eid}/proceedings), "le livre des actes": every
// session's notes, built live from GET /proceedings.json, by block, slot and
// theme, with a table of contents and the event's name and dates. Printed
// (print to PDF) it is a clean A4 document: no navigation, a page per
// session with notes. The same as Markdown and JSON, downloaded.

import { API_PREFIX, Api, seg, tokens, takeFragment, eventIdFromPath, eventToken } from './api.js';
import { h, mount } from './dom.js';
import { t, tn, loadLang, pickLang, langSwitch, useEventLang, fmtRange, fmtTime, fmtDay, currentLang } from './i18n.js';
import { errorText, sessionTitle, kindLabel, joinCard } from './common.js';
import { renderTree } from './markdown.js';
import { fieldLabel } from './notes-fields.js';

const state = {
    eid: eventIdFromPath(),
    token: null,
    doc: null,
    fatal: null,
    needJoin: false,
    loading: true,
    error: null,
};

async function load() {
    try {
        state.doc = await new Api(state.token).get(`/events/${seg(state.eid)}/proceedings.json`);
    } catch (err) {
        if (err.status === 401 || err.status === 403) state.needJoin = true;
        else if (err.code === 'not_published') state.fatal = t('proceedings.not_published');
        else state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
    }
}

// "18 septembre 2025" or "18 septembre 2025 – 19 septembre 2025", in tz.
function fmtDates(from, to, tz) {
    if (!from) return '';
    const f = new Intl.DateTimeFormat(currentLang() === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: tz || 'UTC' });
    const a = f.format(new Date(from));
    const b = f.format(new Date(to));
    return a === b ? a : `${a} – ${b}`;
}

// Downloads the Markdown or JSON document (with the token, which a plain
// link cannot carry).
async function download(kind) {
    const headers = {};
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    try {
        const q = kind === 'md' ? `?lang=${currentLang()}` : '';
        const res = await fetch(`${API_PREFIX}/events/${seg(state.eid)}/proceedings.${kind}${q}`, { headers, cache: 'no-store' });
        if (!res.ok) throw new Error(`${res.status}`);
        const url = URL.createObjectURL(await res.blob());
        const a = h('a', { href: url, download: `${state.eid}-proceedings.${kind}` });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
        state.error = errorText(err);
        render();
    }
}

const anchor = (x) => `s-${x.id}`;
const hasNotes = (x) => Boolean(x.notes && x.notes.rev > 0);

function blockHeading(b) {
    if (!b.id) return t('day.no_block');
    return b.kind === 'plenary' || b.kind === 'break' ? b.name : `${b.name} · ${kindLabel(b.kind)}`;
}

function renderToc(doc, tz) {
    const line = (x) =>
        h(
            'li',
            { class: hasNotes(x) ? null : 'no-notes' },
            h('a', { href: `#${anchor(x)}` }, sessionTitle(x)),
            ' ',
            h('span', { class: 'when' }, fmtRange(x.starts_at, x.ends_at, tz)),
            hasNotes(x) ? null : h('span', { class: 'hint' }, ` — ${t('proceedings.no_notes')}`),
        );
    return h(
        'nav',
        { class: 'toc', 'aria-labelledby': 'toc-title' },
        h('h2', { id: 'toc-title' }, t('proceedings.contents')),
        h(
            'ol',
            null,
            doc.blocks.map((b) => h('li', null, h('strong', null, blockHeading(b)), h('ol', null, b.sessions.map(line)))),
            doc.others.length ? h('li', null, h('strong', null, t('proceedings.others')), h('ol', null, doc.others.map(line))) : null,
        ),
    );
}

function renderSession(x, tz) {
    const n = x.notes;
    const names = [...(x.present || [])];
    if (n && n.names) names.push(n.names);
    const came = [];
    if (n && n.attendance !== null && n.attendance !== undefined) came.push(tn('notes.people', n.attendance));
    if (names.length) came.push(names.join(', '));
    const part = (f) => (n && n.rendered && n.rendered[f] && n.rendered[f].length ? [h('h4', null, fieldLabel(f)), h('div', { class: 'md' }, renderTree(n.rendered[f], 4))] : null);
    return h(
        'article',
        { class: ['card', 'session', hasNotes(x) ? '' : 'empty'], id: anchor(x), 'aria-labelledby': `${anchor(x)}-title` },
        h('h3', { id: `${anchor(x)}-title` }, sessionTitle(x)),
        h('p', { class: 'meta' }, [fmtRange(x.starts_at, x.ends_at, tz), x.room_name, x.theme].filter(Boolean).join(' · ')),
        x.hosts && x.hosts.length ? h('p', { class: 'meta' }, t('notes.hosts', { names: x.hosts.join(', ') })) : null,
        x.url ? h('p', { class: 'meta' }, t('proceedings.online', { url: x.url })) : null,
        came.length ? h('p', { class: 'came' }, h('strong', null, `${t('notes.came')} : `), came.join(' — ')) : null,
        hasNotes(x) ? [part('key_points'), part('proposals'), part('follow_up')] : h('p', { class: 'hint' }, t('proceedings.no_notes')),
        h('p', { class: 'no-print edit-link' }, h('a', { href: `/e/${seg(state.eid)}/notes/${seg(x.id)}` }, hasNotes(x) ? t('proceedings.open_notes') : t('proceedings.write_notes'))),
    );
}

function renderBook() {
    const doc = state.doc;
    const tz = doc.event.timezone;
    return h(
        'article',
        { class: 'book', 'aria-labelledby': 'page-title' },
        h(
            'header',
            { class: 'title-page' },
            h('p', { class: 'kicker' }, t('proceedings.title')),
            h('h1', { id: 'page-title' }, doc.event.name),
            h('p', { class: 'dates' }, fmtDates(doc.event.starts_at, doc.event.ends_at, tz)),
            h('p', { class: 'hint' }, t('proceedings.generated', { version: doc.version, time: `${fmtDay(doc.generated_at, tz)} ${fmtTime(doc.generated_at, tz)}` })),
        ),
        renderToc(doc, tz),
        doc.blocks.map((b) => h('section', { class: 'block', 'aria-label': blockHeading(b) }, h('h2', null, blockHeading(b)), b.sessions.map((x) => renderSession(x, tz)))),
        doc.others.length ? h('section', { class: 'block', 'aria-label': t('proceedings.others') }, h('h2', null, t('proceedings.others')), doc.others.map((x) => renderSession(x, tz))) : null,
    );
}

function render() {
    const main = document.getElementById('main');
    const bar = h(
        'header',
        { class: 'page-header no-print' },
        h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd')),
        langSwitch(() => render()),
        h('nav', { 'aria-label': t('notes.nav') }, h('ul', null, h('li', null, h('a', { href: `/e/${seg(state.eid)}` }, t('notes.back'))))),
        state.doc
            ? h(
                  'div',
                  { class: 'actions' },
                  h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, t('proceedings.print')),
                  h('button', { type: 'button', id: 'download-md', onclick: () => download('md') }, t('proceedings.download_md')),
                  h('button', { type: 'button', id: 'download-json', onclick: () => download('json') }, t('proceedings.download_json')),
              )
            : null,
        state.doc && !state.doc.public ? h('p', { class: 'hint' }, t('proceedings.private')) : null,
        state.error ? h('p', { class: 'form-error', role: 'alert' }, state.error) : null,
    );
    const parts = [bar];
    if (state.fatal) parts.push(h('p', { class: 'form-error', role: 'alert' }, state.fatal));
    else if (state.loading) parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    else if (state.needJoin)
        parts.push(joinCard(state.eid, t('proceedings.title'), t('proceedings.join_to_read')));
    else parts.push(renderBook());
    mount(main, parts);
    document.title = state.doc ? `${state.doc.event.name} · ${t('proceedings.title')}` : t('proceedings.title');
}

async function start() {
    const frag = takeFragment();
    if (frag.token) tokens.set('p', state.eid, frag.token);
    state.token = eventToken(state.eid);
    await loadLang(pickLang(null));
    render();
    await load();
    await useEventLang(state.doc && state.doc.event.locale);
    state.loading = false;
    render();
    // Everything is on the page: a print (or a headless print to PDF) may start.
    document.body.dataset.ready = 'true';
}

start();
