import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, stringify } from 'yaml';
import { defaultRelayConfig } from '../config/config-defaults';
import { readConfigFile } from '../config/config-files';
import { type ConfigIssue } from '../config/config-issue';
import { ConfigService } from '../config/config.service';
import { parseRelayConfigText } from '../config/parse-relay-config';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { type ConfigPatchOp, applyConfigPatch } from './config-patch';
import { maskSecrets, scrubSecrets, secretValues, unmaskSecrets } from './config-masking';

export interface ConfigEditorError {
  path: string;
  message: string;
  line: number | null;
  column: number | null;
}

export interface ConfigEditorView {
  yaml: string;
  /** The file the text came from; null when no file exists (the built-in defaults). */
  path: string | null;
  source: 'override' | 'main' | 'defaults';
  /** Where a save writes: `<dataDir>/config.yml`. */
  savePath: string;
  /** sha256 of the file as it is on disk ('' text for the defaults): send it back as `baseHash`. */
  hash: string;
}

export interface ConfigCheck {
  valid: boolean;
  errors: ConfigEditorError[];
  warnings: ConfigEditorError[];
}

export type ConfigSaveResult =
  | { ok: true; view: ConfigEditorView; warnings: ConfigEditorError[] }
  | { ok: false; status: 409 | 422; errors: ConfigEditorError[] };

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The console's config editor: the editable file with its secrets masked, validation with the
 * line of each problem, and saving to `<dataDir>/config.yml` (atomically) with a reload at once.
 */
@Injectable()
export class ConfigEditorService {
  constructor(
    private readonly config: ConfigService,
    @Inject(RUNTIME_OPTIONS) private readonly options: RuntimeOptions,
  ) {}

  view(): ConfigEditorView {
    const current = this.readCurrent();
    return {
      yaml: maskSecrets(current.text ?? this.defaultsText()),
      path: current.path,
      source: current.source,
      savePath: this.config.files.override,
      hash: hashOf(current.text ?? ''),
    };
  }

  validate(submitted: string): ConfigCheck {
    const current = this.readCurrent();
    return this.check(submitted, current.text).check;
  }

  save(submitted: string, baseHash?: string): ConfigSaveResult {
    const current = this.readCurrent();
    if (baseHash !== undefined && baseHash !== hashOf(current.text ?? '')) {
      const message = 'the config file changed since it was loaded: reload it and apply your edit again';
      return { ok: false, status: 409, errors: [{ path: '', message, line: null, column: null }] };
    }
    const { check, text } = this.check(submitted, current.text);
    if (!check.valid) return { ok: false, status: 422, errors: check.errors };

    const target = this.config.files.override;
    const previous = readOrNull(target);
    writeAtomically(target, text);
    const reloaded = this.config.reload();
    if (!reloaded.ok) {
      // Rejected by the reload (e.g. the access key): put the file back as it was.
      if (previous === null) rmSync(target, { force: true });
      else writeAtomically(target, previous);
      this.config.reload();
      const secrets = [...secretValues(previous), ...secretValues(text)];
      return {
        ok: false,
        status: 422,
        errors: reloaded.errors.map((issue) => scrubbed(toEditorError(issue), secrets)),
      };
    }
    return { ok: true, view: this.view(), warnings: check.warnings };
  }

  /**
   * A structured edit (the providers, routing and settings pages): applied to the editable file's
   * YAML document, so comments and the rest of the file stay as written, then validated and saved
   * like an edit in the editor. Values are plain (unmasked) values.
   */
  patch(ops: readonly ConfigPatchOp[], baseHash?: string): ConfigSaveResult {
    const current = this.readCurrent();
    const patched = applyConfigPatch(current.text ?? '', ops);
    if (!patched.ok) {
      const message = `the config file does not parse (${patched.error}): fix it in the config editor first`;
      return { ok: false, status: 422, errors: [{ path: '', message, line: null, column: null }] };
    }
    return this.save(patched.text, baseHash ?? hashOf(current.text ?? ''));
  }

  /** The editable file's text as on disk (secrets in clear: never send it to a client). */
  currentText(): string | null {
    return this.readCurrent().text;
  }

  private check(submitted: string, saved: string | null): { check: ConfigCheck; text: string } {
    const unmasked = unmaskSecrets(submitted, saved);
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = 0; i < unmasked.text.length; i++) if (unmasked.text[i] === '\n') lines.addNewLine(i + 1);
    const maskErrors: ConfigEditorError[] = unmasked.missing.map((m) => {
      const at = lines.linePos(m.offset);
      return {
        path: m.path,
        message: 'is masked but has no saved value to keep: type the secret (or a ${VAR} reference)',
        line: at.line,
        column: at.col,
      };
    });
    const parsed = parseRelayConfigText(unmasked.text, {
      env: this.options.env,
      cli: { port: this.options.port, host: this.options.host },
    });
    // Answers quote no secret, saved or just typed, even where a validator quotes a value.
    const secrets = [...secretValues(saved), ...secretValues(unmasked.text)];
    const scrub = (issue: ConfigIssue) => scrubbed(toEditorError(issue), secrets);
    const errors = [...maskErrors, ...(parsed.ok ? [] : parsed.errors.map(scrub))];
    return {
      check: { valid: errors.length === 0, errors, warnings: parsed.warnings.map(scrub) },
      text: unmasked.text,
    };
  }

  private readCurrent(): { text: string | null; path: string | null; source: ConfigEditorView['source'] } {
    const read = readConfigFile(this.config.files);
    if (!read.ok)
      return { text: readOrNull(read.source.path), path: read.source.path, source: read.source.kind };
    return { text: read.text, path: read.source.path, source: read.source.kind };
  }

  private defaultsText(): string {
    const defaults = defaultRelayConfig() as unknown as Record<string, unknown>;
    return (
      '# No config file yet: these are the built-in defaults. Saving writes them to\n' +
      `# ${this.config.files.override}.\n` +
      stringify(defaults)
    );
  }
}

function toEditorError(issue: ConfigIssue): ConfigEditorError {
  const subject = issue.path || (issue.variable ? `$${issue.variable}` : '');
  return { path: subject, message: issue.message, line: issue.line ?? null, column: issue.column ?? null };
}

function scrubbed(error: ConfigEditorError, secrets: readonly string[]): ConfigEditorError {
  return { ...error, message: scrubSecrets(error.message, secrets) };
}

function readOrNull(path: string | null): string | null {
  if (path === null) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Temp file in the same directory, then rename: readers see the old file or the new, never half. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
