// SPDX-License-Identifier: MIT
// The event's settings: name, phases, votes, join code, zone, language, links.

import { seg } from '../api.js';
import { h, formValues, copyText } from '../dom.js';
import { t, tn } from '../i18n.js';
import { field, checkbox, formError, announce } from '../common.js';
import { state, api, ev, loadEvent, setErrors, errorsOf, act, rerender } from './state.js';

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
    const errs = {};
    if (!body.name) errs.name = t('fac.required');
    if (!Number.isInteger(body.max_weight) || body.max_weight < 1) errs.max_weight = t('fac.positive');
    if (!Number.isInteger(body.vote_budget) || body.vote_budget < 0) errs.vote_budget = t('fac.non_negative');
    if (Object.keys(errs).length) {
        setErrors('settings', errs);
        return rerender();
    }
    await act('settings', () => api().patch(ev(), body), loadEvent, t('fac.saved'), Object.keys(body));
}

function linkRow(id, label, url) {
    return h(
        'div',
        { class: 'copy-row' },
        h('label', { for: id }, label),
        h('input', { id, type: 'text', readOnly: true, value: url, class: 'mono' }),
        h(
            'button',
            {
                type: 'button',
                onclick: async () => {
                    const ok = await copyText(url, document.getElementById(id));
                    state.copied = ok ? id : null;
                    announce(ok ? t('me.copied') : t('me.copy_failed'));
                    rerender();
                },
                'aria-label': t('fac.copy_named', { what: label }),
            },
            state.copied === id ? t('me.copied') : t('me.copy'),
        ),
    );
}

export function renderSettings() {
    const e = state.event;
    const err = errorsOf('settings');
    const base = `${location.origin}/e/${seg(state.eid)}`;
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return h(
        'section',
        { class: 'card', id: 'settings', 'aria-labelledby': 'settings-title' },
        h('h2', { id: 'settings-title' }, t('fac.settings')),
        h('p', null, tn('fac.participants_count', state.participants.length)),
        linkRow('link-participant', t('fac.link_participant'), e.join_code ? `${base}#code=${encodeURIComponent(e.join_code)}` : base),
        // The wall shows the QR code to join: with the code, when there is one.
        linkRow('link-wall', t('fac.link_wall'), e.join_code ? `${base}/wall#code=${encodeURIComponent(e.join_code)}` : `${base}/wall`),
        h(
            'form',
            { onsubmit: onSettings, novalidate: true, 'aria-labelledby': 'settings-title' },
            formError(err._form),
            field(t('fac.name'), h('input', { id: 'set-name', name: 'name', value: e.name, maxlength: 200, required: true }), err.name),
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
                field(t('fac.max_weight'), h('input', { id: 'set-max-weight', name: 'max_weight', type: 'number', min: 1, max: 10, value: e.max_weight }), err.max_weight),
                field(
                    t('fac.vote_budget'),
                    h('input', { id: 'set-budget', name: 'vote_budget', type: 'number', min: 0, value: e.vote_budget || 0 }),
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
    );
}
