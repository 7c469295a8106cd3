// SPDX-License-Identifier: MIT
// The topics with their votes and clash hints; locks, edits, deletion, additions.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t, tn } from '../i18n.js';
import { field, counted, formError, themeClass } from '../common.js';
import { panel } from './panel.js';
import { state, api, ev, slotName, roomById, blockById, topicTitle, loadTopics, loadClashes, setErrors, errorsOf, act, rerender } from './state.js';

async function onLock(e, topic) {
    e.preventDefault();
    const v = formValues(e.target);
    const key = `topic-${topic.id}`;
    if (!v.room || !v.slot) {
        setErrors(key, { fixed: t('fac.lock_pick') });
        return rerender();
    }
    await act(key, () => api().patch(ev(`/topics/${seg(topic.id)}`), { fixed: { room: v.room, slot: v.slot } }), loadTopics, t('fac.locked', { title: topic.title }), ['fixed']);
}

async function onUnlock(topic) {
    await act(`topic-${topic.id}`, () => api().patch(ev(`/topics/${seg(topic.id)}`), { fixed: null }), loadTopics, t('fac.unlocked', { title: topic.title }), ['fixed']);
}

async function onDeleteTopic(topic) {
    if (!confirm(t('topic.delete_confirm', { title: topic.title }))) return;
    await act(`topic-${topic.id}`, () => api().del(ev(`/topics/${seg(topic.id)}`)), async () => Promise.all([loadTopics(), loadClashes()]), t('topic.deleted'));
}

async function onAddTopic(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.newTopic = v;
    if (!v.title.trim()) {
        setErrors('topic-new', { title: t('topic.title_required') });
        return rerender();
    }
    const body = { title: v.title.trim() };
    if (v.theme.trim()) body.theme = v.theme.trim();
    if (v.block) body.block = v.block;
    await act(
        'topic-new',
        async () => {
            await api().post(ev('/topics'), body);
            state.newTopic = { title: '', theme: '', block: v.block || '' };
        },
        loadTopics,
        t('topic.proposed', { title: body.title }),
        ['title', 'theme', 'block'],
    );
}

// The block a topic belongs to: the allocated blocks of the day, or none.
function blockSelect(id, current, error) {
    const blocks = state.blocks.filter((b) => b.kind !== 'plenary' && b.kind !== 'break');
    if (!blocks.length && !current) return null;
    return field(
        t('topic.block'),
        h(
            'select',
            { id, name: 'block' },
            h('option', { value: '', selected: !current }, t('fac.block_none')),
            blocks.map((b) => h('option', { value: b.id, selected: current === b.id }, b.name)),
        ),
        error,
    );
}

function clashesOf(tid) {
    const out = [];
    for (const c of state.clashes) {
        if (c.a === tid) out.push({ other: c.b, shared: c.shared });
        else if (c.b === tid) out.push({ other: c.a, shared: c.shared });
    }
    return out.slice(0, 3);
}

