// SPDX-License-Identifier: MIT
// The allocation: run it, read a draft (score, left-out topics, grid, changes against the published version), publish it.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t, has, fmtTime, fmtDay } from '../i18n.js';
import { errorText, formErrors, field, formError, themeClass, announce, sessionTitle } from '../common.js';
import { diffSchedules, indexSchedule, cellKey } from '../schedule.js';
import { range } from '../limits.js';
import { panel, isOpen, setOpen } from './panel.js';
import { state, api, ev, tz, slotName, roomById, topicById, topicTitle, blockOfSlot, loadAllocations, loadPublished, loadPlan, planEtag, conflictOf, setErrors, errorsOf, act, rerender } from './state.js';

// Runs the allocation (body: {time_limit_ms?}) and shows the draft.
async function allocate(body) {
    state.allocating = true;
    setErrors('alloc', {});
    rerender();
    try {
        state.draft = await api().post(ev('/allocation'), body);
        await Promise.all([loadAllocations(), loadPlan()]);
        const s = state.draft.solution.score || {};
        announce(t('fac.alloc_done', { satisfied: s.satisfied, demand: s.demand }));
    } catch (err) {
        setErrors('alloc', formErrors(err, ['time_limit_ms']));
        announce(errorText(err));
    }
    state.allocating = false;
    rerender();
    const heading = document.getElementById('draft-title');
    if (heading) heading.focus();
}

// The allocation after the marketplace or a change of the day: ms to solve.
// The allocation's section opens, so that the draft shows at once.
export async function allocateNow(ms) {
    if (!isOpen('allocation')) setOpen('allocation', true);
    await allocate({ time_limit_ms: ms });
}

async function onAllocate(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.timeLimit = v.time_limit_ms;
    const ms = Number(v.time_limit_ms);
    const body = {};
    const r = range('time_limit_ms');
    if (v.time_limit_ms !== '' && (!Number.isInteger(ms) || (r && (ms < r[0] || ms > r[1])))) {
        setErrors('alloc', { time_limit_ms: r ? t('error.out_of_range_between', { min: r[0], max: r[1] }) : t('fac.positive') });
        return rerender();
    }
    if (v.time_limit_ms !== '') body.time_limit_ms = ms;
    await allocate(body);
}

async function onShowDraft(id) {
    await act(
        'alloc',
        async () => {
            state.draft = await api().get(ev(`/allocations/${seg(id)}`));
        },
        null,
        null,
    );
    const heading = document.getElementById('draft-title');
    if (heading) heading.focus();
}

async function onDeleteDraft(id) {
    await act(
        'alloc',
        async () => {
            await api().del(ev(`/allocations/${seg(id)}`));
            if (state.draft && state.draft.id === id) state.draft = null;
        },
        loadAllocations,
        t('fac.deleted'),
    );
}

async function onPublish() {
    if (!state.draft) return;
    if (!confirm(t('fac.publish_confirm'))) return;
    state.conflict = null;
    await act(
        'publish',
        async () => {
            try {
                // On the plan as this page read it: another facilitator's
                // change or publication since gets 412 or 409, with what changed.
                await api().raw('POST', ev('/schedule/publish'), { body: { allocation: state.draft.id }, ifMatch: planEtag() });
            } catch (err) {
                state.conflict = conflictOf(err);
                throw err;
            }
        },
        async () => Promise.all([loadPublished(), loadAllocations(), loadPlan()]),
        null,
    );
    if (state.published && !errorsOf('publish')._form) {
        announce(t('fac.published', { version: state.published.version }));
        rerender();
    }
}

function cellText(s) {
    return t('fac.cell', { room: (roomById(s.room) || { name: s.room }).name, slot: slotName(s.slot) });
}

// Who a change concerns: the first names, and how many more.
function affectedText(list) {
    const names = list.slice(0, 8).map((p) => p.name);
    const more = list.length - names.length;
    return more > 0 ? t('fac.affected_more', { names: names.join(', '), n: more }) : names.join(', ');
}

