/**
 * The `InboundEvent` the port promises, checked at run time. An adapter that builds events from
 * a payload typed only by the platform's documentation (Telegram's `Update` arrives as plain
 * JSON) runs its events through `checkInboundEvents` before recording them: a `language_code`
 * of 7 or a `text` that is an object would otherwise be recorded and then fail the bot on every
 * retry. A payload that does not check out is refused at the webhook, with nothing recorded.
 */
import * as z from 'zod';
import { hasUnstorableCharacters } from '../domain/unicode-text.js';
import type { InboundEvent } from './channel.js';

const MEDIA_KINDS = ['photo', 'document', 'audio', 'voice', 'video', 'sticker'] as const;
const KINDS = [
  'text',
  'media',
  'location',
  'contact',
  'button',
  'command',
  'edit',
  'status',
  'blocked',
  'unsupported',
] as const;

/** A platform id: it becomes a dedupe and ordering key, so it must be storable text as it is. */
const id = z
  .string()
  .min(1)
  .max(512)
  .refine((s) => !hasUnstorableCharacters(s), 'contains a NUL character or a lone surrogate');
const optionalText = z.string().optional();

const InboundMediaSchema = z.object({
  kind: z.enum(MEDIA_KINDS),
  platformFileId: id,
  mimeType: optionalText,
  fileName: optionalText,
  sizeBytes: z.number().finite().optional(),
});

export const InboundEventSchema = z.object({
  channel: z.enum(['telegram', 'whatsapp', 'webchat']),
  kind: z.enum(KINDS),
  externalId: id,
  chatId: id,
  from: z.object({
    id,
    name: optionalText,
    languageCode: optionalText,
    phone: optionalText,
    username: optionalText,
  }),
  sentAt: z.date().refine((d) => !Number.isNaN(d.getTime()), 'Invalid date'),
  text: optionalText,
  buttonPayload: optionalText,
  callbackQueryId: optionalText,
  command: z.object({ name: z.string(), args: z.string() }).optional(),
  media: z.array(InboundMediaSchema).optional(),
  location: z
    .object({
      latitude: z.number().finite(),
      longitude: z.number().finite(),
      name: optionalText,
      address: optionalText,
    })
    .optional(),
  contact: z.object({ phone: z.string(), name: optionalText, userId: optionalText }).optional(),
  editedExternalId: optionalText,
  status: z
    .object({
      messageExternalId: z.string(),
      status: z.enum(['sent', 'delivered', 'read', 'failed']),
      error: optionalText,
      errorCode: z.number().finite().optional(),
    })
    .optional(),
  blocked: z.boolean().optional(),
  receiptToken: optionalText,
});

/** A payload field of the wrong type: the adapter's webhook answers 400 and records nothing. */
export class MalformedInboundEvent extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`malformed inbound event: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    this.name = 'MalformedInboundEvent';
  }
}

/** True when `event` is what the port promises (for tolerant readers that skip the rest). */
export function isWellFormedInboundEvent(event: InboundEvent): boolean {
  return InboundEventSchema.safeParse(event).success;
}

/** The events unchanged when each is what the port promises; else MalformedInboundEvent. */
export function checkInboundEvents(events: InboundEvent[]): InboundEvent[] {
  for (const event of events) {
    const result = InboundEventSchema.safeParse(event);
    if (!result.success) {
      throw new MalformedInboundEvent(
        result.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        })),
      );
    }
  }
  return events;
}
