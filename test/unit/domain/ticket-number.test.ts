import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTicketNumber,
  parseTicketRef,
  yearInTimeZone,
} from '../../../src/domain/ticket-number.js';

describe('formatTicketNumber', () => {
  it.each([
    [2026, 1, 'TK-2026-00001'],
    [2026, 42, 'TK-2026-00042'],
    [2026, 99999, 'TK-2026-99999'],
    [2027, 100000, 'TK-2027-100000'],
    [2026, 1234567, 'TK-2026-1234567'],
  ])('(%i, %i) → %s', (year, seq, out) => {
    expect(formatTicketNumber(year, seq)).toBe(out);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects sequence %s', (seq) => {
    expect(() => formatTicketNumber(2026, seq)).toThrow(RangeError);
  });

  it('rejects a year without four digits', () => {
    expect(() => formatTicketNumber(26, 1)).toThrow(RangeError);
  });
});

describe('parseTicketRef', () => {
  const id = '3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b';

  it.each([
    [id, { kind: 'id', id }],
    [id.toUpperCase(), { kind: 'id', id }],
    [`  ${id} `, { kind: 'id', id }],
    ['TK-2026-00042', { kind: 'number', number: 'TK-2026-00042' }],
    ['tk-2025-00042', { kind: 'number', number: 'TK-2025-00042' }],
    ['Tk-2026-42', { kind: 'number', number: 'TK-2026-00042' }],
    ['TK-2026-123456', { kind: 'number', number: 'TK-2026-123456' }],
    ['42', { kind: 'number', number: 'TK-2026-00042' }],
    ['#42', { kind: 'number', number: 'TK-2026-00042' }],
    ['00042', { kind: 'number', number: 'TK-2026-00042' }],
    [' #7 ', { kind: 'number', number: 'TK-2026-00007' }],
    ['100000', { kind: 'number', number: 'TK-2026-100000' }],
  ])('%s → %o', (ref, out) => {
    expect(parseTicketRef(ref, 2026)).toEqual(out);
  });

  it.each([
    '',
    '0',
    '#0',
    'TK-2026-00000',
    'TK-26-00042',
    'TK-2026-',
    'TK2026-00042',
    '##42',
    '42a',
    '-42',
    '4 2',
    '3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5',
    'hello',
    '99999999999999999999',
  ])('%o → null', (ref) => {
    expect(parseTicketRef(ref, 2026)).toBeNull();
  });

  it('round-trips every formatted number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (y, n) => {
          const number = formatTicketNumber(y, n);
          expect(parseTicketRef(number, 2000)).toEqual({ kind: 'number', number });
          expect(parseTicketRef(number.toLowerCase(), 2000)).toEqual({ kind: 'number', number });
          expect(parseTicketRef(`#${n}`, y)).toEqual({ kind: 'number', number });
        },
      ),
    );
  });
});

describe('yearInTimeZone', () => {
  const newYearUtc = new Date('2026-01-01T00:30:00Z');

  it('uses the local calendar year', () => {
    expect(yearInTimeZone(newYearUtc, 'UTC')).toBe(2026);
    expect(yearInTimeZone(newYearUtc, 'America/New_York')).toBe(2025);
    expect(yearInTimeZone(new Date('2025-12-31T19:00:00Z'), 'Asia/Kolkata')).toBe(2026);
    expect(yearInTimeZone(new Date('2025-12-31T18:29:59Z'), 'Asia/Kolkata')).toBe(2025);
  });

  it('throws on an unknown time zone', () => {
    expect(() => yearInTimeZone(newYearUtc, 'Mars/Olympus')).toThrow(RangeError);
  });
});
