import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutPreview } from './previews';

/** The definition cutPreview must keep: whitespace runs flattened, trimmed, cut with an ellipsis. */
function reference(text: string, length: number): string | null {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

describe('cutPreview', () => {
  it('flattens whitespace, trims, and cuts long texts with an ellipsis', () => {
    assert.equal(cutPreview(null, 10), null);
    assert.equal(cutPreview(' \n\t ', 10), null);
    assert.equal(cutPreview('  hello\n\n  world  ', 40), 'hello world');
    assert.equal(cutPreview('abcdefghijklmnop', 5), 'abcde…');
    assert.equal(cutPreview(' one two three ', 40), 'one two three');
    assert.equal(cutPreview('one\u00a0two', 40), 'one two');
  });

  it('gives the same preview as flattening the whole text, for long texts of any shape', () => {
    // single spaces only (left as they are), runs, tabs and newlines, Unicode spaces
    const pieces = ['a', 'bc', ' ', '  ', '\n', '\t\t', 'word ', '     ', ' x', '\u00a0', '\u2003 '];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 3000; round++) {
      const length = 1 + (next() % 30);
      let text = '';
      const parts = next() % 120;
      for (let i = 0; i < parts; i++) text += pieces[next() % pieces.length];
      if (round % 5 === 0) text += ' '.repeat(next() % 200);
      if (round % 7 === 0) text = ' '.repeat(next() % 200) + text;
      assert.equal(cutPreview(text, length), reference(text, length), JSON.stringify({ text, length }));
    }
  });
});
