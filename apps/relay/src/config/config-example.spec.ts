import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMetadataStorage } from 'class-validator';
import { formatIssue } from './config-issue';
import { AuthConfigDto } from './dto/auth-config.dto';
import { DatabaseConfigDto } from './dto/database-config.dto';
import {
  CircuitBreakerDto,
  LifecycleConfigDto,
  LocalModelDto,
  SamplingDefaultsDto,
} from './dto/lifecycle-config.dto';
import { KeySelectionConfigDto } from './dto/key-selection-config.dto';
import { LoggingConfigDto } from './dto/logging-config.dto';
import { ModelParamsRuleDto } from './dto/model-params-rule.dto';
import {
  CascadeConfigDto,
  ComplexityConfigDto,
  GlobalParamsDto,
  ModelRoutingConfigDto,
  PayloadTransformationDto,
  PayloadTransformationRuleDto,
} from './dto/model-routing-config.dto';
import {
  CloakingDto,
  IgnoreConfigDto,
  ModelFilterDto,
  ProviderConfigDto,
  RetryConfigDto,
} from './dto/provider-config.dto';
import { ProviderKeyDto, UsageWindowLimitsDto } from './dto/provider-key.dto';
import { RedisConfigDto } from './dto/redis-config.dto';
import { RelayConfigDto } from './dto/relay-config.dto';
import { RelaySettingsDto } from './dto/relay-settings.dto';
import { ServerConfigDto } from './dto/server-config.dto';
import { SsoConfigDto } from './dto/sso-config.dto';
import { SyncConfigDto } from './dto/sync-config.dto';
import { ToolCallingConfigDto } from './dto/tool-calling-config.dto';
import { WebReverseConfigDto } from './dto/web-reverse-config.dto';
import { parseRelayConfigText } from './parse-relay-config';
import { EXAMPLE_ENV, readExampleConfig } from './testing/config-test-kit';

const ALL_DTOS = [
  RelayConfigDto,
  AuthConfigDto,
  ServerConfigDto,
  ProviderConfigDto,
  ProviderKeyDto,
  UsageWindowLimitsDto,
  ModelFilterDto,
  RetryConfigDto,
  IgnoreConfigDto,
  CloakingDto,
  WebReverseConfigDto,
  ModelParamsRuleDto,
  ModelRoutingConfigDto,
  ComplexityConfigDto,
  CascadeConfigDto,
  PayloadTransformationDto,
  PayloadTransformationRuleDto,
  GlobalParamsDto,
  KeySelectionConfigDto,
  ToolCallingConfigDto,
  LoggingConfigDto,
  SyncConfigDto,
  SsoConfigDto,
  RelaySettingsDto,
  DatabaseConfigDto,
  RedisConfigDto,
  LifecycleConfigDto,
  LocalModelDto,
  SamplingDefaultsDto,
  CircuitBreakerDto,
];

function keysOf(dto: new () => unknown): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

describe('config/config.example.yml', () => {
  const text = readExampleConfig();

  it('loads without errors or warnings when the variables it references are set', () => {
    const result = parseRelayConfigText(text, { env: EXAMPLE_ENV, file: 'config.example.yml' });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors.map(formatIssue), null, 2));
    assert.deepEqual(result.warnings.map(formatIssue), []);
    assert.deepEqual(Object.keys(result.config.providers).slice(0, 5), [
      'openrouter',
      'nvidia',
      'openai',
      'deepseek',
      'groq',
    ]);
    assert.equal(result.config.providers.openrouter.keys[0].key, EXAMPLE_ENV.OPENROUTER_API_KEY);
  });

  it('names each missing variable when they are not set', () => {
    const result = parseRelayConfigText(text, { env: {} });
    assert.equal(result.ok, false);
    const variables = !result.ok ? result.errors.map((e) => e.variable).sort() : [];
    assert.deepEqual(variables, Object.keys(EXAMPLE_ENV).sort());
  });

  it('documents every key the relay accepts', () => {
    const missing = ALL_DTOS.flatMap((dto) =>
      keysOf(dto)
        .filter((key) => !new RegExp(`(^|[\\s{#-])${key}:`, 'm').test(text))
        .map((key) => `${dto.name}.${key}`),
    );
    assert.deepEqual(missing, []);
  });
});
