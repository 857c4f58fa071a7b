import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildListPlan, mergeNewestFirst } from './log-list-query';

const ALL = { userId: null };

describe('buildListPlan', () => {
  it('walks newest first with one more row than the page', () => {
    const plan = buildListPlan({ limit: 50 }, ALL, 'sqlite');
    assert.equal(plan.queries.length, 1);
    assert.match(plan.queries[0].sql, /ORDER BY "id" DESC LIMIT \?$/);
    assert.deepEqual(plan.queries[0].params, [51]);
  });

  it('adds cursor, range, provider, status, user and scope conditions', () => {
    const plan = buildListPlan(
      { limit: 20, cursor: 'c', from: 1, to: 2, provider: 'p', status: 429, userId: 'u' },
      { userId: 's' },
      'sqlite',
    );
    const { sql, params } = plan.queries[0];
    for (const part of [
      '"id" < ?',
      '"timestamp" >= ?',
      '"timestamp" < ?',
      '"provider" = ?',
      '"status_code" = ?',
    ]) {
      assert.ok(sql.includes(part), part);
    }
    assert.deepEqual(params, ['c', 1, 2, 'p', 429, 'u', 's', 21]);
    assert.match(
      buildListPlan({ limit: 20, status: 'error' }, ALL, 'sqlite').queries[0].sql,
      /"state" = 'failed'/,
    );
    assert.match(
      buildListPlan({ limit: 20, status: 'success' }, ALL, 'sqlite').queries[0].sql,
      /"state" = 'success'/,
    );
  });

  it('splits the model filter into one query per model column', () => {
    const plan = buildListPlan({ limit: 20, model: 'm', provider: 'p' }, ALL, 'postgres');
    assert.equal(plan.queries.length, 2);
    assert.match(plan.queries[0].sql, /WHERE "requested_model" = \?/);
    assert.match(plan.queries[1].sql, /WHERE "served_model" = \?/);
    assert.deepEqual(plan.queries[1].params, ['m', 'p', 21]);
  });

  it('searches previews case-insensitively with LIKE wildcards escaped', () => {
    const sqlite = buildListPlan({ limit: 20, search: '50%_off\\' }, ALL, 'sqlite').queries[0];
    assert.match(
      sqlite.sql,
      /"request_preview" LIKE \? ESCAPE '\\' OR "response_preview" LIKE \? ESCAPE '\\'/,
    );
    assert.deepEqual(sqlite.params.slice(0, 2), ['%50\\%\\_off\\\\%', '%50\\%\\_off\\\\%']);
    assert.match(buildListPlan({ limit: 20, search: 'x' }, ALL, 'postgres').queries[0].sql, /ILIKE/);
  });

  it('refuses page sizes other than 20, 50, 100, 200', () => {
    assert.throws(() => buildListPlan({ limit: 10 as 20 }, ALL, 'sqlite'), RangeError);
  });
});

describe('mergeNewestFirst', () => {
  it('merges by id descending without duplicates', () => {
    const merged = mergeNewestFirst(
      [
        [{ id: 'd' }, { id: 'b' }],
        [{ id: 'c' }, { id: 'b' }, { id: 'a' }],
      ],
      3,
    );
    assert.deepEqual(
      merged.map((r) => r.id),
      ['d', 'c', 'b'],
    );
  });
});
