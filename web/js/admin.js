// SPDX-License-Identifier: MIT
// The administrator's page (/admin): create an event (and get its
// facilitator link to open or copy), list every event with its links and
// join code, copy an event's rooms and slots for next year, give a new
// facilitator link, delete an event. The admin token comes from #token=
// (never in a URL sent to the server) or the form, and stays on this device.

import { Api, seg, takeFragment, tokens } from './api.js';
import { h, mount, formValues } from './dom.js';
import { t, tn, loadLang, pickLang, langSwitch, fmtDay } from './i18n.js';
import { errorText, formErrors, field, counted, tooLong, formError, announce, copyRow } from './common.js';
import { loadLimits, range } from './limits.js';

const TOKEN_KIND = 'a';
const TOKEN_KEY = 'server';

const state = {
    token: null,
    tokenError: '',
    events: [],
    loading: false,
    busy: false,
    created: null, // {event, link}: the facilitator link of the event just made
    errors: {}, // form key -> {field: message}
    draft: { name: '', timezone: '', locale: 'fr', join_code: '' },
    copying: null, // event id whose copy form is open
    copied: null, // id of the input whose text was just copied
};

function api() {
    return new Api(state.token);
}

// The facilitator page of eid with a token in its fragment.
function facilitatorLink(eid, token) {
    return `${location.origin}/e/${seg(eid)}/facilitate#token=${encodeURIComponent(token)}`;
}

function participantLink(e) {
    const base = `${location.origin}/e/${seg(e.id)}`;
    return e.join_code ? `${base}#code=${encodeURIComponent(e.join_code)}` : base;
}

async function loadEvents() {
    state.events = (await api().get('/events')) || [];
}

// ---- token --------------------------------------------------------------------

async function useToken(token) {
    state.token = token;
    try {
        await loadEvents();
    } catch (err) {
        state.token = null;
        if (err.status === 401) return t('admin.token_unknown');
        if (err.status === 403) return t('admin.token_not_admin');
        return errorText(err);
    }
    tokens.set(TOKEN_KIND, TOKEN_KEY, token);
    return '';
}

async function onToken(e) {
    e.preventDefault();
    const v = formValues(e.target).token.trim();
    if (!v) {
        state.tokenError = t('fac.token_required');
        return render();
    }
    state.busy = true;
    render();
    state.tokenError = await useToken(v);
    state.busy = false;
    render();
}

function logout() {
    tokens.set(TOKEN_KIND, TOKEN_KEY, null);
    state.token = null;
    state.events = [];
    state.created = null;
    render();
}

// ---- actions ------------------------------------------------------------------

// Runs fn for the form key; spreads an API error over its fields.
async function act(key, fn, fields, ctx) {
    state.errors[key] = {};
    state.busy = true;
    render();
    let ok = false;
    try {
        await fn();
        await loadEvents();
        ok = true;
    } catch (err) {
        if (err.status === 401) return logout();
        state.errors[key] = formErrors(err, fields, ctx);
        announce(errorText(err, ctx));
    } finally {
        state.busy = false;
    }
    render();
    return ok;
}

async function onCreate(e) {
    e.preventDefault();
    const v = formValues(e.target);
    state.draft = v;
    const body = { name: v.name.trim(), timezone: v.timezone.trim() || 'UTC', locale: v.locale };
    if (v.join_code.trim()) body.join_code = v.join_code.trim();
    const errs = {};
    if (!body.name) errs.name = t('fac.required');
    else if (tooLong(body.name, 'event_name')) errs.name = tooLong(body.name, 'event_name');
    if (Object.keys(errs).length) {
        state.errors.create = errs;
        return render();
    }
    let made = null;
    const ok = await act(
        'create',
        async () => {
            made = await api().post('/events', body);
        },
        ['name', 'timezone', 'locale', 'join_code'],
    );
    if (!ok) return;
    state.created = { event: made, link: facilitatorLink(made.id, made.facilitator_token) };
    state.draft = { name: '', timezone: v.timezone, locale: v.locale, join_code: '' };
    announce(t('admin.created', { name: made.name }));
    render();
    const el = document.getElementById('created-title');
    if (el) el.focus();
}

async function onNewLink(ev) {
    if (!confirm(t('admin.new_link_confirm', { name: ev.name }))) return;
    let res = null;
    const ok = await act(`event-${ev.id}`, async () => {
        res = await api().post(`/events/${seg(ev.id)}/facilitator_token`, {});
    });
    if (!ok) return;
    state.created = { event: ev, link: facilitatorLink(ev.id, res.facilitator_token), renewed: true };
    announce(t('admin.new_link_done', { name: ev.name }));
    render();
    const el = document.getElementById('created-title');
    if (el) el.focus();
}

