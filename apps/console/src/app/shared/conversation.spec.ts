import { prettyBody, requestTurns, responseTurns } from './conversation';

describe('conversation view of stored bodies', () => {
  it('reads an OpenAI chat request: system, user parts, assistant tool calls with reasoning, tool results', () => {
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'Need the tool.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    const turns = requestTurns(body);
    expect(turns.map((turn) => turn.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(turns[1]!.parts.map((part) => part.kind)).toEqual(['text', 'image']);
    expect(turns[2]!.parts).toEqual([
      { kind: 'thinking', text: 'Need the tool.' },
      { kind: 'tool_call', name: 'weather', text: '{\n  "city": "Paris"\n}' },
    ]);
    expect(turns[3]!.parts[0]).toEqual({ kind: 'tool_result', name: 'c1', text: 'sunny' });
  });

  it('reads an Anthropic request: top-level system, thinking, tool_use and tool_result blocks', () => {
    const body = JSON.stringify({
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 's' },
            { type: 'tool_use', id: 't1', name: 'lookup', input: { q: 1 } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: '42' }] }],
        },
      ],
    });
    const turns = requestTurns(body);
    expect(turns[0]).toEqual({ role: 'system', parts: [{ kind: 'text', text: 'You are terse.' }] });
    expect(turns[2]!.parts.map((part) => part.kind)).toEqual(['thinking', 'tool_call']);
    expect(turns[3]!.parts[0]).toEqual({ kind: 'tool_result', name: 't1', text: '42' });
  });

  it('reads an OpenAI Responses request (instructions and input items)', () => {
    const turns = requestTurns(JSON.stringify({ instructions: 'Be kind.', input: 'Hello' }));
    expect(turns).toEqual([
      { role: 'system', parts: [{ kind: 'text', text: 'Be kind.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Hello' }] },
    ]);
  });

  it('puts an OpenAI chat stream back together: reasoning, text, streamed tool-call arguments', () => {
    const frames = [
      { choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'think ' } }] },
      { choices: [{ index: 0, delta: { reasoning_content: 'more' } }] },
      { choices: [{ index: 0, delta: { content: 'Hel' } }] },
      { choices: [{ index: 0, delta: { content: 'lo' } }] },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a"' } }] } },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] } }] },
    ];
    const sse = frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('') + 'data: [DONE]\n\n';
    expect(responseTurns(sse)).toEqual([
      {
        role: 'assistant',
        parts: [
          { kind: 'thinking', text: 'think more' },
          { kind: 'text', text: 'Hello' },
          { kind: 'tool_call', name: 'f', text: '{\n  "a": 1\n}' },
        ],
      },
    ]);
  });

  it('puts an Anthropic stream back together, and shows an in-band error event', () => {
    const events = [
      { type: 'message_start', message: { role: 'assistant' } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'plan' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi there' } },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ];
    const sse = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    expect(responseTurns(sse)).toEqual([
      {
        role: 'assistant',
        parts: [
          { kind: 'thinking', text: 'plan' },
          { kind: 'text', text: 'Hi there' },
        ],
      },
      { role: 'error', parts: [{ kind: 'text', text: 'Overloaded' }] },
    ]);
  });

  it('reads JSON answers of both APIs and error answers', () => {
    expect(
      responseTurns(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'A' } }] })),
    ).toEqual([{ role: 'assistant', parts: [{ kind: 'text', text: 'A' }] }]);
    expect(
      responseTurns(
        JSON.stringify({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'B' }] }),
      ),
    ).toEqual([{ role: 'assistant', parts: [{ kind: 'text', text: 'B' }] }]);
    expect(responseTurns(JSON.stringify({ error: { message: 'nope' } }))).toEqual([
      { role: 'error', parts: [{ kind: 'text', text: 'nope' }] },
    ]);
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('data: x')).toBe('data: x');
    expect(prettyBody(null)).toBe('');
    expect(requestTurns('not json')).toEqual([]);
  });
});
