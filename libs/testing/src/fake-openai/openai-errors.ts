// OpenAI's error bodies, worded like the real API so that classifiers keyed on them are tested honestly.
import type { OpenAiError } from './types';

export function openAiError(
  message: string,
  type: string | null,
  param: string | null = null,
  code: string | null = null,
): OpenAiError {
  return { message, type, param, code };
}

export function errorBody(error: OpenAiError): string {
  return JSON.stringify({ error });
}

/** The error a status gets when the behaviour names none. */
export function defaultErrorForStatus(status: number): OpenAiError {
  switch (status) {
    case 400:
      return openAiError('Invalid request.', 'invalid_request_error');
    case 401:
      return incorrectApiKey(undefined);
    case 403:
      return openAiError(
        'Country, region, or territory not supported',
        'request_forbidden',
        null,
        'unsupported_country_region_territory',
      );
    case 404:
      return openAiError('Not found.', 'invalid_request_error');
    case 429:
      return openAiError(
        'Rate limit reached for requests. Please try again later.',
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 500:
      return openAiError(
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case 502:
      return openAiError('Bad gateway.', 'server_error', null, 'bad_gateway');
    case 503:
      return openAiError('The server is overloaded or not ready yet.', 'server_error', null, 'overloaded');
    default:
      return openAiError(
        `Request failed with status ${status}.`,
        status >= 500 ? 'server_error' : 'invalid_request_error',
      );
  }
}

export function incorrectApiKey(key: string | undefined): OpenAiError {
  if (key === undefined) {
    return openAiError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
    );
  }
  return openAiError(
    `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    null,
    'invalid_api_key',
  );
}

/** OpenAI shows the first 3 and last 4 characters of a wrong key. */
export function maskKey(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export function invalidUrl(method: string, path: string): OpenAiError {
  return openAiError(`Invalid URL (${method} ${path})`, 'invalid_request_error');
}

export function unparsableJson(): OpenAiError {
  return openAiError(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    'invalid_request_error',
  );
}

export function missingModel(): OpenAiError {
  return openAiError('you must provide a model parameter', 'invalid_request_error');
}

export function missingParameter(param: string): OpenAiError {
  return openAiError(
    `Missing required parameter: '${param}'.`,
    'invalid_request_error',
    param,
    'missing_required_parameter',
  );
}

export function modelNotFound(model: string): OpenAiError {
  return openAiError(
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error',
    null,
    'model_not_found',
  );
}

/** The in-band error event a stream carries when the upstream fails mid-answer. */
export function streamServerError(): OpenAiError {
  return openAiError(
    'The server had an error while processing your request. Sorry about that!',
    'server_error',
  );
}
