import { describe, expect, it } from 'vitest';
import {
  BusinessCalendarError,
  addBusinessSeconds,
  businessSecondsBetween,
  calendarProblems,
  isBusinessTime,
  nextBusinessTime,
  type BusinessCalendar,
  type Weekday,
} from '../../../src/domain/business-calendar.js';

const H = 3600;
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

function weekdays(
  timezone: string,
  periods: Array<[string, string]>,
  holidays: string[] = [],
  days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'],
): BusinessCalendar {
  return { timezone, hours: Object.fromEntries(days.map((d) => [d, periods])), holidays };
}

const ALL_WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const paris = weekdays('Europe/Paris', [['09:00', '18:00']]);
const newYork = weekdays('America/New_York', [['09:00', '18:00']]);

describe('addBusinessSeconds: the contract examples', () => {
  it('a Friday 17:30 ticket with a 4 h target is due Monday 12:30 (Paris, winter)', () => {
    // 2026-01-09 is a Friday; Paris is UTC+1 in January.
    expect(iso(addBusinessSeconds(at('2026-01-09T16:30:00Z'), 4 * H, paris))).toBe(
      '2026-01-12T11:30:00.000Z',
    );
  });

  it('the same over the spring-forward weekend lands on Monday 12:30 summer time', () => {
    // Friday 2026-03-27 17:30 CET; Monday 2026-03-30 12:30 CEST (UTC+2).
    expect(iso(addBusinessSeconds(at('2026-03-27T16:30:00Z'), 4 * H, paris))).toBe(
      '2026-03-30T10:30:00.000Z',
    );
  });

  it('a start outside hours counts from the next opening', () => {
    // Saturday → Monday 09:00 + 1 h.
    expect(iso(addBusinessSeconds(at('2026-01-10T10:00:00Z'), H, paris))).toBe(
      '2026-01-12T09:00:00.000Z',
    );
    // Tuesday 07:00 local → 09:00 + 30 min.
    expect(iso(addBusinessSeconds(at('2026-01-13T06:00:00Z'), 1800, paris))).toBe(
      '2026-01-13T08:30:00.000Z',
    );
  });

  it('a deadline that lands exactly on closing time stays there', () => {
    // Friday 17:00 + 1 h = Friday 18:00, not Monday 09:00.
    expect(iso(addBusinessSeconds(at('2026-01-09T16:00:00Z'), H, paris))).toBe(
      '2026-01-09T17:00:00.000Z',
    );
  });

  it('split shifts 09–13 / 14–18 skip the lunch break', () => {
    const split = weekdays('Europe/Paris', [
      ['09:00', '13:00'],
      ['14:00', '18:00'],
    ]);
    // Monday 12:00 + 2 h = 13:00 (1 h) then 14:00–15:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T11:00:00Z'), 2 * H, split))).toBe(
      '2026-01-12T14:00:00.000Z',
    );
    // Starting at 13:30 counts from 14:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T12:30:00Z'), 1800, split))).toBe(
      '2026-01-12T13:30:00.000Z',
    );
    expect(isBusinessTime(at('2026-01-12T12:30:00Z'), split)).toBe(false);
    expect(
      businessSecondsBetween(at('2026-01-12T11:00:00Z'), at('2026-01-12T14:00:00Z'), split),
    ).toBe(2 * H);
    // 8 h a day: Monday 09:00 + 10 h = Tuesday 11:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T08:00:00Z'), 10 * H, split))).toBe(
      '2026-01-13T10:00:00.000Z',
    );
  });

  it('a holiday Monday pushes the deadline to Tuesday', () => {
    const withHoliday = weekdays('Europe/Paris', [['09:00', '18:00']], ['2026-01-12']);
    expect(iso(addBusinessSeconds(at('2026-01-09T16:30:00Z'), 4 * H, withHoliday))).toBe(
      '2026-01-13T11:30:00.000Z',
    );
    expect(isBusinessTime(at('2026-01-12T10:00:00Z'), withHoliday)).toBe(false);
  });

  it('crosses week boundaries (Sunday → Monday) and multi-week targets', () => {
    // Sunday 23:00 local → Monday 09:00 + 1 h.
    expect(iso(addBusinessSeconds(at('2026-01-11T22:00:00Z'), H, paris))).toBe(
      '2026-01-12T09:00:00.000Z',
    );
    // 45 h = five full days: Monday 09:00 → Friday 18:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T08:00:00Z'), 45 * H, paris))).toBe(
      '2026-01-16T17:00:00.000Z',
    );
    // 46 h → the following Monday 10:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T08:00:00Z'), 46 * H, paris))).toBe(
      '2026-01-19T09:00:00.000Z',
    );
  });

  it('a 24:00 end runs into the next day at midnight', () => {
    const night: BusinessCalendar = {
      timezone: 'UTC',
      hours: { mon: [['20:00', '24:00']], tue: [['00:00', '02:00']] },
      holidays: [],
    };
    expect(calendarProblems(night)).toEqual([]);
    // Monday 23:00 + 2 h = Tuesday 01:00.
    expect(iso(addBusinessSeconds(at('2026-01-12T23:00:00Z'), 2 * H, night))).toBe(
      '2026-01-13T01:00:00.000Z',
    );
    expect(isBusinessTime(at('2026-01-13T00:00:00Z'), night)).toBe(true);
    expect(isBusinessTime(at('2026-01-13T02:00:00Z'), night)).toBe(false);
    // Monday 20:00 + 6 h exactly uses the whole shift; + 6 h 1 s goes to next Monday.
    expect(iso(addBusinessSeconds(at('2026-01-12T20:00:00Z'), 6 * H, night))).toBe(
      '2026-01-13T02:00:00.000Z',
    );
    expect(iso(addBusinessSeconds(at('2026-01-12T20:00:00Z'), 6 * H + 1, night))).toBe(
      '2026-01-19T20:00:01.000Z',
    );
  });

  it('handles a +05:30 zone (Asia/Kolkata)', () => {
    const kolkata = weekdays('Asia/Kolkata', [['10:00', '19:00']]);
    // Monday 10:00 IST = 04:30Z; + 9 h = 19:00 IST = 13:30Z.
    expect(iso(addBusinessSeconds(at('2026-01-12T04:30:00Z'), 9 * H, kolkata))).toBe(
      '2026-01-12T13:30:00.000Z',
    );
    // Friday 18:30 IST + 1 h = Monday 10:30 IST.
    expect(iso(addBusinessSeconds(at('2026-01-16T13:00:00Z'), H, kolkata))).toBe(
      '2026-01-19T05:00:00.000Z',
    );
    expect(isBusinessTime(at('2026-01-12T04:29:59Z'), kolkata)).toBe(false);
    expect(isBusinessTime(at('2026-01-12T04:30:00Z'), kolkata)).toBe(true);
  });

  it('accepts fractional seconds to the millisecond', () => {
    expect(iso(addBusinessSeconds(at('2026-01-12T08:00:00Z'), 1.5, paris))).toBe(
      '2026-01-12T08:00:01.500Z',
    );
  });
});

