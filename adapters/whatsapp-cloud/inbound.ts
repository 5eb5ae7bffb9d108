/**
 * Cloud API webhook notification → `InboundEvent`s (pure). The envelope is
 * `{object: 'whatsapp_business_account', entry: [{id, changes: [{field: 'messages', value}]}]}`;
 * `value` carries `metadata.phone_number_id`, `contacts[]` (profile names), and either
 * `messages[]` (from customers) or `statuses[]` (receipts of what we sent).
 * The reader is tolerant: a malformed message (one the port's schema refuses, too) is skipped,
 * an unknown type becomes `unsupported`.
 */
import {
  dateFromUnixSeconds,
  type InboundEvent,
  type InboundMedia,
  type MediaKind,
} from '../../src/ports/channel.js';
import { isWellFormedInboundEvent } from '../../src/ports/inbound-event-schema.js';

type Json = Record<string, unknown>;
type Content = Omit<InboundEvent, 'channel' | 'externalId' | 'chatId' | 'from' | 'sentAt'>;

/** An event with the business phone number it was addressed to (for routing to a tenant). */
export interface RoutedInboundEvent {
  /** `metadata.phone_number_id` of the change; undefined when Meta left it out. */
  phoneNumberId: string | undefined;
  event: InboundEvent;
}

const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
const UNSUPPORTED: Content = { kind: 'unsupported' };

const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): Json[] =>
  Array.isArray(v) ? v.map(obj).filter((x): x is Json => x !== undefined) : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** Unix seconds (Meta sends them as a string) → Date; undefined when not a usable time. */
const dateOf = dateFromUnixSeconds;

