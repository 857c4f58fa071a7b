import { performance } from 'node:perf_hooks';
import type { KeyLease, KeyOutcome } from '../keys/key-lease';
import { parseRateLimitReset } from '../keys/rate-limit-reset';
import type { RuntimeProvider } from '../providers/runtime-provider';
import { classifyTransportError, classifyUpstreamStatus, keyOutcomeFor } from '../relay/failure-policy';
import { readUpstreamBody } from '../relay/request-body';
import { scrubSecrets } from '../config-editor/config-masking';

export const TEST_PROMPT = 'Reply with OK';
const TEST_MAX_TOKENS = 16;
const ANSWER_LIMIT = 500;

export interface ChatCheck {
  ok: boolean;
  latencyMs: number;
  status: number | null;
  answer: string | null;
  error: string | null;
  /** What the outcome does to the key, as on the relay path. */
  outcome: KeyOutcome;
}

/**
 * One small non-streaming chat call in the provider's own format (no translation, no routing),
 * bounded by the provider's `timeout`. Error texts never contain the key.
 */
export async function checkChat(
  provider: RuntimeProvider,
  lease: KeyLease,
  model: string,
): Promise<ChatCheck> {
  const anthropic = provider.adapter.kind === 'anthropic';
  const body = {
    model,
    max_tokens: TEST_MAX_TOKENS,
    messages: [{ role: 'user', content: TEST_PROMPT }],
    ...(anthropic ? {} : { stream: false }),
  };
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const response = await provider.adapter.send({
      provider,
      key: lease,
      path: anthropic ? '/messages' : '/chat/completions',
      method: 'POST',
      body: JSON.stringify(body),
      contentType: 'application/json',
      signal: AbortSignal.timeout(provider.config.timeout * 1000),
    });
    const raw = await readUpstreamBody(response.body);
    if (response.status >= 300) {
      const failed = classifyUpstreamStatus(response.status, response.headers, raw, provider.config, (h) =>
        parseRateLimitReset(h, Date.now()),
      );
      return {
        ok: false,
        latencyMs: elapsed(),
        status: response.status,
        answer: null,
        error: scrubSecrets(failed.detail, [lease.secret]),
        outcome: keyOutcomeFor(failed) ?? { kind: 'client_error' },
      };
    }
    const answer = answerText(raw, anthropic);
    if (answer === null) {
      return {
        ok: false,
        latencyMs: elapsed(),
        status: response.status,
        answer: null,
        error: `upstream returned ${response.status} but no ${anthropic ? 'Messages' : 'chat completion'} answer`,
        outcome: { kind: 'success' },
      };
    }
    return {
      ok: true,
      latencyMs: elapsed(),
      status: response.status,
      answer: answer.slice(0, ANSWER_LIMIT),
      error: null,
      outcome: { kind: 'success' },
    };
  } catch (error) {
    const failed = isAbortTimeout(error)
      ? classifyTransportError({ code: 'UND_ERR_HEADERS_TIMEOUT' }, provider.config.timeout)
      : classifyTransportError(error, provider.config.timeout);
    return {
      ok: false,
      latencyMs: elapsed(),
      status: null,
      answer: null,
      error: scrubSecrets(failed.detail, [lease.secret]),
      outcome: keyOutcomeFor(failed) ?? { kind: 'server_error' },
    };
  }
}

export type ModelsCheck = { ok: true; ids: string[] } | { ok: false; error: string };

/** The upstream's model list: OpenAI's `GET /models` (`{data:[{id}]}`), Anthropic's `GET /v1/models`. */
export async function fetchUpstreamModels(provider: RuntimeProvider, lease: KeyLease): Promise<ModelsCheck> {
  const anthropic = provider.adapter.kind === 'anthropic';
  try {
    const response = await provider.adapter.send({
      provider,
      key: lease,
      // Anthropic pages its list (20 by default); 1000 is its largest page.
      path: anthropic ? '/models?limit=1000' : '/models',
      method: 'GET',
      signal: AbortSignal.timeout(provider.config.timeout * 1000),
    });
    const raw = await readUpstreamBody(response.body);
    if (response.status >= 300) {
      const failed = classifyUpstreamStatus(
        response.status,
        response.headers,
        raw,
        provider.config,
        () => null,
      );
      return { ok: false, error: scrubSecrets(failed.detail, [lease.secret]) };
    }
    const ids = modelIds(raw);
    return ids === null
      ? {
          ok: false,
          error: 'the upstream answered its model list in an unknown format (expected {"data":[{"id":...}]})',
        }
      : { ok: true, ids };
  } catch (error) {
    const failed = isAbortTimeout(error)
      ? classifyTransportError({ code: 'UND_ERR_HEADERS_TIMEOUT' }, provider.config.timeout)
      : classifyTransportError(error, provider.config.timeout);
    return { ok: false, error: scrubSecrets(failed.detail, [lease.secret]) };
  }
}

function answerText(raw: Buffer, anthropic: boolean): string | null {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (anthropic) {
    const content = (body as { content?: unknown }).content;
    if (!Array.isArray(content)) return null;
    return content
      .map((block: { type?: unknown; text?: unknown }) =>
        block?.type === 'text' && typeof block.text === 'string' ? block.text : '',
      )
      .join('');
  }
  const choices = (body as { choices?: Array<{ message?: { content?: unknown } }> }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return null;
  const content = choices[0]?.message?.content;
  return typeof content === 'string' ? content : '';
}

function modelIds(raw: Buffer): string[] | null {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return null;
  return data
    .map((model: unknown) => (model as { id?: unknown })?.id)
    .filter((id): id is string => typeof id === 'string');
}

/** The whole call ran past `timeout` (AbortSignal.timeout), e.g. while reading the body. */
function isAbortTimeout(error: unknown): boolean {
  return (error as { name?: unknown })?.name === 'TimeoutError';
}