function renderTopicRow(topic) {
    const key = `topic-${topic.id}`;
    const err = errorsOf(key);
    const v = topic.votes || { count: 0, weight: 0 };
    const clashes = clashesOf(topic.id);
    const fixed = topic.fixed;
    return h(
        'li',
        { class: ['fac-topic', themeClass(topic.theme)] },
        h(
            'article',
            { 'aria-labelledby': `${key}-title` },
            h('h3', { id: `${key}-title` }, topic.title),
            h(
                'p',
                { class: 'meta' },
                topic.theme ? h('span', { class: 'theme-chip' }, topic.theme) : null,
                ' ',
                tn('fac.votes', v.count, { weight: v.weight }),
                (topic.hosts || []).length ? ` · ${t('topic.by', { hosts: topic.hosts.map((x) => x.name).join(', ') })}` : '',
                topic.max_size ? ` · ${t('topic.size', { n: topic.max_size })}` : '',
                topic.block && blockById(topic.block) ? ` · ${blockById(topic.block).name}` : '',
                topic.groups ? ` · ${t('fac.groups_value', { max: topic.groups.max, min: topic.groups.size_min, size: topic.groups.size_max })}` : '',
                topic.needs && topic.needs.length ? ` · ${t('topic.needs_list', { needs: topic.needs.join(', ') })}` : '',
            ),
            clashes.length
                ? h(
                      'p',
                      { class: 'clash-hint' },
                      t('fac.clash_hint', {
                          list: clashes.map((c) => t('fac.clash_item', { title: topicTitle(c.other), n: c.shared })).join(', '),
                      }),
                  )
                : null,
            fixed
                ? h(
                      'div',
                      { class: 'actions' },
                      h('p', { class: 'locked' }, t('fac.locked_at', { room: (roomById(fixed.room) || { name: fixed.room }).name, slot: slotName(fixed.slot) })),
                      h('button', { type: 'button', id: `${key}-unlock`, onclick: () => onUnlock(topic), 'aria-label': t('fac.unlock_named', { title: topic.title }) }, t('fac.unlock')),
                  )
                : h(
                      'form',
                      { class: 'lock-form', novalidate: true, onsubmit: (e) => onLock(e, topic), 'aria-label': t('fac.lock_named', { title: topic.title }) },
                      field(
                          t('fac.lock_room'),
                          h('select', { id: `${key}-room`, name: 'room' }, h('option', { value: '' }, '—'), state.rooms.map((r) => h('option', { value: r.id }, r.name))),
                      ),
                      field(
                          t('fac.lock_slot'),
                          h('select', { id: `${key}-slot`, name: 'slot' }, h('option', { value: '' }, '—'), state.slots.map((s) => h('option', { value: s.id }, slotName(s.id)))),
                      ),
                      h('button', { type: 'submit', id: `${key}-lock`, disabled: state.busy, 'aria-label': t('fac.lock_named', { title: topic.title }) }, t('fac.lock')),
                  ),
            err.fixed || err._form ? h('p', { class: 'field-error', role: 'alert' }, err.fixed || err._form) : null,
            state.editing === topic.id
                ? renderTopicEdit(topic)
                : h(
                      'div',
                      { class: 'actions' },
                      h(
                          'button',
                          {
                              type: 'button',
                              id: `${key}-edit`,
                              onclick: () => {
                                  state.editing = topic.id;
                                  setErrors(`${key}-edit`, {});
                                  rerender();
                                  const el = document.getElementById(`${key}-edit-title`);
                                  if (el) el.focus();
                              },
                              'aria-label': t('topic.edit_named', { title: topic.title }),
                          },
                          t('topic.edit'),
                      ),
                      h('button', { type: 'button', class: 'danger quiet', onclick: () => onDeleteTopic(topic), 'aria-label': t('topic.delete_named', { title: topic.title }) }, t('topic.delete')),
                  ),
        ),
    );
}