/** `wa_id` is the number without `+`; newer user ids may not be numbers at all. */
export function phoneOfWaId(waId: string): string | undefined {
  return /^\d{6,15}$/.test(waId) ? `+${waId}` : undefined;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function mediaContent(m: Json, field: string, kind: MediaKind): Content {
  const payload = obj(m[field]);
  const id = nonEmpty(payload?.id);
  if (!payload || !id) return UNSUPPORTED;
  const media: InboundMedia = withoutUndefined({
    kind,
    platformFileId: id,
    mimeType: nonEmpty(payload.mime_type),
    fileName: nonEmpty(payload.filename),
  });
  return withoutUndefined({ kind: 'media', text: nonEmpty(payload.caption), media: [media] });
}

function locationContent(m: Json): Content {
  const loc = obj(m.location);
  const latitude = finite(loc?.latitude);
  const longitude = finite(loc?.longitude);
  if (!loc || latitude === undefined || longitude === undefined) return UNSUPPORTED;
  const location = withoutUndefined({
    latitude,
    longitude,
    name: nonEmpty(loc.name),
    address: nonEmpty(loc.address),
  });
  return { kind: 'location', location };
}

/** The first shared contact's first phone (its `wa_id` when WhatsApp knows it). */
function contactContent(m: Json): Content {
  const card = list(m.contacts)[0];
  const phoneEntry = list(card?.phones)[0];
  const waId = nonEmpty(phoneEntry?.wa_id);
  const raw = nonEmpty(phoneEntry?.phone);
  const phone = (waId && phoneOfWaId(waId)) ?? raw?.replace(/[^\d+]/g, '');
  if (!card || !phone) return UNSUPPORTED;
  const name = obj(card.name);
  const contact = withoutUndefined({
    phone,
    name: nonEmpty(name?.formatted_name) ?? nonEmpty(name?.first_name),
    userId: waId,
  });
  return { kind: 'contact', contact };
}

function interactiveContent(m: Json): Content {
  const interactive = obj(m.interactive);
  const type = str(interactive?.type);
  const reply =
    type === 'button_reply' || type === 'list_reply' ? obj(interactive?.[type]) : undefined;
  const id = nonEmpty(reply?.id);
  if (!id) return UNSUPPORTED;
  return withoutUndefined({ kind: 'button', buttonPayload: id, text: str(reply?.title) });
}

/** A template's quick-reply button: `button.payload` (set when sending) and its label. */
function templateButtonContent(m: Json): Content {
  const button = obj(m.button);
  const text = str(button?.text);
  const payload = nonEmpty(button?.payload) ?? text;
  if (!payload) return UNSUPPORTED;
  return withoutUndefined({ kind: 'button', buttonPayload: payload, text });
}

function contentOf(m: Json): Content {
  switch (m.type) {
    case 'text': {
      const body = str(obj(m.text)?.body);
      return body === undefined ? UNSUPPORTED : { kind: 'text', text: body };
    }
    case 'image':
      return mediaContent(m, 'image', 'photo');
    case 'document':
      return mediaContent(m, 'document', 'document');
    case 'audio':
      return mediaContent(m, 'audio', obj(m.audio)?.voice === true ? 'voice' : 'audio');
    case 'video':
      return mediaContent(m, 'video', 'video');
    case 'sticker':
      return mediaContent(m, 'sticker', 'sticker');
    case 'location':
      return locationContent(m);
    case 'contacts':
      return contactContent(m);
    case 'interactive':
      return interactiveContent(m);
    case 'button':
      return templateButtonContent(m);
    default:
      return UNSUPPORTED;
  }
}

function profileName(contacts: Json[], waId: string): string | undefined {
  const own =
    contacts.find((c) => c.wa_id === waId) ?? (contacts.length === 1 ? contacts[0] : undefined);
  return nonEmpty(obj(own?.profile)?.name);
}

function messageEvent(m: Json, contacts: Json[]): InboundEvent | undefined {
  const externalId = nonEmpty(m.id);
  const waId = nonEmpty(m.from);
  const sentAt = dateOf(m.timestamp);
  if (!externalId || !waId || !sentAt) return undefined;
  return {
    channel: 'whatsapp',
    externalId,
    chatId: waId,
    from: withoutUndefined({
      id: waId,
      name: profileName(contacts, waId),
      phone: phoneOfWaId(waId),
    }),
    sentAt,
    ...contentOf(m),
  };
}

function statusEvent(s: Json): InboundEvent | undefined {
  const messageExternalId = nonEmpty(s.id);
  const status = STATUSES.find((known) => known === s.status);
  const sentAt = dateOf(s.timestamp);
  if (!messageExternalId || !status || !sentAt) return undefined;
  const recipient = nonEmpty(s.recipient_id) ?? '';
  const error = list(s.errors)[0];
  return {
    channel: 'whatsapp',
    kind: 'status',
    externalId: `status:${messageExternalId}:${status}`,
    chatId: recipient,
    from: withoutUndefined({ id: recipient, phone: phoneOfWaId(recipient) }),
    sentAt,
    status: withoutUndefined<NonNullable<InboundEvent['status']>>({
      messageExternalId,
      status,
      error: nonEmpty(error?.title) ?? nonEmpty(error?.message),
      errorCode: finite(error?.code),
    }),
  };
}

/** Every message and status of a notification, in payload order, with its business number. */
export function toRoutedInboundEvents(notification: unknown): RoutedInboundEvent[] {
  const root = obj(notification);
  if (root?.object !== 'whatsapp_business_account') return [];
  const routed: RoutedInboundEvent[] = [];
  for (const entry of list(root.entry)) {
    for (const change of list(entry.changes)) {
      const value = obj(change.value);
      if (change.field !== 'messages' || !value) continue;
      const phoneNumberId = nonEmpty(obj(value.metadata)?.phone_number_id);
      const contacts = list(value.contacts);
      const events = [
        ...list(value.messages).map((m) => messageEvent(m, contacts)),
        ...list(value.statuses).map(statusEvent),
      ];
      for (const event of events) {
        // An id PostgreSQL cannot store (a NUL in it) is no message Meta sent: skipped like one
        // without an id, not retried forever.
        if (event && isWellFormedInboundEvent(event)) routed.push({ phoneNumberId, event });
      }
    }
  }
  return routed;
}

/**
 * The events of a notification, in order. With `phoneNumberId`, only those addressed to that
 * business number.
 */
export function toInboundEvents(
  notification: unknown,
  opts: { phoneNumberId?: string } = {},
): InboundEvent[] {
  return toRoutedInboundEvents(notification)
    .filter((r) => opts.phoneNumberId === undefined || r.phoneNumberId === opts.phoneNumberId)
    .map((r) => r.event);
}
