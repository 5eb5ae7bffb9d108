/**
 * Dates as customers type them: 2026-03-14, 14/03/2026 (also 14.03.2026 and 14-03-2026),
 * 2026年3月14日, or "today" / "yesterday" in any supported language. "Today" is the UTC date of
 * `now`; a date up to one day after it is accepted, for customers east of UTC.
 */
import { isKeyword, normalize } from './lexicon.js';

export type ParsedDate = { ok: true; date: string } | { ok: false; reason: 'invalid' | 'future' };

const DAY_MS = 86_400_000;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function validDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return isoDate(date);
}

function readDate(text: string): string | null {
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (dmy) return validDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const zh = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(text);
  if (zh) return validDate(Number(zh[1]), Number(zh[2]), Number(zh[3]));
  return null;
}

export function parseCustomerDate(text: string, now: Date): ParsedDate {
  if (isKeyword(text, 'today')) return { ok: true, date: isoDate(now) };
  if (isKeyword(text, 'yesterday'))
    return { ok: true, date: isoDate(new Date(now.getTime() - DAY_MS)) };
  const date = readDate(normalize(text).replace(/\s+/g, ''));
  if (date === null) return { ok: false, reason: 'invalid' };
  const latest = isoDate(new Date(now.getTime() + DAY_MS));
  if (date > latest) return { ok: false, reason: 'future' };
  return { ok: true, date };
}
