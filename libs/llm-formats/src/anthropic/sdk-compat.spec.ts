// The official SDKs read the translated streams: their accumulators (Anthropic's MessageStream,
// OpenAI's ChatCompletionStream) must rebuild exactly the answer the non-streaming converters give.
import { Stream as AnthropicStream } from '@anthropic-ai/sdk/core/streaming';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Stream as OpenAiStream } from 'openai/core/streaming';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import {
  type SseMessage,
  type StreamTranscoder,
  serializeSseMessages,
} from '../translation/stream-transcoder';
import { createMessagesToChatStream, messagesToChatResponse } from './chat-to-messages';
import { chatToMessagesResponse, createChatToMessagesStream } from './messages-to-chat';
import {
  Random,
  chatChunks,
  messagesEvents,
  randomChatResponse,
  randomMessagesResponse,
} from './random-exchanges';

const RUNS = 100;

function sse(transcoder: StreamTranscoder, events: readonly SseMessage[]): Response {
  const out = [...events.flatMap((event) => transcoder.push(structuredClone(event))), ...transcoder.finish()];
  return new Response(serializeSseMessages(out), { headers: { 'content-type': 'text/event-stream' } });
}

async function anthropicSdkMessage(response: Response): Promise<unknown> {
  const events = AnthropicStream.fromSSEResponse(response, new AbortController());
  const message = await MessageStream.fromReadableStream(events.toReadableStream()).finalMessage();
  return JSON.parse(JSON.stringify({ ...message, parsed_output: undefined }));
}

async function openAiSdkCompletion(response: Response): Promise<unknown> {
  const chunks = OpenAiStream.fromSSEResponse(response, new AbortController());
  const completion = await ChatCompletionStream.fromReadableStream(
    chunks.toReadableStream(),
  ).finalChatCompletion();
  return JSON.parse(JSON.stringify(completion));
}

describe('the Anthropic SDK reads chat answers translated to Anthropic streams', () => {
  it(`${RUNS} random answers: MessageStream.finalMessage() equals the non-streaming translation`, async () => {
    const random = new Random(11);
    for (let i = 0; i < RUNS; i++) {
      const chat = randomChatResponse(random);
      const whole = chatToMessagesResponse(chat);
      const stream = sse(
        createChatToMessagesStream({ model: chat.model, messageId: whole.id }),
        chatChunks(chat, random),
      );
      assert.deepEqual(await anthropicSdkMessage(stream), JSON.parse(JSON.stringify(whole)), `run ${i}`);
    }
  });
});

describe('the OpenAI SDK reads Anthropic answers translated to chat streams', () => {
  it(`${RUNS} random answers: finalChatCompletion() has the non-streaming content, tool calls, finish reason and usage`, async () => {
    const random = new Random(12);
    for (let i = 0; i < RUNS; i++) {
      const anthropic = randomMessagesResponse(random);
      const whole = messagesToChatResponse(anthropic, { created: 7 });
      const stream = sse(
        createMessagesToChatStream({ includeUsage: true, created: 7 }),
        messagesEvents(anthropic, random),
      );
      const completion = (await openAiSdkCompletion(stream)) as typeof whole;
      const [choice] = completion.choices;
      const [expected] = whole.choices;
      assert.equal(completion.id, whole.id);
      assert.equal(completion.model, whole.model);
      assert.equal(choice.finish_reason, expected.finish_reason, `run ${i}`);
      assert.equal(choice.message.content || null, expected.message.content || null, `run ${i}`);
      assert.deepEqual(choice.message.tool_calls ?? [], expected.message.tool_calls ?? [], `run ${i}`);
      assert.deepEqual(completion.usage, whole.usage, `run ${i}`);
    }
  });
});
