/** Customer schemas: the create body (also `customer` inside `POST /tickets`) and the answer. */
import * as z from 'zod';
import { IDENTITY_KINDS } from '../../domain/vocabulary.js';
import { email, isoDateTime, listEnvelope, text } from './common.js';

export const CustomerInputBody = z
  .object({
    name: text(200).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{2,30}$/, { error: 'Invalid phone number' })
      .optional(),
    email: email().optional(),
    external_id: text(200).optional(),
    telegram_id: text(64).optional(),
    whatsapp_id: text(64).optional(),
    language: z
      .string()
      .trim()
      .regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, { error: 'Invalid language tag' })
      .optional(),
  })
  .strict();

export const CustomerJson = z.object({
  id: z.string(),
  name: z.string().nullable(),
  language: z.string().nullable(),
  tier: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  external_id: z.string().nullable(),
  identities: z.array(z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string() })),
  created_at: isoDateTime(),
});
export type CustomerBody = z.output<typeof CustomerJson>;

export const CustomerList = listEnvelope(CustomerJson);
