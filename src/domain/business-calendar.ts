/**
 * Business-hours math for SLA clocks (CONTRACT.md, `/sla-policy` `calendar`).
 *
 * A calendar is `{timezone, hours: {mon: [["09:00","18:00"]], …}, holidays: ["2026-12-25"]}`:
 * several periods per day (split shifts), "24:00" allowed as an end, a missing or empty day is
 * closed, holidays are local dates closed all day. `null` everywhere means 24/7.
 *
 * How it works: each local day is turned into a short list of instant intervals
 * `[start, end)` (epoch ms), using Intl.DateTimeFormat for the zone's UTC offsets; the walks go
 * interval by interval and day by day, never second by second. Offsets per (zone, day) and
 * intervals per (calendar, day) are cached, so the SLA sweep can call this for every ticket.
 *
 * Local wall times are mapped to instants like this:
 * - a time inside a spring-forward gap (02:30 when clocks jump 02:00→03:00) counts from the first
 *   instant after the gap;
 * - a repeated time (fall-back) maps to its first occurrence, and every real second between a
 *   period's start and end counts once: 00:00–04:00 on a fall-back night is five real hours.
 *
 * Calendars are values: they are read by content, so passing a fresh object each call is fine.
 */

import { BusinessCalendarError } from './business-calendar-error.js';
import { formatterFor, localToInstant, zoneDay } from './zoned-time.js';

export { BusinessCalendarError };

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendar {
  /** IANA time zone, e.g. "Europe/Paris". */
  timezone: string;
  /** Opening periods per weekday, local "HH:MM" pairs; "24:00" is allowed as an end. */
  hours: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates ("YYYY-MM-DD") closed all day. */
  holidays: string[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How many consecutive days without working time end a search (two years). */
const SCAN_DAYS = 2 * 366 + 1;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * The instant at which `seconds` of business time have elapsed after `start`. A start outside
 * business hours begins counting at the next opening; a deadline that lands exactly on a closing
 * time stays there (Friday 18:00, not Monday 09:00). Negative `seconds` walk backwards: the
 * instant `|seconds|` business seconds before `start` (a start outside hours counts back from the
 * previous closing). Zero returns `start` unchanged.
 */
export function addBusinessSeconds(
  start: Date,
  seconds: number,
  cal: BusinessCalendar | null,
): Date {
  if (!Number.isFinite(seconds)) {
    throw new BusinessCalendarError(`business seconds must be a finite number, got ${seconds}`);
  }
  const t = start.getTime();
  const amount = Math.round(seconds * SECOND);
  if (cal === null) return new Date(t + amount);
  if (amount === 0) return new Date(t);
  const c = compiled(cal);
  return new Date(amount > 0 ? walkForward(c, t, amount) : walkBackward(c, t, -amount));
}

/** Business seconds in `[from, to)`; 0 when `to <= from`. May be fractional for ms inputs. */
export function businessSecondsBetween(from: Date, to: Date, cal: BusinessCalendar | null): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (cal === null) return (b - a) / SECOND;
  const c = compiled(cal);
  let total = 0;
  const lastDay = dayOf(b) + 1;
  for (let d = dayOf(a) - 1; d <= lastDay; d++) {
    const iv = dayIntervals(c, d);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e > s) total += e - s;
    }
  }
  return total / SECOND;
}

/** Whether `at` falls inside an opening period (periods are `[start, end)`). */
export function isBusinessTime(at: Date, cal: BusinessCalendar | null): boolean {
  if (cal === null) return true;
  const c = compiled(cal);
  const t = at.getTime();
  const day = dayOf(t);
  for (let d = day - 1; d <= day + 1; d++) {
    const iv = dayIntervals(c, d);
    for (let i = 0; i < iv.length; i += 2) {
      if (iv[i]! <= t && t < iv[i + 1]!) return true;
    }
  }
  return false;
}

/** `at` itself when it is business time, else the next opening. */
export function nextBusinessTime(at: Date, cal: BusinessCalendar | null): Date {
  if (cal === null) return new Date(at.getTime());
  const c = compiled(cal);
  const t = at.getTime();
  const first = dayOf(t) - 1;
  for (let d = first; d <= first + SCAN_DAYS; d++) {
    const iv = dayIntervals(c, d);
    for (let i = 0; i < iv.length; i += 2) {
      if (iv[i + 1]! > t) return new Date(Math.max(iv[i]!, t));
    }
  }
  throw noWorkingTime(c, t);
}

