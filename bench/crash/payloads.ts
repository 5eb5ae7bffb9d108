/**
 * The crash bench's customers and their webhooks: customer `c` is on Telegram when `c` is even,
 * on WhatsApp when odd, and walks the intake flow (first message, category, order number, no
 * photo, no date, confirm) before writing follow-ups into the ticket it opened. Every message has
 * its per-customer sequence number `k` in its platform id (Telegram `message_id` 1,000,000 + k, WhatsApp
 * `wamid.CRASH.<c>.<k>`) and, where the flow allows free text, in its text (`#c.k`). What they
 * write is a `CustomerScript` (the crash bench's by default; the multi-process bench has its own).
 */
import { createHmac } from 'node:crypto';

export type Channel = 'telegram' | 'whatsapp';

export interface Secrets {
  telegramSecret: string;
  whatsappAppSecret: string;
  whatsappPhoneNumberId: string;
}

export interface CustomerMessage {
  channel: Channel;
  customer: number;
  /** 1, 2, … per customer. */
  k: number;
  chatId: string;
  /** What Parley records it under: `in:<channel>:<externalId>` is the outbox dedupe key. */
  externalId: string;
  text: string;
}

const TELEGRAM_CHAT_BASE = 7_300_000_000;
const WHATSAPP_WA_BASE = 919_800_000_000;

export const channelOf = (customer: number): Channel =>
  customer % 2 === 0 ? 'telegram' : 'whatsapp';

export const chatIdOf = (customer: number): string =>
  channelOf(customer) === 'telegram'
    ? String(TELEGRAM_CHAT_BASE + customer)
    : String(WHATSAPP_WA_BASE + customer);

/** What customer `customer` writes as their `k`-th message (k = 1, 2, …). */
export type CustomerScript = (customer: number, k: number) => string;

/** The crash bench's customers: the intake flow, then follow-ups into the ticket it opened. */
export const crashScript: CustomerScript = (customer, k) => {
  switch (k) {
    case 1:
      return `Hi, my order has not arrived yet (#${customer}.${k})`;
    case 2:
      return '1'; // order_issue; the description is prefilled from the first message
    case 3:
      return `ORD-${1000 + customer}`;
    case 4:
      return 'done'; // no photo
    case 5:
      return 'skip'; // no delivery date
    case 6:
      return 'yes';
    default:
      return followUpText(customer, k);
  }
};

/** A free-text message into the customer's open ticket, marked `#c.k`. */
export const followUpText = (customer: number, k: number): string =>
  `Any news on my order? (#${customer}.${k})`;

/**
 * Telegram numbers a private chat's messages in one sequence for both directions; the fake counts
 * the bot's messages from 1, so the customers' ids start far above (no clash in `external_id`).
 */
const telegramMessageId = (k: number) => 1_000_000 + k;

export function customerMessage(
  customer: number,
  k: number,
  script: CustomerScript = crashScript,
): CustomerMessage {
  const channel = channelOf(customer);
  const chatId = chatIdOf(customer);
  return {
    channel,
    customer,
    k,
    chatId,
    externalId:
      channel === 'telegram' ? `${chatId}:${telegramMessageId(k)}` : `wamid.CRASH.${customer}.${k}`,
    text: script(customer, k),
  };
}

export interface WebhookRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The webhook for the message; a retry is the same update, as the platforms' retries are. */
export function webhookFor(m: CustomerMessage, secrets: Secrets): WebhookRequest {
  const date = Math.floor(Date.now() / 1000);
  if (m.channel === 'telegram') {
    const id = Number(m.chatId);
    const from = {
      id,
      is_bot: false,
      first_name: `Crash${m.customer}`,
      username: `crash_${m.customer}`,
      language_code: 'en',
    };
    const update = {
      update_id: 600_000_000 + m.customer * 10_000 + m.k,
      message: {
        message_id: telegramMessageId(m.k),
        from,
        chat: { id, first_name: from.first_name, username: from.username, type: 'private' },
        date,
        text: m.text,
      },
    };
    return {
      path: '/webhooks/telegram',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': secrets.telegramSecret,
      },
      body: JSON.stringify(update),
    };
  }
  const notification = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000009',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '919900000100',
                phone_number_id: secrets.whatsappPhoneNumberId,
              },
              contacts: [{ profile: { name: `Crash W${m.customer}` }, wa_id: m.chatId }],
              messages: [
                {
                  from: m.chatId,
                  id: m.externalId,
                  timestamp: String(date),
                  type: 'text',
                  text: { body: m.text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  const body = JSON.stringify(notification);
  return {
    path: '/webhooks/whatsapp',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secrets.whatsappAppSecret).update(body).digest('hex')}`,
    },
    body,
  };
}
