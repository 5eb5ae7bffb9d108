/**
 * Telegram `Update` → `InboundEvent`s (pure). Only private chats are customers: group,
 * supergroup and channel traffic yields nothing here, except plain messages in the agents' chat
 * (`staffChatId`, TELEGRAM_AGENT_CHAT_ID), which the wiring routes to the agent command router.
 * Updates we do not handle yield `[]`.
 */
import type { CallbackQuery, Chat, ChatMemberUpdated, Message, Update, User } from 'grammy/types';
import {
  dateFromUnixSeconds,
  type InboundEvent,
  type InboundMedia,
} from '../../src/ports/channel.js';
import { checkInboundEvents, MalformedInboundEvent } from '../../src/ports/inbound-event-schema.js';

type Base = Pick<InboundEvent, 'channel' | 'externalId' | 'chatId' | 'from' | 'sentAt'>;
type Content = Omit<InboundEvent, keyof Base>;

/** Message fields a customer can send that we cannot represent: answered as `unsupported`. */
const UNSUPPORTED_CONTENT = ['poll', 'dice', 'game', 'story', 'paid_media', 'checklist'] as const;

/**
 * @param receivedAt used as `sentAt` where Telegram gives no date (callback queries) or one
 *   that is not a usable time.
 * @throws MalformedInboundEvent when a field the events carry has the wrong type.
 */
export function toInboundEvents(
  update: Update,
  receivedAt: Date = new Date(),
  opts: { staffChatId?: string | undefined } = {},
): InboundEvent[] {
  // The Update is JSON typed only by the Bot API docs: check the events' fields at run time.
  return checkInboundEvents(eventsOf(update, receivedAt, opts.staffChatId));
}

function eventsOf(update: Update, receivedAt: Date, staffChatId?: string): InboundEvent[] {
  if (update.message) return fromMessage(update.message, receivedAt, staffChatId);
  if (update.edited_message) return fromEditedMessage(update.edited_message, receivedAt);
  if (update.callback_query) return fromCallbackQuery(update.callback_query, receivedAt);
  if (update.my_chat_member) return fromMyChatMember(update.my_chat_member, receivedAt);
  return [];
}

/** The update's kind (`message`, `poll`, …) for logs. */
export function updateKind(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
}

function fromMessage(message: Message, receivedAt: Date, staffChatId?: string): InboundEvent[] {
  const staff = staffChatId !== undefined && String(message.chat.id) === staffChatId;
  if ((!isCustomerChat(message.chat) && !staff) || message.from?.is_bot) return [];
  const content = messageContent(message);
  if (!content) return [];
  const chatId = intId(message.chat.id, 'message.chat.id');
  const from = sender(message.from, message.chat);
  if (content.contact?.userId !== undefined && content.contact.userId === from.id) {
    from.phone = content.contact.phone; // the customer shared their own number
  }
  return [
    {
      channel: 'telegram',
      externalId: `${chatId}:${intId(message.message_id, 'message.message_id')}`,
      chatId,
      from,
      sentAt: fromUnix(message.date, receivedAt),
      ...content,
    },
  ];
}

function messageContent(message: Message): Content | undefined {
  if (message.text !== undefined) return textContent(message, message.text);
  const media = messageMedia(message);
  if (media) return withText({ kind: 'media', media: [media] }, message.caption);
  if (message.location) {
    const { latitude, longitude } = message.location;
    const venue = message.venue;
    return {
      kind: 'location',
      location: venue
        ? { latitude, longitude, name: venue.title, address: venue.address }
        : { latitude, longitude },
    };
  }
  if (message.contact) {
    const { phone_number, first_name, last_name, user_id } = message.contact;
    const name = fullName(first_name, last_name);
    return {
      kind: 'contact',
      contact: {
        phone: toE164(phone_number),
        ...(name ? { name } : {}),
        ...(user_id !== undefined ? { userId: String(user_id) } : {}),
      },
    };
  }
  if (UNSUPPORTED_CONTENT.some((key) => message[key] !== undefined)) return { kind: 'unsupported' };
  return undefined; // service messages (pinned, payments, …)
}

function textContent(message: Message, text: string): Content {
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return { kind: 'text', text };
  const name = (text.slice(1, entity.length).split('@')[0] ?? '').toLowerCase();
  return { kind: 'command', text, command: { name, args: text.slice(entity.length).trim() } };
}

