import { type KeyPath } from '../config-issue';

/**
 * Value checks for the config DTOs. Each rule returns every problem it finds, with the sub-path of
 * the offending entry (`[2]`, `.fast`), so a bad item in a list or map is reported at its own path.
 */
export interface Problem {
  at?: KeyPath;
  message: string;
}

export type Rule = (value: unknown) => Problem[];

const ok: Problem[] = [];
const fail = (message: string, at?: KeyPath): Problem[] => [{ at, message }];

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map);
}

/** A short description of what was found, for messages. Strings are shown only when short. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length <= 32 ? `'${value}'` : 'a long string';
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

const got = (value: unknown): string => ` (got ${describe(value)})`;

export const stringRule: Rule = (value) => {
  if (typeof value === 'string') return ok;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return fail(`must be a string (got ${typeof value} ${String(value)}; quote it in YAML)`);
  }
  return fail(`must be a string${got(value)}`);
};

export function requiredRule(inner: Rule): Rule {
  return (value) => (value === undefined || value === null ? fail('is required') : inner(value));
}

export function nonEmptyStringRule(what = 'a non-empty string'): Rule {
  return (value) => {
    const problems = stringRule(value);
    if (problems.length > 0) return problems;
    return (value as string).trim() === '' ? fail(`must be ${what}`) : ok;
  };
}

export interface NumberRange {
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

export function describeRange(range: NumberRange): string {
  const noun = range.integer ? 'an integer' : 'a number';
  if (range.min !== undefined && range.max !== undefined)
    return `${noun} between ${range.min} and ${range.max}`;
  if (range.above !== undefined) return `${noun} > ${range.above}`;
  if (range.min !== undefined) return `${noun} >= ${range.min}`;
  if (range.max !== undefined) return `${noun} <= ${range.max}`;
  return noun;
}

export function numberRule(range: NumberRange): Rule {
  const expected = `must be ${describeRange(range)}`;
  return (value) => {
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!range.integer || Number.isInteger(value)) &&
      (range.min === undefined || value >= range.min) &&
      (range.above === undefined || value > range.above) &&
      (range.max === undefined || value <= range.max);
    return valid ? ok : fail(`${expected}${got(value)}`);
  };
}

export const booleanRule: Rule = (value) =>
  typeof value === 'boolean' ? ok : fail(`must be true or false${got(value)}`);

export function oneOfRule(values: readonly string[], options: { ignoreCase?: boolean } = {}): Rule {
  const accepted = new Set(options.ignoreCase ? values.map((v) => v.toLowerCase()) : values);
  return (value) => {
    if (typeof value === 'string' && accepted.has(options.ignoreCase ? value.toLowerCase() : value))
      return ok;
    return fail(`must be one of ${values.join(', ')}${got(value)}`);
  };
}

/** Empty, or an absolute http:// or https:// URL. */
export const httpUrlRule: Rule = (value) => {
  const problems = stringRule(value);
  if (problems.length > 0 || value === '') return problems;
  const url = URL.parse(value as string);
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return ok;
  return fail('must be an http(s) URL such as https://api.example.com/v1');
};

/** Empty, or a URL whose scheme is one of `schemes` (any scheme when none given). */
export function urlRule(schemes?: readonly string[]): Rule {
  const expected = schemes ? `a ${schemes.map((s) => `${s}://`).join(' or ')} URL` : 'a URL';
  return (value) => {
    const problems = stringRule(value);
    if (problems.length > 0 || value === '') return problems;
    const url = URL.parse(value as string);
    const scheme = url?.protocol.replace(/:$/, '');
    if (url && (!schemes || schemes.includes(scheme!))) return ok;
    return fail(`must be ${expected}`);
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Empty, or an ISO 8601 date or date-time. */
export const isoDateRule: Rule = (value) => {
  const problems = stringRule(value);
  if (problems.length > 0 || value === '') return problems;
  const text = value as string;
  if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))) return ok;
  return fail('must be an ISO 8601 date such as 2026-12-31 or 2026-12-31T23:59:59Z');
};

export function listRule(item: Rule, what: string): Rule {
  return (value) => {
    if (!Array.isArray(value)) return fail(`must be a list of ${what}${got(value)}`);
    return value.flatMap((entry, i) => item(entry).map((p) => ({ ...p, at: [i, ...(p.at ?? [])] })));
  };
}

export function mappingRule(item?: Rule, what = 'settings'): Rule {
  return (value) => {
    if (!isPlainMapping(value)) return fail(`must be a mapping of ${what}${got(value)}`);
    if (!item) return ok;
    return Object.entries(value).flatMap(([key, entry]) =>
      item(entry).map((p) => ({ ...p, at: [key, ...(p.at ?? [])] })),
    );
  };
}

/** For nested DTO values (already converted by class-transformer): only the shape is checked here. */
export const objectRule: Rule = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map)
    ? ok
    : fail(`must be a mapping${got(value)}`);

export function mapOfObjectsRule(what: string): Rule {
  return (value) => {
    if (!(value instanceof Map)) return fail(`must be a mapping of ${what}${got(value)}`);
    const problems: Problem[] = [];
    for (const [key, entry] of value) {
      for (const p of objectRule(entry)) problems.push({ ...p, at: [String(key)] });
    }
    return problems;
  };
}

export function listOfObjectsRule(what: string, itemHint = 'must be a mapping'): Rule {
  return (value) => {
    if (!Array.isArray(value)) return fail(`must be a list of ${what}${got(value)}`);
    return value.flatMap((entry, i) =>
      objectRule(entry).length > 0 ? [{ at: [i], message: `${itemHint}${got(entry)}` }] : [],
    );
  };
}

/** YAML and `${VAR}` give strings; numeric fields accept numeric strings as pydantic did. */
export function coerceNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text) ? Number(text) : value;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** Accepts the spellings PyYAML and pydantic accepted (yes/no/on/off/1/0) besides true/false. */
export function coerceBoolean(value: unknown): unknown {
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}