// The draft against the published version, as the server compares them:
// each moved or dropped session with who is affected; the new ones.
function renderServerChanges(ch) {
    const place = (p) => (p ? t('fac.cell', { room: p.room_name || p.room, slot: p.slot_label || slotName(p.slot) }) : '');
    const title = t('fac.diff_title', { version: ch.version });
    if (!ch.sessions.length) return h('div', { class: 'draft-changes' }, h('h4', null, title), h('p', null, t('fac.diff_same')));
    return h(
        'div',
        { class: 'draft-changes' },
        h('h4', null, title),
        h('p', null, t('fac.diff_summary', { moved: ch.moved, dropped: ch.dropped, added: ch.new, people: ch.people })),
        h(
            'ul',
            { class: 'changes' },
            ch.sessions.map((c) => {
                const name = sessionTitle({ title: c.title, group: c.group, groups: c.group > 1 ? 2 : 1 });
                if (c.change === 'new') return h('li', { class: 'added' }, t('fac.diff_added', { title: name, to: place(c.to) }));
                const who = (c.affected || []).length ? h('span', { class: 'affected' }, t('fac.affected', { who: affectedText(c.affected) })) : null;
                if (c.change === 'dropped') return h('li', { class: 'removed' }, t('fac.diff_removed', { title: name, from: place(c.from) }), ' ', who);
                return h('li', { class: 'moved' }, t('fac.diff_moved', { title: name, from: place(c.from), to: place(c.to) }), ' ', who);
            }),
        ),
    );
}

function renderChanges(sol) {
    if (!state.published) return h('p', null, t('fac.diff_none_published'));
    if (state.draft && state.draft.changes) return renderServerChanges(state.draft.changes);
    const changes = diffSchedules(sol.sessions, state.published.sessions);
    const title = t('fac.diff_title', { version: state.published.version });
    if (!changes.length) return h('div', null, h('h4', null, title), h('p', null, t('fac.diff_same')));
    return h(
        'div',
        null,
        h('h4', null, title),
        h(
            'ul',
            { class: 'changes' },
            changes.map((c) => {
                const groups = Math.max(...[sol.sessions, state.published.sessions].map((l) => (l || []).filter((x) => x.topic === c.topic).length));
                const name = sessionTitle({ title: topicTitle(c.topic), group: c.group, groups });
                if (c.kind === 'added') return h('li', { class: 'added' }, t('fac.diff_added', { title: name, to: cellText(c.to) }));
                if (c.kind === 'removed') return h('li', { class: 'removed' }, t('fac.diff_removed', { title: name, from: cellText(c.from) }));
                return h('li', { class: 'moved' }, t('fac.diff_moved', { title: name, from: cellText(c.from), to: cellText(c.to) }));
            }),
        ),
    );
}

// A draft session's title: a group says which one when its topic has several.
function draftTitle(sol, s) {
    const groups = (sol.sessions || []).filter((x) => x.topic === s.topic).length;
    return sessionTitle({ title: topicTitle(s.topic), group: Number(s.group) || 1, groups });
}

// The cell of a plenary or a break: its title in its room, for everyone.
function everyoneCell(b, r) {
    if (b.room !== r.id) return h('td', { class: 'off' }, '');
    return h('td', { class: 'everyone' }, h('strong', null, t('fac.everyone_cell', { title: b.title || b.name })));
}

function renderGrid(sol) {
    const idx = indexSchedule(sol, state.slots, state.rooms);
    const everyone = (sl) => {
        const b = blockOfSlot(sl.id);
        return b && (b.kind === 'plenary' || b.kind === 'break') ? b : null;
    };
    return h(
        'div',
        { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'grid-caption' },
        h(
            'table',
            { class: 'grid' },
            h('caption', { id: 'grid-caption' }, t('fac.grid_caption')),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('fac.room')), state.slots.map((s) => h('th', { scope: 'col' }, slotName(s.id))))),
            h(
                'tbody',
                null,
                state.rooms.map((r) =>
                    h(
                        'tr',
                        null,
                        h('th', { scope: 'row' }, r.name, h('span', { class: 'cap' }, t('fac.capacity_n', { n: r.capacity }))),
                        state.slots.map((sl) => {
                            const s = idx.cells.get(cellKey(r.id, sl.id));
                            if (!s && everyone(sl)) return everyoneCell(everyone(sl), r);
                            if (!s) return h('td', { class: (r.unavailable || []).includes(sl.id) ? 'off' : 'empty' }, (r.unavailable || []).includes(sl.id) ? t('fac.unavailable') : '');
                            const n = (s.attendees || []).length;
                            const x = topicById(s.topic);
                            return h(
                                'td',
                                { class: themeClass(x ? x.theme : '') },
                                h('strong', null, draftTitle(sol, s)),
                                h(
                                    'span',
                                    { class: 'attendance' },
                                    h('meter', { min: 0, max: r.capacity, value: n, 'aria-label': t('fac.attendance_label', { title: topicTitle(s.topic) }) }),
                                    ' ',
                                    t('fac.attendance', { n, capacity: r.capacity }),
                                ),
                            );
                        }),
                    ),
                ),
            ),
        ),
    );
}

