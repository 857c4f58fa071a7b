import type { RequestLogBodies } from '@monorelay/contracts';
import type { RelayConfig } from '../config/relay-config';
import type { BodyCapture, BodyParts } from './body-capture';
import { redactSecrets } from './redaction';

function textOf(parts: BodyParts, config: RelayConfig): string | null {
  if (parts.isEmpty()) return null;
  const text = parts.parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
  return redactSecrets(text, config);
}

/**
 * The stored form of an exchange's bodies: text, secrets redacted, identical bodies stored once
 * (null means "same as the other side"). Runs in the log writer's batch, not on the request path.
 */
export function bodiesOf(capture: BodyCapture, config: RelayConfig): RequestLogBodies | null {
  if (!capture.enabled) return null;
  return {
    clientRequest: textOf(capture.clientRequest, config),
    upstreamRequest: capture.upstreamRequestIsClient ? null : textOf(capture.upstreamRequest, config),
    upstreamResponse: textOf(capture.upstreamResponse, config),
    clientResponse: capture.clientResponseIsUpstream ? null : textOf(capture.clientResponse, config),
    truncated:
      capture.clientRequest.truncated ||
      capture.upstreamRequest.truncated ||
      capture.upstreamResponse.truncated ||
      capture.clientResponse.truncated,
  };
}
