/** Maps grammY's errors (and our own download failures) to the port's `ChannelApiError`. */
import { GrammyError, HttpError } from 'grammy';
import { ChannelApiError } from '../../src/ports/channel.js';

/**
 * - 429 → `retryAfterMs` from `parameters.retry_after`.
 * - 400 (chat not found, bad button data, message too long …) and 403 (bot blocked, user
 *   deactivated) → `permanent`: sending the same request again cannot succeed.
 * - Network failures (`HttpError`) and 5xx → retryable.
 */
export function toChannelApiError(err: unknown, method: string): ChannelApiError {
  if (err instanceof ChannelApiError) return err;
  if (err instanceof GrammyError) {
    const retryAfter = err.parameters.retry_after;
    return new ChannelApiError(`Telegram ${method} failed: ${err.description}`, {
      channel: 'telegram',
      method,
      status: err.error_code,
      code: err.error_code,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
      permanent: err.error_code === 400 || err.error_code === 403,
      payload: { description: err.description, parameters: err.parameters },
    });
  }
  if (err instanceof HttpError) {
    return new ChannelApiError(`Telegram ${method} failed: ${err.message}`, {
      channel: 'telegram',
      method,
      code: 'network',
      permanent: false,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelApiError(`Telegram ${method} failed: ${message}`, {
    channel: 'telegram',
    method,
    permanent: false,
  });
}

/** A download of a file's bytes answered with a non-2xx status. */
export function downloadError(status: number, retryAfterHeader: string | null): ChannelApiError {
  const retryAfter = retryAfterHeader === null ? NaN : Number(retryAfterHeader);
  return new ChannelApiError(`Telegram file download failed with HTTP ${status}`, {
    channel: 'telegram',
    method: 'downloadFile',
    status,
    code: status,
    ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
    permanent: status >= 400 && status < 500 && status !== 429 && status !== 408,
  });
}

export function tooLargeError(sizeBytes: number | undefined, maxBytes: number): ChannelApiError {
  const size = sizeBytes === undefined ? 'more than' : `${sizeBytes} bytes, over`;
  return new ChannelApiError(`Telegram file is too large (${size} the ${maxBytes}-byte limit)`, {
    channel: 'telegram',
    method: 'downloadFile',
    code: 'too_large',
    permanent: true,
    payload: { sizeBytes, maxBytes },
  });
}
