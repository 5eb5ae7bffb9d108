/**
 * Slack Web API failures as one error type with the retry decision made, shaped like the
 * other channels' `ChannelApiError` (method, status, code, retryAfterMs, permanent). Slack
 * answers almost everything with HTTP 200 and `{ok: false, error: '<code>'}`; the code decides:
 * rate limits are retried after `Retry-After`, server trouble and network failures are retried,
 * and the rest (unknown channel, bad token, text too long …) is permanent.
 */
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';

/** Used when Slack says "rate limited" without a usable `Retry-After`. */
export const DEFAULT_SLACK_RETRY_AFTER_MS = 30_000;

export interface SlackApiErrorDetails {
  /** `chat.postMessage`, …, or `response_url`. */
  method: string;
  status?: number;
  /** Slack's error string (`channel_not_found`, `ratelimited` …) or ours (`request_error`, `http_503`). */
  code: string;
  retryAfterMs?: number;
  permanent: boolean;
  payload?: unknown;
}

export class SlackApiError extends Error {
  readonly method: string;
  readonly status?: number;
  readonly code: string;
  readonly retryAfterMs?: number;
  readonly permanent: boolean;
  readonly payload?: unknown;

  constructor(message: string, details: SlackApiErrorDetails) {
    super(message);
    this.name = 'SlackApiError';
    this.method = details.method;
    this.code = details.code;
    this.permanent = details.permanent;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.payload !== undefined) this.payload = details.payload;
  }
}

const RATE_LIMIT_CODES = new Set(['ratelimited', 'rate_limited']);
/** Slack-side trouble: another try may work. Every other `error` string is permanent. */
const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Whether Slack's error string means "do not try again". */
export function isPermanentSlackCode(code: string): boolean {
  return !RATE_LIMIT_CODES.has(code) && !TRANSIENT_CODES.has(code);
}

/** `Retry-After` as seconds or an HTTP date → milliseconds. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The classification of an `{ok: false, error}` body (or an HTTP failure) of any Slack endpoint. */
export function slackErrorFromResponse(input: {
  method: string;
  status: number;
  code?: string;
  retryAfter?: string | null;
  payload?: unknown;
}): SlackApiError {
  const { method, status } = input;
  const code = input.code ?? (status === 429 ? 'ratelimited' : `http_${status}`);
  const rateLimited = status === 429 || RATE_LIMIT_CODES.has(code);
  const transient = status >= 500 || TRANSIENT_CODES.has(code);
  return new SlackApiError(`Slack ${method} failed (${status}): ${code}`, {
    method,
    status,
    code,
    permanent: !rateLimited && !transient,
    ...(rateLimited
      ? { retryAfterMs: parseRetryAfter(input.retryAfter) ?? DEFAULT_SLACK_RETRY_AFTER_MS }
      : {}),
    ...(input.payload !== undefined ? { payload: input.payload } : {}),
  });
}

function httpBodyCode(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** Whatever a `WebClient` call threw → `SlackApiError`. */
export function toSlackApiError(method: string, err: unknown): SlackApiError {
  if (err instanceof SlackApiError) return err;
  if (err instanceof WebAPIRateLimitedError) {
    return new SlackApiError(`Slack ${method} rate limited`, {
      method,
      status: 429,
      code: 'ratelimited',
      retryAfterMs: err.retryAfter * 1000,
      permanent: false,
    });
  }
  if (err instanceof WebAPIPlatformError) {
    const retrySec = err.data.response_metadata?.retryAfter;
    return slackErrorFromResponse({
      method,
      status: 200,
      code: err.data.error,
      retryAfter: retrySec !== undefined ? String(retrySec) : null,
      payload: err.data,
    });
  }
  if (err instanceof WebAPIHTTPError) {
    const code = httpBodyCode(err.body);
    return slackErrorFromResponse({
      method,
      status: err.statusCode,
      retryAfter: err.headers['retry-after'] ?? null,
      payload: err.body,
      ...(code ? { code } : {}),
    });
  }
  const cause = err instanceof WebAPIRequestError ? err.original : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new SlackApiError(`Slack ${method} request failed: ${message}`, {
    method,
    code: 'request_error',
    permanent: false,
  });
}
