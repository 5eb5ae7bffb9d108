import { describe, expect, it } from 'vitest';
import { parseCustomerDate } from '../../../src/engine/date-parse.js';

const now = new Date('2026-03-20T10:00:00Z');

describe('parseCustomerDate', () => {
  it.each([
    ['2026-03-14', '2026-03-14'],
    ['2026-3-4', '2026-03-04'],
    ['14/03/2026', '2026-03-14'],
    ['4/3/2026', '2026-03-04'],
    ['14.03.2026', '2026-03-14'],
    ['14-03-2026', '2026-03-14'],
    ['2026年3月14日', '2026-03-14'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('reads %s', (text, date) => {
    expect(parseCustomerDate(text, now)).toEqual({ ok: true, date });
  });

  it.each([
    ['today', '2026-03-20'],
    ['Today!', '2026-03-20'],
    ['yesterday', '2026-03-19'],
    ['hoy', '2026-03-20'],
    ['ayer', '2026-03-19'],
    ['kemarin', '2026-03-19'],
    ['hari ini', '2026-03-20'],
    ['昨天', '2026-03-19'],
    ['आज', '2026-03-20'],
    ['कल', '2026-03-19'],
  ])('understands %s', (text, date) => {
    expect(parseCustomerDate(text, now)).toEqual({ ok: true, date });
  });

  it.each(['31/02/2026', '2025-02-29', '2026-13-01', '00/01/2026', 'last tuesday', '14/03/26', ''])(
    'refuses %j as invalid',
    (text) => {
      expect(parseCustomerDate(text, now)).toEqual({ ok: false, reason: 'invalid' });
    },
  );

  it('refuses future dates, allowing one day for time zones east of UTC', () => {
    expect(parseCustomerDate('2026-03-21', now)).toEqual({ ok: true, date: '2026-03-21' });
    expect(parseCustomerDate('2026-03-22', now)).toEqual({ ok: false, reason: 'future' });
    expect(parseCustomerDate('01/01/2027', now)).toEqual({ ok: false, reason: 'future' });
  });
});
