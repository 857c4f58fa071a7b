import type {
  ProviderInput,
  ProviderKeyImport,
  ProviderKeyImportResult,
  ProviderKeyInput,
  ProviderModelsResult,
  ProviderStats24h,
  ProviderTestResult,
  ProviderView,
} from '@monorelay/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { isScalar, parseDocument } from 'yaml';
import { badRequest, conflict, notFound } from '../auth/api-error';
import { ConfigEditorService } from '../config-editor/config-editor.service';
import type { ConfigPatchOp } from '../config-editor/config-patch';
import { ConfigSource } from '../config/config-source';
import type { ProviderConfig } from '../config/relay-config';
import { keyIdFor } from '../keys/key-id';
import type { KeyLease } from '../keys/key-lease';
import { KeysService } from '../keys/keys.service';
import { RequestLogStore } from '../logging/store/request-log.store';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { compileProviderModels, excludedBy, matchInclude } from '../routing/provider-models';
import { ConfigEditRejectedError } from './config-edit-rejected.error';
import { asObject, keyFieldEdits, providerFieldEdits } from './provider-config-ops';
import { keyProblem, parseKeyImport, planKeyImport } from './provider-key-import';
import { checkChat, fetchUpstreamModels } from './provider-upstream-check';
import { NO_STATS, toProviderView } from './provider-view';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The editable config file as read for one edit: its keys as written and the hash the edit is based on. */
interface FileState {
  text: string;
  hash: string;
  rawKeys(provider: string): unknown[];
}

/**
 * Providers and their keys for the admin API. Settings are read from the live configuration and
 * changed by structured edits of the editable config file (validated, saved, hot-reloaded by
 * ConfigEditorService); key state comes from KeysService, figures from the stats rollups.
 */
@Injectable()
export class ProvidersAdminService {
  private readonly logger = new Logger(ProvidersAdminService.name);

  constructor(
    private readonly config: ConfigSource,
    private readonly editor: ConfigEditorService,
    private readonly keys: KeysService,
    private readonly registry: ProviderRegistry,
    private readonly logStore: RequestLogStore,
  ) {}

  async list(): Promise<ProviderView[]> {
    const stats = await this.stats24h();
    const file = this.readFile();
    return Object.entries(this.config.current.providers).map(([name, config]) =>
      this.view(name, config, file, stats.get(name)),
    );
  }

  async get(name: string): Promise<ProviderView> {
    const config = this.provider(name);
    const stats = await this.stats24h();
    return this.view(name, config, this.readFile(), stats.get(name));
  }

  async create(input: ProviderInput): Promise<ProviderView> {
    if (Object.hasOwn(this.config.current.providers, input.name))
      throw conflict(`provider ${input.name} already exists`, 'provider_exists');
    const keys = input.keys ?? [];
    this.assertUniqueKeys(keys.map((key) => key.key ?? ''));
    const settings = asObject(providerFieldEdits(input));
    if (keys.length > 0) settings.keys = keys.map((key) => asObject(keyFieldEdits(key)));
    const file = this.readFile();
    this.apply([{ path: ['providers', input.name], value: settings }], file);
    return this.get(input.name);
  }

  async update(name: string, input: Omit<ProviderInput, 'name' | 'keys'>): Promise<ProviderView> {
    this.provider(name);
    const ops = providerFieldEdits(input).map(([path, value]) => ({
      path: ['providers', name, ...path],
      value,
    }));
    if (ops.length > 0) this.apply(ops, this.readFile());
    return this.get(name);
  }

  remove(name: string): void {
    this.provider(name);
    this.apply([{ path: ['providers', name], value: undefined }], this.readFile());
  }

  async addKey(name: string, input: ProviderKeyInput & { key: string }): Promise<ProviderView> {
    const config = this.provider(name);
    if (config.keys.some((key) => key.key === input.key))
      throw conflict(`provider ${name} already has this key`, 'duplicate_key');
    const file = this.readFile();
    const ops = [
      { path: ['providers', name, 'keys', config.keys.length], value: asObject(keyFieldEdits(input)) },
    ];
    this.apply(ops, file);
    return this.get(name);
  }

