import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatRequest } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { loadGoldenFiles, saveGoldenFile, updatingGoldens } from './golden-fixtures';
import { responsesToChatRequest } from './responses-to-chat';
import type { ResponsesRequest } from './responses.types';

interface RequestCase {
  description: string;
  request: ResponsesRequest;
  expected?: ChatRequest;
  /** The request cannot be carried: the UntranslatableError's `param`. */
  error?: { param: string };
}

for (const file of loadGoldenFiles<RequestCase>('request-')) {
  describe(`responsesToChatRequest (golden/${file.name})`, () => {
    after(() => saveGoldenFile(file));
    for (const testCase of file.cases) {
      it(testCase.description, () => {
        const request = structuredClone(testCase.request);
        if (testCase.error) {
          const { param } = testCase.error;
          assert.throws(
            () => responsesToChatRequest(request),
            (error: unknown) =>
              error instanceof UntranslatableError && error.param === param && error.message.includes(param),
          );
          return;
        }
        const actual = responsesToChatRequest(request);
        assert.deepEqual(request, testCase.request, 'the request is not modified');
        if (updatingGoldens) testCase.expected = actual;
        else assert.deepEqual(actual, testCase.expected);
      });
    }
  });
}
