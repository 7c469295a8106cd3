// SPDX-License-Identifier: MIT
// The home page (/): join an event by its link or its code.

import { Api, seg } from './api.js';
import { h, mount, formValues } from './dom.js';
import { t, loadLang, pickLang, langSwitch } from './i18n.js';
import { errorText, field, recent } from './common.js';

const state = { value: '', error: '', busy: false };

// An event link ("https://host/e/abc", "/e/abc/wall#token=...") gives the
// page to open on this server: the event, the page kind and the fragment
// (a personal link's token travels along).
export function pageFromLink(s) {
    const m = String(s).match(/(?:^|\/)e\/([A-Za-z0-9_-]+)(\/facilitate|\/wall)?\/?(#.*)?$/);
    return m ? `/e/${m[1]}${m[2] || ''}${m[3] || ''}` : null;
}

async function onSubmit(ev) {
    ev.preventDefault();
    const v = formValues(ev.target).what.trim();
    state.value = v;
    state.error = '';
    if (!v) {
        state.error = t('home.required');
        return render();
    }
    const page = pageFromLink(v);
    if (page) {
        location.assign(page);
        return;
    }
    state.busy = true;
    render();
    try {
        // Join codes are case-insensitive in the API (a phone may type them
        // small): the code goes on as typed.
        const code = v;
        const res = await new Api(null).get(`/join/${seg(code)}`);
        const id = res.event && typeof res.event === 'object' ? res.event.id : res.event;
        location.assign(`/e/${seg(id)}#code=${encodeURIComponent(code)}`);
        return;
    } catch (err) {
        state.error = err.status === 404 ? t('home.unknown_code') : errorText(err);
    }
    state.busy = false;
    render();
}

function render() {
    const mine = Object.entries(recent.all());
    mount(
        document.getElementById('main'),
        h('header', { class: 'page-header' }, h('div', { class: 'brand' }, 'forumd'), langSwitch(() => render()), h('h1', null, t('home.title'))),
        h(
            'section',
            { class: 'card', 'aria-labelledby': 'join-title' },
            h('h2', { id: 'join-title' }, t('home.join')),
            h('p', null, t('home.intro')),
            h(
                'form',
                { onsubmit: onSubmit, novalidate: true },
                field(t('home.what'), h('input', { id: 'home-what', name: 'what', value: state.value, autocomplete: 'off', autocapitalize: 'characters', required: true }), state.error, t('home.what_hint')),
                h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('home.go'))),
            ),
        ),
        mine.length
            ? h(
                  'section',
                  { class: 'card', 'aria-labelledby': 'mine-title' },
                  h('h2', { id: 'mine-title' }, t('home.mine')),
                  h(
                      'ul',
                      null,
                      mine.map(([eid, e]) =>
                          h('li', null, h('a', { href: e.role === 'facilitator' ? `/e/${seg(eid)}/facilitate` : `/e/${seg(eid)}` }, e.name), e.role === 'facilitator' ? ` (${t('fac.role')})` : ''),
                      ),
                  ),
              )
            : null,
        h('section', { class: 'about' }, h('p', null, t('home.about'))),
    );
}

async function start() {
    await loadLang(pickLang(null));
    render();
}

start();
