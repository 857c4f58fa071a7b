// Runs the compiled test tiers with node's test runner.
//   unit        *.spec.js next to the code (apps, libs)
//   integration test/**/*.test.js  (the Nest app in-process against loopback stand-ins)
//   e2e         e2e/**/*.e2e.js    (the built relay as a child process, official SDK clients)
//   services    test/services/**/*.test.js (against real local services: PostgreSQL)
//   browser     e2e/console/**/*.browser.js (the built console in Debian's Chromium, playwright-core)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const distFlag = args.indexOf('--dist');
const dist = distFlag >= 0 ? args.splice(distFlag, 2)[1] : 'dist';
const tiers = {
  unit: { roots: [`${dist}/apps`, `${dist}/libs`], suffix: '.spec.js' },
  integration: { roots: [`${dist}/test`], suffix: '.test.js', exclude: [`${dist}/test/services`] },
  e2e: { roots: [`${dist}/e2e`], suffix: '.e2e.js' },
  services: { roots: [`${dist}/test/services`], suffix: '.test.js' },
  browser: { roots: [`${dist}/e2e/console`], suffix: '.browser.js' },
};

function collect(dir, suffix, out, exclude = []) {
  if (exclude.some((excluded) => join(excluded) === join(dir))) return out;
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, suffix, out, exclude);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

const requested = args.filter((arg) => !arg.startsWith('-'));
const only = args.filter((arg) => arg.startsWith('-'));
const unknown = requested.filter((tier) => !(tier in tiers));
if (unknown.length > 0) {
  console.error(`unknown test tier(s): ${unknown.join(', ')}; known: ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const files = requested.flatMap((tier) =>
  tiers[tier].roots.flatMap((root) => collect(root, tiers[tier].suffix, [], tiers[tier].exclude)).sort(),
);
if (files.length === 0) {
  console.error(`no test files found for ${requested.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-timeout=120000', ...only, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
