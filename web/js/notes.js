// SPDX-License-Identifier: MIT
// A session's notes (/e/{eid}/notes/{session}): who hosted, who came (a
// count, and the names of those who say so), key points, proposals and next
// steps, who follows up. The event's participants and its facilitator
// write them: saved as one types (debounced), always over the revision the
// page read (If-Match). When someone else saved meanwhile, the fields only
// one side changed merge by themselves; the others are shown side by side,
// the page's text beside the saved one, and nothing is written until the
// writer chooses. Unsaved text is also kept on the device until it is saved.
// One state object, one render().

import { Api, seg, tokens, takeFragment, eventIdFromPath, eventToken } from './api.js';
import { h, mount } from './dom.js';
import { t, tn, loadLang, pickLang, langSwitch, useEventLang, fmtRange, fmtTime, fmtDay } from './i18n.js';
import { errorText, announce, sessionTitle, kindLabel, field, joinCard } from './common.js';
import { renderTree } from './markdown.js';
import { FIELDS, TEXTS, fieldsOf, sameFields, mergeFields, fieldLabel } from './notes-fields.js';
import { loadLimits, charLimit, range, chars } from './limits.js';

const SAVE_MS = 1200;
const POLL_MS = 15000;

const state = {
    eid: eventIdFromPath(),
    sid: sessionIdFromPath(),
    token: null,
    event: null,
    doc: null, // GET .../notes: {session, current, notes, present, present_me, can_edit}
    etag: null,
    base: null, // the fields as last read or saved: what the draft started from
    draft: null, // the fields as typed
    editing: false,
    saving: false,
    again: false, // typed while a save ran: save once more after it
    status: 'idle', // idle, dirty, saving, saved, error
    error: null,
    savedAt: null,
    conflict: null, // {doc, etag, theirs, fields}
    revisionsOpen: false,
    revisions: null,
    revision: null, // one revision shown
    needJoin: false,
    fatal: null,
    loading: true,
};

function sessionIdFromPath() {
    const m = location.pathname.match(/^\/e\/[^/]+\/notes\/([^/]+)/);
    return m ? decodeURIComponent(m[1]) : null;
}

function api() {
    return new Api(state.token);
}

const notesPath = () => `/events/${seg(state.eid)}/sessions/${seg(state.sid)}/notes`;
const backupKey = () => `forumd.notes.${state.eid}.${state.sid}`;

const dirty = () => state.draft && state.base && !sameFields(state.draft, state.base);

function body(fields) {
    const n = fields.attendance.trim();
    return {
        attendance: n === '' ? null : Number(n),
        names: fields.names,
        key_points: fields.key_points,
        proposals: fields.proposals,
        follow_up: fields.follow_up,
    };
}

// What the API would refuse, said before sending: {field: message}.
// The limits are the API's (GET /limits); without them the API still
// refuses what is too long, and its error is shown.
function problems(fields) {
    const out = {};
    const n = fields.attendance.trim();
    const most = (range('attendance') || [0, Infinity])[1];
    if (n !== '' && !(/^\d+$/.test(n) && Number(n) <= most)) out.attendance = t('notes.attendance_invalid');
    for (const f of FIELDS.filter((x) => x !== 'attendance')) {
        const len = chars(fields[f]);
        const max = limitOf(f);
        if (max !== undefined && len > max) out[f] = t('notes.too_long', { n: len, max });
    }
    return out;
}

// The most characters the text field f may hold, as the API serves it.
function limitOf(f) {
    return charLimit(`notes_${f}`);
}

// "n / max" under a text field, or nothing when the limits did not load.
function countText(f, text) {
    const max = limitOf(f);
    return max === undefined ? '' : t('notes.count', { n: chars(text), max });
}

// ---- the device's copy of unsaved text -----------------------------------------

function backup() {
    try {
        if (dirty() || state.conflict) localStorage.setItem(backupKey(), JSON.stringify({ etag: state.etag, base: state.base, draft: state.draft }));
        else localStorage.removeItem(backupKey());
    } catch {
        /* no storage: the page still holds it */
    }
}

function restore() {
    try {
        const b = JSON.parse(localStorage.getItem(backupKey()) || 'null');
        if (b && b.draft && b.base && b.etag && !sameFields(b.draft, b.base)) return b;
    } catch {
        /* a damaged copy is no copy */
    }
    return null;
}

