// SPDX-License-Identifier: MIT
// Runs one browser test file (node:test) as one ctest: `node run.mjs NAME`
// runs test_NAME.mjs. Exits 77 (ctest SKIP_RETURN_CODE) when Chromium or
// node_modules/ (npm ci) is missing, so a machine without them skips
// cleanly instead of failing; anything else is a real pass or failure.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
if (!name) {
    console.error('usage: node run.mjs NAME   (runs test_NAME.mjs)');
    process.exit(2);
}
const file = path.join(here, `test_${name}.mjs`);
if (!fs.existsSync(file)) {
    console.error(`no such test: ${file}`);
    process.exit(2);
}
const chromium = process.env.FORUM_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
    console.log(`SKIP: ${chromium} is not installed (apt-get install chromium)`);
    process.exit(77);
}
if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    console.log(`SKIP: ${path.join(here, 'node_modules')} is missing (run npm ci in tests/browser)`);
    process.exit(77);
}
await import(pathToFileURL(file).href);
