import { pino } from 'pino';
import { describe, expect, it, type Mock, vi } from 'vitest';
import {
  createTelegramChannel,
  type TelegramLogger,
  verifyTelegramSecret,
} from '../../../../adapters/telegram/index.js';
import type { InboundEvent } from '../../../../src/ports/channel.js';
import { fixtureBytes, fixtureNames, recordingLogger } from './support.js';

const SECRET = 'parley_test-secret_42';

function channel(
  onEvent: Mock<(event: InboundEvent) => Promise<void>> = vi.fn(async () => undefined),
) {
  const { logger, entries } = recordingLogger();
  const tg = createTelegramChannel({
    token: '123:abc',
    apiRoot: 'http://127.0.0.1:9', // never called by the webhook path
    mode: 'webhook',
    webhookSecret: SECRET,
    logger,
    onEvent,
    readFile: async () => Buffer.alloc(0),
  });
  return { tg, onEvent, entries };
}

function post(
  body: Buffer | string,
  headers: Record<string, string | string[] | undefined> = {
    'x-telegram-bot-api-secret-token': SECRET,
  },
) {
  return { method: 'POST', headers, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

describe('verifyTelegramSecret', () => {
  it('accepts only the exact configured secret', () => {
    expect(verifyTelegramSecret(SECRET, SECRET)).toBe(true);
    expect(verifyTelegramSecret(`${SECRET}x`, SECRET)).toBe(false);
    expect(verifyTelegramSecret(SECRET.slice(0, -1), SECRET)).toBe(false);
    expect(verifyTelegramSecret(undefined, SECRET)).toBe(false);
    expect(verifyTelegramSecret('', '')).toBe(false);
    expect(verifyTelegramSecret(SECRET, undefined)).toBe(false);
  });
});

describe('telegram handleWebhook', () => {
  it.each([
    ['missing', {}],
    ['wrong', { 'x-telegram-bot-api-secret-token': 'not-the-secret' }],
    ['empty', { 'x-telegram-bot-api-secret-token': '' }],
  ])('answers 401 and records nothing when the secret is %s', async (_label, headers) => {
    const { tg, onEvent } = channel();
    const res = await tg.handleWebhook(post(fixtureBytes('message_text.json'), headers));
    expect(res.status).toBe(401);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('reads the header in any case and as an array', async () => {
    const { tg, onEvent } = channel();
    const res = await tg.handleWebhook(
      post(fixtureBytes('message_text.json'), { 'X-Telegram-Bot-Api-Secret-Token': [SECRET] }),
    );
    expect(res.status).toBe(200);
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it.each(fixtureNames().filter((n) => n !== 'group_message_text.json'))(
    'hands %s to onEvent once, then answers 200',
    async (name) => {
      const { tg, onEvent } = channel();
      const res = await tg.handleWebhook(post(fixtureBytes(name)));
      expect(res.status).toBe(200);
      expect(onEvent).toHaveBeenCalledTimes(1);
      expect(onEvent.mock.calls[0]?.[0]).toMatchObject({
        channel: 'telegram',
        chatId: '100000001',
      });
    },
  );

  it('answers only after onEvent has resolved', async () => {
    let release!: () => void;
    const onEvent = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const { tg } = channel(onEvent);
    let settled = false;
    const pending = tg.handleWebhook(post(fixtureBytes('message_text.json'))).then((res) => {
      settled = true;
      return res;
    });
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    release();
    expect((await pending).status).toBe(200);
  });

  it('answers 500 when onEvent throws, so Telegram redelivers', async () => {
    const { tg, entries } = channel(vi.fn(async () => Promise.reject(new Error('db down'))));
    const res = await tg.handleWebhook(post(fixtureBytes('message_photo.json')));
    expect(res.status).toBe(500);
    expect(entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('answers 400 to malformed JSON and to JSON that is not an Update', async () => {
    const { tg, onEvent } = channel();
    expect((await tg.handleWebhook(post('{"update_id": 1, "message": '))).status).toBe(400);
    expect((await tg.handleWebhook(post('[1, 2]'))).status).toBe(400);
    expect((await tg.handleWebhook(post('{"message": {}}'))).status).toBe(400);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('answers 200 without recording update kinds it does not handle', async () => {
    const { tg, onEvent, entries } = channel();
    expect((await tg.handleWebhook(post(fixtureBytes('group_message_text.json')))).status).toBe(
      200,
    );
    expect((await tg.handleWebhook(post('{"update_id": 5, "poll": {"id": "p"}}'))).status).toBe(
      200,
    );
    expect(onEvent).not.toHaveBeenCalled();
    expect(entries.filter((e) => e.level === 'debug').map((e) => e.obj.kind)).toEqual([
      'message',
      'poll',
    ]);
  });

  it('answers 405 to other methods', async () => {
    const { tg } = channel();
    expect((await tg.handleWebhook({ ...post('{}'), method: 'GET' })).status).toBe(405);
  });

  it('refuses every update when no secret is configured (polling mode)', async () => {
    const onEvent = vi.fn(async () => undefined);
    const tg = createTelegramChannel({
      token: '123:abc',
      apiRoot: 'http://127.0.0.1:9',
      mode: 'polling',
      logger: recordingLogger().logger,
      onEvent,
      readFile: async () => Buffer.alloc(0),
    });
    const res = await tg.handleWebhook(
      post(fixtureBytes('message_text.json'), { 'x-telegram-bot-api-secret-token': '' }),
    );
    expect(res.status).toBe(401);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('refuses webhook mode without a (valid) secret', () => {
    const base = {
      token: '1:a',
      apiRoot: 'http://127.0.0.1:9',
      mode: 'webhook' as const,
      logger: recordingLogger().logger,
      onEvent: async () => undefined,
      readFile: async () => Buffer.alloc(0),
    };
    expect(() => createTelegramChannel(base)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createTelegramChannel({ ...base, webhookSecret: 'has spaces!' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    );
  });

  it('takes a pino logger', () => {
    const logger: TelegramLogger = pino({ level: 'silent' });
    expect(typeof logger.debug).toBe('function');
  });
});

describe('telegram handleWebhook with fields of the wrong type (found by the route fuzz)', () => {
  const withMessage = (patch: (message: Record<string, any>) => void) => {
    const update = JSON.parse(fixtureBytes('message_text.json').toString('utf8'));
    patch(update.message);
    return JSON.stringify(update);
  };

  it.each([
    ['a numeric language_code', (m: Record<string, any>) => (m.from.language_code = 7)],
    ['an object as text', (m: Record<string, any>) => (m.text = { bold: 'hi' })],
    ['an array as language_code', (m: Record<string, any>) => (m.from.language_code = ['en'])],
    ['a numeric username', (m: Record<string, any>) => (m.from.username = 42)],
    // `${["\u0000"]}` is a NUL: it reached the dedupe key and PostgreSQL answered 500 (CI seed).
    [
      'an array holding a NUL as message_id',
      (m: Record<string, any>) => (m.message_id = ['\u0000']),
    ],
    ['a numeric string as message_id', (m: Record<string, any>) => (m.message_id = '12')],
    ['an array as chat id', (m: Record<string, any>) => (m.chat.id = [300000001])],
    ['a fractional user id', (m: Record<string, any>) => (m.from.id = 1.5)],
  ])('answers 400 in the contract shape and records nothing for %s', async (_label, patch) => {
    const { tg, onEvent } = channel();
    const res = await tg.handleWebhook(post(withMessage(patch)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'invalid_request', message: 'not a Telegram Update' },
    });
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('records a date Telegram could not have sent (1e308) at the time it arrived', async () => {
    const { tg, onEvent } = channel();
    const before = Date.now();
    const res = await tg.handleWebhook(post(withMessage((m) => (m.date = 1e308))));
    expect(res.status).toBe(200);
    const event = onEvent.mock.calls[0]![0];
    expect(Number.isNaN(event.sentAt.getTime())).toBe(false);
    expect(event.sentAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers refusals in the contract error shape', async () => {
    const { tg } = channel();
    for (const res of [
      await tg.handleWebhook(post('{not json')),
      await tg.handleWebhook(post('{"no_update_id":1}')),
      await tg.handleWebhook(post(fixtureBytes('message_text.json'), {})),
      await tg.handleWebhook({ ...post('{}'), method: 'GET' }),
    ]) {
      const error = (res.body as { error: { code: unknown; message: unknown } }).error;
      expect(typeof error.code).toBe('string');
      expect(typeof error.message).toBe('string');
    }
  });
});
