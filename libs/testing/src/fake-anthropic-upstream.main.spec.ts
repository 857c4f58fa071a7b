import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

describe('fake-anthropic-upstream.main', () => {
  it('prints its URL (no /v1) as one JSON line, serves with the given options, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, 'fake-anthropic-upstream.main.js'),
        '--port',
        '0',
        '--chunks',
        '3',
        '--key',
        'sk-ant-cli',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const started = JSON.parse(line) as { url: string; port: number };
      assert.equal(started.url, `http://127.0.0.1:${started.port}`);

      const headers = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
      const unauthorized = await fetch(`${started.url}/v1/models`, { headers });
      assert.equal(unauthorized.status, 401);
      await unauthorized.arrayBuffer();
      const response = await fetch(`${started.url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, 'x-api-key': 'sk-ant-cli' },
        body: JSON.stringify({
          model: 'claude-test',
          max_tokens: 16,
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const text = await response.text();
      assert.equal(text.match(/"type":"text_delta"/g)?.length, 3);

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
