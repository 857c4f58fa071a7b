import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CliUsageError, parseRuntimeOptions } from './runtime-options';

describe('parseRuntimeOptions', () => {
  it('reads --config, --port, --host and --data-dir in both spellings', () => {
    const options = parseRuntimeOptions(
      ['--config', 'a.yml', '--port=9000', '--host', '127.0.0.1', '--data-dir=d'],
      {},
    );
    assert.equal(options.configPath, resolve('a.yml'));
    assert.equal(options.port, 9000);
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.dataDir, resolve('d'));
  });

  it('defaults the data dir from MONORELAY_DATA_DIR, else ./data', () => {
    assert.equal(parseRuntimeOptions([], { MONORELAY_DATA_DIR: '/tmp/x' }).dataDir, '/tmp/x');
    assert.equal(parseRuntimeOptions([], {}).dataDir, resolve('data'));
  });

  it('rejects bad ports, missing values and unknown flags', () => {
    assert.throws(() => parseRuntimeOptions(['--port', 'abc'], {}), CliUsageError);
    assert.throws(() => parseRuntimeOptions(['--port', '70000'], {}), CliUsageError);
    assert.throws(() => parseRuntimeOptions(['--config'], {}), CliUsageError);
    assert.throws(() => parseRuntimeOptions(['--bogus'], {}), /unknown argument/);
  });
});

describe('admin commands', () => {
  it('reads --create-admin and --reset-password with their user name', () => {
    assert.deepEqual(parseRuntimeOptions(['--create-admin', 'alice'], {}).adminCommand, {
      action: 'create-admin',
      username: 'alice',
    });
    assert.deepEqual(parseRuntimeOptions(['--reset-password=bob'], {}).adminCommand, {
      action: 'reset-password',
      username: 'bob',
    });
    assert.equal(parseRuntimeOptions([], {}).adminCommand, undefined);
  });

  it('needs a user name and takes only one command', () => {
    assert.throws(() => parseRuntimeOptions(['--create-admin'], {}), CliUsageError);
    assert.throws(
      () => parseRuntimeOptions(['--create-admin', 'a', '--reset-password', 'b'], {}),
      /only one of/,
    );
  });
});