  async updateKey(name: string, indexParam: string, input: ProviderKeyInput): Promise<ProviderView> {
    const config = this.provider(name);
    const index = this.keyIndex(name, config, indexParam);
    if (input.key !== undefined && config.keys.some((key, at) => at !== index && key.key === input.key))
      throw conflict(`provider ${name} already has this key`, 'duplicate_key');
    const edits = keyFieldEdits(input);
    if (edits.length === 0) return this.get(name);
    const file = this.readFile();
    const entryPath = ['providers', name, 'keys', index];
    const raw = file.rawKeys(name)[index];
    // A key written as a bare string (`- sk-...`) becomes a mapping to carry its other settings.
    const ops: ConfigPatchOp[] = isBareString(file.text, name, index)
      ? [{ path: entryPath, value: { key: raw, ...asObject(edits) } }]
      : edits.map(([path, value]) => ({ path: [...entryPath, ...path], value }));
    this.apply(ops, file);
    return this.get(name);
  }

  async removeKey(name: string, indexParam: string): Promise<ProviderView> {
    const config = this.provider(name);
    const index = this.keyIndex(name, config, indexParam);
    this.apply([{ path: ['providers', name, 'keys', index], value: undefined }], this.readFile());
    return this.get(name);
  }

  async importKeys(name: string, body: ProviderKeyImport): Promise<ProviderKeyImportResult> {
    const config = this.provider(name);
    const parsed = parseKeyImport(body.text, body.format ?? 'auto');
    if (!parsed.ok) throw badRequest(parsed.error, 'invalid_import');
    const plan = planKeyImport(
      parsed.keys,
      config.keys.map((key) => key.key),
    );
    if (plan.add.length > 0) {
      const ops = plan.add.map((entry, at) => ({
        path: ['providers', name, 'keys', config.keys.length + at],
        value: asObject(keyFieldEdits(entry.key)),
      }));
      this.apply(ops, this.readFile());
    }
    return {
      added: plan.add.length,
      duplicates: plan.duplicates,
      rejected: parsed.rejected,
      provider: await this.get(name),
    };
  }

  async restoreKey(name: string, indexParam: string): Promise<ProviderView> {
    const config = this.provider(name);
    const index = this.keyIndex(name, config, indexParam);
    this.keys.restore(keyIdFor(name, config.keys[index].key));
    return this.get(name);
  }

