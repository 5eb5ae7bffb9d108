/**
 * `POST /tickets/:ref/messages/:id/retry`: an agent's reply that Telegram refused for good (the
 * customer had blocked the bot) is sent again once they unblock it, exactly once, with the retry
 * on the audit trail; what is not failed, or never reached the outbox, is a 409; engineers and
 * other brands cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, apiError, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture } from '../../support/chat-driver.js';
import {
  PLATFORM_KEY,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TG_TOKEN = '779:TEST-retry';
const TG_SECRET = 'tg_secret_for_retry';
const CHAT = 100000301;

let telegram: FakeTelegram;
let parley: TestParley;
let number: string;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    env: {
      ...telegramWebhookEnv(TG_TOKEN, TG_SECRET, telegram.apiRoot),
    },
  });
  // The customer asks for a person on Telegram: the bot opens a ticket.
  const update = sharedFixture('telegram/message_text.json');
  update.message.chat.id = CHAT;
  update.message.from.id = CHAT;
  update.message.text = 'agent';
  const res = await postTelegramWebhook(parley.url, TG_SECRET, update);
  expect(res.status).toBe(200);
  await drained();
  const { rows } = await parley.database.pool.query(
    `select number from tickets where channel = 'telegram' order by created_at desc limit 1`,
  );
  number = rows[0].number;
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

const drained = () => outboxDrained(parley.database.pool);
const sentTo = (text: string) =>
  telegram
    .calls('sendMessage')
    .filter((c) => String(c.body.chat_id) === String(CHAT) && String(c.body.text).includes(text));
const message = async (id: string) =>
  ((await parley.api('GET', `/tickets/${number}/messages`)).body.data as any[]).find(
    (m) => m.id === id,
  );

describe('retrying a failed delivery', () => {
  let failedId: string;

  it('a reply refused for good is failed on the message and the ticket', async () => {
    telegram.script('sendMessage', [apiError(403, 'Forbidden: bot was blocked by the user')]);
    const reply = await parley.api('POST', `/tickets/${number}/messages`, {
      body: { body: 'Your parcel left today' },
    });
    expect(reply.status).toBe(201);
    failedId = reply.body.id;
    await drained();
    expect((await message(failedId)).delivery_status).toBe('failed');
    expect((await message(failedId)).delivery_error).toMatch(/blocked/);
    expect((await parley.api('GET', `/tickets/${number}`)).body.last_delivery_error).toMatch(
      /blocked/,
    );
  });

  it('engineers, another brand and an unknown message cannot retry it', async () => {
    const erin = (await parley.api('POST', '/agents', { body: { name: 'Erin', role: 'engineer' } }))
      .body;
    const key = (await parley.api('POST', `/agents/${erin.id}/api-keys`)).body.api_key;
    const asErin = apiClient(`${parley.url}/api/v1`, key);
    expect((await asErin('POST', `/tickets/${number}/messages/${failedId}/retry`)).status).toBe(
      403,
    );
    const other = await parley.api('POST', '/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Other', slug: 'other-retry' },
    });
    const asOther = apiClient(`${parley.url}/api/v1`, other.body.api_key);
    expect((await asOther('POST', `/tickets/${number}/messages/${failedId}/retry`)).status).toBe(
      404,
    );
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await parley.api('POST', `/tickets/${number}/messages/${id}/retry`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await message(failedId)).delivery_status).toBe('failed');
  });

  it('sends it again once, clears the ticket error, and records who retried', async () => {
    expect(sentTo('Your parcel left today')).toHaveLength(1); // the refused attempt
    const res = await parley.api('POST', `/tickets/${number}/messages/${failedId}/retry`);
    expect(res.status).toBe(200);
    expect(res.body.delivery_status).toBe('pending');
    await drained();
    expect(sentTo('Your parcel left today')).toHaveLength(2);
    expect((await message(failedId)).delivery_status).toBe('sent');
    expect((await parley.api('GET', `/tickets/${number}`)).body.last_delivery_error).toBeNull();
    const events = (await parley.api('GET', `/tickets/${number}/events`)).body.data as any[];
    const retried = events.filter((e) => e.action === 'delivery_retried');
    expect(retried).toHaveLength(1);
    expect(retried[0].changes.delivery.from).toMatch(/blocked/);

    const again = await parley.api('POST', `/tickets/${number}/messages/${failedId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_failed');
    await drained();
    expect(sentTo('Your parcel left today')).toHaveLength(2);
  });

  it('a note, or a failed message that never reached the outbox, is a conflict', async () => {
    const note = await parley.api('POST', `/tickets/${number}/messages`, {
      body: { body: 'internal remark', internal: true },
    });
    expect(
      (await parley.api('POST', `/tickets/${number}/messages/${note.body.id}/retry`)).body.error
        .code,
    ).toBe('not_failed');
    // As a reply that could not be sent at all is stored (no outbox row): failed at once.
    await parley.database.pool.query(
      `update messages set delivery_status = 'failed', delivery_error = 'no channel' where id = $1`,
      [note.body.id],
    );
    const res = await parley.api('POST', `/tickets/${number}/messages/${note.body.id}/retry`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_retryable');
  });
});
