import { describe, expect, it } from 'vitest';
import { splitTail, splitText, truncate } from '../../../../adapters/whatsapp-cloud/text-limits.js';

describe('text limits', () => {
  it('truncates with an ellipsis, counting code points', () => {
    expect(truncate('short', 20)).toBe('short');
    expect(truncate('abcdefghijklmnopqrstuvwxyz', 20)).toBe('abcdefghijklmnopqrs…');
    expect(truncate('😀'.repeat(30), 20)).toBe(`${'😀'.repeat(19)}…`);
  });

  it('splits at spaces and keeps every word in order', () => {
    const text = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitText(text, 20);
    for (const p of pieces) expect(Array.from(p).length).toBeLessThanOrEqual(20);
    expect(pieces.join(' ')).toBe(text);
  });

  it('hard-cuts a text without spaces, never splitting a surrogate pair', () => {
    const pieces = splitText('😀'.repeat(25), 10);
    expect(pieces).toEqual(['😀'.repeat(10), '😀'.repeat(10), '😀'.repeat(5)]);
  });

  it('returns one piece for short or empty text', () => {
    expect(splitText('hi', 10)).toEqual(['hi']);
    expect(splitText('', 10)).toEqual(['']);
  });

  it('cuts a tail that fits an interactive body', () => {
    expect(splitTail('short', 10)).toEqual({ head: '', tail: 'short' });
    const { head, tail } = splitTail('one two three four five six', 12);
    expect(Array.from(tail).length).toBeLessThanOrEqual(12);
    expect(`${head} ${tail}`).toBe('one two three four five six');
  });
});
