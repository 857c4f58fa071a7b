import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../openai/chat.types';
import { chatToResponsesResponse } from './chat-to-responses';
import { responsesToChatRequest } from './responses-to-chat';
import type { ResponsesInputItem } from './responses.types';

/**
 * A chat answer sent to a Responses client, whose output items come back as the next request's
 * input, reaches the chat upstream as the same assistant message (what an Anthropic upstream needs
 * to accept its signed thinking back).
 */
const assistantMessages: Array<[string, ChatMessage & { role: 'assistant' }]> = [
  ['text', { role: 'assistant', content: 'Hello!' }],
  ['refusal', { role: 'assistant', content: null, refusal: "I can't help with that." }],
  [
    'text and parallel tool calls',
    {
      role: 'assistant',
      content: 'Checking both.',
      tool_calls: [
        {
          id: 'call_paris',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
        {
          id: 'call_rome',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
        },
      ],
    },
  ],
  ['plain reasoning', { role: 'assistant', content: '4', reasoning_content: 'Two plus two is four.' }],
  [
    'signed and redacted thinking with a tool call',
    {
      role: 'assistant',
      content: 'Checking.',
      reasoning_content: 'The user wants the weather.',
      reasoning_details: [
        {
          type: 'reasoning.text',
          text: 'The user wants the weather.',
          signature: 'sig-abc',
          format: 'anthropic-claude-v1',
          index: 0,
        },
        { type: 'reasoning.encrypted', data: 'redacted-xyz', format: 'anthropic-claude-v1', index: 1 },
      ],
      tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    },
  ],
];

describe('chat -> Responses -> chat round trip', () => {
  for (const [name, message] of assistantMessages) {
    it(name, () => {
      const response = chatToResponsesResponse(
        {
          id: 'chatcmpl-rt',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
        },
        { model: 'm', input: 'Hi' },
        { responseId: 'resp_rt' },
      );
      const input = [{ role: 'user', content: 'Hi' }, ...response.output] as ResponsesInputItem[];
      const chat = responsesToChatRequest({ model: 'm', input });
      assert.deepEqual(chat.messages, [{ role: 'user', content: 'Hi' }, message]);
    });
  }
});