// ---- loading and saving ------------------------------------------------------------

function take(doc, etag) {
    state.doc = doc;
    state.etag = etag;
    state.base = fieldsOf(doc.notes);
}

async function load() {
    const e = seg(state.eid);
    try {
        state.event = await new Api(null).get(`/events/${e}`);
    } catch (err) {
        state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
        return;
    }
    try {
        const res = await api().raw('GET', notesPath());
        take(res.data, res.etag);
        state.draft = Object.assign({}, state.base);
    } catch (err) {
        if (err.status === 401 || err.status === 403) state.needJoin = true;
        else state.fatal = err.status === 404 ? t('notes.not_found') : errorText(err);
        return;
    }
    // Text typed here and never saved (a closed tab, a lost network): back
    // into the editor, and saved over the revision it started from.
    const b = restore();
    if (b && state.doc.can_edit) {
        state.base = b.base;
        state.draft = b.draft;
        state.etag = b.etag;
        state.editing = true;
        state.status = 'dirty';
        schedule(0);
    }
}

let timer = null;
function schedule(ms = SAVE_MS) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
}

async function save() {
    if (state.saving) {
        state.again = true;
        return;
    }
    if (state.conflict || !dirty()) return;
    const bad = problems(state.draft);
    if (Object.keys(bad).length) {
        state.status = 'error';
        state.error = Object.values(bad)[0];
        return renderStatusOnly();
    }
    const sent = Object.assign({}, state.draft);
    state.saving = true;
    state.status = 'saving';
    renderStatusOnly();
    try {
        const res = await api().raw('PUT', notesPath(), { body: body(sent), ifMatch: state.etag });
        take(res.data, res.etag);
        // What was typed while the request ran stays in the draft.
        if (sameFields(state.draft, sent)) state.draft = Object.assign({}, state.base);
        state.status = dirty() ? 'dirty' : 'saved';
        state.savedAt = new Date().toISOString();
        state.error = null;
    } catch (err) {
        if (err.status === 412 && err.data && err.data.current) {
            conflictFrom(err.data.current, err.etag);
        } else {
            state.status = 'error';
            state.error = errorText(err);
        }
    } finally {
        state.saving = false;
    }
    backup();
    render();
    if (state.again || (dirty() && !state.conflict && state.status !== 'error')) {
        state.again = false;
        schedule();
    }
}

// Someone saved since this page read the notes: merge what can be merged,
// show the rest side by side.
function conflictFrom(doc, etag) {
    const theirs = fieldsOf(doc.notes);
    const { merged, conflicts } = mergeFields(state.base, state.draft, theirs);
    if (!conflicts.length) {
        take(doc, etag);
        state.draft = merged;
        state.status = dirty() ? 'dirty' : 'saved';
        if (dirty()) state.again = true;
        return;
    }
    state.conflict = { doc, etag, theirs, fields: conflicts };
    state.draft = merged; // the page's own text in the conflicting fields
    state.status = 'conflict';
    announce(t('notes.conflict_title'));
}

// The writer chose: their text, the saved one, or both, for each field in conflict.
function resolve(how) {
    const c = state.conflict;
    for (const f of c.fields) {
        if (how === 'theirs') state.draft[f] = c.theirs[f];
        else if (how === 'both' && f !== 'attendance') state.draft[f] = [state.draft[f].trimEnd(), c.theirs[f].trimStart()].filter(Boolean).join('\n\n');
    }
    take(c.doc, c.etag);
    state.conflict = null;
    state.status = dirty() ? 'dirty' : 'saved';
    backup();
    render();
    if (dirty()) schedule(0);
}

async function poll() {
    if (document.hidden || state.saving || state.conflict || dirty() || !state.doc) return;
    try {
        const res = await api().raw('GET', notesPath());
        if (dirty() || state.saving || state.conflict) return;
        const changed = res.etag !== state.etag || JSON.stringify(res.data.present) !== JSON.stringify(state.doc.present);
        take(res.data, res.etag);
        state.draft = Object.assign({}, state.base);
        if (changed) render();
    } catch {
        /* keep what is shown; the next round retries */
    }
}

