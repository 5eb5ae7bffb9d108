/** Signed Slack Events API requests (agent thread replies) and Telegram customer webhooks. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signSlackRequest } from '../../adapters/slack/verify.js';

function sharedFixture<T = any>(relativePath: string): T {
  const file = fileURLToPath(new URL(`../../../shared/fixtures/${relativePath}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** An agent's reply in a card's thread, as Slack's `message` event (no blocks). */
export function threadReplyEvent(opts: {
  channel: string;
  threadTs: string;
  text: string;
  eventId: string;
  user: string;
  /** The message's ts (the fake Slack's, so delivery marks can react to it); default now. */
  ts?: string;
}): string {
  const e = sharedFixture('slack/event_message_in_thread.json');
  const now = Date.now() / 1000;
  Object.assign(e.event, {
    text: opts.text,
    thread_ts: opts.threadTs,
    channel: opts.channel,
    user: opts.user,
    ts: opts.ts ?? now.toFixed(6),
    event_ts: opts.ts ?? now.toFixed(6),
    client_msg_id: crypto.randomUUID(),
  });
  delete e.event.blocks;
  e.event_id = opts.eventId;
  e.event_time = Math.floor(now);
  return JSON.stringify(e);
}

/** POSTs a signed body to `/slack/events`, as Slack's retry `retryNum` (0 = first delivery). */
export async function postSlackEvent(
  parleyUrl: string,
  signingSecret: string,
  body: string,
  retryNum: number,
): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signSlackRequest(signingSecret, ts, body),
  };
  if (retryNum > 0) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(`${parleyUrl}/slack/events`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

let updateId = 910000000;
let messageId = 50000;

/** A Telegram customer (`chatId`) writes `text` through the webhook. */
export async function telegramCustomerSays(
  parleyUrl: string,
  secret: string,
  chatId: number,
  text: string,
): Promise<number> {
  const u = sharedFixture('telegram/message_text.json');
  u.update_id = updateId++;
  u.message.message_id = messageId++;
  u.message.text = text;
  u.message.date = Math.floor(Date.now() / 1000);
  u.message.from.id = chatId;
  u.message.chat.id = chatId;
  u.message.from.username = `bench_cust_${chatId}`;
  u.message.chat.username = `bench_cust_${chatId}`;
  const res = await fetch(`${parleyUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(u),
  });
  await res.arrayBuffer();
  return res.status;
}
