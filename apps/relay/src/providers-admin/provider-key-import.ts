import type { ProviderKeyImport, ProviderKeyInput } from '@monorelay/contracts';

/** One key read from an import, with the 1-based line (or JSON array item) it came from. */
export interface ImportedKey {
  line: number;
  key: ProviderKeyInput & { key: string };
}

export interface RejectedLine {
  line: number;
  reason: string;
}

export type KeyImportParse =
  { ok: true; keys: ImportedKey[]; rejected: RejectedLine[] } | { ok: false; error: string };

export type KeyImportFormat = NonNullable<ProviderKeyImport['format']>;

const CSV_COLUMNS = ['key', 'label', 'weight', 'enabled'] as const;
const JSON_FIELDS = new Set(['key', 'label', 'weight', 'enabled', 'quotaLimit', 'rateLimitRps', 'expiresAt']);
const TRUE_WORDS = new Set(['true', 'yes', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'off']);
const MAX_LABEL = 200;

/**
 * Reads provider keys pasted by an admin: one per line (`key` or `key,label[,weight]`, `#` comments),
 * CSV with a header row naming the columns (key, label, weight, enabled), or a JSON array of key
 * strings or key objects. Unreadable entries are rejected with their line and a reason that never
 * quotes the entry (it may be a secret).
 */
export function parseKeyImport(text: string, format: KeyImportFormat = 'auto'): KeyImportParse {
  const chosen = format === 'auto' ? detectFormat(text) : format;
  if (chosen === 'json') return parseJson(text);
  if (chosen === 'csv') return parseCsv(text);
  return parseLines(text);
}

export function detectFormat(text: string): 'lines' | 'csv' | 'json' {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  const first = trimmed.split(/\r?\n/, 1)[0] ?? '';
  const header = (splitCsvRow(first) ?? []).map((cell) => cell.trim().toLowerCase());
  return header.includes('key') ? 'csv' : 'lines';
}

export interface KeyImportPlan {
  /** New keys, in import order. */
  add: ImportedKey[];
  /** Entries whose key is already configured or appeared earlier in the import. */
  duplicates: number;
}

/** Drops keys already configured and repeats within the import (the first occurrence is kept). */
export function planKeyImport(imported: readonly ImportedKey[], existing: readonly string[]): KeyImportPlan {
  const seen = new Set(existing);
  const add: ImportedKey[] = [];
  let duplicates = 0;
  for (const entry of imported) {
    if (seen.has(entry.key.key)) duplicates++;
    else {
      seen.add(entry.key.key);
      add.push(entry);
    }
  }
  return { add, duplicates };
}

