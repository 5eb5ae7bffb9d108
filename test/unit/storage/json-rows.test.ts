import { describe, expect, it } from 'vitest';
import { storableJson } from '../../../src/storage/json-rows.js';

describe('storableJson', () => {
  it('is plain JSON.stringify when nothing needs repair (Dates as ISO strings)', () => {
    const value = [{ a: 'Ünïcode “quotes” 👍', at: new Date('2026-03-02T10:00:00Z'), n: null }];
    expect(storableJson(value)).toBe(JSON.stringify(value));
    expect(JSON.parse(storableJson(value))[0].at).toBe('2026-03-02T10:00:00.000Z');
  });

  it('drops NUL characters and replaces lone surrogates, keeping surrogate pairs', () => {
    const json = storableJson({ text: 'a\u0000b', nested: ['x\udfffy', '\ud800', 'ok 👍'] });
    expect(JSON.parse(json)).toEqual({ text: 'ab', nested: ['x\ufffdy', '\ufffd', 'ok 👍'] });
    expect(json).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });

  it('keeps text that only looks like an escape (a backslash, then u0000)', () => {
    const value = { text: 'C:\\u0000 and \\ud800 as typed' };
    expect(JSON.parse(storableJson(value))).toEqual(value);
  });
});
