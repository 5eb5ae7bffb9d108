/**
 * What the bot promises when it opens a ticket: "within 4 hours" while the team is working, and
 * the actual time ("by Monday 13:00") when the first-response clock runs through closed hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '780:TEST-bot-promise';
const SECRET = 'bot_promise_secret';
const DAY = ['09:00', '18:00'];
const clock = new ManualClock('2026-03-04T09:00:00Z'); // Wednesday 10:00 in Madrid

let telegram: FakeTelegram;
let parley: TestParley;
let updateId = 920000000;
let messageId = 7000;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    clock,
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
    },
  });
  const put = await parley.api('PUT', '/sla-policy', {
    body: {
      targets: {},
      calendar: {
        timezone: 'Europe/Madrid',
        hours: { mon: [DAY], tue: [DAY], wed: [DAY], thu: [DAY], fri: [DAY] },
        holidays: [],
      },
      pause_when_awaiting_customer: true,
    },
  });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

/** Sends one message as `chatId` and returns the bot's replies to it. */
async function say(chatId: number, text: string): Promise<string> {
  const u = sharedFixture('telegram/message_text.json');
  u.update_id = updateId++;
  u.message.message_id = messageId++;
  u.message.from = { ...u.message.from, id: chatId };
  u.message.chat = { ...u.message.chat, id: chatId };
  u.message.text = text;
  const before = telegram.calls('sendMessage').length;
  const res = await postTelegramWebhook(parley.url, SECRET, u);
  expect(res.status).toBe(200);
  await outboxDrained(parley.database.pool);
  return telegram
    .calls('sendMessage')
    .slice(before)
    .filter((c) => String(c.body.chat_id) === String(chatId))
    .map((c) => String(c.body.text))
    .join('\n');
}

/** Goes through intake for an order issue, answering each question, until a ticket opens. */
async function openOrderTicket(chatId: number): Promise<string> {
  expect(await say(chatId, 'Hello, my parcel is late')).toMatch(/choose a topic/i);
  let reply = await say(chatId, '1'); // order_issue
  for (let turn = 0; turn < 8; turn++) {
    if (/TK-\d{4}-\d{5}/.test(reply)) return reply;
    if (/open the ticket\?|tap Yes/i.test(reply)) reply = await say(chatId, 'yes');
    else if (/describe/i.test(reply)) reply = await say(chatId, 'The parcel is a week late');
    else if (/order|invoice/i.test(reply)) reply = await say(chatId, 'ORD-1042');
    else if (/photo/i.test(reply)) reply = await say(chatId, 'done');
    else if (/deliver|date|when/i.test(reply)) reply = await say(chatId, 'yesterday');
    else reply = await say(chatId, 'yes');
  }
  throw new Error(`no ticket opened; last reply: ${reply}`);
}

describe("the bot's first-response promise", () => {
  it('says "within" during opening hours and names the time when closed hours come first', async () => {
    const during = await openOrderTicket(610000001);
    expect(during).toMatch(/we answer within 4 hours/);

    clock.set('2026-03-06T18:00:00Z'); // Friday 19:00 in Madrid: closed until Monday 09:00
    const friday = await openOrderTicket(610000002);
    expect(friday).toMatch(/we answer by Monday 13:00/);
  });
});
