import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WEEKDAYS,
  addBusinessSeconds,
  businessSecondsBetween,
  calendarProblems,
  isBusinessTime,
  nextBusinessTime,
  type BusinessCalendar,
  type Weekday,
} from '../../../src/domain/business-calendar.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Raise with PROPERTY_RUNS=5000 for a deeper search; the default keeps the file fast. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** Zones with DST at 02:00/03:00, half-hour, 45-minute and 30-minute-DST offsets. */
const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
];

/** DST change days (and ordinary days) to start near, so the walks cross the changes. */
const ANCHORS = [
  '2026-03-08',
  '2026-03-29',
  '2026-10-25',
  '2026-11-01',
  '2026-04-05',
  '2026-09-06',
  '2026-06-15',
  '2027-01-10',
].map((d) => Date.parse(`${d}T00:00:00Z`));

const pad = (n: number): string => String(n).padStart(2, '0');
const clock = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** 0–3 non-overlapping periods, boundaries on `step`-minute marks, "24:00" possible as an end. */
function periodsArb(step: number, allowed?: (minute: number) => boolean) {
  const marks: number[] = [];
  for (let m = 0; m <= 24 * 60; m += step) if (!allowed || allowed(m)) marks.push(m);
  return fc.uniqueArray(fc.constantFrom(...marks), { minLength: 0, maxLength: 6 }).map((picked) => {
    const sorted = [...picked].sort((a, b) => a - b);
    const periods: Array<[string, string]> = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      periods.push([clock(sorted[i]!), clock(sorted[i + 1]!)]);
    }
    return periods;
  });
}

function calendarArb(options: { zones: string[]; step: number; allowed?: (m: number) => boolean }) {
  const days = fc.tuple(...WEEKDAYS.map(() => periodsArb(options.step, options.allowed)));
  const holiday = fc
    .integer({ min: 0, max: 500 })
    .map((n) => new Date(Date.parse('2026-01-01T00:00:00Z') + n * DAY).toISOString().slice(0, 10));
  return fc
    .record({
      timezone: fc.constantFrom(...options.zones),
      days,
      holidays: fc.array(holiday, { maxLength: 20 }),
    })
    .filter(({ days: perDay }) => perDay.some((p) => p.length > 0))
    .map(({ timezone, days: perDay, holidays }): BusinessCalendar => ({
      timezone,
      hours: Object.fromEntries(WEEKDAYS.map((d, i) => [d, perDay[i]!])) as Record<
        Weekday,
        Array<[string, string]>
      >,
      holidays,
    }));
}

const calendars = calendarArb({ zones: ZONES, step: 1 });

const instants = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
  .map(([anchor, offset]) => new Date(anchor + offset));

/** Up to two weeks of business time, in whole seconds. */
const durations = fc.integer({ min: 1, max: 14 * 86_400 });