  async test(name: string, requested?: string): Promise<ProviderTestResult> {
    const config = this.provider(name);
    const model =
      requested || config.test_model || config.models.include.find((entry) => !/[*?[]/.test(entry));
    if (!model)
      throw badRequest(
        `provider ${name} has no test_model and no plain model in models.include: name the model to test`,
        'no_test_model',
      );
    const failed = (error: string): ProviderTestResult => ({
      ok: false,
      model,
      keyLabel: null,
      latencyMs: 0,
      status: null,
      answer: null,
      error,
    });
    const runtime = this.registry.get(name);
    if (!config.enabled) return failed('the provider is disabled: enable it to test it');
    if (!runtime || config.provider_type === 'local')
      return failed(`provider_type ${config.provider_type} cannot be tested from here`);
    const leased = this.keys.lease(name);
    if (!leased.ok) return failed(`no usable key (${leased.reason})`);
    const check = await checkChat(runtime, leased.lease, model);
    this.keys.report(leased.lease, check.outcome);
    return {
      ok: check.ok,
      model,
      keyLabel: leased.lease.label || null,
      latencyMs: check.latencyMs,
      status: check.status,
      answer: check.answer,
      error: check.error,
    };
  }

  async models(name: string): Promise<ProviderModelsResult> {
    const config = this.provider(name);
    const failed = (error: string): ProviderModelsResult => ({ models: [], error });
    const runtime = this.registry.get(name);
    if (!config.enabled) return failed('the provider is disabled: enable it to ask for its models');
    if (!runtime || config.provider_type === 'local')
      return failed(`provider_type ${config.provider_type} has no upstream model list`);
    const lease = this.listingKey(name, config);
    if (!lease) return failed('the provider has no enabled key');
    const fetched = await fetchUpstreamModels(runtime, lease);
    if (!fetched.ok) return failed(fetched.error);
    const compiled = compileProviderModels(name, config);
    const included = (id: string) =>
      (compiled.catchAll || matchInclude(compiled, id) !== null) && excludedBy(compiled, id) === undefined;
    return { models: fetched.ids.map((id) => ({ id, included: included(id) })), error: null };
  }

  private view(
    name: string,
    config: ProviderConfig,
    file: FileState,
    stats: ProviderStats24h | undefined,
  ): ProviderView {
    return toProviderView({
      name,
      config,
      rawKeys: file.rawKeys(name),
      keyStates: this.keys.snapshot(name),
      stats: stats ?? NO_STATS,
    });
  }

  /** A provider's 24 h figures by name, from the rollups; none when logging is off or the store fails. */
  private async stats24h(): Promise<Map<string, ProviderStats24h>> {
    const byProvider = new Map<string, ProviderStats24h>();
    if (!this.config.current.logging.enabled) return byProvider;
    const to = Date.now();
    try {
      const result = await this.logStore.stats(
        { from: to - DAY_MS, to, bucket: 'hour', groupBy: 'provider' },
        { userId: null },
      );
      for (const { key, figures } of result.groups) {
        byProvider.set(key, {
          requests: figures.requests,
          errors: figures.errors,
          errorRate: figures.errorRate,
          latencyP50Ms: figures.latencyP50Ms,
          tokens: figures.inputTokens + figures.outputTokens,
          costUsd: figures.costUsd,
        });
      }
    } catch (error) {
      this.logger.warn(`provider statistics unavailable: ${String(error)}`);
    }
    return byProvider;
  }

  /** A key for listing models: a leasable one, else the first enabled (a cooling key may still list). */
  private listingKey(name: string, config: ProviderConfig): KeyLease | null {
    const leased = this.keys.lease(name);
    if (leased.ok) return leased.lease;
    const key = config.keys.find((candidate) => candidate.enabled);
    if (!key) return null;
    return { provider: name, keyId: keyIdFor(name, key.key), label: key.label, secret: key.key };
  }

  private provider(name: string): ProviderConfig {
    const config = Object.hasOwn(this.config.current.providers, name)
      ? this.config.current.providers[name]
      : undefined;
    if (!config) throw notFound(`no provider named ${name}`, 'provider_not_found');
    return config;
  }

  private keyIndex(name: string, config: ProviderConfig, param: string): number {
    const index = /^\d{1,6}$/.test(param) ? Number(param) : Number.NaN;
    if (!Number.isInteger(index) || index >= config.keys.length)
      throw notFound(`provider ${name} has no key #${param}`, 'key_not_found');
    return index;
  }

  private assertUniqueKeys(keys: readonly string[]): void {
    if (new Set(keys).size !== keys.length)
      throw badRequest('keys: the same key is listed twice', 'duplicate_key');
    for (const key of keys) {
      const problem = keyProblem(key);
      if (problem) throw badRequest(`keys: ${problem}`, 'invalid_key');
    }
  }

  private readFile(): FileState {
    const text = this.editor.currentText() ?? '';
    let tree: unknown = null;
    try {
      tree = parseDocument(text).toJS();
    } catch {
      tree = null;
    }
    return {
      text,
      hash: createHash('sha256').update(text).digest('hex'),
      rawKeys(provider) {
        const keys = (tree as { providers?: Record<string, { keys?: unknown }> } | null)?.providers?.[
          provider
        ]?.keys;
        if (!Array.isArray(keys)) return [];
        return keys.map((entry: unknown) =>
          typeof entry === 'string' ? entry : (entry as { key?: unknown } | null)?.key,
        );
      },
    };
  }

  /** Applies a structured edit based on `file`: refused with 409 when the file changed since it was read. */
  private apply(ops: readonly ConfigPatchOp[], file: FileState): void {
    const result = this.editor.patch(ops, file.hash);
    if (!result.ok) throw new ConfigEditRejectedError(result.status, result.errors);
  }
}

/** Whether key `index` of `provider` is written as a bare string (`- sk-...`) rather than a mapping. */
function isBareString(text: string, provider: string, index: number): boolean {
  return isScalar(parseDocument(text).getIn(['providers', provider, 'keys', index], true));
}
