// SPDX-License-Identifier: MIT
// The facilitator's page (/e/{eid}/facilitate): event settings, the day
// (blocks and their slots), rooms, topics with votes and clash hints, locks,
// groups and hosts, the allocation and its comparison with the published
// schedule, publication.
// One state object (facilitate/state.js), one render(); each section of the
// page is a module of facilitate/ that renders itself from the state.

import { Api, takeFragment, tokens, seg } from './api.js';
import { h, mount, formValues } from './dom.js';
import { t, loadLang, pickLang, langSwitch } from './i18n.js';
import { errorText, field, setThemes, recent } from './common.js';
import { state, setRender, loadAll, loadTopics, loadParticipants, loadClashes, loadPlan, logout } from './facilitate/state.js';
import { renderSettings } from './facilitate/settings.js';
import { renderDay } from './facilitate/day.js';
import { renderRooms } from './facilitate/rooms.js';
import { renderTopics } from './facilitate/topics.js';
import { renderAllocation } from './facilitate/allocation.js';
import { renderOnday, startMarketPolling } from './facilitate/onday.js';
import { renderParticipants } from './facilitate/participants.js';
import { initOpen, setOpen, SECTIONS } from './facilitate/panel.js';
import { loadLimits } from './limits.js';
import { renderPaper } from './facilitate/paper.js';

// ---- token ------------------------------------------------------------------

async function useToken(token) {
    state.token = token;
    try {
        await loadParticipants();
    } catch (err) {
        state.token = null;
        if (err.status === 401) return { token: t('fac.token_unknown') };
        if (err.status === 403) return { token: t('fac.token_wrong_event') };
        return { token: errorText(err) };
    }
    tokens.set('f', state.eid, token);
    return null;
}

async function onToken(e) {
    e.preventDefault();
    const v = formValues(e.target).token.trim();
    if (!v) {
        state.tokenErrors = { token: t('fac.token_required') };
        return render();
    }
    state.busy = true;
    render();
    const errs = await useToken(v);
    state.busy = false;
    state.tokenErrors = errs || {};
    if (!errs) await start2();
    else render();
}


// ---- page -------------------------------------------------------------------

function navLabel(id) {
    return {
        settings: t('fac.settings'),
        day: t('fac.day'),
        rooms: t('fac.rooms'),
        participants: t('fac.people'),
        topics: t('fac.topics'),
        onday: t('fac.onday'),
        allocation: t('fac.allocation'),
        paper: t('fac.paper'),
    }[id];
}

function renderTokenForm() {
    const err = state.tokenErrors;
    return h(
        'section',
        { class: 'card', 'aria-labelledby': 'token-title' },
        h('h2', { id: 'token-title' }, t('fac.token_title')),
        // Which event this token page is for: its name is public.
        state.publicEvent ? h('p', { class: 'event-named' }, t('fac.token_for', { name: state.publicEvent.name })) : null,
        h('p', null, t('fac.token_intro')),
        h(
            'form',
            { onsubmit: onToken, novalidate: true },
            field(t('fac.token'), h('input', { id: 'fac-token', name: 'token', type: 'password', autocomplete: 'off', class: 'mono' }), err.token),
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('fac.token_submit'))),
        ),
    );
}

function render() {
    const main = document.getElementById('main');
    setThemes(state.topics.map((x) => x.theme));

    const parts = [
        h(
            'header',
            { class: 'page-header' },
            h('div', { class: 'brand' }, h('a', { href: '/' }, 'forumd'), ' · ', t('fac.role')),
            langSwitch(() => render()),
            h('h1', null, state.event ? state.event.name : state.publicEvent ? state.publicEvent.name : t('fac.title')),
            state.token && state.event
                ? h(
                      'nav',
                      { 'aria-label': t('fac.nav') },
                      h(
                          'ul',
                          null,
                          SECTIONS.map((id) => h('li', null, h('a', { href: `#${id}`, onclick: () => setOpen(id, true) }, navLabel(id)))),
                      ),
                      h('button', { type: 'button', class: 'quiet', onclick: () => logout(null) }, t('fac.logout')),
                  )
                : null,
        ),
    ];
    if (state.fatal)
        parts.push(
            h('p', { class: 'form-error', role: 'alert' }, state.fatal),
            h(
                'div',
                { class: 'actions' },
                h(
                    'button',
                    {
                        type: 'button',
                        onclick: () => {
                            state.fatal = null;
                            start2();
                        },
                    },
                    t('app.retry'),
                ),
            ),
        );
    else if (!state.token) parts.push(renderTokenForm());
    else if (state.loading) parts.push(h('p', { 'aria-busy': 'true' }, t('app.loading')));
    else parts.push(renderSettings(), renderDay(), renderRooms(), renderParticipants(), renderTopics(), renderOnday(), renderAllocation(), renderPaper());
    mount(main, parts);
    document.title = state.event ? `${state.event.name} · ${t('fac.role')} · forumd` : 'forumd';
}

// True while someone is filling a field: a background refresh would wipe it.
function typing() {
    const a = document.activeElement;
    return Boolean(a && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName));
}

// Loads everything once a token is known.
async function start2() {
    state.loading = true;
    render();
    try {
        await loadAll();
        if (!state.open) initOpen();
        recent.add(state.eid, state.event.name, 'facilitator');
    } catch (err) {
        if (err.status === 401 || err.status === 403) {
            state.loading = false;
            return logout(t('fac.token_rejected'));
        }
        state.fatal = err.status === 404 ? t('error.event_not_found') : errorText(err);
    }
    state.loading = false;
    render();
}

async function start() {
    const frag = takeFragment();
    await Promise.all([loadLang(pickLang(null)), loadLimits()]);
    try {
        state.publicEvent = await new Api(null).get(`/events/${seg(state.eid)}`);
    } catch {
        state.publicEvent = null;
    }
    state.token = frag.token || tokens.get('f', state.eid);
    if (state.token) {
        const errs = await useToken(state.token);
        if (errs) {
            tokens.set('f', state.eid, null);
            state.tokenErrors = errs;
        }
    }
    if (state.token) await start2();
    else {
        state.loading = false;
        render();
    }
    // Votes and proposals keep coming in while the facilitator prepares.
    setInterval(async () => {
        if (document.hidden || !state.token || state.busy || state.allocating || state.editing || typing()) return;
        try {
            await Promise.all([loadTopics(), loadParticipants(), loadClashes(), loadPlan()]);
            render();
        } catch {
            /* next round */
        }
    }, 30000);
}

setRender(render);
startMarketPolling();
start();
