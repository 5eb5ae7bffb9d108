/**
 * Wall-clock time in a tenant's time zone: the local date and minute of an instant, and the
 * instant a local day starts. Pure; the zone offsets come from zoned-time.ts (Intl only).
 */
import { localToInstant, offsetAt, zoneDay } from './zoned-time.js';

export interface LocalMoment {
  /** `YYYY-MM-DD` in the time zone. */
  date: string;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall time of an instant, read as if it were UTC (zoned-time's offsets). */
function wallTime(at: Date, timeZone: string): number {
  return at.getTime() + offsetAt(timeZone, at.getTime());
}

export function localMoment(at: Date, timeZone: string): LocalMoment {
  const wall = wallTime(at, timeZone);
  return {
    date: new Date(wall).toISOString().slice(0, 10),
    minutes: Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE),
  };
}

/** `HH:MM` of an instant in the time zone. */
export function localClockTime(at: Date, timeZone: string): string {
  const { minutes } = localMoment(at, timeZone);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The first instant of a local date. Where the day starts in a DST gap (no local midnight), the
 * first instant that exists that day; a repeated midnight, its first occurrence.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  return new Date(localToInstant(zoneDay(timeZone, wallMidnight / DAY), wallMidnight));
}

/** The local date after `date` (calendar arithmetic, no time zone needed). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** `HH:MM` → minutes since midnight; null when malformed. */
export function parseClockTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
