import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTelegramChannel,
  TELEGRAM_ALLOWED_UPDATES,
  type TelegramChannel,
} from '../../../../adapters/telegram/index.js';
import type { InboundEvent, InboundHandler } from '../../../../src/ports/channel.js';
import { type FakeTelegram, startFakeTelegram } from '../../../fakes/telegram-api.js';
import { fixture, recordingLogger } from './support.js';

const TOKEN = '7000000001:TEST_TOKEN';

let fake: FakeTelegram;
let channel: TelegramChannel | undefined;

beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN, maxLongPollMs: 60_000 });
});
afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await fake.close();
});

function polling(onEvent: InboundHandler) {
  const log = recordingLogger();
  channel = createTelegramChannel({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    mode: 'polling',
    logger: log.logger,
    onEvent,
    readFile: async () => Buffer.alloc(0),
    polling: { timeoutSeconds: 30, retryDelayMs: 10 },
  });
  return { channel, log };
}

/** getUpdates offsets the loop asked with, in order. */
const offsets = () => fake.calls('getUpdates').map((c) => c.body.offset);

describe('telegram long polling', () => {
  it('deletes the webhook, then delivers each queued update once and confirms it', async () => {
    const events: InboundEvent[] = [];
    const { channel } = polling(async (event) => void events.push(event));
    fake.queueUpdates(fixture('message_text.json'), fixture('message_photo.json'));
    await channel.start();
    await vi.waitFor(() => expect(offsets()).toContain(900000003 + 1));
    expect(events.map((e) => e.externalId)).toEqual(['100000001:101', '100000001:103']);
    expect(fake.requests[0]?.method).toBe('deleteWebhook');
    expect(fake.calls('getUpdates')[0]?.body).toMatchObject({
      timeout: 30,
      allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
    });
  });

  it('asks again from the same offset when onEvent fails, and does not skip ahead', async () => {
    const seen: string[] = [];
    let failures = 1;
    const { channel, log } = polling(async (event) => {
      seen.push(event.externalId);
      if (event.externalId === '100000001:101' && failures-- > 0) throw new Error('db down');
    });
    fake.queueUpdates(fixture('message_text.json'), fixture('message_photo.json'));
    await channel.start();
    await vi.waitFor(() => expect(offsets()).toContain(900000003 + 1));
    expect(seen).toEqual(['100000001:101', '100000001:101', '100000001:103']);
    expect(offsets().slice(0, 2)).toEqual([undefined, undefined]); // nothing was confirmed after the failure
    expect(log.entries.some((e) => e.level === 'error' && e.obj.updateId === 900000001)).toBe(true);
  });

  it('skips updates it does not handle and keeps going', async () => {
    const events: InboundEvent[] = [];
    const { channel } = polling(async (event) => void events.push(event));
    fake.queueUpdates(fixture('group_message_text.json'), fixture('callback_query.json'));
    await channel.start();
    await vi.waitFor(() => expect(offsets()).toContain(900000011 + 1));
    expect(events.map((e) => e.kind)).toEqual(['button']);
  });

  it('stop() aborts a pending long poll promptly', async () => {
    const { channel } = polling(async () => undefined);
    await channel.start();
    await vi.waitFor(() => expect(fake.calls('getUpdates')).toHaveLength(1));
    const started = Date.now();
    await channel.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    fake.queueUpdates(fixture('message_text.json'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls('getUpdates')).toHaveLength(1);
  });

  it('stop() waits for an onEvent in flight', async () => {
    let release!: () => void;
    let finished = false;
    const { channel } = polling(() =>
      new Promise<void>((resolve) => (release = resolve)).then(() => void (finished = true)),
    );
    fake.queueUpdates(fixture('message_text.json'));
    await channel.start();
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const stopping = channel.stop();
    setTimeout(() => release(), 30);
    await stopping;
    expect(finished).toBe(true);
  });
});

describe('telegram webhook registration', () => {
  const base = {
    token: TOKEN,
    logger: recordingLogger().logger,
    onEvent: async () => undefined,
    readFile: async () => Buffer.alloc(0),
  };

  it('registers <publicUrl>/webhooks/telegram with the secret and allowed updates', async () => {
    channel = createTelegramChannel({
      ...base,
      apiRoot: fake.apiRoot,
      mode: 'webhook',
      webhookSecret: 'sec_1',
      publicUrl: 'https://parley.example.test/',
    });
    await channel.start();
    expect(fake.webhook).toMatchObject({
      url: 'https://parley.example.test/webhooks/telegram',
      secret_token: 'sec_1',
      allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
    });
  });

  it('does not register without a public URL', async () => {
    channel = createTelegramChannel({
      ...base,
      apiRoot: fake.apiRoot,
      mode: 'webhook',
      webhookSecret: 'sec_1',
    });
    await channel.start();
    expect(fake.requests).toEqual([]);
  });

  it('fails start() when Telegram refuses the webhook', async () => {
    fake.script('setWebhook', [
      {
        ok: false,
        error_code: 400,
        description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook',
      },
    ]);
    channel = createTelegramChannel({
      ...base,
      apiRoot: fake.apiRoot,
      mode: 'webhook',
      webhookSecret: 'sec_1',
      publicUrl: 'http://insecure.example.test',
    });
    await expect(channel.start()).rejects.toMatchObject({
      name: 'ChannelApiError',
      details: { method: 'setWebhook', status: 400 },
    });
  });
});
