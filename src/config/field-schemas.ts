/**
 * Schemas for single environment variables. Each receives a trimmed, non-empty string (or
 * undefined when unset); messages never echo a secret's value.
 */
import { z } from 'zod';

const quote = (raw: string): string =>
  JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}…` : raw);

export function integer(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${quote(raw)}` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${min} and ${max}, got ${n}`,
      });
      return z.NEVER;
    }
    return n;
  });
}

export function oneOf<const T extends readonly string[]>(values: T) {
  return z.string().transform((raw, ctx) => {
    const v = raw.toLowerCase();
    if (!(values as readonly string[]).includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be one of ${values.join(', ')}, got ${quote(raw)}`,
      });
      return z.NEVER;
    }
    return v as T[number];
  });
}

/**
 * An absolute http(s) URL. The text is kept as written (URL#href would add a slash to a bare
 * origin), minus trailing slashes; `trailingSlash` adds exactly one back.
 */
export function httpUrl(opts: { trailingSlash: boolean; secret?: boolean }) {
  return z.string().transform((raw, ctx) => {
    const shown = opts.secret ? '' : `, got ${quote(raw)}`;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an absolute URL${shown}` });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL${shown}` });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: `must not have a query or fragment${shown}` });
      return z.NEVER;
    }
    const bare = raw.replace(/\/+$/, '');
    return opts.trailingSlash ? `${bare}/` : bare;
  });
}

export const postgresUrl = z.string().transform((raw, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    // No value in the message: it may hold a password.
    ctx.addIssue({
      code: 'custom',
      message: 'must be a postgres:// or postgresql:// connection URL',
    });
    return z.NEVER;
  }
  return raw;
});

/** A secret with a minimum length; its value never appears in the message. */
export const secret = (minLength: number) =>
  z.string().refine((v) => v.length >= minLength, {
    message: `must be at least ${minLength} characters long when set`,
  });

/** A token that ends up in a URL path (e.g. Telegram's `/bot<token>/`). */
export const pathSafeToken = z.string().refine((v) => /^[^\s/?#%]+$/.test(v), {
  message: 'must not contain spaces, "/", "?", "#" or "%"',
});

export const telegramWebhookSecret = z.string().refine((v) => /^[A-Za-z0-9_-]{1,256}$/.test(v), {
  message: 'must be 1-256 characters of A-Z, a-z, 0-9, "_" and "-" (a Telegram rule)',
});

export const telegramChatId = z.string().refine((v) => /^-?\d+$/.test(v) || /^@\w{4,}$/.test(v), {
  message: 'must be a numeric chat id (e.g. -1001234567890) or an @username',
});

export const timezone = z.string().transform((raw, ctx) => {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
    // Fix the case ('utc' → 'UTC') but keep the operator's name: ICU maps some current names
    // to older aliases (Asia/Kolkata → Asia/Calcutta).
    return resolved.toLowerCase() === raw.toLowerCase() ? resolved : raw;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be an IANA time zone such as UTC or Europe/Berlin, got ${quote(raw)}`,
    });
    return z.NEVER;
  }
});
