// SPDX-License-Identifier: MIT
// The participant page (/e/{eid}): join with a name, propose topics into a
// block of the day and edit them, vote with words, see the day by block and
// one's own agenda (plenary included) once the schedule is out, with what
// changed since the version this device last showed (moved: old -> new time
// and room, cancelled, new) until the person says they have seen it.
// One state object, one render(state).

import { Api, seg, tokens, takeFragment, eventIdFromPath } from './api.js';
import { h, mount, formValues, copyText } from './dom.js';
import { t, tn, loadLang, pickLang, langSwitch, fmtRange } from './i18n.js';
import { errorText, formErrors, field, counted, tooLong, checkbox, formError, themeClass, setThemes, announce, recent, sessionTitle, kindLabel } from './common.js';
import { loadLimits } from './limits.js';
import { sortSlots, indexSchedule, sessionId, dayBlocks, isForEveryone } from './schedule.js';
import { offlineMark, onNetworkChange, whenOnline, forgetPersonal } from './offline.js';

const TOPIC_FIELDS = ['title', 'description', 'theme', 'needs', 'max_size', 'block'];
const REFRESH_MS = 30000;

const state = {
    eid: eventIdFromPath(),
    token: null,
    event: null,
    me: null,
    topics: [],
    rooms: [],
    slots: [],
    blocks: [], // the blocks of the day (GET /blocks)
    votes: {}, // topic id -> weight
    agenda: null, // null: not published (or not joined)
    seen: null, // the version whose agenda this device last showed, or null
    schedule: null, // the published schedule, or null
    scheduleOpen: false,
    fatal: null,
    loading: true,
    busy: false,
    joinCode: '',
    join: { name: '', join_code: '', errors: {} },
    proposeOpen: false,
    propose: { draft: emptyDraft(), errors: {} },
    editing: null, // topic id being edited
    edit: { draft: emptyDraft(), errors: {} },
    topicErrors: {}, // topic id -> message (votes, deletion)
    pendingVotes: {}, // topic id -> weight chosen offline, not saved
    votesWanted: {}, // topic id -> the last choice, while a save of that topic runs
    copied: false,
    prefsOpen: false,
    prefsErrors: {},
    themeFilter: '', // '' = every theme
};

function emptyDraft() {
    return { title: '', description: '', theme: '', needs: [], max_size: '', block: '' };
}

function api() {
    return new Api(state.token);
}

// ---- data -----------------------------------------------------------------

async function loadAll() {
    const e = seg(state.eid);
    try {
        // Public reads go without the token: a stale one cannot spoil them.
        state.event = await new Api(null).get(`/events/${e}`);
    } catch (err) {
        // Reading everything again (back online) keeps the page when it fails.
        if (state.event && err.code === 'network') throw err;
        state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
        state.loading = false;
        return;
    }
    recent.add(state.eid, state.event.name, 'participant');
    await Promise.all([loadTopics(), loadRooms(), loadMine(), loadSchedule()]);
    await loadChanges();
    noteSeen();
    state.loading = false;
}

async function loadSchedule() {
    try {
        // Public: asked without the token, so a stale one cannot spoil it.
        state.schedule = await new Api(null).get(`/events/${seg(state.eid)}/schedule`);
    } catch (err) {
        if (err.status !== 404) throw err;
        state.schedule = null;
    }
}

async function loadTopics() {
    const a = api();
    try {
        state.topics = (await a.get(`/events/${seg(state.eid)}/topics`)) || [];
    } catch (err) {
        if (!a.token || (err.status !== 401 && err.status !== 403)) throw err;
        // A stale token (loadMine may have found out first): read as a visitor.
        if (state.token === a.token) forget();
        state.topics = (await new Api(null).get(`/events/${seg(state.eid)}/topics`)) || [];
    }
}

async function loadRooms() {
    try {
        const anon = new Api(null);
        const [rooms, slots, blocks] = await Promise.all([
            anon.get(`/events/${seg(state.eid)}/rooms`),
            anon.get(`/events/${seg(state.eid)}/slots`),
            anon.get(`/events/${seg(state.eid)}/blocks`),
        ]);
        state.rooms = rooms || [];
        state.slots = sortSlots(slots);
        state.blocks = blocks || [];
    } catch {
        state.rooms = [];
        state.slots = [];
        state.blocks = [];
    }
}

async function loadMine() {
    if (!state.token) return;
    const a = api();
    const e = seg(state.eid);
    try {
        state.me = await a.get(`/events/${e}/me`);
    } catch (err) {
        if (err.status === 401 || err.status === 403 || err.status === 404) return forget();
        throw err;
    }
    const votes = (await a.get(`/events/${e}/me/votes`)) || [];
    state.votes = {};
    for (const v of votes) state.votes[v.topic] = v.weight;
    try {
        state.agenda = (await a.get(`/events/${e}/me/agenda`)) || [];
    } catch (err) {
        if (err.status !== 404) throw err;
        state.agenda = null;
    }
}

