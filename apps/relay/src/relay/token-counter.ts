import { createRequire } from 'node:module';

/**
 * Local token counts for `/v1/messages/count_tokens` when the target is not an Anthropic upstream
 * (which counts itself). OpenAI-family models are counted with their real tokenizer (o200k_base or
 * cl100k_base, from `gpt-tokenizer`); any other model gets a documented estimate.
 */

export type CountMethod = 'o200k_base' | 'cl100k_base' | 'estimate';

interface Encoder {
  countTokens(text: string): number;
}

const O200K = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss|codex)/i;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/i;

/** Which tokenizer counts this model (`openai/gpt-4o` style vendor prefixes are ignored). */
export function countMethodFor(model: string): CountMethod {
  const name = model.slice(model.lastIndexOf('/') + 1);
  if (O200K.test(name)) return 'o200k_base';
  if (CL100K.test(name)) return 'cl100k_base';
  return 'estimate';
}

// The vocabularies cost 45-75 MB of memory each: loaded on first use only.
const encoders = new Map<CountMethod, Encoder>();
const requireEncoding = createRequire(__filename);

function encoder(method: Exclude<CountMethod, 'estimate'>): Encoder {
  let loaded = encoders.get(method);
  if (!loaded) {
    loaded = requireEncoding(`gpt-tokenizer/encoding/${method}`) as Encoder;
    encoders.set(method, loaded);
  }
  return loaded;
}

/** A message's text as a model would read it: role, then the text of every part. */
export interface CountableMessage {
  role: string;
  texts: string[];
  /** Images in the message (counted at a fixed cost: their size is unknown here). */
  images: number;
}

export interface CountableRequest {
  system: string[];
  messages: CountableMessage[];
  /** Tool definitions, serialized. */
  tools: string[];
}

/** Tokens an image is counted as when its size is unknown (a ~1 megapixel image for Claude and GPT-4o). */
export const IMAGE_TOKENS = 1000;
/** OpenAI's chat framing: every message costs 3 tokens, the reply is primed with 3 more. */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export function countTokens(request: CountableRequest, method: CountMethod): number {
  const count = method === 'estimate' ? estimateTokens : (text: string) => encoder(method).countTokens(text);
  let total = REPLY_PRIMING;
  const system = request.system.join('\n\n');
  if (system) total += TOKENS_PER_MESSAGE + count(system);
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + count(message.role) + message.images * IMAGE_TOKENS;
    for (const text of message.texts) total += count(text);
  }
  for (const tool of request.tools) total += count(tool);
  return total;
}

const WIDE = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/g;

/**
 * The estimate for models without a known tokenizer: one token per CJK character (they rarely
 * share tokens) plus one per four other characters, rounded up.
 */
export function estimateTokens(text: string): number {
  const wide = text.match(WIDE)?.length ?? 0;
  return wide + Math.ceil((text.length - wide) / 4);
}

/** The countable parts of an Anthropic Messages request (system, messages, tools). */
export function countableFromMessages(body: Record<string, unknown>): CountableRequest {
  const system = typeof body.system === 'string' ? [body.system] : textsOf(body.system);
  const messages = (Array.isArray(body.messages) ? body.messages : []).map((message: unknown) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    const texts = typeof content === 'string' ? [content] : textsOf(content);
    const images = Array.isArray(content) ? content.filter((block) => isBlock(block, 'image')).length : 0;
    return { role: typeof role === 'string' ? role : 'user', texts, images };
  });
  const tools = (Array.isArray(body.tools) ? body.tools : []).map((tool: unknown) => JSON.stringify(tool));
  return { system, messages, tools };
}

function isBlock(block: unknown, type: string): boolean {
  return !!block && typeof block === 'object' && (block as { type?: unknown }).type === type;
}

/** Text carried by content blocks: text, thinking, tool inputs and tool results. */
function textsOf(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  const texts: string[] = [];
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    const b = block as Record<string, unknown>;
    if (typeof b.text === 'string') texts.push(b.text);
    if (typeof b.thinking === 'string') texts.push(b.thinking);
    if (b.type === 'tool_use') texts.push(String(b.name ?? ''), JSON.stringify(b.input ?? {}));
    if (b.type === 'tool_result') {
      if (typeof b.content === 'string') texts.push(b.content);
      else texts.push(...textsOf(b.content));
    }
  }
  return texts;
}