describe('negative seconds walk backwards', () => {
  it('Monday 10:30 minus 2 h is Friday 17:30', () => {
    expect(iso(addBusinessSeconds(at('2026-01-12T09:30:00Z'), -2 * H, paris))).toBe(
      '2026-01-09T16:30:00.000Z',
    );
  });

  it('a start outside hours counts back from the previous closing', () => {
    // Saturday noon − 1 h = Friday 17:00.
    expect(iso(addBusinessSeconds(at('2026-01-10T11:00:00Z'), -H, paris))).toBe(
      '2026-01-09T16:00:00.000Z',
    );
  });

  it('zero is the identity, even outside hours', () => {
    expect(iso(addBusinessSeconds(at('2026-01-10T11:00:00Z'), 0, paris))).toBe(
      '2026-01-10T11:00:00.000Z',
    );
  });
});

describe('daylight saving time', () => {
  const sundays = (timezone: string, periods: Array<[string, string]>): BusinessCalendar =>
    weekdays(timezone, periods, [], ['sun']);

  it('Europe/Paris spring forward (2026-03-29): 01:00–04:00 lasts two real hours', () => {
    const cal = sundays('Europe/Paris', [['01:00', '04:00']]);
    // 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z.
    expect(
      businessSecondsBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), cal),
    ).toBe(2 * H);
    expect(iso(nextBusinessTime(at('2026-03-28T12:00:00Z'), cal))).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(addBusinessSeconds(at('2026-03-29T00:00:00Z'), 2 * H, cal))).toBe(
      '2026-03-29T02:00:00.000Z',
    );
  });

  it('a period starting in the spring-forward gap counts from the first instant after it', () => {
    const cal = sundays('Europe/Paris', [['02:30', '05:00']]);
    // 02:30 does not exist: counting starts at 03:00 CEST = 01:00Z; 05:00 CEST = 03:00Z.
    expect(iso(nextBusinessTime(at('2026-03-28T12:00:00Z'), cal))).toBe('2026-03-29T01:00:00.000Z');
    expect(
      businessSecondsBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), cal),
    ).toBe(2 * H);
  });

  it('Europe/Paris fall back (2026-10-25): the repeated hour is counted once, in real time', () => {
    const cal = sundays('Europe/Paris', [['01:00', '04:00']]);
    // 01:00 CEST = 23:00Z (Saturday), 04:00 CET = 03:00Z: four real hours.
    expect(
      businessSecondsBetween(at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'), cal),
    ).toBe(4 * H);
    // 3 h after opening is the second 02:00 (CET) = 01:00Z.
    expect(iso(addBusinessSeconds(at('2026-10-24T23:00:00Z'), 3 * H, cal))).toBe(
      '2026-10-25T02:00:00.000Z',
    );
    // A period inside the repeated hour starts at its first occurrence.
    const repeated = sundays('Europe/Paris', [['02:00', '03:00']]);
    expect(iso(nextBusinessTime(at('2026-10-24T12:00:00Z'), repeated))).toBe(
      '2026-10-25T00:00:00.000Z',
    );
    // 02:00 CEST (00:00Z) to 03:00 CET (02:00Z): two real hours.
    expect(
      businessSecondsBetween(at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'), repeated),
    ).toBe(2 * H);
  });

  it('America/New_York spring forward (2026-03-08): 00:00–06:00 lasts five hours', () => {
    const cal = sundays('America/New_York', [['00:00', '06:00']]);
    // 00:00 EST = 05:00Z, 06:00 EDT = 10:00Z.
    expect(iso(nextBusinessTime(at('2026-03-07T12:00:00Z'), cal))).toBe('2026-03-08T05:00:00.000Z');
    expect(
      businessSecondsBetween(at('2026-03-07T12:00:00Z'), at('2026-03-08T23:00:00Z'), cal),
    ).toBe(5 * H);
    // A period wholly inside the gap has no working time that day.
    const gapOnly = sundays('America/New_York', [['02:00', '03:00']]);
    expect(
      businessSecondsBetween(at('2026-03-07T12:00:00Z'), at('2026-03-08T23:00:00Z'), gapOnly),
    ).toBe(0);
    // … and the next opening is the following Sunday 02:00 EDT.
    expect(iso(nextBusinessTime(at('2026-03-08T00:00:00Z'), gapOnly))).toBe(
      '2026-03-15T06:00:00.000Z',
    );
  });

  it('America/New_York fall back (2026-11-01): 00:00–06:00 lasts seven hours', () => {
    const cal = sundays('America/New_York', [['00:00', '06:00']]);
    // 00:00 EDT = 04:00Z, 06:00 EST = 11:00Z.
    expect(
      businessSecondsBetween(at('2026-10-31T12:00:00Z'), at('2026-11-01T23:00:00Z'), cal),
    ).toBe(7 * H);
    expect(iso(addBusinessSeconds(at('2026-11-01T04:00:00Z'), 7 * H, cal))).toBe(
      '2026-11-01T11:00:00.000Z',
    );
  });

  it('weekday targets across the New York changes keep local opening hours', () => {
    // Friday 2026-03-06 17:30 EST + 4 h = Monday 12:30 EDT.
    expect(iso(addBusinessSeconds(at('2026-03-06T22:30:00Z'), 4 * H, newYork))).toBe(
      '2026-03-09T16:30:00.000Z',
    );
    // Friday 2026-10-30 17:30 EDT + 4 h = Monday 12:30 EST.
    expect(iso(addBusinessSeconds(at('2026-10-30T21:30:00Z'), 4 * H, newYork))).toBe(
      '2026-11-02T17:30:00.000Z',
    );
  });
});

