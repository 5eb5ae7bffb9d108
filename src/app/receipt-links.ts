/**
 * Receipt links: a digital receipt (or a purchase journey) gets a link into the chat that carries
 * store, product, invoice and purchase date, so the ticket opens with them filled in.
 * - web chat: `/chat?receipt=<code>.<expiry>.<signature>` (HMAC-SHA256, verified, expiring);
 * - Telegram: `t.me/<bot>?start=r_<code>` (a deep-link payload: 64 characters at most);
 * - WhatsApp: a pre-filled text "Receipt R-<code>".
 * The code is 12 random characters, stored with its expiry, and only works for its tenant.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalid } from '../domain/errors.js';
import type { InboundEvent } from '../ports/channel.js';
import type { ReceiptContext, Stores } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const SECRET_NAME = 'receipt_link_signing_key';
const MAX_DAYS = 730;

function randomCode(): string {
  const bytes = randomBytes(12);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

const sign = (key: string, text: string) =>
  createHmac('sha256', key).update(text).digest('base64url').slice(0, 22);

async function signingKey(s: Stores): Promise<string> {
  return s.secrets.getOrCreate(SECRET_NAME, () => randomBytes(32).toString('base64url'));
}

export interface ReceiptLink {
  code: string;
  expiresAt: Date;
  webToken: string;
  telegramStartPayload: string;
  whatsappText: string;
}

export async function createReceiptLink(
  deps: AppDeps,
  ctx: RequestContext,
  input: ReceiptContext & { expires_in_days?: number | undefined },
): Promise<ReceiptLink> {
  const days = input.expires_in_days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw invalid(`expires_in_days must be 1 to ${MAX_DAYS}`, [
      { path: ['expires_in_days'], message: 'out of range' },
    ]);
  }
  const context: ReceiptContext = {};
  for (const key of ['store_ref', 'product_sku', 'invoice_ref', 'purchase_date'] as const) {
    if (input[key]) context[key] = input[key];
  }
  if (Object.keys(context).length === 0)
    throw invalid(
      'a receipt link needs at least one of store_ref, product_sku, invoice_ref, purchase_date',
    );
  return deps.uow.transaction(async (s) => {
    const code = randomCode();
    const expiresAt = new Date(deps.clock.now().getTime() + days * 86_400_000);
    await s.receiptLinks.create({ tenantId: ctx.tenant.id, code, context, expiresAt });
    const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36);
    const webToken = `${code}.${expiry}.${sign(await signingKey(s), `${code}.${expiry}`)}`;
    return {
      code,
      expiresAt,
      webToken,
      telegramStartPayload: `r_${code}`,
      whatsappText: `Receipt R-${code}`,
    };
  });
}

/** The receipt code an inbound event carries, if any (not yet checked against the database). */
export async function receiptCodeOf(
  s: Stores,
  event: InboundEvent,
  now: Date,
): Promise<string | null> {
  if (event.receiptToken) {
    const [code, expiry, signature] = event.receiptToken.split('.');
    if (!code || !expiry || !signature) return null;
    const expected = Buffer.from(sign(await signingKey(s), `${code}.${expiry}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (parseInt(expiry, 36) * 1000 < now.getTime()) return null;
    return code;
  }
  if (event.command?.name === 'start')
    return /^r_([A-Za-z0-9]{12})$/.exec(event.command.args.trim())?.[1] ?? null;
  return /\bR-([A-Za-z0-9]{12})\b/.exec(event.text ?? '')?.[1] ?? null;
}

/** The receipt context for this tenant's code, unless unknown or expired. */
export async function lookUpReceipt(
  s: Stores,
  tenantId: string,
  code: string,
  now: Date,
): Promise<ReceiptContext | null> {
  const link = await s.receiptLinks.findByCode(code);
  if (!link || link.tenantId !== tenantId || link.expiresAt < now) return null;
  return link.context;
}
