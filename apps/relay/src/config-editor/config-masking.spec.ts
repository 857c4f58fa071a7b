import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { defaultRelayConfig } from '../config/config-defaults';
import { parseRelayConfigText } from '../config/parse-relay-config';
import { SECRET_MASK, maskSecrets, scrubSecrets, secretValues, unmaskSecrets } from './config-masking';

const FILE = `# relay
server:
  access_key: mr-master-key-123   # the master key
  access_key_enabled: true
auth:
  session_secret: 'sess-0123456789'
  access_key_role: admin
sso:
  github_client_secret: gh-secret
  turnstile_site_key: public-site-key
database:
  url: postgres://relay:db-pass@localhost:5432/relay
providers:
  openai:
    base_url: https://api.example.com/v1
    keys:
      - key: sk-one
        label: first
      - key: \${OPENAI_KEY}
      - key: sk-three
`;

describe('maskSecrets', () => {
  const masked = maskSecrets(FILE);

  it('masks keys, secrets and URL passwords; keeps comments, layout and public values', () => {
    for (const secret of [
      'mr-master-key-123',
      'sess-0123456789',
      'gh-secret',
      'db-pass',
      'sk-one',
      'sk-three',
    ])
      assert.ok(!masked.includes(secret), `leaks ${secret}`);
    assert.equal(masked.split('\n').length, FILE.split('\n').length);
    assert.ok(masked.includes('access_key: "********"   # the master key'));
    assert.ok(masked.includes('turnstile_site_key: public-site-key'));
    assert.ok(masked.includes('access_key_role: admin'));
    assert.ok(masked.includes('postgres://relay:********@localhost:5432/relay'));
    assert.ok(masked.includes('- key: ${OPENAI_KEY}'), 'a ${VAR} reference is shown as written');
  });

  it('masks key: value lines of a file that does not parse', () => {
    const broken = 'server:\n  access_key: mr-secret\n  port: [oops\nproviders: {x: {keys: [{key: sk-z}]}}\n';
    const out = maskSecrets(broken);
    assert.ok(!out.includes('mr-secret'), out);
  });

  it('unmasking the masked text gives back the file, byte for byte except the quoting', () => {
    const { text, missing } = unmaskSecrets(masked, FILE);
    assert.deepEqual(missing, []);
    const parse = (t: string) => parseRelayConfigText(t, { env: { OPENAI_KEY: 'x' } });
    const original = parse(FILE);
    const roundTrip = parse(text);
    assert.ok(original.ok && roundTrip.ok);
    assert.deepEqual(roundTrip.config, original.config);
  });

  it('a typed value replaces the saved one; a mask where nothing is saved is reported', () => {
    const edited = masked.replace(
      '- key: "********"\n        label: first',
      '- key: sk-new\n        label: first',
    );
    const { text } = unmaskSecrets(edited, FILE);
    assert.ok(text.includes('sk-new') && !text.includes('sk-one') && text.includes('sk-three'));
    const { missing } = unmaskSecrets(`server:\n  access_key: "${SECRET_MASK}"\n`, null);
    assert.deepEqual(missing, [{ path: 'server.access_key', offset: 22 }]);
  });
});

describe('scrubSecrets', () => {
  it('takes every secret value and URL password out of a message', () => {
    const secrets = secretValues(FILE);
    assert.ok(
      secrets.includes('sk-one') && secrets.includes('db-pass') && !secrets.includes('${OPENAI_KEY}'),
    );
    assert.equal(
      scrubSecrets("bad value 'sk-three' near postgres://relay:db-pass@localhost", secrets),
      "bad value '********' near postgres://relay:********@localhost",
    );
  });
});

describe('the built-in defaults as YAML', () => {
  it('parse as a valid configuration', () => {
    const result = parseRelayConfigText(stringify(defaultRelayConfig()));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  });
});
