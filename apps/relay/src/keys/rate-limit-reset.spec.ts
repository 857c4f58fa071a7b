import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationMs, parseRateLimitReset } from './rate-limit-reset';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('parseRateLimitReset: Retry-After', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRateLimitReset({ 'retry-after': '30' }, NOW), 30_000);
    assert.equal(parseRateLimitReset({ 'retry-after': '0' }, NOW), 0);
    assert.equal(parseRateLimitReset({ 'retry-after': '1.5' }, NOW), 1500);
    assert.equal(parseRateLimitReset({ 'retry-after': ' 2 ' }, NOW), 2000);
  });

  it('reads an HTTP-date, never negative', () => {
    assert.equal(parseRateLimitReset({ 'retry-after': 'Sun, 01 Mar 2026 12:01:30 GMT' }, NOW), 90_000);
    assert.equal(parseRateLimitReset({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, NOW), 0);
  });

  it('prefers retry-after-ms, then Retry-After, over reset headers', () => {
    const headers = { 'retry-after-ms': '250', 'retry-after': '9', 'x-ratelimit-reset-requests': '1m' };
    assert.equal(parseRateLimitReset(headers, NOW), 250);
    assert.equal(parseRateLimitReset({ 'retry-after': '9', 'x-ratelimit-reset-requests': '1m' }, NOW), 9000);
  });

  it('matches header names in any case and takes the first non-empty repeated value', () => {
    assert.equal(parseRateLimitReset({ 'Retry-After': '4' }, NOW), 4000);
    assert.equal(parseRateLimitReset({ 'retry-after': ['', '5', '6'] }, NOW), 5000);
  });

  it('ignores garbage and falls through to the reset headers', () => {
    assert.equal(parseRateLimitReset({ 'retry-after': 'soon' }, NOW), null);
    assert.equal(parseRateLimitReset({ 'retry-after': '-3', 'x-ratelimit-reset-tokens': '2s' }, NOW), 2000);
  });
});

describe('parseRateLimitReset: OpenAI', () => {
  it('reads one reset header', () => {
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset-requests': '6m0s' }, NOW), 360_000);
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset-tokens': '20ms' }, NOW), 20);
  });

  it('uses the reset of the exhausted limit', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
      'x-ratelimit-remaining-tokens': '15000',
      'x-ratelimit-reset-tokens': '1m',
    };
    assert.equal(parseRateLimitReset(headers, NOW), 2000);
  });

  it('takes the later reset when both limits are exhausted', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '1m3s',
    };
    assert.equal(parseRateLimitReset(headers, NOW), 63_000);
  });

  it('takes the later reset when it cannot tell which limit was hit', () => {
    assert.equal(
      parseRateLimitReset({ 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '500ms' }, NOW),
      2000,
    );
    const neitherAtZero = {
      'x-ratelimit-remaining-requests': '10',
      'x-ratelimit-reset-requests': '2s',
      'x-ratelimit-remaining-tokens': '40',
      'x-ratelimit-reset-tokens': '7s',
    };
    assert.equal(parseRateLimitReset(neitherAtZero, NOW), 7000);
  });
});

describe('parseRateLimitReset: Anthropic', () => {
  it('reads RFC 3339 reset instants', () => {
    assert.equal(
      parseRateLimitReset({ 'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:12Z' }, NOW),
      12_000,
    );
    assert.equal(
      parseRateLimitReset({ 'anthropic-ratelimit-tokens-reset': '2026-03-01T13:00:00.500+01:00' }, NOW),
      500,
    );
  });

  it('uses the latest reset among exhausted limits', () => {
    const headers = {
      'anthropic-ratelimit-requests-remaining': '3',
      'anthropic-ratelimit-requests-reset': '2026-03-01T12:05:00Z',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:20Z',
      'anthropic-ratelimit-output-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-reset': '2026-03-01T12:00:40Z',
    };
    assert.equal(parseRateLimitReset(headers, NOW), 40_000);
  });

  it('never returns a negative delay for a reset in the past', () => {
    assert.equal(
      parseRateLimitReset({ 'anthropic-ratelimit-requests-reset': '2026-03-01T11:59:00Z' }, NOW),
      0,
    );
  });
});

describe('parseRateLimitReset: generic x-ratelimit-reset', () => {
  it('reads seconds, epoch seconds and epoch milliseconds', () => {
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset': '12' }, NOW), 12_000);
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset': String(NOW / 1000 + 30) }, NOW), 30_000);
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset': String(NOW + 4_000) }, NOW), 4_000);
  });
});

describe('parseRateLimitReset: nothing to go by', () => {
  it('returns null without rate-limit headers', () => {
    assert.equal(parseRateLimitReset({}, NOW), null);
    assert.equal(
      parseRateLimitReset({ 'content-type': 'application/json', 'retry-after': undefined }, NOW),
      null,
    );
    assert.equal(parseRateLimitReset({ 'x-ratelimit-reset-requests': 'later' }, NOW), null);
  });
});

describe('parseDurationMs', () => {
  const table: [string, number | null][] = [
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.29s', 290],
    ['2m59.56s', 179_560],
    ['1.5', 1500],
    ['100us', 1],
    ['250µs', 1],
    ['.5s', 500],
    ['0s', 0],
    ['', null],
    ['5 s', null],
    ['1x', null],
    ['s', null],
    ['1s2', null],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} -> ${expected}`, () => assert.equal(parseDurationMs(text), expected));
  }
});
