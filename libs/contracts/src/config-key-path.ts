// How the relay spells a config key path in its errors (`errors[].path` of the config APIs), so
// the console can match a problem to the field it belongs to.

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['providers', 'openrouter', 'keys', 1, 'weight']` -> `providers.openrouter.keys[1].weight`. */
export function formatKeyPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
