import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RELAY_MALLOC_ENV, RELAY_NODE_FLAGS } from './node-flags';

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

describe('RELAY_MALLOC_ENV', () => {
  const assignments = Object.entries(RELAY_MALLOC_ENV).map(([name, value]) => `${name}=${value}`);

  it('is the environment of `npm start`', () => {
    const start = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    const command = start
      .slice(start.lastIndexOf('&&') + 2)
      .trim()
      .split(/\s+/);
    const prefix = command.slice(0, command.indexOf('node'));
    assert.deepEqual([...prefix].sort(), [...assignments].sort());
  });

  it('is set in the Docker image that runs the relay', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const env = runtime.match(/^ENV (?:[^\n]*\\\n)*[^\n]*$/m)?.[0] ?? '';
    for (const assignment of assignments)
      assert.ok(env.split(/[\s\\]+/).includes(assignment), `the runtime stage's ENV lacks ${assignment}`);
  });
});
