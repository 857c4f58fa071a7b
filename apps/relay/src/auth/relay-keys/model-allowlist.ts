import { compileGlob, type GlobTest } from '../../routing/glob-matcher';
import { splitPinnedModel } from '../../routing/model-name';

/**
 * The test of a key's `allowed_models`: the requested model (as the client wrote it) must match
 * one of the globs, with the routing's glob rules (fnmatch: case-insensitive, `*` crosses `/`). A
 * pinned `model@provider` also passes when its model part matches (`gpt-4o` allows
 * `gpt-4o@openai`); a glob such as `*@openai` can allow by provider. null: any model.
 */
export function modelAllowlist(globs: readonly string[] | null): GlobTest | null {
  if (globs === null) return null;
  const tests = globs.map(compileGlob);
  const matches = (name: string): boolean => {
    for (const test of tests) if (test(name)) return true;
    return false;
  };
  return (model: string) => {
    if (matches(model)) return true;
    const pinned = splitPinnedModel(model);
    return pinned !== null && matches(pinned.model);
  };
}
