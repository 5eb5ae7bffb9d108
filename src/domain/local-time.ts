/**
 * Wall-clock time in a tenant's time zone: the local date and minute of an instant, and the
 * instant a local day starts. Pure (Intl only); DST-safe.
 */

export interface LocalMoment {
  /** `YYYY-MM-DD` in the time zone. */
  date: string;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function localMoment(at: Date, timeZone: string): LocalMoment {
  const p = parts(at, timeZone);
  return {
    date: `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 1)}-${pad(p.day ?? 1)}`,
    minutes: (p.hour ?? 0) * 60 + (p.minute ?? 0),
  };
}

/** `HH:MM` of an instant in the time zone. */
export function localClockTime(at: Date, timeZone: string): string {
  const { minutes } = localMoment(at, timeZone);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The zone's offset from UTC at an instant, in milliseconds (local wall time − UTC). */
function offsetMs(at: Date, timeZone: string): number {
  const p = parts(at, timeZone);
  const wall = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The first instant of a local date. Where the day starts in a DST gap (no local midnight), the
 * first instant that exists that day.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  // Two passes: the offset at a first guess, then at the corrected instant (DST changes).
  let guess = wallMidnight - offsetMs(new Date(wallMidnight), timeZone);
  guess = wallMidnight - offsetMs(new Date(guess), timeZone);
  if (localMoment(new Date(guess), timeZone).date !== date) {
    // Midnight fell into a gap: walk forward to the first local minute of the date.
    for (let t = guess; t < guess + 3 * 3_600_000; t += 60_000) {
      if (localMoment(new Date(t), timeZone).date === date) return new Date(t);
    }
  }
  return new Date(guess);
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
