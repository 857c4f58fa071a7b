import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFormat, parseKeyImport, planKeyImport, splitCsvRow } from './provider-key-import';

const SECRET = 'sk-secret-import-0123456789';

function parsed(text: string, format?: Parameters<typeof parseKeyImport>[1]) {
  const result = parseKeyImport(text, format);
  assert.ok(result.ok, JSON.stringify(result));
  return result;
}

describe('parseKeyImport: lines', () => {
  it('reads `key`, `key,label` and `key,label,weight`, skipping blanks and # comments', () => {
    const result = parsed(
      '# my keys\nsk-aaaaaaaaaaaa\n\n  sk-bbbbbbbbbbbb , second \nsk-cccccccccccc,third,2.5\n',
    );
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(result.keys, [
      { line: 2, key: { key: 'sk-aaaaaaaaaaaa' } },
      { line: 4, key: { key: 'sk-bbbbbbbbbbbb', label: 'second' } },
      { line: 5, key: { key: 'sk-cccccccccccc', label: 'third', weight: 2.5 } },
    ]);
  });

  it('rejects bad lines by number with a reason that never quotes the key', () => {
    const text = [
      `${SECRET},label,notanumber`,
      `${SECRET} with spaces`,
      `${SECRET},a,1,extra`,
      ',label',
      '********',
    ].join('\r\n');
    const result = parsed(text, 'lines');
    assert.deepEqual(result.keys, []);
    assert.deepEqual(
      result.rejected.map((rejected) => rejected.line),
      [1, 2, 3, 4, 5],
    );
    for (const { reason } of result.rejected) {
      assert.ok(reason.length > 0);
      assert.ok(!reason.includes(SECRET) && !reason.includes('sk-'), reason);
    }
    assert.match(result.rejected[0].reason, /weight/);
    assert.match(result.rejected[1].reason, /whitespace/);
    assert.match(result.rejected[3].reason, /empty/);
    assert.match(result.rejected[4].reason, /mask/);
  });
});

describe('parseKeyImport: CSV', () => {
  it('maps columns by the header row, in any order, with quoted cells', () => {
    const result = parsed(
      'label,key,enabled,weight\n"Team, A",sk-aaaaaaaaaaaa,false,3\nB,sk-bbbbbbbbbbbb,,\n',
    );
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(result.keys, [
      { line: 2, key: { key: 'sk-aaaaaaaaaaaa', label: 'Team, A', enabled: false, weight: 3 } },
      { line: 3, key: { key: 'sk-bbbbbbbbbbbb', label: 'B' } },
    ]);
  });

  it('rejects rows with too many cells, bad values or an open quote', () => {
    const result = parsed(`key,label\n${SECRET},a,b\n"${SECRET},a\n,empty\n`, 'csv');
    assert.deepEqual(result.rejected, [
      { line: 2, reason: "more cells than the header's 2 columns" },
      { line: 3, reason: 'unterminated quote' },
      { line: 4, reason: 'the key is empty' },
    ]);
  });

  it('refuses a header with unknown columns or without `key`', () => {
    assert.deepEqual(parseKeyImport('key,secret\nsk-a,b', 'csv').ok, false);
    const noKey = parseKeyImport('label,weight\na,1', 'csv');
    assert.ok(!noKey.ok && /key/.test(noKey.error));
  });
});

describe('parseKeyImport: JSON', () => {
  it('reads strings and objects with camelCase fields', () => {
    const text = JSON.stringify([
      'sk-aaaaaaaaaaaa',
      {
        key: 'sk-bbbbbbbbbbbb',
        label: 'b',
        weight: 2,
        enabled: false,
        quotaLimit: 100,
        expiresAt: '2030-01-01T00:00:00Z',
      },
    ]);
    const result = parsed(text);
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(result.keys, [
      { line: 1, key: { key: 'sk-aaaaaaaaaaaa' } },
      {
        line: 2,
        key: {
          key: 'sk-bbbbbbbbbbbb',
          label: 'b',
          weight: 2,
          enabled: false,
          quotaLimit: 100,
          expiresAt: '2030-01-01T00:00:00Z',
        },
      },
    ]);
  });

  it('rejects items by position, without quoting them', () => {
    const result = parsed(
      JSON.stringify([42, { key: SECRET, weight: -1 }, { key: SECRET, secret: 'x' }, { label: 'x' }]),
    );
    assert.deepEqual(
      result.rejected.map((rejected) => rejected.line),
      [1, 2, 3, 4],
    );
    assert.ok(result.rejected.every(({ reason }) => !reason.includes(SECRET)));
  });

  it('refuses text that is not a JSON array, without quoting it', () => {
    const broken = parseKeyImport(`["${SECRET}",`, 'json');
    assert.ok(!broken.ok);
    assert.ok(!broken.error.includes(SECRET));
    assert.equal(parseKeyImport('{"key": "sk-a"}', 'json').ok, false);
  });
});

describe('detectFormat and planKeyImport', () => {
  it('tells JSON, CSV (a header naming `key`) and lines apart', () => {
    assert.equal(detectFormat('  ["sk-a"]'), 'json');
    assert.equal(detectFormat('\nKey,Label\nsk-a,b'), 'csv');
    assert.equal(detectFormat('sk-a,label\nsk-b'), 'lines');
  });

  it('drops keys already configured and repeats within the import, keeping the first', () => {
    const result = parsed('sk-old-aaaaaaaa\nsk-new-bbbbbbbb,first\nsk-new-bbbbbbbb,again\nsk-new-cccccccc');
    const plan = planKeyImport(result.keys, ['sk-old-aaaaaaaa']);
    assert.equal(plan.duplicates, 2);
    assert.deepEqual(
      plan.add.map((entry) => [entry.line, entry.key.key, entry.key.label]),
      [
        [2, 'sk-new-bbbbbbbb', 'first'],
        [4, 'sk-new-cccccccc', undefined],
      ],
    );
  });

  it('splitCsvRow handles doubled quotes and reports an open quote', () => {
    assert.deepEqual(splitCsvRow('a,"b ""c""",d'), ['a', 'b "c"', 'd']);
    assert.equal(splitCsvRow('a,"b'), null);
  });
});
