/**
 * A Telegram that accepts the request and never answers must not hold a send for grammY's
 * default 500 s: the call fails after `timeoutMs` as a retryable error, and the fake saw no
 * delivery. Dropped connections fail the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../../../adapters/telegram/outbound.js';
import { ChannelApiError } from '../../../../src/ports/channel.js';
import { createFaultPlan, type FaultPlan } from '../../../fakes/fault-plan.js';
import { type FakeTelegram, startFakeTelegram } from '../../../fakes/telegram-api.js';

const TOKEN = '123456:TIMEOUT-token';
let fake: FakeTelegram;
let faults: FaultPlan;

beforeAll(async () => {
  faults = createFaultPlan({ routes: (m) => m === 'sendMessage' });
  fake = await startFakeTelegram({ token: TOKEN, faults });
});
afterAll(async () => {
  await fake?.close();
});

const sender = () =>
  createTelegramSender({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    timeoutMs: 300,
    readFile: () => Promise.reject(new Error('no files')),
  });

describe('telegram sender against a platform that does not answer', () => {
  it('gives up on a hung call after timeoutMs with a retryable error', async () => {
    faults.setRates({ hang: 1 });
    const started = Date.now();
    const error = await sender()
      .send({ channel: 'telegram', chatId: '42', text: 'hello' })
      .catch((err: unknown) => err);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(ChannelApiError);
    expect((error as ChannelApiError).details.permanent).toBe(false);
    expect(fake.calls('sendMessage').map((r) => r.fault)).toEqual(['hang']);
  });

  it('fails a dropped connection as retryable too, and sends normally afterwards', async () => {
    faults.setRates({ drop: 1 });
    const error = await sender()
      .send({ channel: 'telegram', chatId: '42', text: 'hello' })
      .catch((err: unknown) => err);
    expect((error as ChannelApiError).details.permanent).toBe(false);
    faults.heal();
    await expect(
      sender().send({ channel: 'telegram', chatId: '42', text: 'hello' }),
    ).resolves.toMatchObject({ externalId: expect.any(String) });
  });
});
