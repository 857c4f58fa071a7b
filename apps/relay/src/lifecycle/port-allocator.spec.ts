import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { PORT_GUARD, allocatePort, portIsFree } from './port-allocator';

describe('allocatePort', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  after(() => servers.forEach((server) => server.close()));

  const occupy = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = createServer();
      servers.push(server);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });

  it('skips ports in use and ports other models hold', async () => {
    const base = 40_000 + Math.floor(Math.random() * 200) * 100;
    await occupy(base);
    assert.equal(await portIsFree(base, '127.0.0.1'), false);
    assert.equal(await allocatePort(base, '127.0.0.1', new Set()), base + 1);
    assert.equal(await allocatePort(base, '127.0.0.1', new Set([base + 1])), base + 2);
  });

  it('never hands out a port at or above the guard', async () => {
    await assert.rejects(allocatePort(PORT_GUARD, '127.0.0.1', new Set()), /no free port/);
  });
});