/**
 * What is wrong with a calendar, as human-readable sentences (empty when it is usable). Checks
 * HH:MM times, start before end, overlapping periods on a day, unknown days, the time zone,
 * holiday dates, and that at least one weekday has working time.
 */
export function calendarProblems(cal: BusinessCalendar | null): string[] {
  if (cal === null) return [];
  return analyse(cal).problems;
}

// ---------------------------------------------------------------------------------------------
// Validation and compilation
// ---------------------------------------------------------------------------------------------

interface CompiledCalendar {
  timezone: string;
  /** Merged periods in minutes, indexed Monday = 0 … Sunday = 6. */
  week: Array<Array<[number, number]>>;
  /** Holidays as local day numbers (days since 1970-01-01). */
  holidays: Set<number>;
  /** Local day number → flat instant intervals [s0, e0, s1, e1, …]. */
  days: Map<number, number[]>;
}

const CLOCK = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseClock(value: unknown, isEnd: boolean): number | null {
  if (typeof value !== 'string') return null;
  const m = CLOCK.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0) return isEnd ? 24 * 60 : null;
  if (h > 23) return null;
  return h * 60 + min;
}

function parseDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DATE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return null;
  }
  return ms / DAY;
}

function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

interface Analysis {
  problems: string[];
  week: Array<Array<[number, number]>>;
  holidays: Set<number>;
}

function analyse(cal: BusinessCalendar): Analysis {
  const problems: string[] = [];
  const week: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  const holidays = new Set<number>();
  if (typeof cal !== 'object' || cal === null) {
    return { problems: ['calendar must be an object or null'], week, holidays };
  }

  const tz: unknown = cal.timezone;
  if (typeof tz !== 'string' || tz.trim() === '' || formatterFor(tz) === null) {
    problems.push(
      `invalid time zone ${JSON.stringify(tz ?? null)} (use an IANA name such as "Europe/Paris")`,
    );
  }

  const hours: unknown = cal.hours;
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
    problems.push('hours must be an object such as {"mon": [["09:00","18:00"]]}');
  } else {
    for (const [day, value] of Object.entries(hours)) {
      const index = (WEEKDAYS as readonly string[]).indexOf(day);
      if (index < 0) {
        problems.push(`unknown day "${day}" (use ${WEEKDAYS.join(', ')})`);
        continue;
      }
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) {
        problems.push(`${day}: must be a list of ["HH:MM","HH:MM"] periods`);
        continue;
      }
      const periods: Array<[number, number]> = [];
      for (const period of value as unknown[]) {
        if (!Array.isArray(period) || period.length !== 2) {
          problems.push(`${day}: ${JSON.stringify(period)} is not a ["HH:MM","HH:MM"] period`);
          continue;
        }
        const [rawStart, rawEnd] = period as [unknown, unknown];
        const start = parseClock(rawStart, false);
        const end = parseClock(rawEnd, true);
        if (start === null) {
          problems.push(`${day}: bad start time ${JSON.stringify(rawStart)} (HH:MM, 00:00–23:59)`);
        }
        if (end === null) {
          problems.push(`${day}: bad end time ${JSON.stringify(rawEnd)} (HH:MM, up to 24:00)`);
        }
        if (start === null || end === null) continue;
        if (start >= end) {
          problems.push(
            `${day}: period ${formatClock(start)}–${formatClock(end)} must start before it ends`,
          );
          continue;
        }
        periods.push([start, end]);
      }
      periods.sort((p, q) => p[0] - q[0]);
      const merged = week[index]!;
      for (const p of periods) {
        const last = merged[merged.length - 1];
        if (last && p[0] < last[1]) {
          problems.push(
            `${day}: periods ${formatClock(last[0])}–${formatClock(last[1])} and ` +
              `${formatClock(p[0])}–${formatClock(p[1])} overlap`,
          );
          last[1] = Math.max(last[1], p[1]);
        } else if (last && p[0] === last[1]) {
          last[1] = p[1];
        } else {
          merged.push([p[0], p[1]]);
        }
      }
    }
  }

  const list: unknown = cal.holidays;
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    problems.push('holidays must be a list of "YYYY-MM-DD" dates');
  } else if (Array.isArray(list)) {
    for (const h of list as unknown[]) {
      const day = parseDate(h);
      if (day === null) problems.push(`bad holiday date ${JSON.stringify(h)} (YYYY-MM-DD)`);
      else holidays.add(day);
    }
  }

  if (week.every((periods) => periods.length === 0)) {
    problems.push('no working time: every day of the week is closed');
  }
  return { problems, week, holidays };
}