/** A usable secret: non-empty, no whitespace, not a mask. Returns why not, or null. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return 'the key is empty';
  if (/\s/.test(key)) return 'the key contains whitespace';
  if (/^\*+$/.test(key)) return 'the key is a mask (********), not a key';
  if (key.length > 4096) return 'the key is longer than 4096 characters';
  return null;
}

function parseLines(text: string): KeyImportParse {
  const keys: ImportedKey[] = [];
  const rejected: RejectedLine[] = [];
  text.split(/\r?\n/).forEach((raw, at) => {
    const line = at + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const cells = content.split(',').map((cell) => cell.trim());
    if (cells.length > 3) {
      rejected.push({ line, reason: 'expected `key` or `key,label[,weight]`' });
      return;
    }
    const read = readCells({ key: cells[0], label: cells[1], weight: cells[2] });
    if (typeof read === 'string') rejected.push({ line, reason: read });
    else keys.push({ line, key: read });
  });
  return { ok: true, keys, rejected };
}

function parseCsv(text: string): KeyImportParse {
  const rows = text.split(/\r?\n/);
  const headerAt = rows.findIndex((row) => row.trim() !== '');
  if (headerAt < 0) return { ok: true, keys: [], rejected: [] };
  const header = (splitCsvRow(rows[headerAt]) ?? []).map((cell) => cell.trim().toLowerCase());
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0)
    return {
      ok: false,
      error: `unknown CSV column(s): ${unknown.join(', ')} (known: ${CSV_COLUMNS.join(', ')})`,
    };
  if (!header.includes('key')) return { ok: false, error: 'the CSV header has no `key` column' };
  const keys: ImportedKey[] = [];
  const rejected: RejectedLine[] = [];
  for (let at = headerAt + 1; at < rows.length; at++) {
    const line = at + 1;
    if (rows[at].trim() === '') continue;
    const cells = splitCsvRow(rows[at]);
    if (cells === null || cells.length > header.length) {
      rejected.push({
        line,
        reason:
          cells === null ? 'unterminated quote' : `more cells than the header's ${header.length} columns`,
      });
      continue;
    }
    const row: Record<string, string | undefined> = {};
    header.forEach((column, index) => (row[column] = cells[index]?.trim()));
    const read = readCells(row);
    if (typeof read === 'string') rejected.push({ line, reason: read });
    else keys.push({ line, key: read });
  }
  return { ok: true, keys, rejected };
}

function parseJson(text: string): KeyImportParse {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error: it may be a key.
    return { ok: false, error: 'the text is not valid JSON' };
  }
  if (!Array.isArray(items)) return { ok: false, error: 'the JSON must be an array of keys' };
  const keys: ImportedKey[] = [];
  const rejected: RejectedLine[] = [];
  items.forEach((item: unknown, at) => {
    const line = at + 1;
    const read = readJsonItem(item);
    if (typeof read === 'string') rejected.push({ line, reason: `item ${line}: ${read}` });
    else keys.push({ line, key: read });
  });
  return { ok: true, keys, rejected };
}

function readJsonItem(item: unknown): (ProviderKeyInput & { key: string }) | string {
  if (typeof item === 'string') return readCells({ key: item.trim() });
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return 'expected a key string or an object with `key`';
  const object = item as Record<string, unknown>;
  const unknown = Object.keys(object).filter((field) => !JSON_FIELDS.has(field));
  if (unknown.length > 0) return `unknown field(s): ${unknown.join(', ')}`;
  if (typeof object.key !== 'string') return '`key` must be a string';
  const problem = keyProblem(object.key.trim());
  if (problem) return problem;
  const key: ProviderKeyInput & { key: string } = { key: object.key.trim() };
  if (object.label !== undefined) {
    if (typeof object.label !== 'string' || object.label.length > MAX_LABEL)
      return `\`label\` must be a string of at most ${MAX_LABEL} characters`;
    key.label = object.label;
  }
  if (object.weight !== undefined) {
    if (!isNonNegative(object.weight)) return '`weight` must be a number >= 0';
    key.weight = object.weight;
  }
  if (object.enabled !== undefined) {
    if (typeof object.enabled !== 'boolean') return '`enabled` must be true or false';
    key.enabled = object.enabled;
  }
  for (const field of ['quotaLimit', 'rateLimitRps'] as const) {
    const value = object[field];
    if (value === undefined || value === null) continue;
    if (!isNonNegative(value) || (field === 'quotaLimit' && !Number.isInteger(value)))
      return `\`${field}\` must be ${field === 'quotaLimit' ? 'an integer' : 'a number'} >= 0`;
    key[field] = value;
  }
  if (object.expiresAt !== undefined && object.expiresAt !== null) {
    if (typeof object.expiresAt !== 'string' || Number.isNaN(Date.parse(object.expiresAt)))
      return '`expiresAt` must be an ISO 8601 date';
    key.expiresAt = object.expiresAt;
  }
  return key;
}

/** The text cells of a line or CSV row as a key, or why they are not one. */
function readCells(cells: Record<string, string | undefined>): (ProviderKeyInput & { key: string }) | string {
  const problem = keyProblem(cells.key ?? '');
  if (problem) return problem;
  const key: ProviderKeyInput & { key: string } = { key: cells.key! };
  if (cells.label) {
    if (cells.label.length > MAX_LABEL) return `the label is longer than ${MAX_LABEL} characters`;
    key.label = cells.label;
  }
  if (cells.weight) {
    const weight = Number(cells.weight);
    if (!isNonNegative(weight)) return 'the weight must be a number >= 0';
    key.weight = weight;
  }
  if (cells.enabled) {
    const word = cells.enabled.toLowerCase();
    if (TRUE_WORDS.has(word)) key.enabled = true;
    else if (FALSE_WORDS.has(word)) key.enabled = false;
    else return '`enabled` must be true or false';
  }
  return key;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** One CSV row (RFC 4180 quoting, `""` for a quote inside quotes); null for an unterminated quote. */
export function splitCsvRow(row: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i];
    if (quoted) {
      if (char === '"' && row[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}