// What changed since the version this device last showed, marked on the
// agenda (asked apart, so that the plain agenda stays the one kept for
// offline use). Offline or refused, the agenda stays unmarked.
async function loadChanges() {
    state.seen = seenVersion();
    if (!state.token || !state.agenda || !state.schedule || !state.seen || state.seen >= state.schedule.version) return;
    try {
        state.agenda = (await api().get(`/events/${seg(state.eid)}/me/agenda?since=${state.seen}`)) || state.agenda;
    } catch (err) {
        // A version this event never had (the database was reset): start again.
        if (err.status === 422 && err.field === 'since') {
            setSeen(null);
            state.seen = null;
        }
    }
}

// ---- what changed since the version this device last showed ----------------

// Per event and person: someone else's link opened on this phone has its own.
function seenKey() {
    return `forumd.seen.${state.eid}.${state.me ? state.me.id : ''}`;
}

function seenVersion() {
    try {
        const v = Number(localStorage.getItem(seenKey()));
        return Number.isInteger(v) && v > 0 ? v : null;
    } catch {
        return null;
    }
}

function setSeen(v) {
    try {
        if (v) localStorage.setItem(seenKey(), String(v));
        else localStorage.removeItem(seenKey());
    } catch {
        /* private mode: the marks show again next time */
    }
}

function agendaChanges() {
    return (state.agenda || []).filter((x) => x.change);
}

// The first version seen, or an agenda that did not change: remember the
// version now, so that the next publication's changes are marked.
function noteSeen() {
    if (!state.schedule || !state.agenda) return;
    if (state.seen === null || (state.seen < state.schedule.version && !agendaChanges().length)) {
        setSeen(state.schedule.version);
        state.seen = state.schedule.version;
    }
}

async function onSeen() {
    if (!state.schedule) return;
    setSeen(state.schedule.version);
    state.seen = state.schedule.version;
    state.agenda = (state.agenda || []).filter((x) => x.change !== 'cancelled' && x.change !== 'removed').map((x) => Object.assign({}, x, { change: undefined, was: undefined }));
    render();
    announce(t('agenda.seen_done'));
}

// The stored token no longer works (event reset, token revoked): start over.
function forget() {
    forgetPersonal(state.eid);
    tokens.set('p', state.eid, null);
    state.token = null;
    state.me = null;
    state.votes = {};
    state.agenda = null;
}

// ---- actions ----------------------------------------------------------------

async function onJoin(ev) {
    ev.preventDefault();
    const v = formValues(ev.target);
    state.join.name = v.name;
    state.join.join_code = v.join_code || '';
    const errors = {};
    if (!v.name.trim()) errors.name = t('join.name_required');
    else if (tooLong(v.name.trim(), 'person_name')) errors.name = tooLong(v.name.trim(), 'person_name');
    state.join.errors = errors;
    if (Object.keys(errors).length) return render();
    const body = { name: v.name.trim() };
    if (state.event.join_code_required) body.join_code = (v.join_code || '').trim();
    state.busy = true;
    render();
    try {
        const res = await new Api(null).post(`/events/${seg(state.eid)}/participants`, body);
        state.token = res.token;
        tokens.set('p', state.eid, res.token);
        state.join = { name: '', join_code: '', errors: {} };
        await loadMine();
        await loadTopics();
        announce(t('join.welcome', { name: state.me ? state.me.name : body.name }));
    } catch (err) {
        state.join.errors = formErrors(err, ['name', 'join_code']);
    }
    state.busy = false;
    render();
    const heading = document.getElementById('me-title');
    if (heading && state.token) heading.focus();
}

function onLeave() {
    if (!confirm(t('me.leave_confirm'))) return;
    forget();
    render();
}

async function onPrefs(ev) {
    ev.preventDefault();
    const v = formValues(ev.target);
    const body = { needs: v.needs || [], unavailable: v.unavailable || [] };
    state.busy = true;
    state.prefsErrors = {};
    render();
    try {
        await api().patch(`/events/${seg(state.eid)}/me`, body);
        state.me = await api().get(`/events/${seg(state.eid)}/me`);
        announce(t('prefs.saved'));
    } catch (err) {
        state.prefsErrors = formErrors(err, ['needs', 'unavailable']);
    }
    state.busy = false;
    render();
}

function personalLink() {
    return `${location.origin}/e/${seg(state.eid)}#token=${encodeURIComponent(state.token)}`;
}

async function onCopy() {
    const ok = await copyText(personalLink(), document.getElementById('personal-link'));
    state.copied = ok;
    announce(ok ? t('me.copied') : t('me.copy_failed'));
    render();
}

