import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servesEndpoint } from './endpoint-support';

describe('servesEndpoint', () => {
  it('an Anthropic-API provider serves chat, messages and responses only', () => {
    for (const endpoint of ['chat', 'messages', 'responses'] as const)
      assert.equal(servesEndpoint('anthropic', endpoint), true, endpoint);
    for (const endpoint of ['embeddings', 'completions', 'images', 'audio_speech', 'moderations'] as const)
      assert.equal(servesEndpoint('anthropic', endpoint), false, endpoint);
  });

  it('OpenAI-compatible and local providers serve every endpoint', () => {
    for (const type of ['api', 'local'] as const)
      for (const endpoint of ['chat', 'embeddings', 'images', 'audio_transcriptions'] as const)
        assert.equal(servesEndpoint(type, endpoint), true, `${type} ${endpoint}`);
  });
});
