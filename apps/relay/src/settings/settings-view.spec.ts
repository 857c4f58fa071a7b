import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRelayConfig } from '../config/config-defaults';
import { settingsViewOf } from './settings-view';

describe('settingsViewOf', () => {
  it('answers the defaults, and only a flag for each client secret', () => {
    const config = defaultRelayConfig();
    config.sso.github_client_secret = 'gh-secret-value';
    config.sso.github_client_id = 'gh-id';
    const view = settingsViewOf(config);
    assert.equal(view.sso.githubClientSecretSet, true);
    assert.equal(view.sso.googleClientSecretSet, false);
    assert.equal(view.sso.githubClientId, 'gh-id');
    assert.equal(view.logging.maxAgeDays, 30);
    assert.equal(view.keySelection.strategy, config.key_selection.strategy);
    assert.ok(!JSON.stringify(view).includes('gh-secret-value'));
  });
});