// The facilitator fixes a title, merges two topics into one text, or sets
// a group size: the same fields as the host's, on any topic.
function renderTopicEdit(topic) {
    const key = `topic-${topic.id}-edit`;
    const err = errorsOf(key);
    const done = () => {
        state.editing = null;
        rerender();
        const el = document.getElementById(`topic-${topic.id}-edit`);
        if (el) el.focus();
    };
    return h(
        'form',
        {
            class: 'row-form',
            novalidate: true,
            'aria-label': t('topic.edit_named', { title: topic.title }),
            onsubmit: async (e) => {
                e.preventDefault();
                const v = formValues(e.target);
                const size = v.max_size.trim();
                if (!v.title.trim()) {
                    setErrors(key, { title: t('topic.title_required') });
                    return rerender();
                }
                if (size !== '' && !/^\d+$/.test(size)) {
                    setErrors(key, { max_size: t('topic.size_invalid') });
                    return rerender();
                }
                const groups = [v.groups_max, v.group_size_min, v.group_size_max].map((x) => String(x || '').trim());
                if (groups.some((x) => x !== '') && groups.some((x) => x === '')) {
                    setErrors(key, { groups: t('fac.groups_incomplete') });
                    return rerender();
                }
                const body = {
                    title: v.title.trim(),
                    theme: v.theme.trim(),
                    description: v.description.trim(),
                    max_size: size === '' ? null : Number(size),
                    block: v.block || null,
                    groups: groups[0] === '' ? null : { max: Number(groups[0]), size_min: Number(groups[1]), size_max: Number(groups[2]) },
                    hosts: v.hosts || [],
                };
                await act(
                    key,
                    async () => {
                        await api().patch(ev(`/topics/${seg(topic.id)}`), body);
                        state.editing = null;
                    },
                    loadTopics,
                    t('topic.saved'),
                    ['title', 'theme', 'description', 'max_size', 'block', 'groups', 'hosts'],
                );
            },
        },
        formError(err._form),
        counted(t('topic.title'), h('input', { id: `${key}-title`, name: 'title', value: topic.title }), 'title', err.title),
        counted(t('topic.theme'), h('input', { id: `${key}-theme`, name: 'theme', value: topic.theme || '' }), 'theme', err.theme),
        field(t('topic.max_size'), h('input', { id: `${key}-size`, name: 'max_size', type: 'number', min: 1, value: topic.max_size || '' }), err.max_size),
        blockSelect(`${key}-block`, topic.block, err.block),
        h(
            'fieldset',
            { class: 'groups wide', 'aria-describedby': err.groups ? `${key}-groups-error` : `${key}-groups-hint` },
            h('legend', null, t('fac.groups')),
            h('p', { class: 'hint', id: `${key}-groups-hint` }, t('fac.groups_hint')),
            field(t('fac.groups_max'), h('input', { id: `${key}-groups-max`, name: 'groups_max', type: 'number', min: 1, max: 100, value: topic.groups ? topic.groups.max : '' })),
            field(t('fac.groups_size_min'), h('input', { id: `${key}-groups-min`, name: 'group_size_min', type: 'number', min: 1, value: topic.groups ? topic.groups.size_min : '' })),
            field(t('fac.groups_size_max'), h('input', { id: `${key}-groups-size`, name: 'group_size_max', type: 'number', min: 1, value: topic.groups ? topic.groups.size_max : '' })),
            err.groups ? h('p', { class: 'field-error', id: `${key}-groups-error` }, err.groups) : null,
        ),
        field(
            t('fac.hosts'),
            h(
                'select',
                { id: `${key}-hosts`, name: 'hosts', multiple: true, size: Math.min(6, Math.max(2, state.participants.length)) },
                state.participants.map((p) => h('option', { value: p.id, selected: (topic.hosts || []).some((x) => x.id === p.id) }, p.name)),
            ),
            err.hosts,
            t('fac.hosts_hint'),
        ),
        h('div', { class: 'wide' }, counted(t('topic.description'), h('textarea', { id: `${key}-description`, name: 'description', rows: 3 }, topic.description || ''), 'description', err.description)),
        h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('topic.save')),
            h('button', { type: 'button', onclick: done }, t('topic.cancel')),
        ),
    );
}

function summary() {
    const votes = state.topics.reduce((a, x) => a + ((x.votes || {}).count || 0), 0);
    const locked = state.topics.filter((x) => x.fixed).length;
    return [tn('topics.title', state.topics.length), tn('fac.votes_count', votes), locked ? tn('fac.locked_count', locked) : null].filter(Boolean).join(' · ');
}

export function renderTopics() {
    return panel('topics', t('fac.topics'), summary(), topicsBody);
}

function topicsBody() {
    const sorted = state.topics.slice().sort((a, b) => ((b.votes || {}).weight || 0) - ((a.votes || {}).weight || 0));
    const err = errorsOf('topic-new');
    return [
        state.clashes.length ? h('p', { class: 'hint' }, t('fac.clash_explain')) : null,
        sorted.length ? h('ul', { class: 'rows' }, sorted.map(renderTopicRow)) : h('p', null, t('topics.none')),
        h(
            'form',
            { class: 'row-form add', 'aria-labelledby': 'topic-new-title', novalidate: true, onsubmit: onAddTopic },
            h('h3', { id: 'topic-new-title' }, t('fac.topic_add')),
            formError(err._form),
            counted(t('topic.title'), h('input', { id: 'topic-new-title-input', name: 'title', value: state.newTopic.title }), 'title', err.title),
            counted(t('topic.theme'), h('input', { id: 'topic-new-theme', name: 'theme', value: state.newTopic.theme }), 'theme', err.theme),
            blockSelect('topic-new-block', state.newTopic.block, err.block),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'topic-new-add', disabled: state.busy }, t('fac.topic_add_button'))),
        ),
    ];
}
