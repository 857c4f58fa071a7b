// Hot reload through the process: edit config.yml while the relay runs.
import { type FakeOpenAiUpstream, behaviours, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import {
  type RelayProcess,
  disposeRelay,
  fakeProvider,
  startRelayWithConfig,
  waitUntil,
} from './support/relay-process';

/** The requirement: an edit applies within 2 s. */
const WITHIN_MS = 2000;

describe('hot reload of the built relay', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;
  const config = (aliases: Record<string, string>, keyWeight = 1) => ({
    providers: {
      fake: fakeProvider(upstream.baseUrl, {
        keys: [{ key: 'sk-e2e-1', label: 'k1', weight: keyWeight }],
        models: { include: ['gpt-4o-mini', 'gpt-4o'] },
      }),
    },
    model_routing: { aliases },
  });
  const chat = (model: string, content = 'hi') =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content }] });
  const aliasWorks = async (alias: string): Promise<boolean> => {
    try {
      await chat(alias);
      return true;
    } catch (error) {
      if (error instanceof OpenAI.NotFoundError) return false;
      throw error;
    }
  };

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelayWithConfig(config({ fast: 'gpt-4o-mini' }));
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('an alias added to the file works within 2 s; a slow request started before the edit completes', async () => {
    await assert.rejects(chat('smart'), OpenAI.NotFoundError, 'control: the alias does not exist yet');
    upstream.when({ model: 'gpt-4o-mini' }, behaviours.ok({ content: 'slow but fine', delayMs: 1500 }), {
      times: 1,
    });
    const slow = chat('fast', 'slow');
    await waitUntil(() => upstream.requests.length === 1, 5000, 'the slow request reached the upstream');

    const editedAt = Date.now();
    relay.workspace.writeConfig(config({ fast: 'gpt-4o-mini', smart: 'gpt-4o' }));
    await waitUntil(() => aliasWorks('smart'), WITHIN_MS + 500, 'the new alias works');
    const appliedAfter = Date.now() - editedAt;
    assert.ok(appliedAfter <= WITHIN_MS, `applied after ${appliedAfter} ms`);

    const served = await chat('smart', 'new alias');
    assert.equal(served.model, 'gpt-4o');
    assert.equal(served.choices[0]!.message.content, 'Echo: new alias');
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.ok(ids.includes('smart'), ids.join(', '));

    const completion = await slow;
    assert.equal(completion.choices[0]!.message.content, 'slow but fine');
    assert.equal(completion.model, 'gpt-4o-mini');
  });

  it('an invalid edit is rejected with its key path; the old config keeps serving; a later fix applies', async () => {
    relay.workspace.writeConfig(config({ fast: 'gpt-4o-mini', smart: 'gpt-4o' }));
    await waitUntil(() => aliasWorks('smart'), WITHIN_MS + 500, 'starting point');

    const logFrom = relay.output.length;
    // Invalid (negative weight) and it would also add an alias and drop `smart`.
    relay.workspace.writeConfig(config({ fast: 'gpt-4o-mini', broken: 'gpt-4o' }, -1));
    await relay.waitForOutput(
      /configuration change rejected.*providers\.fake\.keys\[0\]\.weight/,
      WITHIN_MS + 1000,
      logFrom,
    );

    const old = await chat('smart', 'still here');
    assert.equal(old.model, 'gpt-4o', 'the old config is in force');
    assert.equal(await aliasWorks('broken'), false, 'nothing of the rejected file was applied');
    assert.equal(relay.exitStatus, undefined, 'the process keeps running');
    assert.equal((await relay.fetch('/readyz')).status, 200);

    relay.workspace.writeConfig(config({ fast: 'gpt-4o-mini', fixed: 'gpt-4o' }));
    await waitUntil(() => aliasWorks('fixed'), WITHIN_MS + 500, 'the fixed file applies');
    assert.equal(await aliasWorks('smart'), false, 'the alias removed by the fix is gone');
  });

  it('a YAML syntax error is rejected too, and the old config keeps serving', async () => {
    relay.workspace.writeConfig(config({ fast: 'gpt-4o-mini', kept: 'gpt-4o' }));
    await waitUntil(() => aliasWorks('kept'), WITHIN_MS + 500, 'starting point');
    const logFrom = relay.output.length;
    relay.workspace.writeConfig('providers: [unclosed\n  fake: {');
    await relay.waitForOutput(/configuration change rejected.*YAML syntax error/, WITHIN_MS + 1000, logFrom);
    assert.equal((await chat('kept')).model, 'gpt-4o');
    assert.equal(relay.exitStatus, undefined);
  });
});
