import type {
  RequestAttempt,
  RequestErrorType,
  RequestLogBodies,
  RequestLogEntry,
} from '@monorelay/contracts';
import type { LogRecord } from '../../log-record';

/**
 * Realistic synthetic log records for the store's tests and the seed/benchmark script
 * (`bench/seed-logs.ts`): deterministic for a seed. Not used by the relay itself.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

/**
 * A UUIDv7 for a given time: 48-bit ms timestamp, version 7, then random bits; with increasing
 * `timestamp` the ids sort in time order like the relay's (`uuid` v7).
 */
export function uuidv7At(timestamp: number, random: () => number): string {
  const time = Math.floor(timestamp).toString(16).padStart(12, '0');
  let rest = '';
  for (let i = 0; i < 19; i++) rest += HEX[(random() * 16) | 0];
  const variant = HEX[8 + ((random() * 4) | 0)];
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rest.slice(0, 3)}-${variant}${rest.slice(3, 6)}-` +
    rest.slice(6, 18)
  );
}

interface ModelProfile {
  provider: string;
  model: string;
  keys: string[];
  /** USD per 1M input / output tokens; null = no known price. */
  price: [number, number] | null;
  /** Typical first-token and per-output-token ms. */
  firstTokenMs: number;
  msPerToken: number;
}

export const MODEL_PROFILES: readonly ModelProfile[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    keys: ['team-a', 'team-b'],
    price: [2.5, 10],
    firstTokenMs: 450,
    msPerToken: 12,
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    keys: ['team-a', 'team-b'],
    price: [0.15, 0.6],
    firstTokenMs: 300,
    msPerToken: 8,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    keys: ['main', 'backup'],
    price: [3, 15],
    firstTokenMs: 700,
    msPerToken: 14,
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    keys: ['main'],
    price: [1, 5],
    firstTokenMs: 400,
    msPerToken: 7,
  },
  {
    provider: 'openrouter',
    model: 'deepseek/deepseek-chat',
    keys: ['or-1', 'or-2', 'or-3'],
    price: [0.27, 1.1],
    firstTokenMs: 1200,
    msPerToken: 25,
  },
  {
    provider: 'openrouter',
    model: 'meta-llama/llama-3.3-70b-instruct',
    keys: ['or-1'],
    price: [0.13, 0.4],
    firstTokenMs: 900,
    msPerToken: 18,
  },
  {
    provider: 'groq',
    model: 'llama-3.1-8b-instant',
    keys: ['g1'],
    price: [0.05, 0.08],
    firstTokenMs: 120,
    msPerToken: 1.5,
  },
  { provider: 'local', model: 'qwen2.5-coder-7b', keys: [], price: null, firstTokenMs: 250, msPerToken: 30 },
];

const WORDS = (
  'the a model answer question code function error request response user system assistant tool call ' +
  'stream token cache latency provider key route fallback json schema value list table index query ' +
  'refactor explain summarize translate test build deploy config retry timeout limit quota price cost'
).split(' ');

const ERRORS: ReadonlyArray<{ type: RequestErrorType; code: string; status: number; message: string }> = [
  { type: 'rate_limit', code: 'rate_limited', status: 429, message: 'Rate limit reached for requests' },
  {
    type: 'upstream_error',
    code: 'upstream_5xx',
    status: 502,
    message: 'Upstream returned 503 Service Unavailable',
  },
  { type: 'timeout', code: 'timeout', status: 504, message: 'No response headers within 60 s' },
  { type: 'client_error', code: 'invalid_request', status: 400, message: 'messages: field required' },
  {
    type: 'stream_interrupted',
    code: 'stream_cut',
    status: 200,
    message: 'Upstream stream ended without a finish reason',
  },
];

export interface RecordOptions {
  /** Epoch ms of the request. */
  timestamp: number;
  random: () => number;
  /** Users to pick from; null = the shared access key. */
  users?: ReadonlyArray<string | null>;
  /** Fraction of failed requests. */
  errorRate?: number;
  /** Attach bodies of about this many bytes each (client request, upstream response); 0 = none. */
  bodyBytes?: number;
  previewLength?: number;
}

export const DEFAULT_USERS: ReadonlyArray<string | null> = [
  null,
  ...Array.from({ length: 24 }, (_, i) => `user-${String(i + 1).padStart(2, '0')}`),
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[(random() * items.length) | 0];
}

export function words(count: number, random: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(WORDS, random));
  return out.join(' ');
}

function textOfLength(bytes: number, random: () => number): string {
  let text = '';
  while (text.length < bytes) text += `${words(12, random)} ${(random() * 1e6) | 0}. `;
  return text.slice(0, bytes);
}

/** One synthetic record. */
export function makeLogRecord(options: RecordOptions): LogRecord {
  const { timestamp, random } = options;
  const profile = pick(MODEL_PROFILES, random);
  const failed = random() < (options.errorRate ?? 0.05);
  const error = failed ? pick(ERRORS, random) : null;
  const streaming = random() < 0.6;
  const inputTokens = 50 + ((random() * random() * 8000) | 0);
  const outputTokens = failed && error!.status !== 200 ? 0 : 10 + ((random() * random() * 1500) | 0);
  const firstTokenMs =
    failed && error!.status !== 200 ? null : Math.round(profile.firstTokenMs * (0.5 + random() * 1.5));
  const latencyMs =
    firstTokenMs === null
      ? Math.round(50 + random() * 3000)
      : firstTokenMs + Math.round(outputTokens * profile.msPerToken * (0.7 + random() * 0.6));
  const keyLabel = profile.keys.length ? pick(profile.keys, random) : null;
  const userId = pick(options.users ?? DEFAULT_USERS, random);
  const cacheRead = random() < 0.3 ? (inputTokens * random() * 0.8) | 0 : 0;
  const cost = profile.price
    ? (inputTokens * profile.price[0] + outputTokens * profile.price[1]) / 1e6
    : null;
  const previewLength = options.previewLength ?? 200;
  const attempts: RequestAttempt[] = [
    {
      provider: profile.provider,
      model: profile.model,
      keyLabel,
      outcome: failed ? (error!.type === 'rate_limit' ? 'rate_limited' : 'server_error') : 'success',
      status: failed ? error!.status : 200,
      durationMs: latencyMs,
      detail: failed ? error!.message : null,
    },
  ];
  const entry: RequestLogEntry = {
    id: uuidv7At(timestamp, random),
    requestId: `req_${Math.floor(random() * 2 ** 48).toString(36)}`,
    timestamp,
    state: failed ? 'failed' : 'success',
    endpoint: 'chat.completions',
    method: 'POST',
    path: '/v1/chat/completions',
    streaming,
    principal: userId ? `user:${userId}` : 'access_key',
    userId,
    relayKeyId: userId ? `rk_${userId}` : null,
    clientIp: `10.0.${(random() * 4) | 0}.${(random() * 250) | 0}`,
    userAgent: pick(
      ['OpenAI/Python 1.99.0', 'AsyncOpenAI/Python 1.99.0', 'Anthropic/JS 0.60.0', 'curl/8.5.0'],
      random,
    ),
    requestedModel: profile.model,
    servedModel: failed ? null : profile.model,
    provider: profile.provider,
    keyLabel,
    statusCode: failed ? error!.status : 200,
    latencyMs,
    firstTokenMs,
    inputTokens,
    outputTokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    errorType: error?.type ?? null,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    errorDetails: error ? JSON.stringify({ upstreamStatus: error.status }) : null,
    costUsd: cost,
    requestPreview: textOfLength(Math.min(previewLength, 40 + ((random() * previewLength) | 0)), random),
    responsePreview: failed
      ? null
      : textOfLength(Math.min(previewLength, 20 + ((random() * previewLength) | 0)), random),
    attempts,
    routeSteps: [`model ${profile.model} -> ${profile.provider}`],
  };
  const bodyBytes = options.bodyBytes ?? 0;
  const bodies: RequestLogBodies | null =
    bodyBytes > 0
      ? {
          clientRequest: JSON.stringify({
            model: profile.model,
            stream: streaming,
            messages: [{ role: 'user', content: textOfLength(bodyBytes - 80, random) }],
          }),
          upstreamRequest: null,
          upstreamResponse: JSON.stringify({
            id: entry.requestId,
            model: profile.model,
            choices: [{ message: { role: 'assistant', content: textOfLength(bodyBytes - 120, random) } }],
          }),
          clientResponse: null,
          truncated: false,
        }
      : null;
  return { entry, bodies };
}

/** `count` records spread evenly over [from, to), oldest first. */
export function makeLogRecords(
  count: number,
  from: number,
  to: number,
  options: Omit<RecordOptions, 'timestamp'>,
): LogRecord[] {
  const step = (to - from) / count;
  return Array.from({ length: count }, (_, i) =>
    makeLogRecord({ ...options, timestamp: Math.floor(from + i * step + options.random() * step) }),
  );
}