function draftBody(d, forPatch) {
    const body = {
        title: d.title.trim(),
        description: d.description.trim(),
        theme: d.theme.trim(),
        needs: d.needs,
    };
    const size = String(d.max_size).trim();
    if (size !== '') body.max_size = Number(size);
    else if (forPatch) body.max_size = null;
    if (d.block) body.block = d.block;
    return body;
}

function readDraft(form) {
    const v = formValues(form);
    return {
        title: v.title || '',
        description: v.description || '',
        theme: v.theme || '',
        needs: v.needs || [],
        max_size: v.max_size || '',
        block: v.block || '',
    };
}

function checkDraft(d) {
    const errors = {};
    if (!d.title.trim()) errors.title = t('topic.title_required');
    for (const [f, key] of [['title', 'title'], ['description', 'description'], ['theme', 'theme']]) {
        const long = tooLong(d[f].trim(), key);
        if (long) errors[f] = long;
    }
    const size = String(d.max_size).trim();
    if (size !== '' && (!/^\d+$/.test(size) || Number(size) < 1)) errors.max_size = t('topic.size_invalid');
    return errors;
}

async function onPropose(ev) {
    ev.preventDefault();
    const d = readDraft(ev.target);
    state.propose.draft = d;
    state.propose.errors = checkDraft(d);
    if (Object.keys(state.propose.errors).length) return render();
    state.busy = true;
    render();
    try {
        await api().post(`/events/${seg(state.eid)}/topics`, draftBody(d, false));
        state.propose = { draft: emptyDraft(), errors: {} };
        await loadTopics();
        announce(t('topic.proposed', { title: d.title.trim() }));
    } catch (err) {
        state.propose.errors = formErrors(err, TOPIC_FIELDS);
    }
    state.busy = false;
    render();
}

function onEdit(topic) {
    state.editing = topic.id;
    state.edit = {
        draft: {
            title: topic.title || '',
            description: topic.description || '',
            theme: topic.theme || '',
            needs: (topic.needs || []).slice(),
            max_size: topic.max_size ? String(topic.max_size) : '',
            block: topic.block || '',
        },
        errors: {},
    };
    render();
    const input = document.getElementById(`edit-${topic.id}-title`);
    if (input) input.focus();
}

function onCancelEdit() {
    const id = state.editing;
    state.editing = null;
    render();
    const btn = document.getElementById(`topic-${id}-edit`);
    if (btn) btn.focus();
}

async function onSaveEdit(ev) {
    ev.preventDefault();
    const d = readDraft(ev.target);
    state.edit.draft = d;
    state.edit.errors = checkDraft(d);
    if (Object.keys(state.edit.errors).length) return render();
    const id = state.editing;
    state.busy = true;
    render();
    try {
        await api().patch(`/events/${seg(state.eid)}/topics/${seg(id)}`, draftBody(d, true));
        state.editing = null;
        await loadTopics();
        announce(t('topic.saved'));
    } catch (err) {
        state.edit.errors = formErrors(err, TOPIC_FIELDS);
    }
    state.busy = false;
    render();
}

async function onDelete(topic) {
    if (!confirm(t('topic.delete_confirm', { title: topic.title }))) return;
    try {
        await api().del(`/events/${seg(state.eid)}/topics/${seg(topic.id)}`);
        delete state.votes[topic.id];
        await loadTopics();
        announce(t('topic.deleted'));
    } catch (err) {
        state.topicErrors[topic.id] = errorText(err);
    }
    render();
}

// One save per topic at a time. Arrow keys run through the choices faster
// than answers come back, and two saves in flight could reach the server in
// either order and leave an older choice saved (and announced last). A
// topic is in state.votesWanted while its save runs: a choice made then only
// replaces the wanted one, and the running save sends the last one next.
async function onVote(topic, weight) {
    const running = topic.id in state.votesWanted;
    state.votesWanted[topic.id] = weight;
    if (running) return;
    let sent = false;
    let ok = true;
    try {
        for (;;) {
            const w = state.votesWanted[topic.id];
            const r = await saveVote(topic, w);
            sent = sent || r.sent;
            ok = r.ok;
            if (!ok || state.votesWanted[topic.id] === w) break;
        }
    } finally {
        delete state.votesWanted[topic.id];
    }
    if (ok && sent) {
        announce(t('vote.saved', { title: topic.title, choice: voteWord(state.votes[topic.id] || 0) }));
        // The tallies (when shown) include this vote at once, not at the
        // next 30-second refresh.
        if (state.event.show_tallies) await loadTopics().catch(() => {});
    }
    render();
}

