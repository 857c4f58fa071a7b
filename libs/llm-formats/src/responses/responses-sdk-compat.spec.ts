import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { serializeSseMessages } from '../translation/stream-transcoder';
import { createChatToResponsesStream } from './chat-to-responses-stream';
import { loadGoldenFiles } from './golden-fixtures';
import type { ResponsesRequest, ResponsesResponse } from './responses.types';

interface StreamCase {
  description: string;
  request: ResponsesRequest;
  options?: { responseId?: string; createdAt?: number };
  chunks: unknown[];
}

/** The SDK's parse helpers add `parsed` / `parsed_arguments` to what it received. */
const withoutSdkAdditions = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, inner: unknown) =>
      key === 'parsed' || key === 'parsed_arguments' ? undefined : inner,
    ),
  );

/** The official SDK's stream accumulator reads each translated stream to the same final response. */
for (const file of loadGoldenFiles<StreamCase>('stream-')) {
  describe(`openai SDK responses.stream() over golden/${file.name}`, () => {
    for (const testCase of file.cases) {
      it(testCase.description, async () => {
        const transcoder = createChatToResponsesStream({
          request: testCase.request,
          ...(testCase.options ?? { responseId: 'resp_golden' }),
        });
        const events = testCase.chunks.flatMap((data) => transcoder.push({ data }));
        events.push(...transcoder.finish());
        const ours = (events.at(-1)!.data as { response: ResponsesResponse }).response;
        const body = serializeSseMessages(events);
        const client = new OpenAI({
          apiKey: 'test',
          baseURL: 'http://relay.invalid/v1',
          maxRetries: 0,
          fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
        });

        const stream = client.responses.stream({ model: testCase.request.model, input: 'x' });
        for await (const event of stream) assert.equal(typeof event.sequence_number, 'number');
        const final = await stream.finalResponse();
        assert.equal(final.status, ours.status);
        assert.deepEqual(withoutSdkAdditions(final.output), withoutSdkAdditions(ours.output));
      });
    }
  });
}
