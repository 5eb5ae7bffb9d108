/**
 * The one port every customer channel speaks: platform payloads become `InboundEvent`s, and
 * `OutboundMessage`s become platform API calls. Adapters (adapters/<channel>/) implement it and
 * know nothing of storage, use cases or each other.
 */

export type CustomerChannel = 'telegram' | 'whatsapp' | 'webchat';

export type MediaKind = 'photo' | 'document' | 'audio' | 'voice' | 'video' | 'sticker';

/** A file the platform holds; the bytes are fetched later through the channel's API. */
export interface InboundMedia {
  kind: MediaKind;
  /** Telegram `file_id`, WhatsApp media id, or a web-chat upload id. */
  platformFileId: string;
  mimeType?: string;
  fileName?: string;
  /** When the platform says it (Telegram does; WhatsApp tells it when the media URL is asked for). */
  sizeBytes?: number;
}

export type InboundKind =
  | 'text'
  | 'media'
  | 'location'
  | 'contact'
  | 'button'
  | 'command'
  | 'edit'
  | 'status'
  | 'blocked'
  | 'unsupported';

export interface InboundEvent {
  channel: CustomerChannel;
  kind: InboundKind;
  /**
   * Unique per channel and message: Telegram `<chat_id>:<message_id>` (edits add `:edit:<date>`),
   * WhatsApp `wamid…`, web chat `<session>:<client message id>`. Status events carry the id of
   * the status update itself.
   */
  externalId: string;
  /** The customer's chat on the platform: Telegram chat id, WhatsApp `wa_id`, web-chat session. */
  chatId: string;
  from: {
    /** Platform user id: Telegram user id, WhatsApp `wa_id`, web-chat session. */
    id: string;
    name?: string;
    /** IETF tag from the platform (Telegram `language_code`). */
    languageCode?: string;
    /** E.164 with `+` when the platform gives a phone number (WhatsApp always). */
    phone?: string;
    username?: string;
  };
  sentAt: Date;
  text?: string;
  /** Inline-keyboard `callback_data`, WhatsApp interactive reply id or template button payload. */
  buttonPayload?: string;
  /** Telegram callback query id, to be answered (stops the button spinner). */
  callbackQueryId?: string;
  /** `/start <payload>`, `/lang hi` … without the slash; `args` is the rest of the line. */
  command?: { name: string; args: string };
  media?: InboundMedia[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { phone: string; name?: string; userId?: string };
  /** For `edit`: the external id of the message that was edited. */
  editedExternalId?: string;
  /** For `status`: delivery receipts of messages we sent. */
  status?: {
    messageExternalId: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    error?: string;
    /** WhatsApp error code, e.g. 131047 (outside the 24-hour window). */
    errorCode?: number;
  };
  /** For `blocked`: true when the customer blocked the bot, false when they unblocked it. */
  blocked?: boolean;
  /** Set by the web chat when a signed receipt link opened it (see receipt tokens). */
  receiptToken?: string;
}

export interface OutboundButton {
  id: string;
  title: string;
}

export interface OutboundListRow {
  id: string;
  title: string;
  description?: string;
}

export interface OutboundMessage {
  channel: CustomerChannel;
  chatId: string;
  text?: string;
  /** Up to 3 on WhatsApp (reply buttons); Telegram shows them as an inline keyboard. */
  buttons?: OutboundButton[];
  /** Up to 10 rows on WhatsApp (list message); Telegram shows one button per row. */
  list?: { buttonText: string; rows: OutboundListRow[] };
  /** A stored attachment to send; the sender reads the bytes through `readFile`. */
  media?: { kind: MediaKind; sha256: string; mimeType: string; fileName: string; caption?: string };
  /** WhatsApp only, outside the 24-hour customer-service window. */
  template?: { name: string; language: string; bodyParams: string[] };
  /** Telegram: the callback query to answer along with this message. */
  answerCallbackQueryId?: string;
}

export interface SendReceipt {
  /** The platform's id for what was sent (Telegram `<chat>:<message_id>`, WhatsApp `wamid…`). */
  externalId: string | null;
}

/**
 * A platform API failure, shaped like grammY's GrammyError: method, HTTP status, payload.
 * `retryAfterMs` comes from a 429; `permanent` means retrying cannot help (blocked, bad chat).
 */
export class ChannelApiError extends Error {
  constructor(
    message: string,
    readonly details: {
      channel: CustomerChannel;
      method: string;
      status?: number;
      code?: number | string;
      retryAfterMs?: number;
      permanent?: boolean;
      payload?: unknown;
    },
  ) {
    super(message);
    this.name = 'ChannelApiError';
  }
}

export interface ChannelSender {
  send(message: OutboundMessage): Promise<SendReceipt>;
}

/** Downloads a platform file (only from the platform's own hosts), refusing files over `maxBytes`. */
export interface MediaFetcher {
  fetch(
    media: InboundMedia,
    maxBytes: number,
  ): Promise<{ data: Buffer; mimeType: string; fileName?: string }>;
}

/** What an adapter hands inbound events to; resolves once the event is durably recorded. */
export type InboundHandler = (event: InboundEvent) => Promise<void>;

/** The latest moment a JavaScript Date can hold (±8.64e15 ms around 1970). */
const MAX_DATE_MS = 8.64e15;

/**
 * A platform's Unix timestamp in seconds (a number, or digits in a string as Meta sends them)
 * as a Date; undefined when it is not one or lies outside what a Date can hold (`1e308` would
 * make an Invalid Date that fails the webhook on every redelivery when it is recorded).
 */
export function dateFromUnixSeconds(value: unknown): Date | undefined {
  const seconds = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const ms = seconds * 1000;
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms) : undefined;
}
