/**
 * Model and provider names are compared the way MonoRelay compared them: ignoring case, `-` and `_`,
 * so `GPT_4o`, `gpt-4o` and `gpt4o` are one name.
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(SEPARATORS, '');
}

const SEPARATORS = /[-_]/g;

/** fnmatch metacharacters: an include entry holding one is a pattern, not a model id. */
const GLOB_CHARS = /[*?[]/;

export function isGlobPattern(entry: string): boolean {
  return GLOB_CHARS.test(entry);
}

/** `model@provider` split at the last `@` (a leading `@`, as in `@cf/meta/llama`, is not a pin). */
export function splitPinnedModel(spec: string): { model: string; provider: string } | null {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) return null;
  return { model: spec.slice(0, at), provider: spec.slice(at + 1) };
}
