import picomatch from 'picomatch';

export type GlobTest = (name: string) => boolean;

/**
 * Model globs follow Python's fnmatch, as in MonoRelay: case-insensitive, and `*` also matches `/`
 * (`*llama*` matches `meta/llama-3`). picomatch's `bash` mode gives the `/`-crossing star; `dot`
 * lets `*` match names that start with a dot.
 */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { nocase: true, bash: true, dot: true };

export function compileGlob(pattern: string): GlobTest {
  return picomatch(pattern, GLOB_OPTIONS);
}

export interface CompiledGlob {
  pattern: string;
  test: GlobTest;
}

export function compileGlobs(patterns: readonly string[]): CompiledGlob[] {
  return patterns
    .filter((pattern) => pattern.length > 0)
    .map((pattern) => ({ pattern, test: compileGlob(pattern) }));
}

/** The first glob matching `name`, if any. */
export function firstMatch(globs: readonly CompiledGlob[], name: string): CompiledGlob | undefined {
  for (const glob of globs) if (glob.test(name)) return glob;
  return undefined;
}