// Why a topic was left out: the allocator's reason code in the page's
// language when we know it, else its English sentence.
function whyText(sol, tid) {
    const code = (sol.why_code || {})[tid];
    if (code && has(`why.${code}`)) return t(`why.${code}`);
    return (sol.why || {})[tid] || '';
}

function renderDraft() {
    const sol = state.draft.solution || {};
    const s = sol.score || {};
    const ratio = s.bound ? Math.round((100 * s.satisfied) / s.bound) : null;
    const publishErr = errorsOf('publish')._form;
    return h(
        'div',
        { class: 'draft' },
        h('h3', { id: 'draft-title', tabindex: '-1' }, t('fac.draft_title', { id: state.draft.id })),
        h(
            'dl',
            { class: 'score' },
            h('dt', null, t('fac.score_satisfied')),
            h('dd', null, t('fac.score_satisfied_value', { satisfied: s.satisfied, demand: s.demand })),
            s.bound !== undefined && s.bound !== null ? h('dt', null, t('fac.score_bound')) : null,
            s.bound !== undefined && s.bound !== null ? h('dd', null, t('fac.score_bound_value', { bound: s.bound, ratio: ratio === null ? '—' : ratio })) : null,
            h('dt', null, t('fac.score_scheduled')),
            h('dd', null, t('fac.score_scheduled_value', { scheduled: s.scheduled, total: state.topics.length })),
            state.published && s.moved !== undefined ? h('dt', null, t('fac.score_moved')) : null,
            state.published && s.moved !== undefined ? h('dd', null, t('fac.score_moved_value', { moved: s.moved })) : null,
        ),
        (sol.unscheduled || []).length
            ? h(
                  'div',
                  null,
                  h('h4', null, t('fac.unplaced')),
                  h(
                      'ul',
                      { class: 'unplaced' },
                      sol.unscheduled.map((tid) => h('li', null, h('strong', null, topicTitle(tid)), whyText(sol, tid) ? ` — ${whyText(sol, tid)}` : '')),
                  ),
              )
            : h('p', null, t('fac.all_placed')),
        renderGrid(sol),
        renderChanges(sol),
        formError(publishErr),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'publish', class: 'primary', onclick: onPublish, disabled: state.busy }, t('fac.publish'))),
    );
}

export function renderAllocation() {
    const z = tz();
    const summary = state.published ? t('fac.published_info', { version: state.published.version, at: `${fmtDay(state.published.published_at, z)} ${fmtTime(state.published.published_at, z)}` }) : t('fac.not_published');
    return panel('allocation', t('fac.allocation'), summary, allocationBody, { 'aria-busy': state.allocating ? 'true' : 'false' });
}

function allocationBody() {
    const err = errorsOf('alloc');
    const z = tz();
    const limit = range('time_limit_ms') || [100, 30000];
    return [
        h(
            'form',
            { class: 'inline-form', novalidate: true, onsubmit: onAllocate, 'aria-label': t('fac.allocation') },
            field(t('fac.time_limit'), h('input', { id: 'alloc-time', name: 'time_limit_ms', type: 'number', min: limit[0], max: limit[1], step: 100, value: state.timeLimit }), err.time_limit_ms, t('fac.time_limit_hint', { max: limit[1] })),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'alloc-run', class: 'primary', disabled: state.allocating || state.busy }, state.allocating ? t('fac.allocating') : t('fac.allocate'))),
        ),
        formError(err._form),
        state.allocations.length
            ? h(
                  'div',
                  null,
                  h('h3', null, t('fac.drafts')),
                  h(
                      'ul',
                      { class: 'drafts' },
                      state.allocations.map((a) =>
                          h(
                              'li',
                              null,
                              h(
                                  'span',
                                  null,
                                  t('fac.draft_line', { id: a.id, at: a.created_at ? fmtTime(a.created_at, z) : '', satisfied: a.satisfied, bound: a.bound === undefined || a.bound === null ? '—' : a.bound, scheduled: a.scheduled }),
                                  a.published ? ` · ${t('fac.draft_published')}` : '',
                              ),
                              h('button', { type: 'button', onclick: () => onShowDraft(a.id), 'aria-label': t('fac.show_named', { id: a.id }) }, t('fac.show')),
                              a.published ? null : h('button', { type: 'button', class: 'danger quiet', onclick: () => onDeleteDraft(a.id), 'aria-label': t('fac.delete_named', { what: a.id }) }, t('fac.delete')),
                          ),
                      ),
                  ),
              )
            : null,
        state.draft ? renderDraft() : null,
    ];
}