// Sends one choice: {ok, sent}; on failure the error is on the topic.
async function saveVote(topic, weight) {
    const before = state.votes[topic.id] || 0;
    delete state.topicErrors[topic.id];
    if (weight === before) {
        // Back to the saved choice: nothing to send, nothing pending.
        delete state.pendingVotes[topic.id];
        return { ok: true, sent: false };
    }
    const path = `/events/${seg(state.eid)}/topics/${seg(topic.id)}/vote`;
    try {
        if (weight === 0) await api().del(path);
        else await api().put(path, { weight });
        if (weight === 0) delete state.votes[topic.id];
        else state.votes[topic.id] = weight;
        delete state.pendingVotes[topic.id];
        return { ok: true, sent: true };
    } catch (err) {
        if (err.code === 'network') {
            // Not saved, and not forgotten: the last choice stays on the
            // page with a way to send it once the network is back.
            state.pendingVotes[topic.id] = state.votesWanted[topic.id];
            state.topicErrors[topic.id] = t('vote.offline');
        } else {
            delete state.pendingVotes[topic.id];
            state.topicErrors[topic.id] = errorText(err);
        }
        return { ok: false, sent: false };
    }
}

// ---- rendering --------------------------------------------------------------

export function voteWord(w) {
    if (w === 0) return t('vote.none');
    if (w >= 1 && w <= 3) return t(`vote.w${w}`);
    return t('vote.wn', { n: w });
}

// Points spent, counted as the API counts them: every vote of this person.
function budgetUsed() {
    let sum = 0;
    for (const w of Object.values(state.votes)) sum += w;
    return sum;
}

function allFeatures(extra) {
    const set = new Set();
    for (const r of state.rooms) for (const f of r.features || []) set.add(f);
    for (const f of extra || []) set.add(f);
    return [...set].sort();
}

// The blocks a participant may propose into (and the one a topic is in).
function openBlocks(current) {
    return state.blocks.filter((b) => b.proposals_open || (current && b.id === current));
}

function blockById(id) {
    return state.blocks.find((b) => b.id === id) || null;
}

// "Forum ouvert · Fri 9:30–12:00".
function blockLabel(b) {
    const when = b.starts_at ? fmtRange(b.starts_at, b.ends_at, state.event.timezone) : '';
    return [b.name, when].filter(Boolean).join(' · ');
}

function allThemes() {
    const set = new Set();
    for (const x of state.topics) if (x.theme) set.add(x.theme);
    return [...set].sort();
}

function topicForm(prefix, form, onsubmit, submitLabel, extraButtons) {
    const d = form.draft;
    const err = form.errors;
    const features = allFeatures(d.needs);
    const keep = (ev) => {
        form.draft = readDraft(ev.currentTarget);
    };
    const open = openBlocks(d.block);
    return h(
        'form',
        { class: 'topic-form', novalidate: true, onsubmit, oninput: keep, onchange: keep },
        formError(err._form),
        open.length
            ? field(
                  t('topic.block'),
                  h(
                      'select',
                      { id: `${prefix}-block`, name: 'block' },
                      open.map((b) => h('option', { value: b.id, selected: (d.block || open[0].id) === b.id }, blockLabel(b))),
                  ),
                  err.block,
                  t('topic.block_hint'),
              )
            : formError(err.block),
        counted(
            t('topic.title'),
            h('input', { id: `${prefix}-title`, name: 'title', value: d.title, autocomplete: 'off', required: true }),
            'title',
            err.title,
        ),
        counted(
            t('topic.description'),
            h('textarea', { id: `${prefix}-description`, name: 'description', rows: 3 }, d.description),
            'description',
            err.description,
        ),
        counted(
            t('topic.theme'),
            h('input', { id: `${prefix}-theme`, name: 'theme', value: d.theme, list: 'themes', autocomplete: 'off' }),
            'theme',
            err.theme,
            t('topic.theme_hint'),
        ),
        features.length
            ? h(
                  'fieldset',
                  { class: 'needs', 'aria-describedby': err.needs ? `${prefix}-needs-error` : null },
                  h('legend', null, t('topic.needs')),
                  features.map((f, i) =>
                      checkbox(`${prefix}-need-${i}`, 'needs', f, d.needs.includes(f), { value: f, 'data-group': '' }),
                  ),
                  err.needs ? h('p', { class: 'field-error', id: `${prefix}-needs-error` }, err.needs) : null,
              )
            : null,
        field(
            t('topic.max_size'),
            h('input', { id: `${prefix}-max_size`, name: 'max_size', type: 'number', min: 1, max: 10000, inputmode: 'numeric', value: d.max_size }),
            err.max_size,
            t('topic.max_size_hint'),
        ),
        h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit', id: `${prefix}-submit`, class: 'primary', disabled: state.busy }, submitLabel),
            extraButtons || null,
        ),
    );
}

function renderHeader() {
    return h(
        'header',
        { class: 'page-header' },
        h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd')),
        langSwitch(() => render()),
        h('h1', { id: 'page-title' }, state.event ? state.event.name : t('app.loading')),
        state.event ? h('p', { class: 'phase' }, phaseText()) : null,
    );
}

