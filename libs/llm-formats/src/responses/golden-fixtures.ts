// Test support: loads the golden fixtures of this folder from the source tree (the compiled specs
// run from dist/, which holds no JSON). `UPDATE_GOLDEN=1` rewrites the expectations instead (review
// the diff, then run prettier on the folder).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const GOLDEN_DIR = [
  join(process.cwd(), 'libs/llm-formats/src/responses/golden'),
  join(__dirname, 'golden'),
].find((dir) => existsSync(dir));

export interface GoldenFile<Case> {
  name: string;
  cases: Case[];
}

/** Every `golden/<prefix>*.json`, each `{ "cases": [...] }`. */
export function loadGoldenFiles<Case>(prefix: string): GoldenFile<Case>[] {
  if (!GOLDEN_DIR) throw new Error('golden fixtures not found: run the tests from the repository root');
  return readdirSync(GOLDEN_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      cases: (JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as { cases: Case[] }).cases,
    }));
}

export const updatingGoldens = process.env.UPDATE_GOLDEN === '1';

/** With `UPDATE_GOLDEN=1`: writes the cases (with their new expectations) back to the file. */
export function saveGoldenFile<Case>(file: GoldenFile<Case>): void {
  if (!GOLDEN_DIR || !updatingGoldens) return;
  writeFileSync(join(GOLDEN_DIR, file.name), `${JSON.stringify({ cases: file.cases }, null, 2)}\n`);
}
