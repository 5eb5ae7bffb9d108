/**
 * Graph API failures → `ChannelApiError`. Graph answers errors as
 * `{error: {message, type, code, error_subcode, fbtrace_id}}`; the code decides whether a retry
 * can help: rate limits are retried after `Retry-After` (or a default), server trouble is
 * retried, and every other 4xx (outside the 24-hour window, bad parameter, bad token…) is
 * permanent.
 */
import { ChannelApiError } from '../../src/ports/channel.js';

export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Throttling: HTTP 429, Graph app/page/user limits, and the WhatsApp throughput and pair limits. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);
/** "Unknown error", "service unavailable", "something went wrong": worth another try. */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_data?: unknown;
}

/** The `error` object of a Graph error body, if the body is one. */
export function graphErrorOf(body: unknown): GraphErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as GraphErrorBody) : undefined;
}

/** `Retry-After` as seconds or an HTTP date → milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ClassifyInput {
  method: string;
  status: number;
  body: unknown;
  retryAfter: string | null;
  defaultRetryAfterMs?: number;
}

/** A failed Graph response as a `ChannelApiError` with the retry decision made. */
export function graphApiError(input: ClassifyInput): ChannelApiError {
  const { method, status, body } = input;
  const error = graphErrorOf(body);
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const rateLimited = status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  const transient = status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));
  const what = error?.message ?? `HTTP ${status}`;
  const message = `WhatsApp ${method} failed (${status}${code !== undefined ? `, code ${code}` : ''}): ${what}`;
  return new ChannelApiError(message, {
    channel: 'whatsapp',
    method,
    status,
    ...(code !== undefined ? { code } : {}),
    ...(rateLimited
      ? {
          retryAfterMs:
            parseRetryAfter(input.retryAfter) ??
            input.defaultRetryAfterMs ??
            DEFAULT_RETRY_AFTER_MS,
        }
      : {}),
    permanent: !rateLimited && !transient,
    payload: error ?? body,
  });
}

/** A failure of our own making (not a Graph answer): `code` is a short string. */
export function localError(
  method: string,
  code: string,
  message: string,
  opts: { permanent: boolean; payload?: unknown },
): ChannelApiError {
  return new ChannelApiError(message, {
    channel: 'whatsapp',
    method,
    code,
    permanent: opts.permanent,
    ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
  });
}
