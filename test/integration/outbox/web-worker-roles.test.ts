/**
 * PARLEY_ROLE: a `web` process records a Telegram customer's message and runs none of the work;
 * a `worker` process on the same database runs the bot and sends the reply, woken by NOTIFY (its
 * poll interval is a minute here, so only the notification can explain a fast reply).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_YIELD_MS } from '../../../src/app/outbox-dispatcher.js';
import { loadConfig } from '../../../src/config.js';
import { announceIngestBusy } from '../../../src/storage/outbox-signal.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { telegramTextUpdate, waitFor } from '../../support/chat-driver.js';
import { type TestDatabase, createTestDatabase } from '../../support/test-database.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '123456:TEST-roles-token';
const SECRET = 'tg-roles-secret_0123456789';

let telegram: FakeTelegram;
let database: TestDatabase;
let web: TestParley;
let worker: TestParley;

const telegramEnv = () => ({
  ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
  PUBLIC_URL: 'https://parley.example',
});

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  database = await createTestDatabase();
  web = await startTestParley({ database, env: { ...telegramEnv(), PARLEY_ROLE: 'web' } });
});
afterAll(async () => {
  await worker?.close();
  await web?.close();
  await database?.close();
  await telegram?.close();
});

async function post(url: string, body: unknown): Promise<number> {
  const res = await postTelegramWebhook(url, SECRET, body);
  return res.status;
}

const repliesTo = (chatId: number) =>
  telegram.requests.filter(
    (r) => r.method === 'sendMessage' && String(r.body.chat_id) === String(chatId),
  );

const pendingInbound = async () =>
  (
    await database.pool.query(
      `select count(*)::int as n from outbox
        where destination = 'inbound:telegram' and status = 'pending' and attempts = 0`,
    )
  ).rows[0].n as number;

describe('PARLEY_ROLE', () => {
  it('a web process records a message and runs none of the work', async () => {
    expect(
      await post(web.url, telegramTextUpdate(700000001, 91000001, 'Hello, my order is late')),
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await pendingInbound()).toBe(1);
    expect(repliesTo(700000001)).toHaveLength(0);
    expect(telegram.calls('setWebhook')).toHaveLength(1);
  });

  it('a worker picks up what is waiting, then is woken by NOTIFY for each new message', async () => {
    worker = await startTestParley({
      database,
      env: { ...telegramEnv(), PARLEY_ROLE: 'worker', OUTBOX_POLL_INTERVAL_MS: '60000' },
    });
    await waitFor(() => (repliesTo(700000001).length > 0 ? true : undefined), 10_000);
    // Idle now: its next poll is a minute away, so only the notification can wake it in time.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    expect(await post(web.url, telegramTextUpdate(700000002, 91000002, 'Hi, a question'))).toBe(
      200,
    );
    await waitFor(() => (repliesTo(700000002).length > 0 ? true : undefined), 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await pendingInbound()).toBe(0);
  });

  it('a worker holds new claims while a web process says its webhooks are waiting', async () => {
    // What a web process past INGEST_PRIORITY_IN_FLIGHT announces (here: always).
    const announcer = announceIngestBusy(database.pool, worker.logger, {
      inFlight: () => 100,
      threshold: 8,
      everyMs: 20,
    });
    try {
      await new Promise((r) => setTimeout(r, 200)); // the worker has heard it by now
      const started = Date.now();
      expect(await post(web.url, telegramTextUpdate(700000003, 91000003, 'Busy day?'))).toBe(200);
      await waitFor(() => (repliesTo(700000003).length > 0 ? true : undefined), 10_000);
      // The claim waited (MAX_YIELD_MS at a stretch), then went anyway: the queue never stops.
      expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_YIELD_MS - 50);
    } finally {
      announcer.stop();
    }
  });

  it("wakes the web process's web chat poll when the worker replies", async () => {
    const res = await fetch(`${web.url}/chat/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { token } = (await res.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    // The worker holds its claims a moment (a web process "busy"): the poll below is surely
    // waiting before the bot's reply is written.
    const announcer = announceIngestBusy(database.pool, worker.logger, {
      inFlight: () => 100,
      threshold: 8,
      everyMs: 20,
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const sent = await fetch(`${web.url}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ client_message_id: 'roles-1', text: 'hello' }),
      });
      expect(sent.status).toBe(202);
      // A web process only records the event: the worker writes the message and the replies.
      const now = (await (
        await fetch(`${web.url}/chat/api/messages?wait=0`, { headers: auth })
      ).json()) as { messages: unknown[] };
      expect(now.messages).toEqual([]);
    } finally {
      announcer.stop();
    }
    // A long poll on the web process: only a wake-up from the worker ends it before 25 s.
    const started = Date.now();
    const polled = (await (
      await fetch(`${web.url}/chat/api/messages`, { headers: auth })
    ).json()) as { messages: { author: string }[] };
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(polled.messages.some((m) => m.author === 'bot')).toBe(true);
  }, 40_000);

  it('a worker does not run the receivers (no second setWebhook, no polling)', () => {
    expect(telegram.calls('setWebhook')).toHaveLength(1);
    expect(telegram.calls('deleteWebhook')).toHaveLength(0);
    expect(telegram.calls('getUpdates')).toHaveLength(0);
  });

  it('refuses WhatsApp Web outside one all-in-one process', () => {
    expect(() => loadConfig({ PARLEY_ROLE: 'web', WHATSAPP_MODE: 'web' })).toThrow(
      /PARLEY_ROLE=all/,
    );
    expect(loadConfig({ PARLEY_ROLE: 'worker' }).role).toBe('worker');
    expect(loadConfig({}).role).toBe('all');
  });
});
