// Test support: loads this folder's golden fixtures from the source tree (the compiled specs run
// from a dist folder, which holds no JSON). `UPDATE_GOLDEN=1` rewrites the expectations instead,
// for review in the diff.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type SseMessage,
  type StreamTranscoder,
  UntranslatableError,
} from '../translation/stream-transcoder';

const GOLDEN_DIR = [
  join(process.cwd(), 'libs/llm-formats/src/anthropic/golden'),
  join(__dirname, 'golden'),
].find((dir) => existsSync(dir));

const updating = process.env.UPDATE_GOLDEN === '1';

interface GoldenFile<Case> {
  name: string;
  cases: Case[];
}

/** A conversion of one JSON value into another, or a refusal naming the field it cannot carry. */
export interface ConversionCase<Input, Output> {
  description: string;
  input: Input;
  expected?: Output;
  /** The input cannot be carried: the UntranslatableError's `param`. */
  error?: { param: string };
}

/**
 * An upstream stream fed event by event: `expected[i]` is what input event `i` produces, and the
 * last entry what `finish()` produces.
 */
export interface StreamCase<Options> {
  description: string;
  options: Options;
  input: SseMessage[];
  expected?: SseMessage[][];
}

/** Every `golden/<prefix>*.json`, each `{ "cases": [...] }`. */
function loadGoldenFiles<Case>(prefix: string): GoldenFile<Case>[] {
  if (!GOLDEN_DIR) throw new Error('golden fixtures not found: run the tests from the repository root');
  return readdirSync(GOLDEN_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      cases: (JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as { cases: Case[] }).cases,
    }));
}

function saveGoldenFile<Case>(file: GoldenFile<Case>): void {
  if (!GOLDEN_DIR || !updating) return;
  writeFileSync(join(GOLDEN_DIR, file.name), `${JSON.stringify({ cases: file.cases }, null, 2)}\n`);
}

/** One `describe` per golden file, one `it` per case: convert, compare (or expect the refusal). */
export function goldenConversions<Input, Output>(
  prefix: string,
  title: string,
  convert: (input: Input) => Output,
): void {
  for (const file of loadGoldenFiles<ConversionCase<Input, Output>>(prefix)) {
    describe(`${title} (golden/${file.name})`, () => {
      after(() => saveGoldenFile(file));
      for (const testCase of file.cases) {
        it(testCase.description, () => {
          const input = structuredClone(testCase.input);
          if (testCase.error) {
            const { param } = testCase.error;
            assert.throws(
              () => convert(input),
              (error: unknown) => error instanceof UntranslatableError && error.param === param,
            );
            return;
          }
          const actual = convert(input);
          assert.deepEqual(input, testCase.input, 'the input is not modified');
          if (updating) testCase.expected = actual;
          else assert.deepEqual(actual, testCase.expected);
        });
      }
    });
  }
}

/**
 * Streams fed event by event through a fresh transcoder per case; `validate` also checks the whole
 * output (e.g. the target protocol's rules) and throws on a violation.
 */
export function goldenStreams<Options>(
  prefix: string,
  title: string,
  create: (options: Options) => StreamTranscoder,
  validate: (output: SseMessage[]) => unknown,
): void {
  for (const file of loadGoldenFiles<StreamCase<Options>>(prefix)) {
    describe(`${title} (golden/${file.name})`, () => {
      after(() => saveGoldenFile(file));
      for (const testCase of file.cases) {
        it(testCase.description, () => {
          const actual = runStream(create(testCase.options), testCase.input);
          validate(actual.flat());
          if (updating) testCase.expected = actual;
          else assert.deepEqual(actual, testCase.expected);
        });
      }
    });
  }
}

/** What each event produces, then what `finish()` produces; outputs are round-tripped through JSON. */
export function runStream(transcoder: StreamTranscoder, input: SseMessage[]): SseMessage[][] {
  const outputs = input.map((event) => transcoder.push(structuredClone(event)));
  outputs.push(transcoder.finish());
  return JSON.parse(JSON.stringify(outputs)) as SseMessage[][];
}
