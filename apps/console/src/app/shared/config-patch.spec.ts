import { formatKeyPath as keyPath } from '@monorelay/contracts';
import { problemsAt } from './config-patch';

describe('config key paths', () => {
  it('spells paths as the relay does: dots, quoted globs, list indexes', () => {
    expect(keyPath(['model_routing', 'aliases', 'fast'])).toBe('model_routing.aliases.fast');
    expect(keyPath(['model_routing', 'provider_mapping', 'llama-*'])).toBe(
      'model_routing.provider_mapping["llama-*"]',
    );
    expect(keyPath(['model_routing', 'cascade', 'models', 1])).toBe('model_routing.cascade.models[1]');
  });

  it('finds the problems at a path and below it, not at its neighbours', () => {
    const problems = [
      { path: 'sso.github_client_id', message: 'a', line: null, column: null },
      { path: 'sso.github_client_id_extra', message: 'b', line: null, column: null },
      { path: 'model_routing.cascade.models[0]', message: 'c', line: null, column: null },
    ];
    expect(problemsAt(problems, ['sso', 'github_client_id'])).toEqual(['a']);
    expect(problemsAt(problems, ['model_routing', 'cascade', 'models'])).toEqual(['c']);
  });
});
