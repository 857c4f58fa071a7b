import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generateAccessKey, resolveAccessKey } from './access-key';
import { type TempDir, makeTempDir } from './testing/config-test-kit';

describe('resolveAccessKey', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('generates mr- plus 40 URL-safe characters', () => {
    const key = generateAccessKey();
    assert.match(key, /^mr-[A-Za-z0-9_-]{40}$/);
    assert.notEqual(generateAccessKey(), key);
  });

  it('uses the configured key and touches nothing', () => {
    const dataDir = join(dir.path, 'data');
    assert.deepEqual(resolveAccessKey('configured', dataDir), {
      key: 'configured',
      generated: false,
      file: null,
    });
    assert.throws(() => statSync(dataDir));
  });

  it('generates once into <dataDir>/access_key (mode 0600, creating the dir), then reuses it', () => {
    const dataDir = join(dir.path, 'nested', 'data');
    const first = resolveAccessKey('', dataDir);
    assert.equal(first.generated, true);
    assert.equal(first.file, join(dataDir, 'access_key'));
    assert.match(first.key, /^mr-/);
    assert.equal(readFileSync(first.file!, 'utf8').trim(), first.key);
    assert.equal(statSync(first.file!).mode & 0o777, 0o600);

    const second = resolveAccessKey('', dataDir);
    assert.deepEqual(second, { key: first.key, generated: false, file: first.file });
  });

  it('reads a key someone saved by hand (surrounding whitespace ignored)', () => {
    writeFileSync(join(dir.path, 'access_key'), '  my-own-key\n');
    assert.deepEqual(resolveAccessKey('', dir.path), {
      key: 'my-own-key',
      generated: false,
      file: join(dir.path, 'access_key'),
    });
  });

  it('replaces an empty key file', () => {
    writeFileSync(join(dir.path, 'access_key'), '\n');
    const result = resolveAccessKey('', dir.path);
    assert.equal(result.generated, true);
    assert.equal(readFileSync(join(dir.path, 'access_key'), 'utf8').trim(), result.key);
  });

  it('explains what to do when the key cannot be saved', () => {
    const blocker = join(dir.path, 'not-a-dir');
    writeFileSync(blocker, '');
    assert.throws(
      () => resolveAccessKey('', join(blocker, 'data')),
      /set server\.access_key or MONORELAY_ACCESS_KEY/i,
    );
  });
});
