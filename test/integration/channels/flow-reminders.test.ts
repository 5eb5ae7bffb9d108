import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlowReminders } from '../../../src/app/inbound/flow-reminders.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '654321:TEST-reminders';
const SECRET = 'reminder-secret_123';
let telegram: FakeTelegram;
let parley: TestParley;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    clock,
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
    },
  });
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

const drained = () => outboxDrained(parley.database.pool);

describe('an abandoned intake', () => {
  it('is reminded once, then expires, and the state survives in PostgreSQL meanwhile', async () => {
    const update = sharedFixture('telegram/message_text.json');
    update.message.text = 'hello';
    const res = await postTelegramWebhook(parley.url, SECRET, update);
    expect(res.status).toBe(200);
    await drained();
    const state = async () =>
      (
        await parley.database.pool.query(
          "select flow, step, reminded_at from conversations where channel = 'telegram'",
        )
      ).rows[0];
    expect((await state()).flow).toBe('intake');

    expect(await runFlowReminders(parley.deps)).toEqual({ reminded: 0, expired: 0 }); // not due yet
    const sentBefore = telegram.calls('sendMessage').length;
    clock.advance(31 * 60_000);
    expect(await runFlowReminders(parley.deps)).toEqual({ reminded: 1, expired: 0 });
    await drained();
    const nudge = telegram
      .calls('sendMessage')
      .slice(sentBefore)
      .map((r) => String(r.body.text));
    expect(nudge.join('\n')).toMatch(/still there|still|remind/i);
    expect((await state()).flow).toBe('intake');

    clock.advance(31 * 60_000);
    expect(await runFlowReminders(parley.deps)).toEqual({ reminded: 0, expired: 1 });
    await drained();
    expect((await state()).flow).toBeNull();
    expect(await runFlowReminders(parley.deps)).toEqual({ reminded: 0, expired: 0 });
  });
});