async function setPresent(on) {
    try {
        const p = `/events/${seg(state.eid)}/sessions/${seg(state.sid)}/presence`;
        const res = on ? await api().put(p) : await api().del(p);
        state.doc.present = res.present;
        state.doc.present_me = res.present_me;
        announce(on ? t('notes.present_added') : t('notes.present_removed'));
    } catch (err) {
        state.error = errorText(err);
    }
    render();
}

async function toggleRevisions(open) {
    state.revisionsOpen = open;
    if (open) {
        try {
            state.revisions = await api().get(`${notesPath()}/revisions`);
        } catch (err) {
            state.error = errorText(err);
        }
    }
    render();
}

async function showRevision(rev) {
    try {
        state.revision = await api().get(`${notesPath()}/revisions/${rev}`);
    } catch (err) {
        state.error = errorText(err);
    }
    render();
}

function restoreRevision() {
    const r = state.revision;
    state.draft = fieldsOf(r);
    state.revision = null;
    state.editing = true;
    state.status = dirty() ? 'dirty' : state.status;
    backup();
    render();
    schedule(0);
}

// ---- rendering ---------------------------------------------------------------------

function onInput(f, ev) {
    state.draft[f] = ev.target.value;
    state.status = dirty() ? 'dirty' : 'saved';
    backup();
    renderStatusOnly();
    const counter = document.getElementById(`count-${f}`);
    if (counter) counter.textContent = countText(f, state.draft[f]);
    schedule();
}

function statusText() {
    const tz = state.event && state.event.timezone;
    switch (state.status) {
        case 'saving':
            return t('notes.saving');
        case 'dirty':
            return t('notes.unsaved');
        case 'saved':
            return state.savedAt ? t('notes.saved_at', { time: fmtTime(state.savedAt, tz) }) : t('notes.saved');
        case 'error':
            return t('notes.save_failed', { error: state.error || '' });
        case 'conflict':
            return t('notes.conflict_title');
        default:
            return '';
    }
}

// The save status changes as one types: only its line is redrawn then.
function renderStatusOnly() {
    const el = document.getElementById('save-status');
    if (el) {
        el.textContent = statusText();
        el.className = `save-status ${state.status}`;
    }
}

// "mar. 14 oct., 14:03": when a revision was saved.
function fmtWhen(iso, tz) {
    return iso ? `${fmtDay(iso, tz)}, ${fmtTime(iso, tz)}` : '';
}

function author(x) {
    if (!x || !x.author) return '';
    return x.author.facilitator ? t('notes.by_facilitator') : x.author.name;
}

function renderHeader() {
    return h(
        'header',
        { class: 'page-header' },
        h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd')),
        langSwitch(() => render()),
        h(
            'nav',
            { 'aria-label': t('notes.nav') },
            h('ul', null, h('li', null, h('a', { href: `/e/${seg(state.eid)}` }, state.event ? state.event.name : t('notes.back'))), h('li', null, h('a', { href: `/e/${seg(state.eid)}/proceedings` }, t('proceedings.title')))),
        ),
    );
}

function renderSession() {
    const s = state.doc.session;
    const tz = state.event.timezone;
    const n = state.doc.notes;
    return h(
        'section',
        { class: 'card session-head', 'aria-labelledby': 'page-title' },
        h('p', { class: 'kicker' }, [s.block_name, s.kind !== 'forum' ? kindLabel(s.kind) : '', s.theme].filter(Boolean).join(' · ')),
        h('h1', { id: 'page-title' }, sessionTitle(s)),
        h('p', { class: 'meta' }, [fmtRange(s.starts_at, s.ends_at, tz), s.room_name ? t('agenda.room', { room: s.room_name }) : ''].filter(Boolean).join(' · ')),
        s.hosts && s.hosts.length ? h('p', { class: 'meta' }, t('notes.hosts', { names: s.hosts.join(', ') })) : null,
        s.url ? h('p', { class: 'online' }, h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, t('session.online')), ' ', h('span', { class: 'mono' }, s.url)) : null,
        state.doc.current ? null : h('p', { class: 'notice' }, t('notes.not_current')),
        n.rev > 0 ? h('p', { class: 'hint' }, t('notes.last_saved', { who: author(n), time: fmtWhen(n.saved_at, tz) })) : null,
    );
}

