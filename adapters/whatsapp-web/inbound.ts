/** whatsapp-web.js `Message` → `InboundEvent` (pure). */
import { dateFromUnixSeconds, type InboundEvent, type MediaKind } from '../../src/ports/channel.js';
import type { WaAck, WaMessage } from './client.js';

const MEDIA_KINDS: Record<string, MediaKind> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  document: 'document',
  sticker: 'sticker',
};

/** WhatsApp's own notices, not something a customer said: never surface them. */
const SYSTEM_TYPES = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'broadcast_notification',
  'protocol',
  'call_log',
  'ciphertext',
  'revoked',
  'debug',
]);

/** Chats we do not serve: groups, status, broadcast lists, channels. */
export function isIgnoredChat(chatId: string): boolean {
  return (
    chatId === 'status@broadcast' ||
    chatId.endsWith('@g.us') ||
    chatId.endsWith('@broadcast') ||
    chatId.endsWith('@newsletter')
  );
}

/** `919900000001@c.us` → `+919900000001`; `@lid` ids are not phone numbers. */
export function phoneOf(chatId: string): string | undefined {
  const match = /^(\d+)@c\.us$/.exec(chatId);
  return match ? `+${match[1]}` : undefined;
}

/** @param receivedAt `sentAt` when the message's timestamp is not a usable time. */
export function toInboundEvent(msg: WaMessage, receivedAt: Date = new Date()): InboundEvent | null {
  if (msg.fromMe || msg.isStatus || isIgnoredChat(msg.from) || SYSTEM_TYPES.has(msg.type)) {
    return null;
  }
  const name = msg._data?.notifyName || undefined;
  const phone = phoneOf(msg.from);
  const base: InboundEvent = {
    channel: 'whatsapp',
    kind: 'unsupported',
    externalId: msg.id._serialized,
    chatId: msg.from,
    from: { id: msg.from, ...(name ? { name } : {}), ...(phone ? { phone } : {}) },
    sentAt: dateFromUnixSeconds(msg.timestamp) ?? receivedAt,
  };
  const text = msg.body ? msg.body : undefined;
  const withText = text ? { text } : {};

  const mediaKind = Object.hasOwn(MEDIA_KINDS, msg.type) ? MEDIA_KINDS[msg.type] : undefined;
  if (mediaKind) {
    // The MIME type, name and size are known only once the media is downloaded.
    return {
      ...base,
      kind: 'media',
      ...withText,
      media: [{ kind: mediaKind, platformFileId: msg.id._serialized }],
    };
  }
  switch (msg.type) {
    case 'chat':
      return { ...base, kind: 'text', text: msg.body };
    case 'location':
      return locationEvent(base, msg);
    case 'vcard':
    case 'multi_vcard':
      return contactEvent(base, msg);
    case 'buttons_response':
    case 'template_button_reply':
      return buttonEvent(base, msg.selectedButtonId, text);
    case 'list_response':
      return buttonEvent(base, msg.selectedRowId, text);
    default:
      return base;
  }
}

function locationEvent(base: InboundEvent, msg: WaMessage): InboundEvent {
  const loc = msg.location;
  const latitude = Number(loc?.latitude);
  const longitude = Number(loc?.longitude);
  if (!loc || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return base;
  return {
    ...base,
    kind: 'location',
    location: {
      latitude,
      longitude,
      ...(loc.name ? { name: loc.name } : {}),
      ...(loc.address ? { address: loc.address } : {}),
    },
  };
}

function contactEvent(base: InboundEvent, msg: WaMessage): InboundEvent {
  const card = msg.vCards?.[0] ?? (msg.type === 'vcard' ? msg.body : undefined);
  const contact = card ? parseVCard(card) : null;
  return contact ? { ...base, kind: 'contact', contact } : base;
}

function buttonEvent(base: InboundEvent, payload: string | undefined, text?: string): InboundEvent {
  if (!payload) return base;
  return { ...base, kind: 'button', buttonPayload: payload, ...(text ? { text } : {}) };
}

/**
 * The first phone of a vCard WhatsApp sends:
 * `FN:Asha` / `TEL;type=CELL;waid=919900000002:+91 99000 00002`.
 */
export function parseVCard(card: string): { phone: string; name?: string; userId?: string } | null {
  const lines = card.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const value = (line: string) => line.slice(line.indexOf(':') + 1).trim();
  const fn = lines.find((l) => /^FN[;:]/i.test(l));
  const tel = lines.find((l) => /^(item\d+\.)?TEL[;:]/i.test(l));
  if (!tel) return null;
  const waid = /waid=(\d+)/i.exec(tel)?.[1];
  const digits = waid ?? value(tel).replace(/[^\d]/g, '');
  if (!digits) return null;
  const name = fn ? value(fn) : '';
  return {
    phone: `+${digits}`,
    ...(name ? { name } : {}),
    ...(waid ? { userId: `${waid}@c.us` } : {}),
  };
}

const ACK_STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  '-1': 'failed',
  '1': 'sent',
  '2': 'delivered',
  '3': 'read',
  '4': 'read',
};

/** A `message_ack` on one of our messages → a `status` event; pending (0) and others → null. */
export function toStatusEvent(msg: WaMessage, ack: WaAck, now: Date): InboundEvent | null {
  const status = ACK_STATUS[String(ack)];
  if (!status) return null;
  const chatId = (msg.fromMe ? msg.to : msg.from) ?? msg.from;
  if (isIgnoredChat(chatId)) return null;
  const phone = phoneOf(chatId);
  return {
    channel: 'whatsapp',
    kind: 'status',
    // No id of its own on WhatsApp Web: one per (message, ack level), so redelivery dedupes.
    externalId: `${msg.id._serialized}:ack:${ack}`,
    chatId,
    from: { id: chatId, ...(phone ? { phone } : {}) },
    sentAt: now,
    status: {
      messageExternalId: msg.id._serialized,
      status,
      ...(status === 'failed' ? { error: 'whatsapp web reported ack error' } : {}),
    },
  };
}
