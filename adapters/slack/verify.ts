/**
 * Slack request signatures, version 0 (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}")>` with
 * `X-Slack-Request-Timestamp: {unix seconds}`. Requests more than five minutes away from our
 * clock (either way) are refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../../src/domain/clock.js';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';
export const SLACK_MAX_SKEW_MS = 5 * 60 * 1000;

const SIGNATURE_RE = /^v0=([0-9a-f]{64})$/i;
const TIMESTAMP_RE = /^\d{1,12}$/;

export type SlackVerifyFailure =
  'no_secret' | 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';

export type SlackVerifyResult = { ok: true } | { ok: false; reason: SlackVerifyFailure };

export interface SlackVerifyInput {
  signingSecret: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received: the signature covers them. */
  rawBody: Buffer;
  clock?: Clock;
  maxSkewMs?: number;
}

/** First value of a header, looked up case-insensitively. */
export function slackHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function digest(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret)
    .update(`v0:${timestamp}:`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest();
}

/** `v0=<hex>` for a body sent at `timestampSec`: what Slack puts in `X-Slack-Signature`. */
export function signSlackRequest(
  signingSecret: string,
  timestampSec: number | string,
  rawBody: Buffer | string,
): string {
  return `v0=${digest(signingSecret, String(timestampSec), rawBody).toString('hex')}`;
}

/** Checks the signature and the timestamp window; the reason is for logs, never for the caller. */
export function verifySlackRequest(input: SlackVerifyInput): SlackVerifyResult {
  if (!input.signingSecret) return { ok: false, reason: 'no_secret' };
  const signature = slackHeader(input.headers, SLACK_SIGNATURE_HEADER)?.trim();
  const timestamp = slackHeader(input.headers, SLACK_TIMESTAMP_HEADER)?.trim();
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  if (!TIMESTAMP_RE.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };

  const nowMs = (input.clock ?? systemClock).now().getTime();
  const skewMs = Math.abs(nowMs - Number(timestamp) * 1000);
  if (skewMs > (input.maxSkewMs ?? SLACK_MAX_SKEW_MS)) {
    return { ok: false, reason: 'stale_timestamp' };
  }

  const match = SIGNATURE_RE.exec(signature);
  if (!match?.[1]) return { ok: false, reason: 'bad_signature' };
  const given = Buffer.from(match[1], 'hex');
  const expected = digest(input.signingSecret, timestamp, input.rawBody);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
}

/** Boolean form of `verifySlackRequest`. */
export function isValidSlackRequest(input: SlackVerifyInput): boolean {
  return verifySlackRequest(input).ok;
}
