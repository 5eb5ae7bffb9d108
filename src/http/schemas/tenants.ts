/** Tenant schemas (`POST /tenants`, platform key). */
import * as z from 'zod';
import { isoDateTime, text, timeZone } from './common.js';

export const CreateTenantBody = z
  .object({
    name: text(200),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
        error:
          'A slug is 1–63 lowercase letters, digits or dashes, not starting or ending with one',
      }),
    timezone: timeZone().optional(),
  })
  .strict();

export const TenantJson = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  created_at: isoDateTime(),
});
export type TenantBody = z.output<typeof TenantJson>;

export const CreateTenantResult = z.object({
  tenant: TenantJson,
  api_key: z.string().meta({ description: 'The tenant admin API key; shown once.' }),
});
