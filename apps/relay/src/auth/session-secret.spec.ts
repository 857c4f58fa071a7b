import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveSessionSecret } from './session-secret';

describe('resolveSessionSecret', () => {
  it('uses the configured secret, else generates one once into <dataDir>/session_secret (0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monorelay-secret-'));
    try {
      assert.deepEqual(resolveSessionSecret('configured', dir), {
        secret: 'configured',
        generated: false,
        file: null,
      });
      const first = resolveSessionSecret('', join(dir, 'data'));
      assert.equal(first.generated, true);
      assert.equal(first.secret.length, 43);
      assert.equal(statSync(first.file!).mode & 0o777, 0o600);
      const again = resolveSessionSecret('', join(dir, 'data'));
      assert.deepEqual(again, { secret: first.secret, generated: false, file: first.file });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