function renderCame() {
    const d = state.doc;
    const n = d.notes;
    const names = [...(d.present || [])];
    if (n.names) names.push(n.names);
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'came-title' },
        h('h2', { id: 'came-title' }, t('notes.came')),
        h('p', null, n.attendance !== null && n.attendance !== undefined ? tn('notes.people', n.attendance) : t('notes.people_unknown')),
        names.length ? h('p', { class: 'names' }, names.join(', ')) : null,
        state.token && d.can_edit && tokens.get('p', state.eid) === state.token
            ? h(
                  'div',
                  { class: 'actions' },
                  h('button', { type: 'button', id: 'present-toggle', onclick: () => setPresent(!d.present_me), 'aria-pressed': d.present_me ? 'true' : 'false' }, d.present_me ? t('notes.present_remove') : t('notes.present_add')),
              )
            : null,
        h('p', { class: 'hint' }, t('notes.present_hint')),
    );
}

function renderView() {
    const r = state.doc.notes.rendered || {};
    return TEXTS.map((f) =>
        h(
            'section',
            { class: 'card notes-part', 'aria-labelledby': `view-${f}` },
            h('h2', { id: `view-${f}` }, fieldLabel(f)),
            r[f] && r[f].length ? h('div', { class: 'md' }, renderTree(r[f], 2)) : h('p', { class: 'hint' }, t('notes.empty')),
        ),
    );
}

function renderEditor() {
    const d = state.draft;
    const bad = problems(d);
    const r = state.doc.notes.rendered || {};
    const text = (f, rows) =>
        h(
            'div',
            { class: 'notes-field' },
            field(fieldLabel(f), h('textarea', { id: `edit-${f}`, name: f, rows, value: d[f], oninput: (ev) => onInput(f, ev) }), bad[f], f === 'names' ? t('notes.names_hint') : t('notes.markdown_hint')),
            h('p', { class: 'counter', id: `count-${f}`, 'aria-live': 'off' }, countText(f, d[f])),
            TEXTS.includes(f) && r[f] && r[f].length ? h('details', { class: 'preview' }, h('summary', null, t('notes.preview')), h('div', { class: 'md' }, renderTree(r[f], 2))) : null,
        );
    return h(
        'section',
        { class: 'card editor', 'aria-labelledby': 'edit-title' },
        h('h2', { id: 'edit-title' }, t('notes.edit_title')),
        h('p', { id: 'save-status', class: `save-status ${state.status}`, role: 'status' }, statusText()),
        field(fieldLabel('attendance'), h('input', { id: 'edit-attendance', name: 'attendance', type: 'number', min: 0, max: (range('attendance') || [])[1], inputmode: 'numeric', value: d.attendance, oninput: (ev) => onInput('attendance', ev) }), bad.attendance),
        text('names', 2),
        text('key_points', 10),
        text('proposals', 6),
        text('follow_up', 4),
        h(
            'div',
            { class: 'actions' },
            h(
                'button',
                {
                    type: 'button',
                    id: 'edit-done',
                    class: 'primary',
                    onclick: async () => {
                        clearTimeout(timer);
                        await save();
                        if (!dirty() && !state.conflict) {
                            state.editing = false;
                            render();
                        }
                    },
                },
                t('notes.done'),
            ),
        ),
    );
}

function renderConflict() {
    const c = state.conflict;
    const tz = state.event.timezone;
    return h(
        'section',
        { class: 'card conflict', 'aria-labelledby': 'conflict-title', role: 'alert' },
        h('h2', { id: 'conflict-title' }, t('notes.conflict_title')),
        h('p', null, t('notes.conflict_text', { who: author(c.doc.notes), time: fmtTime(c.doc.notes.saved_at, tz) })),
        c.fields.map((f) =>
            h(
                'div',
                { class: 'conflict-field' },
                h('h3', null, fieldLabel(f)),
                h(
                    'div',
                    { class: 'side-by-side' },
                    h(
                        'div',
                        null,
                        h('label', { for: `mine-${f}` }, t('notes.yours')),
                        h('textarea', {
                            id: `mine-${f}`,
                            rows: f === 'attendance' ? 1 : 8,
                            value: state.draft[f],
                            oninput: (ev) => {
                                state.draft[f] = ev.target.value;
                                backup();
                            },
                        }),
                    ),
                    h('div', null, h('label', { for: `theirs-${f}` }, t('notes.theirs', { who: author(c.doc.notes) })), h('textarea', { id: `theirs-${f}`, rows: f === 'attendance' ? 1 : 8, readOnly: true, value: c.theirs[f] })),
                ),
            ),
        ),
        h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'primary', id: 'conflict-mine', onclick: () => resolve('mine') }, t('notes.keep_mine')),
            h('button', { type: 'button', id: 'conflict-both', onclick: () => resolve('both') }, t('notes.keep_both')),
            h('button', { type: 'button', id: 'conflict-theirs', onclick: () => resolve('theirs') }, t('notes.take_theirs')),
        ),
    );
}

