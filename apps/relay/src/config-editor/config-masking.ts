import { type Node, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { type KeySegment, formatKeyPath } from '../config/config-issue';

/**
 * What the console editor shows instead of a secret. A fixed string (not a prefix/suffix of the
 * secret): the editor never learns any part of a secret, and a value equal to it is put back to the
 * saved one on save.
 */
export const SECRET_MASK = '********';

/** Key names whose values are never sent to the console: keys, secrets, tokens, passwords. */
const SECRET_NAME = /(^|_)(key|secret|token|password)$/i;
/** Names that match the pattern but hold nothing secret. */
const NOT_SECRET = new Set(['turnstile_site_key']);
/** `scheme://user:password@host`: the password of a URL (database.url, redis.url). */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:)([^@/\s]+)(@)/i;
/** A value that is only a `${VAR}` reference holds no secret itself: shown as written. */
const ENV_REFERENCE_ONLY = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;

export function isSecretKeyName(name: KeySegment): boolean {
  return typeof name === 'string' && SECRET_NAME.test(name) && !NOT_SECRET.has(name);
}

/** The masked form of a scalar value, or undefined when it is shown as is. */
export function maskValue(name: KeySegment, value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') value = String(value);
  if (typeof value !== 'string' || value === '' || ENV_REFERENCE_ONLY.test(value)) return undefined;
  if (isSecretKeyName(name)) return value === SECRET_MASK ? undefined : SECRET_MASK;
  const url = URL_PASSWORD.exec(value);
  if (url && url[2] !== SECRET_MASK && !ENV_REFERENCE_ONLY.test(url[2]))
    return value.replace(URL_PASSWORD, `$1${SECRET_MASK}$3`);
  return undefined;
}

/** A scalar of the document that holds (or may hold) a secret, with its place in the text. */
export interface SecretScalar {
  path: KeySegment[];
  value: unknown;
  /** [start, end) of the value in the text. */
  range: [number, number];
}

/** Every scalar value whose key names a secret, and every URL string value with a password. */
export function secretScalars(text: string): { scalars: SecretScalar[]; broken: boolean } {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false, keepSourceTokens: false });
  const scalars: SecretScalar[] = [];
  const visit = (node: unknown, path: KeySegment[]) => {
    if (!node || isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node)) {
      const name = path.at(-1);
      const range = (node as Node).range;
      if (name === undefined || !range) return;
      if (isSecretKeyName(name) || (typeof node.value === 'string' && URL_PASSWORD.test(node.value)))
        scalars.push({ path, value: node.value, range: [range[0], range[1]] });
    }
  };
  visit(doc.contents, []);
  return { scalars, broken: doc.errors.length > 0 };
}

/** Replaces ranges of `text` (they must not overlap), last first so offsets stay valid. */
function splice(text: string, edits: Array<{ range: [number, number]; value: string }>): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0]))
    out = out.slice(0, edit.range[0]) + edit.value + out.slice(edit.range[1]);
  return out;
}

/** A one-line double-quoted YAML string (JSON's quoting is valid YAML). */
const quoted = (value: string) => JSON.stringify(value);

/**
 * The text with every secret masked, comments and layout kept. Text that does not parse is masked
 * line by line as well, so a broken file never leaks a `key: value` line.
 */
export function maskSecrets(text: string): string {
  const { scalars, broken } = secretScalars(text);
  const edits = scalars.flatMap((s) => {
    const masked = maskValue(s.path.at(-1)!, s.value);
    return masked === undefined ? [] : [{ range: s.range, value: quoted(masked) }];
  });
  const out = splice(text, edits);
  return broken ? maskLines(out) : out;
}

const SECRET_LINE = /^(\s*(?:-\s+)?)([A-Za-z0-9_-]+)(\s*:\s+)(\S.*)$/;

function maskLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const match = SECRET_LINE.exec(line);
      if (!match || !isSecretKeyName(match[2])) return line;
      const value = match[4].replace(/^["']|["']$/g, '');
      if (value === SECRET_MASK || ENV_REFERENCE_ONLY.test(value)) return line;
      return `${match[1]}${match[2]}${match[3]}${quoted(SECRET_MASK)}`;
    })
    .join('\n');
}

export interface UnmaskResult {
  text: string;
  /** Masked values with no saved value at the same key path (the user must type the secret). */
  missing: Array<{ path: string; offset: number }>;
}

/**
 * Puts the saved secrets back: a value in `submitted` that equals the mask of the value at the same
 * key path in `saved` becomes that saved value. A changed value is kept as typed.
 */
export function unmaskSecrets(submitted: string, saved: string | null): UnmaskResult {
  const savedValues = new Map<string, unknown>();
  if (saved !== null)
    for (const s of secretScalars(saved).scalars) savedValues.set(formatKeyPath(s.path), s.value);
  const edits: Array<{ range: [number, number]; value: string }> = [];
  const missing: UnmaskResult['missing'] = [];
  for (const s of secretScalars(submitted).scalars) {
    if (typeof s.value !== 'string' || !s.value.includes(SECRET_MASK)) continue;
    const path = formatKeyPath(s.path);
    const name = s.path.at(-1)!;
    const real = savedValues.get(path);
    if (real !== undefined && real !== null && maskValue(name, real) === s.value) {
      edits.push({ range: s.range, value: quoted(String(real)) });
    } else if (s.value === SECRET_MASK || URL_PASSWORD.exec(s.value)?.[2] === SECRET_MASK) {
      missing.push({ path, offset: s.range[0] });
    }
  }
  return { text: splice(submitted, edits), missing };
}

/** The secret values of a text (whole secrets and URL passwords), for scrubbing messages. */
export function secretValues(text: string | null): string[] {
  if (text === null) return [];
  const values = new Set<string>();
  for (const s of secretScalars(text).scalars) {
    if (typeof s.value !== 'string' && typeof s.value !== 'number') continue;
    const value = String(s.value);
    if (ENV_REFERENCE_ONLY.test(value) || value === SECRET_MASK) continue;
    const url = URL_PASSWORD.exec(value);
    if (url) values.add(url[2]);
    if (isSecretKeyName(s.path.at(-1)!)) values.add(value);
  }
  return [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** `message` with every one of `secrets` replaced by the mask (a validator may quote a value). */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(SECRET_MASK);
  return out;
}
