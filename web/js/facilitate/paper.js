// SPDX-License-Identifier: MIT
// The harvest and the paper: whether the proceedings are public, and the
// links to them and to the prints (door sheets, poster, flyer).

import { seg } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { checkbox, formError } from '../common.js';
import { state, api, ev, loadEvent, errorsOf, act } from './state.js';
import { panel } from './panel.js';

async function onPublic(e) {
    const on = e.target.checked;
    await act('paper', () => api().patch(ev(), { proceedings_public: on }), loadEvent, on ? t('fac.proceedings_public_on') : t('fac.proceedings_public_off'), ['proceedings_public']);
}

// The summary line, visible when folded: who may read the proceedings.
function summary() {
    return state.event.proceedings_public ? t('fac.paper_summary_public') : t('fac.paper_summary_private');
}

export function renderPaper() {
    const base = `/e/${seg(state.eid)}`;
    const err = errorsOf('paper');
    const published = Boolean(state.published);
    return panel('paper', t('fac.paper'), summary(), () => [
        formError(err._form || err.proceedings_public),
        checkbox('paper-public', 'proceedings_public', t('fac.proceedings_public'), state.event.proceedings_public, { onchange: onPublic, disabled: state.busy }),
        h('p', { class: 'hint' }, t('fac.proceedings_public_hint')),
        h(
            'ul',
            { class: 'links' },
            h('li', null, h('a', { href: `${base}/proceedings` }, t('fac.link_proceedings'))),
            h('li', null, published ? h('a', { href: `${base}/print/doors` }, t('fac.link_doors')) : t('fac.link_doors')),
            h('li', null, published ? h('a', { href: `${base}/print/poster` }, t('fac.link_poster')) : t('fac.link_poster')),
            h('li', null, h('a', { href: `${base}/print/flyer` }, t('fac.link_flyer'))),
        ),
        published ? null : h('p', { class: 'hint' }, t('fac.paper_after_publish')),
    ]);
}
