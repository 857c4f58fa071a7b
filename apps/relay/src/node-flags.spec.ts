import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RELAY_NODE_FLAGS } from './node-flags';

const root = join(__dirname, '..', '..', '..', '..');

describe('RELAY_NODE_FLAGS', () => {
  it('are the flags of `npm start`', () => {
    const start = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    for (const flag of RELAY_NODE_FLAGS) assert.ok(start.includes(flag), `npm start lacks ${flag}`);
  });

  it('are the flags of the Docker image', () => {
    const cmd = readFileSync(join(root, 'Dockerfile'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    for (const flag of RELAY_NODE_FLAGS)
      assert.ok(cmd?.includes(`"${flag}"`), `Dockerfile CMD lacks ${flag}`);
  });
});
