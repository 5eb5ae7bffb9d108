/**
 * Webhook bodies for the ingest bench: distinct Telegram `Update`s (secret-token header) and
 * WhatsApp Cloud notifications (signed with `X-Hub-Signature-256`), each with the dedupe key
 * Parley records it under (`in:<channel>:<externalId>`).
 */
import { createHmac } from 'node:crypto';
import type { Secrets } from './protocol.js';

export type Channel = 'telegram' | 'whatsapp';

export interface Message {
  channel: Channel;
  /** Customer chat index, 0 … chats-1. */
  chat: number;
  /** Unique over the whole run. */
  seq: number;
}

export interface WebhookRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

const TELEGRAM_CHAT_BASE = 7_100_000_000;
const WHATSAPP_WA_BASE = 919_700_000_000;
const TEXTS = [
  'Hi, my order has not arrived yet',
  'The kettle I bought leaks from the bottom, can you help?',
  'Where is my refund? It has been two weeks',
  'I want to change the delivery address',
  'yes',
  '2',
  'ORD-1042',
  'The lid is cracked right across, photo attached later',
];

export const telegramChatId = (chat: number): number => TELEGRAM_CHAT_BASE + chat;
export const whatsappWaId = (chat: number): string => String(WHATSAPP_WA_BASE + chat);

export function dedupeKey(m: Message): string {
  return m.channel === 'telegram'
    ? `in:telegram:${telegramChatId(m.chat)}:${m.seq}`
    : `in:whatsapp:wamid.BENCH${m.seq}`;
}

export function webhookRequest(m: Message, secrets: Secrets): WebhookRequest {
  const text = `${TEXTS[m.seq % TEXTS.length]} (#${m.seq})`;
  const date = Math.floor(Date.now() / 1000);
  if (m.channel === 'telegram') {
    const id = telegramChatId(m.chat);
    const from = {
      id,
      is_bot: false,
      first_name: `Cust${m.chat}`,
      username: `cust_${m.chat}`,
      language_code: 'en',
    };
    const update = {
      update_id: 500_000_000 + m.seq,
      message: {
        message_id: m.seq,
        from,
        chat: { id, first_name: from.first_name, username: from.username, type: 'private' },
        date,
        text,
      },
    };
    return {
      path: '/webhooks/telegram',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': secrets.telegramSecret,
      },
      body: Buffer.from(JSON.stringify(update)),
    };
  }
  const waId = whatsappWaId(m.chat);
  const notification = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '919900000100',
                phone_number_id: secrets.whatsappPhoneNumberId,
              },
              contacts: [{ profile: { name: `Cust W${m.chat}` }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.BENCH${m.seq}`,
                  timestamp: String(date),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  const body = Buffer.from(JSON.stringify(notification));
  return {
    path: '/webhooks/whatsapp',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secrets.whatsappAppSecret).update(body).digest('hex')}`,
    },
    body,
  };
}

/**
 * The message stream: a deterministic mix (every message whose spread position falls under the
 * WhatsApp share is WhatsApp), chats drawn so that consecutive messages hit different chats.
 */
export function createMessageSource(opts: {
  whatsappShare: number;
  chats: number;
  startSeq: number;
}) {
  let seq = opts.startSeq;
  let n = 0;
  const every = opts.whatsappShare > 0 ? 1 / opts.whatsappShare : Infinity;
  return {
    next(): Message {
      n += 1;
      seq += 1;
      const whatsapp = Math.floor(n / every) !== Math.floor((n - 1) / every);
      // A multiplicative walk over the chats: neighbours in time are far apart in chat space.
      const chat = (n * 7919) % opts.chats;
      return { channel: whatsapp ? 'whatsapp' : 'telegram', chat, seq };
    },
    get lastSeq() {
      return seq;
    },
  };
}
