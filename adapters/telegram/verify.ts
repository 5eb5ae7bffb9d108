/**
 * Telegram webhooks carry no body signature: Telegram echoes the `secret_token` given to
 * `setWebhook` in the `X-Telegram-Bot-Api-Secret-Token` header. We compare it in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What Telegram accepts as a `secret_token`: 1–256 characters of `A-Za-z0-9_-`. */
export const TELEGRAM_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Reads the secret header from a header map whose keys may be in any case. */
export function secretHeader(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== TELEGRAM_SECRET_HEADER) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * True when `received` equals the configured secret. Both sides are hashed first so that
 * `timingSafeEqual` compares equal-length digests and the length of the secret does not leak.
 * An unset or empty configured secret never matches.
 */
export function verifyTelegramSecret(
  received: string | undefined,
  configured: string | undefined,
): boolean {
  if (!configured || received === undefined) return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(configured, 'utf8').digest();
  return timingSafeEqual(a, b);
}
