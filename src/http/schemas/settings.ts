/** Tenant settings: vocabularies, routing, claim window. */
import * as z from 'zod';
import { PRIORITIES } from '../../domain/vocabulary.js';

const key = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _');

export const TenantSettingsBody = z
  .object({
    categories: z
      .array(z.union([key, z.object({ key, requires_photo: z.boolean().optional() }).strict()]))
      .min(1)
      .max(50)
      .optional(),
    priorities: z.array(z.enum(PRIORITIES)).min(1).optional(),
    default_priority: z.enum(PRIORITIES).optional(),
    claim_window_grace_days: z.number().int().min(0).max(365).optional(),
    routing: z.record(key, z.string().min(1).max(64)).optional(),
    outbox_max_attempts: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const TenantSettingsJson = z.record(z.string(), z.unknown());
