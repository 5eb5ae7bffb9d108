/** Outbound webhook subscriptions (extension): the create body and the answers. */
import * as z from 'zod';
import { TICKET_EVENT_TYPES } from '../../domain/webhook-events.js';
import { listEnvelope } from './common.js';

export const CreateWebhookSubscriptionBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .meta({ description: 'Where ticket events are POSTed; https:// only' }),
    events: z
      .array(z.enum(TICKET_EVENT_TYPES))
      .max(TICKET_EVENT_TYPES.length * 2)
      .optional()
      .meta({ description: 'The events to deliver; absent or empty: all of them' }),
  })
  .strict();

export const WebhookSubscriptionJson = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(TICKET_EVENT_TYPES)),
  active: z.boolean(),
  disabled_reason: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookSubscriptionBody = z.output<typeof WebhookSubscriptionJson>;

export const CreatedWebhookSubscriptionJson = WebhookSubscriptionJson.extend({
  secret: z.string().meta({
    description: 'The HMAC-SHA256 key of the X-Parley-Signature header; shown only in this answer',
  }),
});

export const WebhookSubscriptionList = listEnvelope(WebhookSubscriptionJson);

export const WebhookDeliveryJson = z.object({
  delivery_id: z.string().meta({ description: 'The X-Parley-Delivery header of its POSTs' }),
  type: z.string(),
  ticket_id: z.string().nullable(),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  next_attempt_at: z.string().nullable().meta({ description: 'When a pending one is tried again' }),
});
export type WebhookDeliveryBody = z.output<typeof WebhookDeliveryJson>;

export const WebhookDeliveryList = listEnvelope(WebhookDeliveryJson);