function phaseText() {
    const e = state.event;
    const parts = [];
    parts.push(e.proposals_open ? t('phase.proposals_open') : t('phase.proposals_closed'));
    parts.push(e.voting_open ? t('phase.voting_open') : t('phase.voting_closed'));
    return parts.join(' · ');
}

function renderJoin() {
    const j = state.join;
    const err = j.errors;
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'join-title' },
        h('h2', { id: 'join-title' }, t('join.title')),
        h('p', null, t('join.intro')),
        h(
            'form',
            { onsubmit: onJoin, novalidate: true },
            formError(err._form),
            counted(
                t('join.name'),
                h('input', { id: 'join-name', name: 'name', value: j.name, autocomplete: 'name', required: true }),
                'person_name',
                err.name,
                t('join.name_hint'),
            ),
            state.event.join_code_required
                ? field(
                      t('join.code'),
                      h('input', { id: 'join-code', name: 'join_code', value: j.join_code || state.joinCode, autocomplete: 'off', autocapitalize: 'characters', required: true }),
                      err.join_code,
                  )
                : null,
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('join.submit'))),
        ),
        h('p', { class: 'hint' }, t('join.other_device')),
    );
}

function renderMe() {
    const link = personalLink();
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'me-title' },
        h('h2', { id: 'me-title', tabindex: '-1' }, t('me.hello', { name: state.me.name })),
        h('p', { id: 'personal-link-hint', class: 'hint' }, t('me.link_hint')),
        h(
            'div',
            { class: 'copy-row' },
            h('label', { for: 'personal-link' }, t('me.link')),
            h('input', { id: 'personal-link', type: 'text', readOnly: true, value: link, 'aria-describedby': 'personal-link-hint', class: 'mono' }),
            h('button', { type: 'button', onclick: onCopy }, state.copied ? t('me.copied') : t('me.copy')),
        ),
        renderPrefs(),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'quiet', onclick: onLeave }, t('me.leave'))),
    );
}

// One's own constraints: room features one needs (step-free access...) and
// slots one cannot attend; the allocation respects both.
function renderPrefs() {
    const me = state.me;
    const features = allFeatures(me.needs || []);
    const tz = state.event.timezone;
    const err = state.prefsErrors;
    if (!features.length && !state.slots.length) return null;
    return h(
        'details',
        {
            class: 'prefs',
            open: state.prefsOpen,
            ontoggle: (ev) => {
                state.prefsOpen = ev.currentTarget.open;
            },
        },
        h('summary', null, t('prefs.title')),
        h(
            'form',
            { onsubmit: onPrefs, novalidate: true, 'aria-label': t('prefs.title') },
            formError(err._form),
            features.length
                ? h(
                      'fieldset',
                      null,
                      h('legend', null, t('prefs.needs')),
                      features.map((f, i) => checkbox(`me-need-${i}`, 'needs', f, (me.needs || []).includes(f), { value: f, 'data-group': '' })),
                      err.needs ? h('p', { class: 'field-error' }, err.needs) : null,
                  )
                : null,
            state.slots.length
                ? h(
                      'fieldset',
                      null,
                      h('legend', null, t('prefs.unavailable')),
                      state.slots.map((sl) =>
                          checkbox(
                              `me-unav-${sl.id}`,
                              'unavailable',
                              [fmtRange(sl.starts_at, sl.ends_at, tz), sl.label].filter(Boolean).join(' · '),
                              (me.unavailable || []).includes(sl.id),
                              { value: sl.id, 'data-group': '' },
                          ),
                      ),
                      err.unavailable ? h('p', { class: 'field-error' }, err.unavailable) : null,
                  )
                : null,
            h('div', { class: 'actions' }, h('button', { type: 'submit', disabled: state.busy }, t('prefs.save'))),
        ),
    );
}

// The link to a session's notes (a break has none).
function notesLink(x) {
    if (x.kind === 'break') return null;
    return h('a', { class: 'notes', href: `/e/${seg(state.eid)}/notes/${seg(sessionId(x))}`, 'aria-label': t('session.notes_of', { title: sessionTitle(x) }) }, t('session.notes'));
}

function changeLabel(change) {
    if (change === 'moved') return t('agenda.change_moved');
    if (change === 'new') return t('agenda.change_new');
    if (change === 'cancelled') return t('agenda.change_cancelled');
    return t('agenda.change_removed');
}