describe('addBusinessSeconds / businessSecondsBetween properties', () => {
  it('generated calendars are valid', () => {
    fc.assert(
      fc.property(calendars, (cal) => {
        expect(calendarProblems(cal)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('businessSecondsBetween(start, add(start, n)) === n', () => {
    fc.assert(
      fc.property(calendars, instants, durations, (cal, start, n) => {
        const end = addBusinessSeconds(start, n, cal);
        expect(businessSecondsBetween(start, end, cal)).toBe(n);
        expect(end.getTime()).toBeGreaterThan(start.getTime());
      }),
      { numRuns: RUNS },
    );
  });

  it('is monotonic in n', () => {
    fc.assert(
      fc.property(calendars, instants, durations, durations, (cal, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessSeconds(start, lo, cal).getTime()).toBeLessThanOrEqual(
          addBusinessSeconds(start, hi, cal).getTime(),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('lands on business time or exactly at the end of a period', () => {
    fc.assert(
      fc.property(calendars, instants, durations, (cal, start, n) => {
        const end = addBusinessSeconds(start, n, cal);
        const periodEnd =
          !isBusinessTime(end, cal) && isBusinessTime(new Date(end.getTime() - 1), cal);
        expect(isBusinessTime(end, cal) || periodEnd).toBe(true);
        // Walking back lands on business time.
        expect(isBusinessTime(addBusinessSeconds(start, -n, cal), cal)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('add(-n) inverts add(n) from a business instant, and vice versa', () => {
    fc.assert(
      fc.property(calendars, instants, durations, (cal, anywhere, n) => {
        const start = nextBusinessTime(anywhere, cal);
        expect(isBusinessTime(start, cal)).toBe(true);
        const later = addBusinessSeconds(start, n, cal);
        expect(addBusinessSeconds(later, -n, cal).getTime()).toBe(start.getTime());
        const earlier = addBusinessSeconds(start, -n, cal);
        expect(businessSecondsBetween(earlier, start, cal)).toBe(n);
        // Forward again reaches start, or the closing right before it when start is an opening
        // (deadlines stay on a closing time rather than jumping to the next opening).
        const again = addBusinessSeconds(earlier, n, cal);
        expect(again.getTime()).toBeLessThanOrEqual(start.getTime());
        expect(businessSecondsBetween(again, start, cal)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('businessSecondsBetween is additive and never exceeds wall time', () => {
    fc.assert(
      fc.property(calendars, instants, instants, instants, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const ab = businessSecondsBetween(a, b, cal);
        const bc = businessSecondsBetween(b, c, cal);
        const ac = businessSecondsBetween(a, c, cal);
        expect(ab + bc).toBeCloseTo(ac, 6);
        expect(ac).toBeLessThanOrEqual((c.getTime() - a.getTime()) / 1000);
        expect(businessSecondsBetween(c, a, cal)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('a null calendar is plain addition', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -30 * 86_400, max: 30 * 86_400 }), (start, n) => {
        expect(addBusinessSeconds(start, n, null).getTime()).toBe(start.getTime() + n * 1000);
        const end = new Date(start.getTime() + Math.abs(n) * 1000);
        expect(businessSecondsBetween(start, end, null)).toBe(Math.abs(n));
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * An independent reference: read each 5-minute slot's local wall time with Intl and check it
 * against the calendar. Period boundaries avoid 01:00–03:00 (where DST changes happen in these
 * zones), so no boundary falls in a gap or a repeated hour and both readings must agree.
 */
describe('against a wall-clock reference', () => {
  const ZONE_SUBSET = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const local = (t: number, tz: string) => {
    let f = formatters.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      formatters.set(tz, f);
    }
    const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
    return {
      weekday: String(parts.weekday).toLowerCase() as Weekday,
      date: `${parts.year}-${parts.month}-${parts.day}`,
      minute: Number(parts.hour) * 60 + Number(parts.minute),
    };
  };
  const referenceOpen = (t: number, cal: BusinessCalendar): boolean => {
    const { weekday, date, minute } = local(t, cal.timezone);
    if (cal.holidays.includes(date)) return false;
    return (cal.hours[weekday] ?? []).some(
      ([s, e]) => minute >= toMinutes(s) && minute < toMinutes(e),
    );
  };
  const toMinutes = (hhmm: string): number => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    return h * 60 + m;
  };
  const refCalendars = calendarArb({
    zones: ZONE_SUBSET,
    step: 30,
    allowed: (m) => m < 60 || m > 180,
  });
  const slotStarts = instants.map((d) => new Date(Math.floor(d.getTime() / (5 * MIN)) * 5 * MIN));

  it('counts the same business time over up to three days', () => {
    fc.assert(
      fc.property(
        refCalendars,
        slotStarts,
        fc.integer({ min: 1, max: 864 }),
        (cal, from, slots) => {
          let expected = 0;
          for (let i = 0; i < slots; i++) {
            const t = from.getTime() + i * 5 * MIN;
            const open = referenceOpen(t, cal);
            if (open) expected += 300;
            expect(isBusinessTime(new Date(t), cal)).toBe(open);
          }
          const to = new Date(from.getTime() + slots * 5 * MIN);
          expect(businessSecondsBetween(from, to, cal)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('speed (printed, not asserted)', () => {
  it('measures addBusinessSeconds on a busy calendar', () => {
    const cal: BusinessCalendar = {
      timezone: 'Europe/Paris',
      hours: Object.fromEntries(
        (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [
          d,
          [
            ['09:00', '13:00'],
            ['14:00', '18:00'],
          ],
        ]),
      ),
      holidays: ['2026-05-01', '2026-05-08', '2026-07-14', '2026-12-25'],
    };
    const base = Date.parse('2026-01-01T00:00:00Z');
    const n = 20_000;
    const t0 = performance.now();
    let last = 0;
    for (let i = 0; i < n; i++) {
      // A fresh object per call, as a sweep reading policies from the database would pass.
      last = addBusinessSeconds(new Date(base + i * 997_000), 48 * 3600, { ...cal }).getTime();
    }
    const perCall = ((performance.now() - t0) * 1000) / n;
    console.log(
      `addBusinessSeconds (48 h target, split shifts): ${perCall.toFixed(2)} µs per call`,
    );
    expect(last).toBeGreaterThan(base);
  });
});
