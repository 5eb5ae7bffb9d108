import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateClaimWindow } from '../../../src/domain/claim-window.js';
import { ParleyError } from '../../../src/domain/errors.js';

const at = (iso: string) => new Date(iso);
const evalAt = (deliveryDate: string | null, iso: string, timeZone: string, graceDays?: number) =>
  evaluateClaimWindow({ deliveryDate, raisedAt: at(iso), timeZone, graceDays });

const ON_TIME = { within_policy_window: true, days_late: 0 };
const late = (days: number) => ({ within_policy_window: false, days_late: days });

describe('evaluateClaimWindow', () => {
  it('gives nulls without a delivery date', () => {
    expect(evalAt(null, '2026-05-10T12:00:00Z', 'UTC')).toEqual({
      within_policy_window: null,
      days_late: null,
    });
  });

  it('is within the window before and on the delivery day', () => {
    expect(evalAt('2026-05-10', '2026-05-01T00:00:00Z', 'UTC')).toEqual(ON_TIME);
    expect(evalAt('2026-05-10', '2026-05-10T00:00:00Z', 'UTC')).toEqual(ON_TIME);
  });

  describe('UTC boundary', () => {
    it('last millisecond of the delivery day is on time', () => {
      expect(evalAt('2026-05-10', '2026-05-10T23:59:59.999Z', 'UTC')).toEqual(ON_TIME);
    });
    it('first millisecond of the next day is 1 day late', () => {
      expect(evalAt('2026-05-10', '2026-05-11T00:00:00.000Z', 'UTC')).toEqual(late(1));
    });
    it('counts calendar days, not 24-hour periods', () => {
      expect(evalAt('2026-05-10', '2026-05-11T23:59:59.999Z', 'UTC')).toEqual(late(1));
      expect(evalAt('2026-05-10', '2026-05-12T00:00:00Z', 'UTC')).toEqual(late(2));
      expect(evalAt('2026-02-27', '2026-03-02T10:00:00Z', 'UTC')).toEqual(late(3));
      expect(evalAt('2024-02-27', '2024-03-02T10:00:00Z', 'UTC')).toEqual(late(4)); // leap year
      expect(evalAt('2025-12-31', '2026-01-01T00:00:00Z', 'UTC')).toEqual(late(1));
    });
  });

  describe('Asia/Kolkata (UTC+5:30)', () => {
    it('the delivery day ends at 18:30 UTC', () => {
      expect(evalAt('2026-05-10', '2026-05-10T18:29:59.999Z', 'Asia/Kolkata')).toEqual(ON_TIME);
      expect(evalAt('2026-05-10', '2026-05-10T18:30:00.000Z', 'Asia/Kolkata')).toEqual(late(1));
    });
    it('differs from UTC for the same instant', () => {
      const iso = '2026-05-10T20:00:00Z';
      expect(evalAt('2026-05-10', iso, 'UTC')).toEqual(ON_TIME);
      expect(evalAt('2026-05-10', iso, 'Asia/Kolkata')).toEqual(late(1));
    });
    it('an early-morning local claim belongs to the local day', () => {
      // 2026-05-09T19:00Z is 00:30 on 10 May in Kolkata: on the delivery day.
      expect(evalAt('2026-05-09', '2026-05-09T19:00:00Z', 'Asia/Kolkata')).toEqual(late(1));
      expect(evalAt('2026-05-09', '2026-05-09T19:00:00Z', 'UTC')).toEqual(ON_TIME);
    });
  });

  describe('America/New_York across DST', () => {
    it('spring forward (8 Mar 2026): the day before ends at 05:00 UTC (EST)', () => {
      const tz = 'America/New_York';
      expect(evalAt('2026-03-07', '2026-03-08T04:59:59.999Z', tz)).toEqual(ON_TIME);
      expect(evalAt('2026-03-07', '2026-03-08T05:00:00.000Z', tz)).toEqual(late(1));
    });
    it('the 23-hour DST day ends at 04:00 UTC (EDT)', () => {
      const tz = 'America/New_York';
      expect(evalAt('2026-03-08', '2026-03-09T03:59:59.999Z', tz)).toEqual(ON_TIME);
      expect(evalAt('2026-03-08', '2026-03-09T04:00:00.000Z', tz)).toEqual(late(1));
      // From before the change to after it: still whole calendar days.
      expect(evalAt('2026-03-07', '2026-03-09T04:00:00.000Z', tz)).toEqual(late(2));
      expect(evalAt('2026-03-07', '2026-03-09T03:59:59.999Z', tz)).toEqual(late(1));
    });
    it('fall back (1 Nov 2026): the 25-hour day ends at 05:00 UTC (EST)', () => {
      const tz = 'America/New_York';
      expect(evalAt('2026-11-01', '2026-11-02T04:59:59.999Z', tz)).toEqual(ON_TIME);
      expect(evalAt('2026-11-01', '2026-11-02T05:00:00.000Z', tz)).toEqual(late(1));
      expect(evalAt('2026-10-31', '2026-11-02T05:00:00.000Z', tz)).toEqual(late(2));
    });
  });

  describe('grace days', () => {
    it('defaults to 0', () => {
      expect(evalAt('2026-05-10', '2026-05-11T00:00:00Z', 'UTC', 0)).toEqual(
        evalAt('2026-05-10', '2026-05-11T00:00:00Z', 'UTC'),
      );
    });
    it('moves the end of the window and the count', () => {
      expect(evalAt('2026-05-10', '2026-05-12T23:59:59.999Z', 'UTC', 2)).toEqual(ON_TIME);
      expect(evalAt('2026-05-10', '2026-05-13T00:00:00Z', 'UTC', 2)).toEqual(late(1));
      expect(evalAt('2026-05-10', '2026-05-20T12:00:00Z', 'UTC', 2)).toEqual(late(8));
      expect(evalAt('2026-05-10', '2026-05-10T18:30:00Z', 'Asia/Kolkata', 1)).toEqual(ON_TIME);
    });
    it.each([-1, 1.5, Number.NaN])('rejects grace %s', (grace) => {
      expect(() => evalAt('2026-05-10', '2026-05-13T00:00:00Z', 'UTC', grace)).toThrow(ParleyError);
    });
  });

  it.each(['2026-02-30', '2026-13-01', '10/05/2026', '2026-5-1', ''])(
    'rejects delivery date %o as invalid_request',
    (d) => {
      try {
        evalAt(d, '2026-05-10T00:00:00Z', 'UTC');
        expect.unreachable();
      } catch (e) {
        expect((e as ParleyError).code).toBe('invalid_request');
      }
    },
  );

  describe('properties', () => {
    const zones = fc.constantFrom(
      'UTC',
      'Asia/Kolkata',
      'America/New_York',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
    );
    const instant = fc.integer({
      min: Date.UTC(2020, 0, 1),
      max: Date.UTC(2030, 0, 1),
    });
    const date = fc
      .integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2030, 0, 1) / 86_400_000 })
      .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

    it('days_late never decreases as raisedAt moves later', () => {
      fc.assert(
        fc.property(date, zones, instant, instant, fc.nat(10), (d, tz, t1, t2, grace) => {
          const [early, later] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const a = evaluateClaimWindow({
            deliveryDate: d,
            raisedAt: new Date(early),
            timeZone: tz,
            graceDays: grace,
          });
          const b = evaluateClaimWindow({
            deliveryDate: d,
            raisedAt: new Date(later),
            timeZone: tz,
            graceDays: grace,
          });
          expect(b.days_late!).toBeGreaterThanOrEqual(a.days_late!);
        }),
      );
    });

    it('within_policy_window is exactly days_late === 0, and days_late ≥ 0', () => {
      fc.assert(
        fc.property(date, zones, instant, fc.nat(10), (d, tz, t, grace) => {
          const r = evaluateClaimWindow({
            deliveryDate: d,
            raisedAt: new Date(t),
            timeZone: tz,
            graceDays: grace,
          });
          expect(r.days_late!).toBeGreaterThanOrEqual(0);
          expect(r.within_policy_window).toBe(r.days_late === 0);
        }),
      );
    });

    it('one more grace day is never later', () => {
      fc.assert(
        fc.property(date, zones, instant, fc.nat(10), (d, tz, t, grace) => {
          const base = { deliveryDate: d, raisedAt: new Date(t), timeZone: tz };
          const a = evaluateClaimWindow({ ...base, graceDays: grace });
          const b = evaluateClaimWindow({ ...base, graceDays: grace + 1 });
          expect(b.days_late).toBe(Math.max(0, a.days_late! - 1));
        }),
      );
    });
  });
});
