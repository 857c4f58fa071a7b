import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

describe('fake-openai-upstream.main', () => {
  it('prints its URL as one JSON line, serves with the given options, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, 'fake-openai-upstream.main.js'),
        '--port',
        '0',
        '--chunks',
        '2',
        '--latency-ms',
        '1',
        '--key',
        'sk-cli',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const started = JSON.parse(line) as { url: string; port: number };
      assert.equal(started.url, `http://127.0.0.1:${started.port}/v1`);

      const unauthorized = await fetch(`${started.url}/models`);
      assert.equal(unauthorized.status, 401);
      await unauthorized.arrayBuffer();
      const response = await fetch(`${started.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-cli', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
      const text = await response.text();
      assert.equal(text.match(/"content":"[^"]+"/g)?.length, 2);

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects a bad flag value', async () => {
    const child = spawn(
      process.execPath,
      [join(__dirname, 'fake-openai-upstream.main.js'), '--port', 'abc'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
    assert.match(stderr, /--port must be a non-negative integer/);
  });
});
