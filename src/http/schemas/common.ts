/**
 * Building blocks for the HTTP schemas: trimmed strings with limits, ids, comma lists for
 * queries, dates, the error shape and list envelopes. Request schemas reject unknown keys.
 */
import * as z from 'zod';

/** A trimmed, non-empty string of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** A trimmed string of at most `max` characters that may be empty. */
export const optionalText = (max: number) => z.string().trim().max(max);

/**
 * Any 8-4-4-4-12 hex id. `z.uuid()` insists on RFC 9562 version bits, which rejects ids some
 * fixtures and imports use; the database accepts any of these.
 */
export const id = () => z.guid({ error: 'Invalid id (expected a UUID)' });

/** An email address; surrounding spaces are ignored. */
export const email = () =>
  z
    .string()
    .trim()
    .max(320)
    .pipe(z.email({ error: 'Invalid email address' }));

export const isoDateTime = () => z.iso.datetime({ offset: true });

/** A calendar date, `YYYY-MM-DD`. */
export const isoDate = () => z.iso.date({ error: 'Invalid date (expected YYYY-MM-DD)' });

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = () =>
  text(64).refine(isTimeZone, { error: 'Unknown time zone (expected an IANA name)' });

/**
 * A query list: `status=new,assigned`, `status=new&status=assigned`, or both. Items are trimmed;
 * empty items are dropped.
 */
export function commaList<T extends z.ZodType<string, string>>(item: T, maxItems = 20) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item).max(maxItems));
}

/** `true` or `false` in a query string. */
export const queryBoolean = () =>
  z
    .enum(['true', 'false'], { error: 'Expected true or false' })
    .transform((value) => value === 'true')
    .pipe(z.boolean());

/** Page size: 1..200, default 50. */
export const queryLimit = () => z.coerce.number().int().min(1).max(200).default(50);

export const queryCursor = () => z.string().trim().min(1).max(500);

/** Page parameters of every cursor-paginated list. */
export const PageQuery = z.object({
  limit: queryLimit(),
  cursor: queryCursor().optional(),
});

export const ErrorDetail = z.object({
  path: z.string().meta({ description: 'Dotted path of the offending field; empty for the body' }),
  message: z.string(),
  code: z.string().optional(),
});

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string().meta({
      description:
        'invalid_request, unauthorized, forbidden, not_found, invalid_transition, conflict, ' +
        'photo_required, resolution_required, rate_limited, payload_too_large, internal…',
    }),
    message: z.string(),
    details: z.unknown().optional().meta({
      description: 'For invalid_request: a list of {path, message} entries.',
    }),
    reason: z.string().optional().meta({
      description: 'A more specific code when the error kind has a fixed contract code.',
    }),
  }),
});
export type ErrorBody = z.output<typeof ErrorResponse>;

/** `{data, next_cursor}`: every list answer. Unpaginated lists answer `next_cursor: null`. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

/** A ticket reference in a path: a UUID, `TK-2026-00042`, `42` or `#42`. */
export const TicketRefParam = z.object({ ref: text(64) });

/** A record id in a path. */
export const IdParam = z.object({ id: id() });
