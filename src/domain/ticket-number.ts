/**
 * Human ticket numbers: `TK-YYYY-NNNNN`, a sequence per tenant and year, zero-padded to five
 * digits (more digits once past 99999). Agents type `TK-2026-00042`, `42` or `#42`.
 */
import { isUuid } from './uuid.js';

const NUMBER_RE = /^TK-(\d{4})-(\d+)$/i;
const SHORT_RE = /^#?(\d+)$/;

export type TicketRef = { kind: 'id'; id: string } | { kind: 'number'; number: string };

/** `formatTicketNumber(2026, 42)` → `TK-2026-00042`. Throws RangeError on a non-positive or fractional sequence. */
export function formatTicketNumber(year: number, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`Ticket sequence must be a positive integer, got ${seq}`);
  }
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`Ticket year must have four digits, got ${year}`);
  }
  return `TK-${year}-${String(seq).padStart(5, '0')}`;
}

function sequence(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/**
 * What a user-typed reference points at:
 * - a UUID → `{kind: 'id'}` (lower-cased);
 * - `TK-2026-00042` in any case → `{kind: 'number'}` normalized to upper case and five-digit
 *   padding (`tk-2026-42` → `TK-2026-00042`);
 * - `42` or `#42` → the number in `currentYear`;
 * - anything else (including sequence 0) → null.
 * Surrounding whitespace is ignored.
 */
export function parseTicketRef(ref: string, currentYear: number): TicketRef | null {
  const text = ref.trim();
  if (isUuid(text)) return { kind: 'id', id: text.toLowerCase() };

  const full = NUMBER_RE.exec(text);
  if (full) {
    const seq = sequence(full[2] ?? '');
    return seq === null
      ? null
      : { kind: 'number', number: formatTicketNumber(Number(full[1]), seq) };
  }

  const short = SHORT_RE.exec(text);
  if (short) {
    const seq = sequence(short[1] ?? '');
    return seq === null ? null : { kind: 'number', number: formatTicketNumber(currentYear, seq) };
  }
  return null;
}

const yearFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of `date` in `timeZone` (an IANA name). Throws RangeError on an unknown zone. */
export function yearInTimeZone(date: Date, timeZone: string): number {
  let fmt = yearFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
    yearFormatters.set(timeZone, fmt);
  }
  const part = fmt.formatToParts(date).find((p) => p.type === 'year');
  return Number(part?.value);
}
