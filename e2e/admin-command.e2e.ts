// `--create-admin` and `--reset-password`: account commands that run against the data dir and exit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RelayProcess, RelayWorkspace, startRelay } from './support/relay-process';

const FIRST = 'first chosen passphrase';
const SECOND = 'second chosen passphrase';

describe('account commands (--create-admin, --reset-password)', () => {
  let workspace: RelayWorkspace;
  const args = (...extra: string[]) => [
    '--config',
    workspace.configPath,
    '--data-dir',
    workspace.dataDir,
    ...extra,
  ];

  /** Runs the relay with `extra` flags and waits for it to exit. */
  async function run(extra: string[], env: Record<string, string> = {}) {
    const process = new RelayProcess({ workspace, args: args(...extra), env });
    const status = await process.waitForExit(20_000);
    return { code: status.code, output: process.output };
  }

  before(() => {
    workspace = new RelayWorkspace();
    workspace.writeConfig({});
  });
  after(() => workspace.remove());

  it('needs the password in the environment', async () => {
    const result = await run(['--create-admin', 'owner']);
    assert.equal(result.code, 2);
    assert.match(result.output, /MONORELAY_ADMIN_PASSWORD/);
  });

  it('creates the superadmin once, then refuses', async () => {
    const created = await run(['--create-admin', 'owner'], { MONORELAY_ADMIN_PASSWORD: FIRST });
    assert.equal(created.code, 0, created.output);
    assert.match(created.output, /Created superadmin owner/);
    const again = await run(['--create-admin', 'another'], { MONORELAY_ADMIN_PASSWORD: FIRST });
    assert.equal(again.code, 1);
    assert.match(again.output, /A superadmin already exists \(owner\)/);
    const weak = await run(['--reset-password', 'owner'], { MONORELAY_ADMIN_PASSWORD: 'short' });
    assert.equal(weak.code, 1);
    assert.match(weak.output, /at least 12 characters/);
  });

  it('resets a password; the relay then signs in with it and needs no setup', async () => {
    const reset = await run(['--reset-password', 'OWNER'], { MONORELAY_ADMIN_PASSWORD: SECOND });
    assert.equal(reset.code, 0, reset.output);
    assert.match(reset.output, /Set the password of owner \(superadmin\)/);
    const unknown = await run(['--reset-password', 'nobody'], { MONORELAY_ADMIN_PASSWORD: SECOND });
    assert.equal(unknown.code, 1);

    const relay = await startRelay({ workspace, args: [...args(), '--port', '0', '--host', '127.0.0.1'] });
    try {
      const status = await (await fetch(`${relay.url}/api/setup/status`)).json();
      assert.deepEqual(status, { needsSetup: false });
      const login = (password: string) =>
        fetch(`${relay.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'owner', password }),
        });
      assert.equal((await login(FIRST)).status, 401);
      const ok = await login(SECOND);
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { user: { role: string } }).user.role, 'superadmin');
    } finally {
      await relay.stop();
    }
  });
});
