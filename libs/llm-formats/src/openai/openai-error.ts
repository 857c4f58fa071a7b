/** The OpenAI error body: `{"error":{"message","type","param","code"}}`. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

export function openAiError(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/** The OpenAI error `type` conventionally used for an HTTP status. */
export function openAiErrorTypeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'invalid_request_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return status === 504 ? 'timeout_error' : 'api_error';
  return 'invalid_request_error';
}

/** Reads `{error:{message,type,code}}` (or a bare `{message}`) from an upstream error body. */
export function readOpenAiError(
  body: unknown,
): { message: string; type: string | null; code: string | null } | null {
  if (!body || typeof body !== 'object') return null;
  const inner = (body as { error?: unknown }).error;
  const source =
    inner && typeof inner === 'object' ? inner : typeof inner === 'string' ? { message: inner } : body;
  const { message, type, code } = source as { message?: unknown; type?: unknown; code?: unknown };
  if (typeof message !== 'string') return null;
  return {
    message,
    type: typeof type === 'string' ? type : null,
    code: typeof code === 'string' ? code : typeof code === 'number' ? String(code) : null,
  };
}
