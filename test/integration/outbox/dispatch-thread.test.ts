/**
 * PARLEY_DISPATCH_THREAD=on: one process, the web part on the main thread and the worker part
 * (dispatcher, bot) on a thread of it. The main thread's own dispatcher never runs (it is a web
 * part), so a bot reply can only come from the thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { telegramTextUpdate, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '123456:TEST-thread-token';
const SECRET = 'tg-thread-secret_0123456789';

let telegram: FakeTelegram;
let parley: TestParley;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
      PUBLIC_URL: 'https://parley.example',
      PARLEY_DISPATCH_THREAD: 'on',
    },
  });
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

describe('PARLEY_DISPATCH_THREAD', () => {
  it('answers a Telegram customer from the dispatch thread', async () => {
    const res = await postTelegramWebhook(
      parley.url,
      SECRET,
      telegramTextUpdate(710000001, 92000001, 'Hello, my order is late'),
    );
    expect(res.status).toBe(200);
    const replies = await waitFor(() => {
      const sent = telegram.requests.filter(
        (r) => r.method === 'sendMessage' && String(r.body.chat_id) === '710000001',
      );
      return sent.length > 0 ? sent : undefined;
    }, 15_000);
    expect(replies.length).toBeGreaterThan(0);
    // The main thread is the web part: its dispatcher is never started.
    expect(parley.role).toBe('web');
    // Receivers stay on the main thread: one setWebhook, none from the thread.
    expect(telegram.calls('setWebhook')).toHaveLength(1);
  }, 30_000);

  it('is refused with WhatsApp Web and ignored outside PARLEY_ROLE=all', () => {
    expect(() => loadConfig({ PARLEY_DISPATCH_THREAD: 'on', WHATSAPP_MODE: 'web' })).toThrow(
      /PARLEY_DISPATCH_THREAD/,
    );
    expect(loadConfig({ PARLEY_DISPATCH_THREAD: 'on' }).dispatchThread).toBe(true);
    expect(loadConfig({ PARLEY_DISPATCH_THREAD: 'on', PARLEY_ROLE: 'web' }).dispatchThread).toBe(
      false,
    );
    expect(loadConfig({}).dispatchThread).toBe(false);
  });
});
