/** Channel identities of a customer, normalized so the same person matches across channels. */
import { invalid } from '../domain/errors.js';
import type { CustomerIdentity } from '../domain/records.js';
import type { CustomerInput } from './inputs.js';

export function normalizePhone(raw: string): string {
  const digits = raw.replace(/[\s().-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) {
    throw invalid(`"${raw}" is not a phone number`, [
      { path: ['customer', 'phone'], message: 'invalid phone' },
    ]);
  }
  return digits.startsWith('+') ? digits : `+${digits}`;
}

export function identitiesOf(input: CustomerInput): CustomerIdentity[] {
  const out: CustomerIdentity[] = [];
  if (input.phone) out.push({ kind: 'phone', value: normalizePhone(input.phone) });
  if (input.email) out.push({ kind: 'email', value: input.email.trim().toLowerCase() });
  if (input.external_id) out.push({ kind: 'external', value: input.external_id.trim() });
  if (input.telegram_id) out.push({ kind: 'telegram', value: input.telegram_id.trim() });
  if (input.whatsapp_id)
    out.push({ kind: 'whatsapp', value: input.whatsapp_id.replace(/\D/g, '') });
  if (input.webchat_session) out.push({ kind: 'webchat', value: input.webchat_session });
  return out;
}