// One item of the agenda, with its mark when it changed.
function agendaItem(s, tz) {
    const change = s.change;
    const gone = change === 'cancelled' || change === 'removed';
    return h(
        'li',
        { class: [isForEveryone(s) ? 'everyone' : null, change ? `changed ${change}` : null] },
        change ? h('span', { class: 'change' }, changeLabel(change)) : null,
        h('span', { class: 'when' }, fmtRange(s.starts_at, s.ends_at, tz) || s.slot_label || ''),
        h(gone ? 's' : 'strong', { class: 'what' }, sessionTitle(s)),
        s.room_name || s.room ? h('span', { class: 'where' }, t('agenda.room', { room: s.room_name || s.room })) : null,
        change === 'moved' && s.was ? h('span', { class: 'was' }, t('agenda.was', { when: fmtRange(s.was.starts_at, s.was.ends_at, tz), room: s.was.room_name || s.was.room || '' })) : null,
        isForEveryone(s) ? h('span', { class: 'tag' }, t('session.everyone')) : null,
        s.url && !gone ? h('a', { class: 'online', href: s.url, target: '_blank', rel: 'noopener noreferrer' }, t('session.online')) : null,
        gone ? null : notesLink(s),
    );
}

function renderAgenda() {
    const tz = state.event.timezone;
    const items = sortSlots(state.agenda);
    const changed = agendaChanges();
    const cal = state.me && state.me.calendar_url ? new URL(state.me.calendar_url, location.origin).href : null;
    // Before the first publication there is no programme: say so, and offer
    // no calendar link (the whole programme's .ics does not exist yet).
    if (!state.schedule)
        return h('section', { class: 'card', 'aria-labelledby': 'agenda-title' }, h('h2', { id: 'agenda-title' }, t('agenda.title')), h('p', null, t('agenda.not_published')));
    const webcal = cal ? cal.replace(/^https?:/, 'webcal:') : null;
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'agenda-title' },
        h('h2', { id: 'agenda-title' }, t('agenda.title')),
        changed.length
            ? h(
                  'div',
                  { class: 'agenda-changed', role: 'status' },
                  h('p', null, tn('agenda.changed', changed.length, { version: state.schedule ? state.schedule.version : '' })),
                  h('button', { type: 'button', id: 'agenda-seen', onclick: onSeen }, t('agenda.seen')),
              )
            : null,
        items.length ? h('ol', { class: 'agenda' }, items.map((s) => agendaItem(s, tz))) : h('p', null, t('agenda.empty')),
        h(
            'p',
            { class: 'links' },
            webcal ? h('a', { href: webcal, class: 'button' }, t('agenda.subscribe')) : null,
            ' ',
            cal ? h('a', { href: cal }, t('agenda.download_mine')) : null,
            ' ',
            h('a', { href: `/api/v1/events/${seg(state.eid)}/schedule.ics` }, t('agenda.download_all')),
            ' ',
            h('a', { href: `/e/${seg(state.eid)}/wall` }, t('agenda.wall')),
            ' ',
            h('a', { href: `/e/${seg(state.eid)}/proceedings` }, t('agenda.proceedings')),
        ),
        cal ? h('p', { class: 'hint' }, t('agenda.subscribe_hint')) : null,
    );
}

// The whole published programme, block by block of the day, slot by slot
// inside a block; a plenary or a break is one item for everyone. The wall
// is made for a screen across the room, this is the same for a phone.
function renderSchedule() {
    const sch = state.schedule;
    const tz = sch.timezone || state.event.timezone;
    const mine = new Set((state.agenda || []).map((a) => sessionId(a)));
    const idx = indexSchedule(sch);
    const sessions = sch.sessions || [];
    const item = (x) =>
        h(
            'li',
            { class: [themeClass(x.theme), isForEveryone(x) ? 'everyone' : ''] },
            h('strong', null, sessionTitle(x)),
            x.room ? h('span', { class: 'where' }, t('agenda.room', { room: (idx.roomById.get(x.room) || { name: x.room }).name })) : null,
            isForEveryone(x) ? h('span', { class: 'tag' }, t('session.everyone')) : null,
            x.url ? h('a', { class: 'online', href: x.url, target: '_blank', rel: 'noopener noreferrer' }, t('session.online')) : null,
            !isForEveryone(x) && mine.has(sessionId(x)) ? h('span', { class: 'yours' }, t('schedule.yours')) : null,
            notesLink(x),
        );
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'schedule-title' },
        h(
            'details',
            {
                open: state.scheduleOpen,
                ontoggle: (ev) => {
                    state.scheduleOpen = ev.currentTarget.open;
                },
            },
            h('summary', null, h('h2', { id: 'schedule-title' }, tn('schedule.title', sessions.length))),
            dayBlocks(sch).map((b) => {
                const from = b.slots[0].starts_at;
                const to = b.slots[b.slots.length - 1].ends_at;
                const heading = [b.name || t('day.no_block'), b.name ? kindLabel(b.kind) : '', fmtRange(from, to, tz)].filter(Boolean).join(' · ');
                if (b.kind === 'plenary' || b.kind === 'break') {
                    const x = sessions.find((y) => y.block === b.id && isForEveryone(y));
                    return h('div', { class: 'schedule-block' }, h('h3', null, heading), x ? h('ul', null, item(x)) : null);
                }
                return h(
                    'div',
                    { class: 'schedule-block' },
                    h('h3', null, heading),
                    b.slots.map((sl) => {
                        const here = (idx.bySlot.get(sl.id) || []).filter((x) => !isForEveryone(x));
                        if (!here.length) return null;
                        return h('div', { class: 'schedule-slot' }, h('h4', null, [fmtRange(sl.starts_at, sl.ends_at, tz), sl.label].filter(Boolean).join(' · ')), h('ul', null, here.map(item)));
                    }),
                );
            }),
        ),
    );
}

