/**
 * Meta webhook authenticity: the `X-Hub-Signature-256` HMAC over the raw body (POST), and the
 * `hub.verify_token` handshake (GET) that subscribes the callback URL.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  errorResponse,
  headerValue,
  type WebhookRequest,
  type WebhookResponse,
} from './webhook-types.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_RE = /^sha256=([0-9a-f]{64})$/i;

/** `sha256=<hex HMAC-SHA256(appSecret, rawBody)>`, as Meta sends it. */
export function signWebhookBody(rawBody: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** True when `header` is a well-formed signature of `rawBody` made with `appSecret`. */
export function isValidSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!appSecret || !header) return false;
  const match = SIGNATURE_RE.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time string equality (hashing first, so lengths do not leak either). */
function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * `GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: echoes the
 * challenge as text/plain when the token matches, else 403.
 */
export function verifySubscription(req: WebhookRequest, verifyToken: string): WebhookResponse {
  if (req.method.toUpperCase() !== 'GET') {
    return { ...errorResponse(405, 'method_not_allowed', 'use GET'), headers: { allow: 'GET' } };
  }
  const query = req.query ?? {};
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (
    !verifyToken ||
    mode !== 'subscribe' ||
    typeof token !== 'string' ||
    typeof challenge !== 'string' ||
    !safeEqual(token, verifyToken)
  ) {
    return errorResponse(403, 'forbidden', 'webhook verification failed');
  }
  return { status: 200, body: challenge, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

/** The signature header of a request, if any. */
export function signatureOf(req: WebhookRequest): string | undefined {
  return headerValue(req, SIGNATURE_HEADER);
}
