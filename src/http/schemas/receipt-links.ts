/** Receipt links: the create body and the answer. */
import * as z from 'zod';
import { isoDateTime, text } from './common.js';

export const CreateReceiptLinkBody = z
  .object({
    store_ref: text(100).optional(),
    product_sku: text(100).optional(),
    invoice_ref: text(100).optional(),
    purchase_date: z.iso.date().optional(),
    expires_in_days: z.number().int().min(1).max(730).optional(),
  })
  .strict();

export const ReceiptLinkJson = z.object({
  code: z.string(),
  expires_at: isoDateTime(),
  web_path: z
    .string()
    .meta({ description: 'The web chat, opened with this receipt (signed, expiring).' }),
  web_url: z
    .string()
    .nullable()
    .meta({ description: 'web_path under PUBLIC_URL, when it is set.' }),
  telegram_start_payload: z.string().meta({ description: 'For t.me/<bot>?start=<payload>.' }),
  whatsapp_text: z.string().meta({ description: 'Pre-filled text for wa.me/<number>?text=…' }),
});
export type ReceiptLinkBody = z.output<typeof ReceiptLinkJson>;
