import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatResponse } from '../openai/chat.types';
import { chatToResponsesResponse } from './chat-to-responses';
import { loadGoldenFiles, saveGoldenFile, updatingGoldens } from './golden-fixtures';
import type { ResponsesRequest, ResponsesResponse } from './responses.types';

interface ResponseCase {
  description: string;
  request: ResponsesRequest;
  options?: { responseId?: string; createdAt?: number };
  chat: ChatResponse;
  expected?: ResponsesResponse;
}

for (const file of loadGoldenFiles<ResponseCase>('response-')) {
  describe(`chatToResponsesResponse (golden/${file.name})`, () => {
    after(() => saveGoldenFile(file));
    for (const testCase of file.cases) {
      it(testCase.description, () => {
        const chat = structuredClone(testCase.chat);
        const actual = chatToResponsesResponse(
          chat,
          testCase.request,
          testCase.options ?? { responseId: 'resp_golden' },
        );
        assert.deepEqual(chat, testCase.chat, 'the chat response is not modified');
        if (updatingGoldens) testCase.expected = actual;
        else assert.deepEqual(actual, testCase.expected);
      });
    }
  });
}

describe('chatToResponsesResponse ids', () => {
  it('generates a resp_ id and derives item ids from it when none is given', () => {
    const response = chatToResponsesResponse(
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      },
      { model: 'm', input: 'hi' },
    );
    assert.match(response.id, /^resp_[0-9a-f]{32}$/);
    assert.equal(response.output[0].id, `msg_${response.id.slice('resp_'.length)}_0`);
  });
});
