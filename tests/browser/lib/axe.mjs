// SPDX-License-Identifier: MIT
// axe-core (npm, pinned in package.json) run inside a page driven by
// playwright-core. The pages' Content-Security-Policy allows no inline
// script, so axe is evaluated through the DevTools protocol
// (page.evaluate), which the CSP does not govern; nothing is added to the
// page's own code and the CSP stays on.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE_SOURCE = fs.readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// The WCAG 2.0, 2.1 and 2.2 rules of levels A and AA.
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// What fails a test.
export const BLOCKING = ['serious', 'critical'];

// Runs axe on the page. runOnly: tags (array) or {type, values} as axe takes
// it. Returns axe's results ({violations, passes, incomplete, ...}).
export async function runAxe(page, runOnly = WCAG_AA) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
    const only = Array.isArray(runOnly) ? { type: 'tag', values: runOnly } : runOnly;
    return page.evaluate((o) => window.axe.run(document, { runOnly: o, resultTypes: ['violations', 'incomplete'] }), only);
}

// One line per violation: impact, rule, the first nodes' selectors.
export function describe(violations) {
    return violations.map((v) => `${v.impact} ${v.id}: ${v.help} [${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 3 ? ` +${v.nodes.length - 3}` : ''}]`);
}