function messageMedia(message: Message): InboundMedia | undefined {
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo.reduce((a, b) =>
      b.width * b.height > a.width * a.height ? b : a,
    );
    // Telegram re-encodes photos as JPEG.
    return media('photo', largest.file_id, largest.file_size, 'image/jpeg');
  }
  if (message.video) {
    const v = message.video;
    return media('video', v.file_id, v.file_size, v.mime_type, v.file_name);
  }
  if (message.video_note) {
    return media('video', message.video_note.file_id, message.video_note.file_size, 'video/mp4');
  }
  if (message.voice) {
    const v = message.voice;
    return media('voice', v.file_id, v.file_size, v.mime_type);
  }
  if (message.audio) {
    const a = message.audio;
    return media('audio', a.file_id, a.file_size, a.mime_type, a.file_name);
  }
  if (message.sticker) {
    const s = message.sticker;
    const mime = s.is_animated
      ? 'application/x-tgsticker'
      : s.is_video
        ? 'video/webm'
        : 'image/webp';
    return media('sticker', s.file_id, s.file_size, mime);
  }
  if (message.document) {
    // Animations (GIFs) also carry `document`, so they arrive here as documents.
    const d = message.document;
    return media('document', d.file_id, d.file_size, d.mime_type, d.file_name);
  }
  return undefined;
}

function media(
  kind: InboundMedia['kind'],
  platformFileId: string,
  sizeBytes: number | undefined,
  mimeType: string | undefined,
  fileName?: string,
): InboundMedia {
  return {
    kind,
    platformFileId,
    ...(mimeType ? { mimeType } : {}),
    ...(fileName ? { fileName } : {}),
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
  };
}

function fromEditedMessage(
  message: Message & { edit_date: number },
  receivedAt: Date,
): InboundEvent[] {
  if (!isCustomerChat(message.chat) || message.from?.is_bot) return [];
  const text = message.text ?? message.caption;
  if (text === undefined) return []; // e.g. live-location updates
  const chatId = intId(message.chat.id, 'edited_message.chat.id');
  const original = `${chatId}:${intId(message.message_id, 'edited_message.message_id')}`;
  return [
    {
      channel: 'telegram',
      kind: 'edit',
      externalId: `${original}:edit:${intId(message.edit_date, 'edited_message.edit_date')}`,
      editedExternalId: original,
      chatId,
      from: sender(message.from, message.chat),
      sentAt: fromUnix(message.edit_date, receivedAt),
      text,
    },
  ];
}

function fromCallbackQuery(query: CallbackQuery, receivedAt: Date): InboundEvent[] {
  if (query.data === undefined) return []; // game buttons carry no data
  const chat = query.message?.chat;
  if (chat && !isCustomerChat(chat)) return [];
  return [
    {
      channel: 'telegram',
      kind: 'button',
      externalId: `cb:${query.id}`,
      // In a private chat the chat id is the user id (inline messages have no `message`).
      chatId: intId(chat?.id ?? query.from.id, 'callback_query.chat.id'),
      from: sender(query.from, chat),
      sentAt: receivedAt,
      buttonPayload: query.data,
      callbackQueryId: query.id,
    },
  ];
}

function fromMyChatMember(update: ChatMemberUpdated, receivedAt: Date): InboundEvent[] {
  if (!isCustomerChat(update.chat)) return [];
  const status = update.new_chat_member.status;
  if (status !== 'kicked' && status !== 'member') return [];
  const blocked = status === 'kicked';
  const chatId = intId(update.chat.id, 'my_chat_member.chat.id');
  return [
    {
      channel: 'telegram',
      kind: 'blocked',
      externalId: `${chatId}:${blocked ? 'blocked' : 'unblocked'}:${intId(update.date, 'my_chat_member.date')}`,
      chatId,
      from: sender(update.from, update.chat),
      sentAt: fromUnix(update.date, receivedAt),
      blocked,
    },
  ];
}

function isCustomerChat(chat: Chat): boolean {
  return chat.type === 'private';
}

function sender(user: User | undefined, chat: Chat | undefined): InboundEvent['from'] {
  if (!user) return { id: intId(chat?.id, 'chat.id') };
  const name = fullName(user.first_name, user.last_name);
  return {
    id: intId(user.id, 'from.id'),
    ...(name ? { name } : {}),
    ...(user.language_code ? { languageCode: user.language_code } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

function withText(content: Content, text: string | undefined): Content {
  return text === undefined ? content : { ...content, text };
}

function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter(Boolean).join(' ').trim();
  return name || undefined;
}

/** Telegram gives contact numbers with or without `+`; the port wants E.164 with `+`. */
function toE164(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `+${digits}`;
}

/** A Telegram `date`; the time we received it when the field is not a usable time. */
function fromUnix(seconds: number, receivedAt: Date): Date {
  return dateFromUnixSeconds(seconds) ?? receivedAt;
}

/**
 * A Bot API identifier (chat, user, message ids and dates are integers) as text; it becomes a
 * dedupe key, so an array or string in its place (`[1]` would print as `1`) is refused.
 */
function intId(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new MalformedInboundEvent([{ path, message: 'expected an integer' }]);
}
