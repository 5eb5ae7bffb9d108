/**
 * How an outbound webhook delivery is signed: the header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the subscription's secret.
 * The receiver recomputes it over the raw body and refuses a `t` older than a few minutes
 * (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Checks a signature header as a receiver would (tests and the README's example). */
export function verifyWebhookSignature(input: {
  secret: string;
  header: string;
  body: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const parts = new Map(
    input.header.split(',').map((part) => part.split('=', 2) as [string, string]),
  );
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t)) return false;
  if (Math.abs(input.nowSeconds - t) > (input.toleranceSeconds ?? 300)) return false;
  const expected = webhookSignature(input.secret, t, input.body).split('v1=')[1]!;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