// The default copy: 52 weeks later, so that weekdays stay the same.
const NEXT_YEAR_DAYS = 364;

function nextYearName(name) {
    const m = String(name).match(/^(.*?)(\d{4})(\D*)$/);
    return m ? `${m[1]}${Number(m[2]) + 1}${m[3]}` : `${name} (2)`;
}

async function onCopy(e, ev) {
    e.preventDefault();
    const v = formValues(e.target);
    const key = `copy-${ev.id}`;
    const days = v.days === '' ? 0 : Number(v.days);
    const body = { name: v.name.trim(), days };
    if (v.join_code.trim()) body.join_code = v.join_code.trim();
    const errs = {};
    const r = range('days');
    if (!body.name) errs.name = t('fac.required');
    else if (tooLong(body.name, 'event_name')) errs.name = tooLong(body.name, 'event_name');
    if (!Number.isInteger(days) || (r && (days < r[0] || days > r[1]))) errs.days = r ? t('error.out_of_range_between', { min: r[0], max: r[1] }) : t('fac.positive');
    if (Object.keys(errs).length) {
        state.errors[key] = errs;
        return render();
    }
    let made = null;
    const ok = await act(
        key,
        async () => {
            made = await api().post(`/events/${seg(ev.id)}/copy`, body);
        },
        ['name', 'days', 'join_code'],
    );
    if (!ok) return;
    state.copying = null;
    state.created = { event: made, link: facilitatorLink(made.id, made.facilitator_token), from: ev.name };
    announce(t('admin.copied_event', { name: made.name }));
    render();
    const el = document.getElementById('created-title');
    if (el) el.focus();
}

async function onDelete(ev) {
    const what = t('admin.delete_confirm', { name: ev.name, people: ev.participants, topics: ev.topics, published: ev.published });
    if (!confirm(what)) return;
    const ok = await act(`event-${ev.id}`, () => api().del(`/events/${seg(ev.id)}`));
    if (ok) {
        if (state.created && state.created.event.id === ev.id) state.created = null;
        announce(t('admin.deleted', { name: ev.name }));
        render();
    }
}

// ---- rendering ------------------------------------------------------------------

function linkRow(id, label, url) {
    return copyRow(id, label, url, state.copied === id, (copied) => {
        state.copied = copied;
        render();
    });
}

function renderTokenForm() {
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'token-title' },
        h('h2', { id: 'token-title' }, t('admin.token_title')),
        h('p', null, t('admin.token_intro')),
        h(
            'form',
            { onsubmit: onToken, novalidate: true },
            field(t('admin.token'), h('input', { id: 'admin-token', name: 'token', type: 'password', autocomplete: 'off', class: 'mono' }), state.tokenError),
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('fac.token_submit'))),
        ),
    );
}

function renderCreated() {
    const c = state.created;
    if (!c) return null;
    const title = c.renewed ? t('admin.new_link_title', { name: c.event.name }) : t('admin.created_title', { name: c.event.name });
    return h(
        'section',
        { class: 'card created', 'aria-labelledby': 'created-title' },
        h('h2', { id: 'created-title', tabindex: '-1' }, title),
        c.from ? h('p', null, t('admin.copied_from', { name: c.from })) : null,
        h('p', null, t('admin.link_once')),
        linkRow('created-link', t('admin.facilitator_link'), c.link),
        h('p', { class: 'actions' }, h('a', { href: c.link, class: 'button primary', id: 'created-open' }, t('admin.open_console'))),
    );
}

function renderCreate() {
    const err = state.errors.create || {};
    const d = state.draft;
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'create-title' },
        h('h2', { id: 'create-title' }, t('admin.create')),
        h(
            'form',
            { onsubmit: onCreate, novalidate: true, 'aria-labelledby': 'create-title' },
            formError(err._form),
            counted(t('fac.name'), h('input', { id: 'create-name', name: 'name', value: d.name, required: true, autocomplete: 'off' }), 'event_name', err.name),
            h(
                'div',
                { class: 'grid2' },
                field(t('fac.timezone'), h('input', { id: 'create-tz', name: 'timezone', value: d.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', list: 'zones', autocomplete: 'off' }), err.timezone),
                field(
                    t('fac.locale'),
                    h(
                        'select',
                        { id: 'create-locale', name: 'locale' },
                        ['fr', 'en'].map((l) => h('option', { value: l, selected: (d.locale || 'fr') === l }, l === 'fr' ? 'Français' : 'English')),
                    ),
                    err.locale,
                ),
                field(t('fac.join_code'), h('input', { id: 'create-code', name: 'join_code', value: d.join_code, autocomplete: 'off', autocapitalize: 'characters' }), err.join_code, t('admin.join_code_hint')),
            ),
            h('datalist', { id: 'zones' }, zones.map((z) => h('option', { value: z }))),
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('admin.create_button'))),
        ),
    );
}

