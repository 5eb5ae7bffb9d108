import { describe, expect, it } from 'vitest';
import {
  localClockTime,
  localMoment,
  nextDate,
  parseClockTime,
  startOfLocalDay,
} from '../../../src/domain/local-time.js';
import {
  autoCloseAfterHours,
  dailyReportMinutes,
  whatsappWindowWarningMinutes,
} from '../../../src/domain/timer-settings.js';

describe('local time in a tenant time zone', () => {
  it.each([
    ['2026-03-10', 'Asia/Kolkata', '2026-03-09T18:30:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'], // the day DST starts
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00.000Z'], // the day DST ends
    ['2026-03-08', 'America/Havana', '2026-03-08T05:00:00.000Z'], // no local midnight: 01:00
    ['2026-11-01', 'America/Havana', '2026-11-01T04:00:00.000Z'], // midnight twice: the first
    ['2026-01-01', 'Pacific/Kiritimati', '2025-12-31T10:00:00.000Z'],
  ])('%s in %s starts at %s', (date, tz, expected) => {
    const start = startOfLocalDay(date, tz);
    expect(start.toISOString()).toBe(expected);
    expect(localMoment(start, tz).date).toBe(date);
    expect(localMoment(new Date(start.getTime() - 1), tz).date).not.toBe(date);
  });

  it('reads the local date, minute and clock time of an instant', () => {
    expect(localMoment(new Date('2026-03-10T03:01:00Z'), 'Asia/Kolkata')).toEqual({
      date: '2026-03-10',
      minutes: 8 * 60 + 31,
    });
    expect(localClockTime(new Date('2026-05-05T08:00:00Z'), 'Europe/Berlin')).toBe('10:00');
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
    expect(parseClockTime('08:30')).toBe(510);
    expect(parseClockTime('24:00')).toBeNull();
  });
});

describe('timer settings', () => {
  it('defaults: auto-close 96 h, report 08:30, WhatsApp warning 60 min; null turns each off', () => {
    expect(autoCloseAfterHours({})).toBe(96);
    expect(autoCloseAfterHours({ auto_close_after_hours: null })).toBeNull();
    expect(dailyReportMinutes({})).toBe(510);
    expect(dailyReportMinutes({ daily_report_time: '18:05' })).toBe(1085);
    expect(dailyReportMinutes({ daily_report_time: null })).toBeNull();
    expect(whatsappWindowWarningMinutes({})).toBe(60);
    expect(whatsappWindowWarningMinutes({ whatsapp_window_warning_minutes: null })).toBeNull();
  });
});
