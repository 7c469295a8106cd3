// SPDX-License-Identifier: MIT
// Who joined: names, needs, votes and topics hosted; removing a
// registration (a troll, a duplicate), with what goes with it
// (docs/decisions/0013).

import { seg } from '../api.js';
import { h } from '../dom.js';
import { t, tn } from '../i18n.js';
import { formError, announce } from '../common.js';
import { state, api, ev, loadParticipants, loadTopics, loadClashes, errorsOf, act } from './state.js';
import { panel } from './panel.js';

async function onRemove(p) {
    if (!confirm(t('fac.person_remove_confirm', { name: p.name, votes: p.votes || 0, topics: p.hosts || 0 }))) return;
    let res = null;
    await act(
        `person-${p.id}`,
        async () => {
            res = await api().del(ev(`/participants/${seg(p.id)}`));
        },
        async () => Promise.all([loadParticipants(), loadTopics(), loadClashes()]),
        null,
    );
    if (res)
        announce(t('fac.person_removed', { name: p.name, votes: res.votes_deleted, topics: res.topics_deleted.length }));
}

function summary() {
    const n = state.participants.length;
    const votes = state.participants.reduce((a, p) => a + (p.votes || 0), 0);
    return tn('fac.people_summary', n, { votes });
}

export function renderParticipants() {
    return panel('participants', t('fac.people'), summary(), () => [
        state.participants.length
            ? h(
                  'div',
                  { class: 'table-scroll' },
                  h(
                      'table',
                      { class: 'people-table' },
                      h('caption', { class: 'visually-hidden' }, t('fac.people')),
                      h(
                          'thead',
                          null,
                          h(
                              'tr',
                              null,
                              h('th', { scope: 'col' }, t('fac.person_name')),
                              h('th', { scope: 'col' }, t('fac.person_needs')),
                              h('th', { scope: 'col', class: 'num' }, t('fac.person_votes')),
                              h('th', { scope: 'col', class: 'num' }, t('fac.person_hosts')),
                              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('fac.actions'))),
                          ),
                      ),
                      h(
                          'tbody',
                          null,
                          state.participants.map((p) =>
                              h(
                                  'tr',
                                  null,
                                  h('th', { scope: 'row' }, p.name, errorsOf(`person-${p.id}`)._form ? formError(errorsOf(`person-${p.id}`)._form) : null),
                                  h('td', null, (p.needs || []).join(', ')),
                                  h('td', { class: 'num' }, String(p.votes || 0)),
                                  h('td', { class: 'num' }, String(p.hosts || 0)),
                                  h(
                                      'td',
                                      { class: 'row-actions' },
                                      h('button', { type: 'button', class: 'danger', disabled: state.busy, onclick: () => onRemove(p), 'aria-label': t('fac.person_remove_named', { name: p.name }) }, t('fac.person_remove')),
                                  ),
                              ),
                          ),
                      ),
                  ),
              )
            : h('p', null, t('fac.people_none')),
        h('p', { class: 'hint' }, t('fac.person_remove_hint')),
    ]);
}
