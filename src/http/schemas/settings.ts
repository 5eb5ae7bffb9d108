/** Tenant settings: vocabularies, routing, claim window, timers (auto-close, report, WhatsApp). */
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
    auto_close_after_hours: z.number().int().min(1).max(8760).nullable().optional().meta({
      description: 'Resolved tickets close after this many hours (default 96); null = never.',
    }),
    daily_report_time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24-hour)')
      .nullable()
      .optional()
      .meta({ description: 'Local time of the daily queue report (default "08:30"); null = off.' }),
    whatsapp_window_warning_minutes: z.number().int().min(1).max(1380).nullable().optional().meta({
      description:
        "Warn the assignee this long before WhatsApp's 24-hour window closes (default 60); null = off.",
    }),
  })
  .strict();

export const TenantSettingsJson = z.record(z.string(), z.unknown());
