/**
 * PostgreSQL cannot store a NUL character (U+0000) in text or jsonb, nor a lone UTF-16 surrogate
 * in jsonb (`"\ud800"` is well-formed JSON but not Unicode): a value carrying one fails its INSERT,
 * or even a lookup, with a 500. The API refuses such a request at the edge instead: 400
 * `invalid_request` naming the first field (JSON body or query string) that has one, and 404
 * for a path that has a NUL (`%00` in a path parameter cannot name a record).
 */
import type { RequestHandler } from 'express';
import { invalid, notFound } from '../domain/errors.js';
import { hasUnstorableCharacters } from '../domain/unicode-text.js';

const MAX_DEPTH = 64;

/** The dotted path of the first string or key in `value` PostgreSQL cannot store, else null. */
export function findUnstorable(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return hasUnstorableCharacters(value) ? path.join('.') : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  for (const [key, child] of Object.entries(value)) {
    if (hasUnstorableCharacters(key)) return [...path, JSON.stringify(key)].join('.');
    const found = findUnstorable(child, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Refuses a path, a parsed JSON body or a query string with text PostgreSQL cannot store. */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.path)) {
    next(notFound('A record named with a NUL character'));
    return;
  }
  const where =
    findUnstorable(req.query, ['query']) ?? findUnstorable(req.body as unknown, ['body']);
  if (where === null) {
    next();
    return;
  }
  const field = where.replace(/^(body|query)\.?/, '');
  next(
    invalid('Text may not contain NUL characters (U+0000) or lone UTF-16 surrogates', [
      { path: field, message: 'Contains a NUL character or a lone surrogate' },
    ]),
  );
};