function renderCopyForm(ev) {
    const key = `copy-${ev.id}`;
    const err = state.errors[key] || {};
    return h(
        'form',
        { class: 'row-form', novalidate: true, 'aria-label': t('admin.copy_named', { name: ev.name }), onsubmit: (e) => onCopy(e, ev) },
        formError(err._form),
        counted(t('admin.copy_name'), h('input', { id: `${key}-name`, name: 'name', value: nextYearName(ev.name), autocomplete: 'off' }), 'event_name', err.name),
        field(t('admin.copy_days'), h('input', { id: `${key}-days`, name: 'days', type: 'number', value: NEXT_YEAR_DAYS, step: 1 }), err.days, t('admin.copy_days_hint')),
        field(t('fac.join_code'), h('input', { id: `${key}-code`, name: 'join_code', value: '', autocomplete: 'off' }), err.join_code),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('admin.copy_button')), h('button', { type: 'button', onclick: () => ((state.copying = null), render()) }, t('topic.cancel'))),
    );
}

function renderEvent(ev) {
    const err = state.errors[`event-${ev.id}`] || {};
    const when = ev.first_slot ? fmtDay(ev.first_slot, ev.timezone) : t('admin.no_slots');
    return h(
        'li',
        { class: 'event-row' },
        h(
            'article',
            { 'aria-labelledby': `ev-${ev.id}-name` },
            h('h3', { id: `ev-${ev.id}-name` }, ev.name),
            h(
                'p',
                { class: 'meta' },
                [when, ev.join_code ? t('fac.summary_code', { code: ev.join_code }) : t('fac.summary_no_code'), tn('fac.participants_count', ev.participants), tn('topics.title', ev.topics), ev.published ? t('admin.published', { version: ev.published }) : t('fac.not_published')].join(' · '),
            ),
            formError(err._form),
            h(
                'p',
                { class: 'links' },
                h('a', { href: facilitatorLink(ev.id, state.token), 'aria-label': t('admin.open_named', { name: ev.name }) }, t('admin.open_console')),
                ' · ',
                h('a', { href: participantLink(ev) }, t('fac.link_participant')),
                ' · ',
                h('a', { href: `/e/${seg(ev.id)}/wall` }, t('fac.link_wall')),
            ),
            h(
                'div',
                { class: 'actions' },
                h('button', { type: 'button', disabled: state.busy, onclick: () => onNewLink(ev), 'aria-label': t('admin.new_link_named', { name: ev.name }) }, t('admin.new_link')),
                h(
                    'button',
                    {
                        type: 'button',
                        'aria-expanded': state.copying === ev.id ? 'true' : 'false',
                        'aria-label': t('admin.copy_named', { name: ev.name }),
                        onclick: () => {
                            state.copying = state.copying === ev.id ? null : ev.id;
                            render();
                        },
                    },
                    t('admin.copy'),
                ),
                h('button', { type: 'button', class: 'danger', disabled: state.busy, onclick: () => onDelete(ev), 'aria-label': t('fac.delete_named', { what: ev.name }) }, t('fac.delete')),
            ),
            state.copying === ev.id ? renderCopyForm(ev) : null,
        ),
    );
}

function renderEvents() {
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, tn('admin.events', state.events.length)),
        state.events.length ? h('ul', { class: 'rows events' }, state.events.map(renderEvent)) : h('p', null, t('admin.no_events')),
    );
}

function render() {
    const parts = [
        h(
            'header',
            { class: 'page-header' },
            h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd'), ' · ', t('admin.role')),
            langSwitch(() => render()),
            h('h1', null, t('admin.title')),
            state.token ? h('nav', { 'aria-label': t('admin.role') }, h('button', { type: 'button', class: 'quiet', onclick: logout }, t('fac.logout'))) : null,
        ),
    ];
    if (!state.token) parts.push(renderTokenForm());
    else if (state.loading) parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    else parts.push(renderCreated(), renderCreate(), renderEvents());
    mount(document.getElementById('main'), parts);
    document.title = `${t('admin.title')} · forumd`;
}

async function start() {
    const frag = takeFragment();
    await Promise.all([loadLang(pickLang(null)), loadLimits()]);
    const token = frag.token || tokens.get(TOKEN_KIND, TOKEN_KEY);
    if (token) {
        state.loading = true;
        render();
        state.tokenError = await useToken(token);
        state.loading = false;
    }
    render();
}

start();
