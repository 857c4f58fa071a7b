import type { ChatReasoningDetail } from '../openai/chat.types';

/**
 * Carries chat `reasoning_details` (thinking text with its signature, opaque encrypted blobs) through
 * a Responses client and back, inside the reasoning item's `encrypted_content`.
 *
 * A Responses client keeps reasoning items and sends them back in the next turn's input; an
 * Anthropic upstream only accepts thinking back with its signature intact, and a redacted block
 * back as its exact blob. One `encrypted_content` string cannot say which of those it was, so the
 * relay packs the whole `reasoning_details` array under a prefix and unpacks it exactly. Any other
 * `encrypted_content` (from a real OpenAI response) is treated as one opaque `reasoning.encrypted`.
 */
const PACKED_PREFIX = 'monorelay.reasoning_details.v1:';

/** Keys are sorted so that details assembled from stream fragments pack to the same string. */
export function packReasoningDetails(details: readonly ChatReasoningDetail[]): string {
  const canonical = details.map((detail) =>
    Object.fromEntries(Object.entries(detail).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
  return PACKED_PREFIX + Buffer.from(JSON.stringify(canonical), 'utf8').toString('base64url');
}

export function unpackEncryptedContent(encryptedContent: string): ChatReasoningDetail[] {
  if (encryptedContent.startsWith(PACKED_PREFIX)) {
    const packed = decodePacked(encryptedContent.slice(PACKED_PREFIX.length));
    if (packed) return packed;
  }
  return [{ type: 'reasoning.encrypted', data: encryptedContent }];
}

function decodePacked(payload: string): ChatReasoningDetail[] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every(isReasoningDetail)) return parsed;
  } catch {
    // Not ours after all: fall back to treating it as opaque.
  }
  return null;
}

function isReasoningDetail(value: unknown): value is ChatReasoningDetail {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** The plain reasoning text of a chat message or delta: `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
export function plainReasoningText(source: {
  reasoning_content?: unknown;
  reasoning?: unknown;
}): string | null {
  for (const value of [source.reasoning_content, source.reasoning]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** The readable text of one detail: `text` (reasoning.text) or `summary` (OpenRouter reasoning.summary). */
export function reasoningDetailText(detail: ChatReasoningDetail): string {
  if (typeof detail.text === 'string') return detail.text;
  const summary = (detail as { summary?: unknown }).summary;
  return typeof summary === 'string' ? summary : '';
}

/**
 * The summary parts a reasoning item shows: the plain reasoning text when the upstream sent one
 * (`reasoning_content` / `reasoning`), else one part per reasoning detail that has text.
 */
export function reasoningSummaryTexts(
  plainText: string | null | undefined,
  details: readonly ChatReasoningDetail[] | undefined,
): string[] {
  if (plainText) return [plainText];
  return (details ?? []).map(reasoningDetailText).filter((text) => text !== '');
}

/**
 * Folds one streamed `reasoning_details` fragment into the details gathered so far: a fragment of
 * the same type and index as the last detail (both without index counts as the same, except for
 * opaque blobs) continues it; anything else starts a new detail. Returns whether it started one.
 * This is how a non-stream `reasoning_details` array relates to its streamed fragments, so both
 * paths give the same reasoning item.
 */
export function mergeReasoningDetailFragment(
  details: ChatReasoningDetail[],
  fragment: ChatReasoningDetail,
): boolean {
  const last = details.at(-1);
  const continues =
    last !== undefined &&
    last.type === fragment.type &&
    last.index === fragment.index &&
    (fragment.index !== undefined || fragment.type !== 'reasoning.encrypted');
  if (!last || !continues) {
    details.push({ ...fragment });
    return true;
  }
  const merged = last as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(fragment)) {
    if (value === undefined || value === null) continue;
    const previous = merged[key];
    // Text streams in pieces; a signature or blob arrives whole, so a later one replaces.
    merged[key] =
      (key === 'text' || key === 'summary') && typeof previous === 'string'
        ? previous + String(value)
        : value;
  }
  return false;
}