describe('businessSecondsBetween, isBusinessTime, nextBusinessTime', () => {
  it('is 0 when to <= from', () => {
    expect(
      businessSecondsBetween(at('2026-01-12T10:00:00Z'), at('2026-01-12T09:00:00Z'), paris),
    ).toBe(0);
    expect(
      businessSecondsBetween(at('2026-01-12T10:00:00Z'), at('2026-01-12T10:00:00Z'), null),
    ).toBe(0);
  });

  it('counts only opening hours over a week', () => {
    // Monday 00:00 local to the next Monday 00:00: 5 × 9 h.
    expect(
      businessSecondsBetween(at('2026-01-11T23:00:00Z'), at('2026-01-18T23:00:00Z'), paris),
    ).toBe(45 * H);
  });

  it('treats periods as [start, end)', () => {
    expect(isBusinessTime(at('2026-01-12T08:00:00Z'), paris)).toBe(true); // 09:00
    expect(isBusinessTime(at('2026-01-12T17:00:00Z'), paris)).toBe(false); // 18:00
    expect(isBusinessTime(at('2026-01-12T16:59:59.999Z'), paris)).toBe(true);
  });

  it('nextBusinessTime returns the instant itself when open, else the next opening', () => {
    expect(iso(nextBusinessTime(at('2026-01-12T10:00:00Z'), paris))).toBe(
      '2026-01-12T10:00:00.000Z',
    );
    expect(iso(nextBusinessTime(at('2026-01-09T17:00:00Z'), paris))).toBe(
      '2026-01-12T08:00:00.000Z',
    );
  });

  it('a null calendar is 24/7 plain arithmetic', () => {
    const start = at('2026-01-10T11:00:00Z');
    expect(iso(addBusinessSeconds(start, 4 * H, null))).toBe('2026-01-10T15:00:00.000Z');
    expect(iso(addBusinessSeconds(start, -4 * H, null))).toBe('2026-01-10T07:00:00.000Z');
    expect(businessSecondsBetween(start, at('2026-01-11T11:00:00Z'), null)).toBe(24 * H);
    expect(isBusinessTime(start, null)).toBe(true);
    expect(nextBusinessTime(start, null).getTime()).toBe(start.getTime());
  });

  it('reads calendars by content: an equal fresh object gives the same answers', () => {
    const copy = JSON.parse(JSON.stringify(paris)) as BusinessCalendar;
    expect(iso(addBusinessSeconds(at('2026-01-09T16:30:00Z'), 4 * H, copy))).toBe(
      '2026-01-12T11:30:00.000Z',
    );
    const changed = { ...copy, holidays: ['2026-01-12'] };
    expect(iso(addBusinessSeconds(at('2026-01-09T16:30:00Z'), 4 * H, changed))).toBe(
      '2026-01-13T11:30:00.000Z',
    );
  });
});

