/**
 * Known upstreams as data: where they live, how they authenticate and what they support. A
 * provider uses a preset when its name or its base_url's host matches; any other base_url is a
 * generic OpenAI-compatible API.
 */
export interface ProviderPreset {
  id: string;
  /** The wire protocol: which `provider_type` the preset belongs to. */
  type: 'api' | 'anthropic';
  /** Used when the provider's `base_url` is empty. */
  baseUrl: string;
  /** Host names that identify this preset in a configured base_url. */
  hosts: string[];
  /** Header that carries the key; `authorization` gets the `Bearer ` scheme. */
  authHeader: 'authorization' | 'x-api-key';
  /** Honours `stream_options.include_usage` (so the relay can read usage from streams). */
  streamUsage: boolean;
  /** Serves the OpenAI Responses API (`POST /responses`). */
  responsesApi: boolean;
  /** Headers every request to this upstream carries (the provider's own `headers` win). */
  defaultHeaders: Record<string, string>;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    type: 'api',
    baseUrl: 'https://api.openai.com/v1',
    hosts: ['api.openai.com'],
    authHeader: 'authorization',
    streamUsage: true,
    responsesApi: true,
    defaultHeaders: {},
  },
  {
    id: 'openrouter',
    type: 'api',
    baseUrl: 'https://openrouter.ai/api/v1',
    hosts: ['openrouter.ai'],
    authHeader: 'authorization',
    streamUsage: true,
    responsesApi: true,
    defaultHeaders: { 'x-title': 'MonoRelay' },
  },
  {
    id: 'nvidia',
    type: 'api',
    baseUrl: 'https://integrate.api.nvidia.com/v1',
    hosts: ['integrate.api.nvidia.com'],
    authHeader: 'authorization',
    streamUsage: true,
    responsesApi: false,
    defaultHeaders: {},
  },
  {
    id: 'deepseek',
    type: 'api',
    baseUrl: 'https://api.deepseek.com/v1',
    hosts: ['api.deepseek.com'],
    authHeader: 'authorization',
    streamUsage: true,
    responsesApi: false,
    defaultHeaders: {},
  },
  {
    id: 'groq',
    type: 'api',
    baseUrl: 'https://api.groq.com/openai/v1',
    hosts: ['api.groq.com'],
    authHeader: 'authorization',
    streamUsage: true,
    responsesApi: true,
    defaultHeaders: {},
  },
  {
    id: 'anthropic',
    type: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    hosts: ['api.anthropic.com'],
    authHeader: 'x-api-key',
    streamUsage: false,
    responsesApi: false,
    defaultHeaders: {},
  },
];

/** Any other OpenAI-compatible base_url: assume the common subset. */
export const GENERIC_OPENAI_COMPATIBLE: ProviderPreset = {
  id: 'openai-compatible',
  type: 'api',
  baseUrl: '',
  hosts: [],
  authHeader: 'authorization',
  streamUsage: true,
  responsesApi: true,
  defaultHeaders: {},
};

/** llama.cpp's llama-server (local models the lifecycle starts): chat and completions, no Responses API. */
export const LOCAL_LLAMA_CPP: ProviderPreset = {
  id: 'llama-cpp',
  type: 'api',
  baseUrl: '',
  hosts: [],
  authHeader: 'authorization',
  streamUsage: true,
  responsesApi: false,
  defaultHeaders: {},
};

const normalizeName = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, '');

/** Any other Anthropic-compatible base_url. */
export const GENERIC_ANTHROPIC_COMPATIBLE: ProviderPreset = {
  id: 'anthropic-compatible',
  type: 'anthropic',
  baseUrl: '',
  hosts: [],
  authHeader: 'x-api-key',
  streamUsage: false,
  responsesApi: false,
  defaultHeaders: {},
};

/**
 * The preset for a provider of this `provider_type`: by base_url host first, then (when base_url is
 * empty) by provider name, then the type's only preset (anthropic).
 */
export function findPreset(
  providerName: string,
  baseUrl: string,
  type: string = 'api',
): ProviderPreset | null {
  const presets = PROVIDER_PRESETS.filter((preset) => preset.type === type);
  if (baseUrl) {
    let host = '';
    try {
      host = new URL(baseUrl).hostname.toLowerCase();
    } catch {
      return null;
    }
    return presets.find((preset) => preset.hosts.includes(host)) ?? null;
  }
  const name = normalizeName(providerName);
  return (
    presets.find((preset) => name === preset.id || name.startsWith(preset.id)) ??
    (presets.length === 1 ? presets[0] : null)
  );
}
