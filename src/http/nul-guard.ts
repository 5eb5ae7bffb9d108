/**
 * PostgreSQL text cannot hold a NUL character (U+0000): a value carrying one fails its INSERT
 * or even a lookup with a 500. The API refuses such a request at the edge instead: 400
 * `invalid_request` naming the first field (JSON body or query string) that has one, and 404
 * for a path that has one (`%00` in a path parameter cannot name a record).
 */
import type { RequestHandler } from 'express';
import { invalid, notFound } from '../domain/errors.js';

const MAX_DEPTH = 64;

/** The dotted path of the first string or key in `value` with a NUL, else null. */
export function findNul(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.split('\u0000').join('\\u0000')].join('.');
    const found = findNul(child, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Refuses a path, a parsed JSON body or a query string that carries a NUL character. */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.path)) {
    next(notFound('A record named with a NUL character'));
    return;
  }
  const where = findNul(req.query, ['query']) ?? findNul(req.body as unknown, ['body']);
  if (where === null) {
    next();
    return;
  }
  const field = where.replace(/^(body|query)\.?/, '');
  next(
    invalid('Text may not contain NUL characters (U+0000)', [
      { path: field, message: 'Contains a NUL character' },
    ]),
  );
};
