/**
 * Time zones for the business calendar, with Intl only (no date library): the UTC offset at an
 * instant, the offsets around one local day (at most one change a day), and local wall time →
 * instant (a time in a spring-forward gap maps to the first instant after it; a repeated
 * fall-back time to its first occurrence). Cached per zone and day, bounded.
 */
import { BusinessCalendarError } from './business-calendar-error.js';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const DAY = 24 * HOUR;

/**
 * The UTC offsets around one local day: `before` until the instant `at`, `after` from then on
 * (`at` is Infinity when the offset does not change).
 */
export interface ZoneDay {
  before: number;
  after: number;
  at: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const zoneDays = new Map<string, Map<number, ZoneDay>>();
const ZONE_CACHE_LIMIT = 20_000;

export function formatterFor(tz: string): Intl.DateTimeFormat | null {
  const hit = formatters.get(tz);
  if (hit !== undefined) return hit;
  let f: Intl.DateTimeFormat | null;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    f = null;
  }
  if (formatters.size > 1000) formatters.clear();
  formatters.set(tz, f);
  return f;
}

/** Local wall time minus UTC, in ms, at instant `t` (whole seconds). */
export function offsetAt(tz: string, t: number): number {
  const f = formatterFor(tz);
  if (f === null) throw new BusinessCalendarError(`invalid time zone "${tz}"`);
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const part of f.formatToParts(t)) {
    switch (part.type) {
      case 'year':
        y = Number(part.value);
        break;
      case 'month':
        mo = Number(part.value);
        break;
      case 'day':
        d = Number(part.value);
        break;
      case 'hour':
        h = Number(part.value);
        break;
      case 'minute':
        mi = Number(part.value);
        break;
      case 'second':
        s = Number(part.value);
        break;
    }
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return wall - (t - (((t % SECOND) + SECOND) % SECOND));
}

export function zoneDay(tz: string, d: number): ZoneDay {
  let days = zoneDays.get(tz);
  if (!days) {
    days = new Map();
    zoneDays.set(tz, days);
  }
  const hit = days.get(d);
  if (hit) return hit;
  // Every instant whose local date is day d lies in this window (offsets are within ±15 h).
  const lo = d * DAY - 15 * HOUR;
  const hi = (d + 1) * DAY + 15 * HOUR;
  const before = offsetAt(tz, lo);
  const after = offsetAt(tz, hi);
  let at = Infinity;
  if (before !== after) {
    // Binary search, to the second, for the first instant with the new offset.
    let a = lo;
    let b = hi;
    while (b - a > SECOND) {
      const m = a + Math.floor((b - a) / (2 * SECOND)) * SECOND;
      if (offsetAt(tz, m) === before) a = m;
      else b = m;
    }
    at = b;
  }
  const zone: ZoneDay = { before, after, at };
  if (days.size >= ZONE_CACHE_LIMIT) days.clear();
  days.set(d, zone);
  return zone;
}

/**
 * The instant of a local wall time (`local` = wall time read as if it were UTC). Repeated times
 * map to their first occurrence; times inside a gap map to the first instant after the gap.
 */
export function localToInstant(zone: ZoneDay, local: number): number {
  const early = local - zone.before;
  if (early < zone.at) return early;
  const late = local - zone.after;
  if (late >= zone.at) return late;
  return zone.at;
}
