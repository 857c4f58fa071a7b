import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import passport, { type Strategy } from 'passport';
import type { FastifyRequest } from 'fastify';
import { runPassport } from './passport-fastify';

type Action = (
  strategy: Record<string, (...args: unknown[]) => void>,
  req: Record<string | symbol, unknown>,
) => void;

/** A strategy whose `authenticate` does `action` (with passport's augmented success/fail/redirect/error/pass). */
function strategy(action: Action): Strategy {
  return {
    name: 'test',
    authenticate(this: Record<string, (...args: unknown[]) => void>, req: Record<string | symbol, unknown>) {
      action(this, req);
    },
  } as unknown as Strategy;
}

const request = { query: { a: '1' }, headers: { host: 'relay' }, url: '/x' } as unknown as FastifyRequest;
const instance = new passport.Passport();

describe('runPassport (passport on a Fastify request)', () => {
  it('captures a redirect instead of writing it', async () => {
    const outcome = await runPassport(
      instance,
      strategy((s) => s.redirect('https://idp/authorize?x=1')),
      request,
      {},
    );
    assert.deepEqual(outcome, { kind: 'redirect', url: 'https://idp/authorize?x=1', status: 302 });
  });

  it('resolves success, fail and error from the callback', async () => {
    assert.deepEqual(
      await runPassport(
        instance,
        strategy((s) => s.success({ id: 1 }, { state: 's' })),
        request,
        {},
      ),
      {
        kind: 'success',
        user: { id: 1 },
        info: { state: 's' },
      },
    );
    assert.deepEqual(
      await runPassport(
        instance,
        strategy((s) => s.fail({ code: 'invalid_state' }, 403)),
        request,
        {},
      ),
      {
        kind: 'fail',
        info: { code: 'invalid_state' },
        status: 403,
      },
    );
    const error = await runPassport(
      instance,
      strategy((s) => s.error(new Error('boom'))),
      request,
      {},
    );
    assert.equal(error.kind, 'error');
    assert.match((error as { error: Error }).error.message, /boom/);
  });

  it('resolves when the strategy passes or throws', async () => {
    assert.equal(
      (
        await runPassport(
          instance,
          strategy((s) => s.pass()),
          request,
          {},
        )
      ).kind,
      'fail',
    );
    const thrown = await runPassport(
      instance,
      strategy(() => {
        throw new Error('sync');
      }),
      request,
      {},
    );
    assert.equal(thrown.kind, 'error');
  });

  it('resolves on the timeout when nothing happens, and only once', async () => {
    let late: (() => void) | undefined;
    const outcome = await runPassport(
      instance,
      strategy((s) => (late = () => s.success({ id: 2 }))),
      request,
      {},
      {},
      30,
    );
    assert.equal(outcome.kind, 'error');
    assert.match((outcome as { error: Error }).error.message, /did not finish/);
    late!(); // a late answer is ignored
  });

  it('reads the Fastify request through, and keeps its own writes and extras off it', async () => {
    const marker = Symbol('flow');
    let seen: Record<string | symbol, unknown> = {};
    await runPassport(
      instance,
      strategy((s, req) => {
        seen = req;
        s.success({ id: 3 });
      }),
      request,
      {},
      { [marker]: 'x' },
    );
    assert.deepEqual(seen.query, { a: '1' });
    assert.equal(seen[marker], 'x');
    assert.equal((request as unknown as Record<symbol, unknown>)[marker], undefined);
    assert.equal((request as unknown as Record<string, unknown>).login, undefined);
  });
});
