// SPDX-License-Identifier: MIT
// The event's settings: name, phases, votes, join code, zone, language, links.

import { seg } from '../api.js';
import { h, formValues } from '../dom.js';
import { t, tn } from '../i18n.js';
import { field, counted, tooLong, checkbox, formError, copyRow } from '../common.js';
import { range } from '../limits.js';
import { state, api, ev, loadEvent, setErrors, errorsOf, act, rerender } from './state.js';
import { panel } from './panel.js';

// What the form shows: the event, or what was typed while a save has not
// succeeded yet (a refused save must never put the old values back).
function shown() {
    return state.settingsDraft || state.event;
}

async function onSettings(e) {
    e.preventDefault();
    const v = formValues(e.target);
    const body = {
        name: v.name.trim(),
        proposals_open: v.proposals_open,
        voting_open: v.voting_open,
        show_tallies: v.show_tallies,
        max_weight: Number(v.max_weight),
        vote_budget: v.vote_budget === '' ? 0 : Number(v.vote_budget),
        timezone: v.timezone.trim(),
        locale: v.locale,
        // An empty code means none: the API wants null for that.
        join_code: v.join_code.trim() || null,
    };
    state.settingsDraft = Object.assign({}, body, { max_weight: v.max_weight, vote_budget: v.vote_budget, join_code: v.join_code });
    const errs = {};
    const between = (f) => {
        const r = range(f);
        return r && (!Number.isInteger(body[f]) || body[f] < r[0] || body[f] > r[1]) ? t('error.out_of_range_between', { min: r[0], max: r[1] }) : '';
    };
    if (!body.name) errs.name = t('fac.required');
    else if (tooLong(body.name, 'event_name')) errs.name = tooLong(body.name, 'event_name');
    if (!Number.isInteger(body.max_weight) || body.max_weight < 1) errs.max_weight = t('fac.positive');
    else if (between('max_weight')) errs.max_weight = between('max_weight');
    if (!Number.isInteger(body.vote_budget) || body.vote_budget < 0) errs.vote_budget = t('fac.non_negative');
    else if (between('vote_budget')) errs.vote_budget = between('vote_budget');
    if (Object.keys(errs).length) {
        setErrors('settings', errs);
        return rerender();
    }
    await act(
        'settings',
        async () => {
            await api().patch(ev(), body);
            state.settingsDraft = null;
        },
        loadEvent,
        t('fac.saved'),
        Object.keys(body),
    );
}

function linkRow(id, label, url) {
    return copyRow(id, label, url, state.copied === id, (copied) => {
        state.copied = copied;
        rerender();
    });
}

function summary() {
    const e = state.event;
    return [
        tn('fac.participants_count', state.participants.length),
        e.join_code ? t('fac.summary_code', { code: e.join_code }) : t('fac.summary_no_code'),
        e.proposals_open ? t('fac.summary_proposals_open') : t('fac.summary_proposals_closed'),
        e.voting_open ? t('fac.summary_voting_open') : t('fac.summary_voting_closed'),
    ].join(' · ');
}

export function renderSettings() {
    return panel('settings', t('fac.settings'), summary(), settingsBody);
}

function settingsBody() {
    const e = shown();
    const saved = state.event;
    const err = errorsOf('settings');
    const base = `${location.origin}/e/${seg(state.eid)}`;
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return [
        state.settingsDraft ? h('p', { class: 'hint unsaved' }, t('fac.unsaved')) : null,
        linkRow('link-participant', t('fac.link_participant'), saved.join_code ? `${base}#code=${encodeURIComponent(saved.join_code)}` : base),
        // The wall shows the QR code to join: with the code, when there is one.
        linkRow('link-wall', t('fac.link_wall'), saved.join_code ? `${base}/wall#code=${encodeURIComponent(saved.join_code)}` : `${base}/wall`),
        h(
            'form',
            { onsubmit: onSettings, novalidate: true, 'aria-labelledby': 'settings-title' },
            formError(err._form),
            counted(t('fac.name'), h('input', { id: 'set-name', name: 'name', value: e.name, required: true }), 'event_name', err.name),
            h(
                'fieldset',
                null,
                h('legend', null, t('fac.phases')),
                checkbox('set-proposals', 'proposals_open', t('fac.proposals_open'), e.proposals_open),
                checkbox('set-voting', 'voting_open', t('fac.voting_open'), e.voting_open),
                checkbox('set-tallies', 'show_tallies', t('fac.show_tallies'), e.show_tallies),
            ),
            h(
                'div',
                { class: 'grid2' },
                field(t('fac.max_weight'), h('input', { id: 'set-max-weight', name: 'max_weight', type: 'number', min: (range('max_weight') || [1])[0], max: (range('max_weight') || [])[1], value: e.max_weight }), err.max_weight),
                field(
                    t('fac.vote_budget'),
                    h('input', { id: 'set-budget', name: 'vote_budget', type: 'number', min: 0, max: (range('vote_budget') || [])[1], value: e.vote_budget || 0 }),
                    err.vote_budget,
                    t('fac.vote_budget_hint'),
                ),
                field(t('fac.join_code'), h('input', { id: 'set-join-code', name: 'join_code', value: e.join_code || '', autocomplete: 'off' }), err.join_code, t('fac.join_code_hint')),
                field(t('fac.timezone'), h('input', { id: 'set-tz', name: 'timezone', value: e.timezone || '', list: 'zones', autocomplete: 'off' }), err.timezone),
                field(
                    t('fac.locale'),
                    h(
                        'select',
                        { id: 'set-locale', name: 'locale' },
                        ['fr', 'en'].map((l) => h('option', { value: l, selected: (e.locale || 'fr').startsWith(l) }, l === 'fr' ? 'Français' : 'English')),
                    ),
                    err.locale,
                ),
            ),
            h('datalist', { id: 'zones' }, zones.map((z) => h('option', { value: z }))),
            h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'set-save', class: 'primary', disabled: state.busy }, t('fac.save_settings'))),
        ),
    ];
}