function renderRevisions() {
    const tz = state.event.timezone;
    const list = state.revisions || [];
    const r = state.revision;
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'revisions-title' },
        h(
            'details',
            { open: state.revisionsOpen, ontoggle: (ev) => ev.currentTarget.open !== state.revisionsOpen && toggleRevisions(ev.currentTarget.open) },
            h('summary', null, h('h2', { id: 'revisions-title' }, t('notes.revisions'))),
            h('p', { class: 'hint' }, t('notes.revisions_hint')),
            list.length
                ? h(
                      'ol',
                      { class: 'revisions' },
                      list.map((x) =>
                          h(
                              'li',
                              null,
                              h('span', null, t('notes.revision_line', { rev: x.rev, who: author(x), time: fmtWhen(x.saved_at, tz) })),
                              ' ',
                              h('button', { type: 'button', class: 'quiet', onclick: () => showRevision(x.rev), 'aria-label': t('notes.revision_show', { rev: x.rev }) }, t('notes.show')),
                          ),
                      ),
                  )
                : h('p', null, t('notes.no_revisions')),
            r
                ? h(
                      'div',
                      { class: 'revision', 'aria-labelledby': 'revision-title' },
                      h('h3', { id: 'revision-title' }, t('notes.revision_title', { rev: r.rev, who: author(r) })),
                      FIELDS.map((f) => h('div', null, h('h4', null, fieldLabel(f)), h('pre', { class: 'plain' }, f === 'attendance' ? (r.attendance === null ? '—' : String(r.attendance)) : r[f] || '—'))),
                      state.doc.can_edit && !state.conflict ? h('div', { class: 'actions' }, h('button', { type: 'button', id: 'revision-restore', onclick: restoreRevision }, t('notes.restore'))) : null,
                  )
                : null,
        ),
    );
}

function render() {
    const main = document.getElementById('main');
    const parts = [renderHeader()];
    if (state.fatal) {
        parts.push(h('p', { class: 'form-error', role: 'alert' }, state.fatal));
    } else if (state.loading) {
        parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    } else if (state.needJoin) {
        parts.push(joinCard(state.eid, t('notes.title'), t('notes.join_to_read')));
    } else {
        const d = state.doc;
        parts.push(renderSession(), renderCame());
        if (state.conflict) parts.push(renderConflict());
        else if (state.editing && d.can_edit) parts.push(renderEditor());
        else if (d.can_edit) parts.push(h('div', { class: 'actions' }, h('button', { type: 'button', id: 'edit-start', class: 'primary', onclick: startEditing }, t('notes.edit'))));
        else parts.push(h('p', { class: 'hint' }, h('a', { href: `/e/${seg(state.eid)}` }, t('notes.join_to_write'))));
        if (!state.editing || state.conflict) parts.push(...renderView());
        parts.push(renderRevisions());
        if (state.error && state.status !== 'error') parts.push(h('p', { class: 'form-error', role: 'alert' }, state.error));
    }
    mount(main, parts);
    document.title = state.doc ? `${sessionTitle(state.doc.session)} · ${t('notes.title')}` : t('notes.title');
}

function startEditing() {
    state.editing = true;
    state.draft = Object.assign({}, state.base);
    render();
    const first = document.getElementById('edit-key_points');
    if (first) first.focus();
}

async function start() {
    const frag = takeFragment();
    if (frag.token) tokens.set('p', state.eid, frag.token);
    state.token = eventToken(state.eid);
    await Promise.all([loadLang(pickLang(null)), loadLimits()]);
    render();
    await load();
    await useEventLang(state.event && state.event.locale);
    state.loading = false;
    render();
    setInterval(poll, POLL_MS);
    document.addEventListener('visibilitychange', poll);
    // Leaving with text not yet saved: save now (the device keeps a copy anyway).
    window.addEventListener('pagehide', () => {
        if (dirty() && !state.conflict) save();
    });
}

start();
