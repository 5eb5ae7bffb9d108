import { invalid } from './errors.js';

/**
 * Delivery-date claim window: a claim raised after the end of the delivery day (plus grace
 * days), in the tenant's time zone, is flagged late. Late claims are flagged, never rejected.
 */

export interface ClaimWindow {
  within_policy_window: boolean | null;
  days_late: number | null;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar date; throws `invalid_request` when it is not a real date. */
function dayNumberOf(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw invalid(`delivery_date must be a date YYYY-MM-DD, got "${date}"`, {
    field: 'delivery_date',
  });
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of `instant` in `timeZone`, as days since 1970-01-01. */
function localDayNumber(instant: Date, timeZone: string): number {
  let fmt = dateFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dateFormatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day')) / DAY_MS;
}

/**
 * - no delivery date → `{within_policy_window: null, days_late: null}`;
 * - raised on or before the last moment of (delivery date + graceDays) in `timeZone` →
 *   `{true, 0}`;
 * - later → `{false, n}`, n ≥ 1 = local calendar days from (delivery date + graceDays) to the
 *   local date the claim was raised.
 * Because whole local days are compared, the result is correct across DST changes.
 */
export function evaluateClaimWindow(input: {
  deliveryDate: string | null;
  raisedAt: Date;
  timeZone: string;
  graceDays?: number;
}): ClaimWindow {
  const { deliveryDate, raisedAt, timeZone, graceDays = 0 } = input;
  if (deliveryDate === null) return { within_policy_window: null, days_late: null };
  if (!Number.isSafeInteger(graceDays) || graceDays < 0) {
    throw invalid(`graceDays must be a whole number ≥ 0, got ${graceDays}`, {
      field: 'grace_days',
    });
  }
  const lastDay = dayNumberOf(deliveryDate) + graceDays;
  const raisedDay = localDayNumber(raisedAt, timeZone);
  const daysLate = raisedDay - lastDay;
  return daysLate > 0
    ? { within_policy_window: false, days_late: daysLate }
    : { within_policy_window: true, days_late: 0 };
}
