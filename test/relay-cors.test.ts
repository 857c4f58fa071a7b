import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

describe('relay: CORS for browser clients', () => {
  let relay: RelayHarness;

  before(async () => {
    relay = await startRelay({ server: { access_key: ACCESS_KEY, cors_origins: ['https://app.example'] } });
  });
  after(() => relay.close());

  it('answers a preflight from an allowed origin', async () => {
    const response = await fetch(`${relay.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization, content-type');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('marks responses to an allowed origin and exposes the routing headers', async () => {
    const response = await fetch(`${relay.url}/v1/models`, {
      headers: { origin: 'https://app.example', authorization: `Bearer ${ACCESS_KEY}` },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /x-monorelay-provider/);
    assert.equal(response.headers.get('vary'), 'Origin');
    await response.arrayBuffer();
  });

  it('gives other origins no CORS headers, and requests without Origin none at all', async () => {
    const foreign = await fetch(`${relay.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const plain = await fetch(`${relay.url}/healthz`);
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
    assert.equal(plain.headers.get('vary'), null);
  });
});