const compiledCache = new Map<string, CompiledCalendar>();
const COMPILED_CACHE_LIMIT = 256;
const DAY_CACHE_LIMIT = 2048;

function cacheKey(cal: BusinessCalendar): string {
  const holidays = Array.isArray(cal.holidays) ? cal.holidays.join(',') : String(cal.holidays);
  return `${cal.timezone}|${JSON.stringify(cal.hours)}|${holidays}`;
}

function compiled(cal: BusinessCalendar): CompiledCalendar {
  const key = cacheKey(cal);
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const { problems, week, holidays } = analyse(cal);
  if (problems.length > 0) {
    throw new BusinessCalendarError(`invalid business calendar: ${problems.join('; ')}`);
  }
  const c: CompiledCalendar = { timezone: cal.timezone, week, holidays, days: new Map() };
  if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
  compiledCache.set(key, c);
  return c;
}

function noWorkingTime(c: CompiledCalendar, t: number): BusinessCalendarError {
  return new BusinessCalendarError(
    `business calendar (${c.timezone}) has no working time within two years of ` +
      `${new Date(t).toISOString()} (check its hours and holidays)`,
  );
}

// ---------------------------------------------------------------------------------------------
// Walking intervals
// ---------------------------------------------------------------------------------------------

/** The UTC day number of an instant; a local day d only has instants in days d-1 … d+1. */
function dayOf(t: number): number {
  return Math.floor(t / DAY);
}

function walkForward(c: CompiledCalendar, t: number, amount: number): number {
  let remaining = amount;
  let lastWork = dayOf(t) - 1;
  for (let d = lastWork; d - lastWork <= SCAN_DAYS; d++) {
    const iv = dayIntervals(c, d);
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1]!;
      if (e <= t) continue;
      const s = Math.max(iv[i]!, t);
      const length = e - s;
      if (length >= remaining) return s + remaining;
      remaining -= length;
      lastWork = d;
    }
  }
  throw noWorkingTime(c, t);
}

function walkBackward(c: CompiledCalendar, t: number, amount: number): number {
  let remaining = amount;
  let lastWork = dayOf(t) + 1;
  for (let d = lastWork; lastWork - d <= SCAN_DAYS; d--) {
    const iv = dayIntervals(c, d);
    for (let i = iv.length - 2; i >= 0; i -= 2) {
      const s = iv[i]!;
      if (s >= t) continue;
      const e = Math.min(iv[i + 1]!, t);
      const length = e - s;
      if (length >= remaining) return e - remaining;
      remaining -= length;
      lastWork = d;
    }
  }
  throw noWorkingTime(c, t);
}

const NO_INTERVALS: number[] = [];

/** The opening periods of local day `d` as instant intervals, merged and in order. */
function dayIntervals(c: CompiledCalendar, d: number): number[] {
  const hit = c.days.get(d);
  if (hit) return hit;
  let out = NO_INTERVALS;
  const periods = c.week[(((d + 3) % 7) + 7) % 7]!; // 1970-01-01 was a Thursday (index 3)
  if (periods.length > 0 && !c.holidays.has(d)) {
    out = [];
    const zone = zoneDay(c.timezone, d);
    const midnight = d * DAY;
    for (const [startMinute, endMinute] of periods) {
      const s = localToInstant(zone, midnight + startMinute * MINUTE);
      const e = localToInstant(zone, midnight + endMinute * MINUTE);
      if (e <= s) continue; // entirely inside a spring-forward gap
      if (out.length > 0 && out[out.length - 1] === s) out[out.length - 1] = e;
      else out.push(s, e);
    }
  }
  if (c.days.size >= DAY_CACHE_LIMIT) c.days.clear();
  c.days.set(d, out);
  return out;
}
