import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatReasoningDetail } from '../openai/chat.types';
import {
  mergeReasoningDetailFragment,
  packReasoningDetails,
  unpackEncryptedContent,
} from './reasoning-carrier';

describe('reasoning carrier', () => {
  it('unpacks what it packed, exactly', () => {
    const details: ChatReasoningDetail[] = [
      {
        type: 'reasoning.text',
        text: 'Thinking… ünïcode',
        signature: 'sig',
        format: 'anthropic-claude-v1',
        index: 0,
      },
      { type: 'reasoning.encrypted', data: 'blob', index: 1 },
    ];
    assert.deepEqual(unpackEncryptedContent(packReasoningDetails(details)), details);
  });

  it('packs the same details to the same string whatever their key order', () => {
    assert.equal(
      packReasoningDetails([{ type: 'reasoning.text', text: 't', signature: 's', index: 0 }]),
      packReasoningDetails([{ index: 0, signature: 's', text: 't', type: 'reasoning.text' }]),
    );
  });

  it('treats foreign encrypted_content (and a damaged packed one) as one opaque blob', () => {
    assert.deepEqual(unpackEncryptedContent('gAAAAABxyz'), [
      { type: 'reasoning.encrypted', data: 'gAAAAABxyz' },
    ]);
    const damaged = 'monorelay.reasoning_details.v1:not-json';
    assert.deepEqual(unpackEncryptedContent(damaged), [{ type: 'reasoning.encrypted', data: damaged }]);
  });

  it('merges stream fragments by type and index: text appends, a signature replaces', () => {
    const details: ChatReasoningDetail[] = [];
    assert.equal(
      mergeReasoningDetailFragment(details, { type: 'reasoning.text', text: 'a', index: 0 }),
      true,
    );
    assert.equal(
      mergeReasoningDetailFragment(details, { type: 'reasoning.text', text: 'b', index: 0 }),
      false,
    );
    mergeReasoningDetailFragment(details, { type: 'reasoning.text', text: '', signature: 'sig', index: 0 });
    assert.equal(
      mergeReasoningDetailFragment(details, { type: 'reasoning.encrypted', data: 'x', index: 1 }),
      true,
    );
    assert.equal(
      mergeReasoningDetailFragment(details, { type: 'reasoning.text', text: 'c', index: 2 }),
      true,
    );
    assert.deepEqual(details, [
      { type: 'reasoning.text', text: 'ab', signature: 'sig', index: 0 },
      { type: 'reasoning.encrypted', data: 'x', index: 1 },
      { type: 'reasoning.text', text: 'c', index: 2 },
    ]);
  });

  it('keeps opaque blobs without an index apart', () => {
    const details: ChatReasoningDetail[] = [];
    mergeReasoningDetailFragment(details, { type: 'reasoning.encrypted', data: 'x' });
    mergeReasoningDetailFragment(details, { type: 'reasoning.encrypted', data: 'y' });
    assert.equal(details.length, 2);
  });
});