function renderPropose() {
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'propose-title' },
        h(
            'details',
            {
                open: state.proposeOpen,
                ontoggle: (ev) => {
                    state.proposeOpen = ev.currentTarget.open;
                },
            },
            h('summary', null, h('h2', { id: 'propose-title' }, t('topic.propose'))),
            topicForm('new', state.propose, onPropose, t('topic.submit')),
        ),
    );
}

function renderVote(topic) {
    const max = Math.max(1, Number(state.event.max_weight) || 3);
    const mine = topic.id in state.pendingVotes ? state.pendingVotes[topic.id] : topic.id in state.votesWanted ? state.votesWanted[topic.id] : state.votes[topic.id] || 0;
    const closed = !state.event.voting_open;
    const name = `vote-${topic.id}`;
    const choices = [0];
    for (let w = 1; w <= max; w++) choices.push(w);
    return h(
        'fieldset',
        { class: 'vote', disabled: closed },
        h('legend', null, t('vote.legend')),
        h(
            'div',
            { class: 'vote-choices' },
            choices.map((w) => {
                const id = `${name}-${w}`;
                return h(
                    'label',
                    { class: ['vote-choice', `w${Math.min(w, 3)}`], for: id },
                    h('input', {
                        type: 'radio',
                        id,
                        name,
                        value: String(w),
                        checked: mine === w,
                        onchange: () => onVote(topic, w),
                    }),
                    h('span', null, voteWord(w)),
                );
            }),
        ),
    );
}

function renderTopic(topic) {
    if (state.editing === topic.id) {
        return h(
            'article',
            { class: 'topic card editing', 'aria-labelledby': `topic-${topic.id}-title` },
            h('h3', { id: `topic-${topic.id}-title` }, t('topic.editing', { title: topic.title })),
            topicForm(`edit-${topic.id}`, state.edit, onSaveEdit, t('topic.save'), h('button', { type: 'button', onclick: onCancelEdit }, t('topic.cancel'))),
        );
    }
    const hosts = (topic.hosts || []).map((x) => x.name).join(', ');
    const err = state.topicErrors[topic.id];
    return h(
        'article',
        { class: ['topic', 'card', themeClass(topic.theme)], 'aria-labelledby': `topic-${topic.id}-title` },
        h('h3', { id: `topic-${topic.id}-title` }, topic.title),
        topic.theme ? h('p', { class: 'theme-chip' }, topic.theme) : null,
        topic.block && blockById(topic.block) ? h('p', { class: 'block-chip' }, blockById(topic.block).name) : null,
        topic.description ? h('p', { class: 'description' }, topic.description) : null,
        h(
            'p',
            { class: 'meta' },
            hosts ? t('topic.by', { hosts }) : null,
            topic.max_size ? h('span', null, ' · ', t('topic.size', { n: topic.max_size })) : null,
            topic.needs && topic.needs.length ? h('span', null, ' · ', t('topic.needs_list', { needs: topic.needs.join(', ') })) : null,
            topic.votes ? h('span', null, ' · ', tn('topic.votes', topic.votes.count)) : null,
        ),
        topic.mine
            ? h(
                  'div',
                  { class: 'actions' },
                  h('p', { class: 'hint' }, t('topic.yours')),
                  h('button', { type: 'button', id: `topic-${topic.id}-edit`, onclick: () => onEdit(topic), 'aria-label': t('topic.edit_named', { title: topic.title }) }, t('topic.edit')),
                  h('button', { type: 'button', class: 'danger', onclick: () => onDelete(topic), 'aria-label': t('topic.delete_named', { title: topic.title }) }, t('topic.delete')),
              )
            : state.token
              ? renderVote(topic)
              : null,
        err ? h('p', { class: 'field-error', role: 'alert' }, err) : null,
        topic.id in state.pendingVotes && !topic.mine
            ? h(
                  'div',
                  { class: 'actions' },
                  h(
                      'button',
                      { type: 'button', id: `topic-${topic.id}-resend`, onclick: () => onVote(topic, state.pendingVotes[topic.id]) },
                      t('vote.resend'),
                  ),
              )
            : null,
    );
}

