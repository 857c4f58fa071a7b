// Local models with the built relay as a process: the official SDK streams from a model that is
// still loading; SIGTERM stops every model; a relay killed with SIGKILL leaves its model behind,
// and the next start on the same data directory cleans it up.
import { fakeLlamaCommand } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type RelayProcess, RelayWorkspace, startRelay, waitUntil } from './support/relay-process';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface ModelStatus {
  name: string;
  state: string;
  pid: number | null;
}

async function statusOf(relay: RelayProcess, model: string): Promise<ModelStatus> {
  const response = await relay.fetch('/api/lifecycle/models');
  assert.equal(response.status, 200);
  const body = (await response.json()) as { models: ModelStatus[] };
  return body.models.find((entry) => entry.name === model)!;
}

function config(): object {
  return {
    auth: { access_key_role: 'admin' },
    providers: { gpu: { provider_type: 'local', timeout: 30 } },
    lifecycle: {
      enabled: true,
      port_base: 30_000 + Math.floor(Math.random() * 300) * 100,
      health_interval_ms: 50,
      keepalive_interval_ms: 100,
      stop_timeout_ms: 3000,
      models: {
        'local-qwen': { cmd: fakeLlamaCommand({ model: 'local-qwen', loadMs: 600 }), ctx_size: 32768 },
      },
    },
  };
}

describe('e2e: local models', () => {
  const workspace = new RelayWorkspace();
  const pids: number[] = [];
  after(() => {
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    workspace.remove();
  });

  it('the OpenAI SDK streams from a model that is loading; SIGTERM stops the model with the relay', async () => {
    workspace.writeConfig(config());
    const relay = await startRelay({ workspace });
    try {
      const stream = await relay.client({ timeoutMs: 30_000 }).chat.completions.create({
        model: 'local-qwen',
        messages: [{ role: 'user', content: 'stream me' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      assert.equal(text, 'Echo: stream me');
      const { pid, state } = await statusOf(relay, 'local-qwen');
      assert.equal(state, 'ready');
      assert.ok(pid && alive(pid));
      pids.push(pid);
      const exit = await relay.stop(15_000);
      assert.equal(exit.code, 0, relay.output);
      assert.equal(alive(pid), false, 'the model process went with the relay');
    } finally {
      await relay.stop(1000);
    }
  });

  it('a relay killed with SIGKILL leaves its model; the next start on the same data dir kills it', async () => {
    const first = await startRelay({ workspace });
    let orphan: number;
    try {
      const response = await first.fetch('/v1/chat/completions', {
        json: { model: 'local-qwen', messages: [{ role: 'user', content: 'hi' }] },
        signal: AbortSignal.timeout(30_000),
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      orphan = (await statusOf(first, 'local-qwen')).pid!;
      pids.push(orphan);
      first.signal('SIGKILL');
      await first.waitForExit(5000);
    } finally {
      await first.stop(1000);
    }
    assert.ok(alive(orphan), 'nothing could stop it: the relay was SIGKILLed');
    const second = await startRelay({ workspace });
    try {
      await second.waitForOutput(/killed a local model process left by an earlier run/, 10_000);
      await waitUntil(() => !alive(orphan), 5000, 'the orphan is gone');
    } finally {
      await second.stop(15_000);
    }
  });
});