describe('calendarProblems and unusable calendars', () => {
  it('accepts the contract example and a 24/7 null calendar', () => {
    expect(calendarProblems(paris)).toEqual([]);
    expect(calendarProblems(null)).toEqual([]);
    expect(calendarProblems(weekdays('Asia/Kolkata', [['00:00', '24:00']], [], ALL_WEEK))).toEqual(
      [],
    );
  });

  it('reports each kind of mistake', () => {
    const bad = {
      timezone: 'Mars/Olympus',
      hours: {
        mon: [['9:00', '18:00']],
        tue: [['09:00', '25:00']],
        wed: [['18:00', '09:00']],
        thu: [
          ['09:00', '13:00'],
          ['12:00', '18:00'],
        ],
        fri: [['24:00', '24:00']],
        funday: [['09:00', '10:00']],
      },
      holidays: ['2026-02-30', 'christmas'],
    } as unknown as BusinessCalendar;
    const problems = calendarProblems(bad);
    const expected = [
      /time zone "Mars\/Olympus"/,
      /mon: bad start time "9:00"/,
      /tue: bad end time "25:00"/,
      /wed: period 18:00–09:00 must start before it ends/,
      /thu: periods 09:00–13:00 and 12:00–18:00 overlap/,
      /fri: bad start time "24:00"/,
      /unknown day "funday"/,
      /bad holiday date "2026-02-30"/,
      /bad holiday date "christmas"/,
    ];
    for (const pattern of expected) {
      expect(
        problems.some((p) => pattern.test(p)),
        String(pattern),
      ).toBe(true);
    }
    expect(problems).toHaveLength(expected.length);
  });

  it('reports a calendar with every day closed', () => {
    const closed: BusinessCalendar = { timezone: 'UTC', hours: { mon: [], sun: [] }, holidays: [] };
    expect(calendarProblems(closed)).toEqual(['no working time: every day of the week is closed']);
    expect(() => addBusinessSeconds(at('2026-01-12T10:00:00Z'), H, closed)).toThrow(
      BusinessCalendarError,
    );
  });

  it('the math refuses an invalid calendar with the problems in the message', () => {
    const bad = weekdays('Nowhere/City', [['09:00', '18:00']]);
    expect(() => addBusinessSeconds(at('2026-01-12T10:00:00Z'), H, bad)).toThrow(
      /invalid business calendar: invalid time zone "Nowhere\/City"/,
    );
    expect(() => isBusinessTime(at('2026-01-12T10:00:00Z'), bad)).toThrow(BusinessCalendarError);
  });

  it('throws a clear error when holidays leave no working time for two years', () => {
    // Open Mondays only, and every Monday of 2026–2028 is a holiday.
    const holidays: string[] = [];
    for (let t = Date.UTC(2026, 0, 5); t < Date.UTC(2029, 0, 1); t += 7 * 86_400_000) {
      holidays.push(new Date(t).toISOString().slice(0, 10));
    }
    const cal = weekdays('Europe/Paris', [['09:00', '18:00']], holidays, ['mon']);
    expect(calendarProblems(cal)).toEqual([]);
    expect(() => addBusinessSeconds(at('2026-01-01T00:00:00Z'), H, cal)).toThrow(
      /no working time within two years/,
    );
    expect(() => addBusinessSeconds(at('2028-12-31T00:00:00Z'), -H, cal)).toThrow(
      /no working time within two years/,
    );
    expect(() => nextBusinessTime(at('2026-01-01T00:00:00Z'), cal)).toThrow(
      /no working time within two years/,
    );
    // Long holiday stretches shorter than two years are fine: the first Monday of 2029.
    expect(iso(addBusinessSeconds(at('2027-06-01T00:00:00Z'), H, cal))).toBe(
      '2029-01-01T09:00:00.000Z',
    );
  });

  it('rejects a non-finite number of seconds', () => {
    expect(() => addBusinessSeconds(at('2026-01-12T10:00:00Z'), Number.NaN, paris)).toThrow(
      BusinessCalendarError,
    );
  });
});