// With twenty topics on a phone, showing one theme at a time helps.
function renderThemeFilter() {
    const themes = allThemes();
    if (themes.length < 2) return null;
    const seen = new Set();
    const options = [];
    for (const th of themes) {
        const key = th.trim().toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        const n = state.topics.filter((x) => (x.theme || '').trim().toLowerCase() === key).length;
        options.push(h('option', { value: key, selected: state.themeFilter === key }, `${th} (${n})`));
    }
    return h(
        'div',
        { class: 'field theme-filter' },
        h('label', { for: 'theme-filter' }, t('topics.filter')),
        h(
            'select',
            {
                id: 'theme-filter',
                onchange: (ev) => {
                    state.themeFilter = ev.currentTarget.value;
                    render();
                },
                'aria-controls': 'topic-list',
            },
            h('option', { value: '', selected: !state.themeFilter }, t('topics.filter_all')),
            options,
        ),
    );
}

function renderTopics() {
    const e = state.event;
    const budget = Number(e.vote_budget) || 0;
    const used = budgetUsed();
    return h(
        'section',
        { 'aria-labelledby': 'topics-title', class: 'topics' },
        h('h2', { id: 'topics-title' }, tn('topics.title', state.topics.length)),
        state.token && !e.voting_open ? h('p', { class: 'notice' }, t('vote.closed')) : null,
        state.token && e.voting_open ? h('p', { class: 'hint' }, t('vote.help')) : null,
        state.token && budget > 0
            ? h(
                  'p',
                  { class: ['budget', used >= budget ? 'spent' : ''], 'aria-live': 'polite', id: 'budget' },
                  t('vote.budget', { left: Math.max(0, budget - used), total: budget }),
              )
            : null,
        renderThemeFilter(),
        state.topics.length
            ? h(
                  'div',
                  { class: 'topic-list', id: 'topic-list', 'aria-live': 'off' },
                  state.topics.filter((x) => !state.themeFilter || (x.theme || '').trim().toLowerCase() === state.themeFilter).map(renderTopic),
              )
            : h('p', null, t('topics.none')),
    );
}

function render() {
    const main = document.getElementById('main');
    setThemes(state.topics.map((x) => x.theme));

    const parts = [renderHeader()];
    if (state.event) parts.push(offlineMark(state.event.timezone));
    if (state.fatal) {
        parts.push(h('p', { class: 'form-error', role: 'alert' }, state.fatal), h('div', { class: 'actions' }, h('button', { type: 'button', onclick: retry }, t('app.retry'))));
    } else if (state.loading) {
        parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    } else {
        if (state.token && state.me) {
            parts.push(renderMe());
            if (state.agenda) parts.push(renderAgenda());
            if (state.schedule) parts.push(renderSchedule());
            // Proposals go into a block once the day has blocks: none open, no form.
            if (state.event.proposals_open && (!state.blocks.length || openBlocks().length)) parts.push(renderPropose());
        } else {
            parts.push(renderJoin());
            if (state.schedule) parts.push(renderSchedule());
        }
        parts.push(renderTopics());
        parts.push(h('datalist', { id: 'themes' }, allThemes().map((x) => h('option', { value: x }))));
    }
    mount(main, parts);
    document.title = state.event ? `${state.event.name} · forumd` : 'forumd';
}

// ---- start ------------------------------------------------------------------

async function retry() {
    state.fatal = null;
    state.loading = true;
    render();
    try {
        await loadAll();
    } catch (err) {
        loadFailed(err);
    }
    render();
}

// Offline with the event at hand (kept by the service worker), the page
// shows what it has and the offline mark; otherwise it says what failed.
function loadFailed(err) {
    if (!(err.code === 'network' && state.event)) state.fatal = errorText(err);
    state.loading = false;
}

// all: read everything again, the event, rooms and slots too (back
// online: nothing on the page stays from the service worker's copies).
async function refresh(all) {
    const a = document.activeElement;
    const typing = a && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) && a.type !== 'radio';
    if (document.hidden || state.busy || state.editing || typing || !state.event) return;
    try {
        if (all === true) await loadAll();
        else await Promise.all([loadTopics(), loadMine(), loadSchedule()]);
        if (all !== true) await loadChanges();
        noteSeen();
        render();
    } catch {
        /* keep what is shown; the next round retries */
    }
}

async function start() {
    const frag = takeFragment();
    if (frag.token) tokens.set('p', state.eid, frag.token);
    if (frag.code) state.joinCode = frag.code;
    state.token = tokens.get('p', state.eid);
    await Promise.all([loadLang(pickLang(null)), loadLimits()]);
    render();
    try {
        await loadAll();
    } catch (err) {
        loadFailed(err);
    }
    // The event's own language wins over nothing, never over the visitor's.
    if (state.event && state.event.locale) {
        const l = pickLang(state.event.locale);
        if (l !== document.documentElement.lang) await loadLang(l);
    }
    render();
    setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    // Offline, the mark shows; back online, the page refreshes by itself.
    onNetworkChange(() => render());
    whenOnline(() => (state.fatal ? retry() : refresh(true)));
}

start();
